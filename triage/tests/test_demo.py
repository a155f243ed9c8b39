"""The demo's chat triage at MTsN 1 Muara Enim: an export of the official group with flags in every
state, made through the real services, and idempotent."""

import pytest
from django.core.management import call_command

from governance.audit import verify_chains
from governance.models import Institution
from triage.demo import DEMO_CHAT_NAME
from triage.models import ChatFlag, ChatImport


@pytest.mark.django_db
def test_the_demo_has_a_triaged_chat_of_the_official_group(settings, unscoped):
    settings.DEBUG = True
    call_command("seed_demo", quiet=True)
    mtsn = Institution.objects.get(slug="mtsn-1-muara-enim")
    chat = ChatImport.objects.get(institution=mtsn, original_name=DEMO_CHAT_NAME)
    assert chat.state == "confirmed" and chat.channel.is_official and not chat.file and chat.purged_at is None
    assert chat.first_at.year == 2024 and chat.election_periods  # reaches back to the Pilkada 2024 campaign
    matched = chat.authors.filter(staff__isnull=False)
    assert {a.match for a in matched} == {"name", "phone"} and chat.authors.filter(staff__isnull=True).exists()
    flags = list(ChatFlag.objects.filter(chat_import=chat))
    states = {(f.category, f.state) for f in flags}
    assert ("politics", "dismissed") in states and ("politics", "open") in states
    assert ("hoax", "reported") in states and ("confidential", "open") in states
    reported = next(f for f in flags if f.state == "reported")
    assert reported.report.source == "chat_triage" and reported.report.evidence.get().content_type == "application/pdf"
    assert reported.report.subject_staff is not None  # the number is the demo staff login's
    dismissed = next(f for f in flags if f.state == "dismissed")
    assert "kampanye" in dismissed.dismiss_reason
    counts = (ChatImport.objects.count(), ChatFlag.objects.count())
    call_command("seed_demo", quiet=True)
    assert (ChatImport.objects.count(), ChatFlag.objects.count()) == counts
    assert verify_chains().ok
