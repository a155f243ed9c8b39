"""Only rules that someone can break are cited, where they apply; and the case remembers which
version of the code was in force when it happened and whether the person had acknowledged it."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from governance.models import ChannelKind, CodeVersion, Rule, RuleCategory, RuleKind
from members.models import Acknowledgement
from sanctions import services
from sanctions.letters import letter_html
from sanctions.models import ViolationReport, WarningLetter
from sanctions.selectors import suggest_level
from sanctions.tests.conftest import mfa_client
from sanctions.tests.factories import approved_measure, file_report, hear, publish_code, rule_ids

UTC = datetime.UTC


def _rule(world, kind, **fields) -> Rule:
    version = CodeVersion.objects.get(institution=world.institution, state="published")
    return Rule.objects.create(version=version, number=fields.pop("number", "9"), category=RuleCategory.ETIQUETTE,
                               kind=kind, text=fields.pop("text", "Ketentuan contoh."), position=20, **fields)


@pytest.mark.parametrize("kind", [RuleKind.RECOMMENDATION, RuleKind.PERMISSION, RuleKind.SANCTION])
def test_only_prohibitions_can_be_cited(world, kind):
    rule = _rule(world, kind, text="Pelanggaran dapat dikenai sanksi sesuai kode etik profesi.")
    with pytest.raises(ValidationError) as refused:
        services.report_submit(actor=world.users["pegawai"], institution=world.institution, subject_staff=world.budi,
                               channel=world.channel, occurred_at=datetime.datetime.now(UTC) - datetime.timedelta(hours=1),
                               rule_ids=[rule.pk], description="Kiriman di grup.")
    assert refused.value.code == "foreign_rule"
    form = mfa_client(world.users["humas"]).get(
        reverse("sanctions:report_create", kwargs={"institution": world.institution.slug})).content.decode()
    assert "Tidak menyebarkan berita bohong" in form and rule.text not in form


def test_a_rule_for_official_accounts_is_not_cited_for_a_group_message(world):
    rule = _rule(world, RuleKind.PROHIBITION, number="10", text="Dilarang mengunggah konten provokatif di akun resmi.",
                 channel_kinds=[ChannelKind.INSTAGRAM, ChannelKind.FACEBOOK])
    with pytest.raises(ValidationError) as refused:
        services.report_submit(actor=world.users["pegawai"], institution=world.institution, subject_staff=world.budi,
                               channel=world.channel, occurred_at=datetime.datetime.now(UTC) - datetime.timedelta(hours=1),
                               rule_ids=[rule.pk], description="Kiriman provokatif di grup.")
    assert refused.value.code == "rule_channel" and "10" in refused.value.messages[0]


def test_the_case_and_the_letter_name_the_code_in_force_then_and_the_acknowledgement(world):
    inst = world.institution
    first = CodeVersion.objects.get(institution=inst, state="published")
    CodeVersion.objects.filter(pk=first.pk).update(state="superseded", published_at=datetime.datetime(2024, 1, 8, 2, tzinfo=UTC))
    second = publish_code(inst, number=2)
    CodeVersion.objects.filter(pk=second.pk).update(published_at=datetime.datetime(2025, 1, 6, 2, tzinfo=UTC))
    Acknowledgement.objects.create(staff=world.budi, version=first,
                                   acknowledged_at=datetime.datetime(2024, 2, 1, 3, tzinfo=UTC))

    # Happened under version 1, which Budi had acknowledged; version 2 he has not acknowledged.
    old = file_report(inst, reporter=world.users["pegawai"], subject_staff=world.budi, channel=world.channel,
                      occurred_at=datetime.datetime(2024, 6, 3, 5, tzinfo=UTC))
    new = file_report(inst, reporter=world.users["pegawai"], subject_staff=world.budi, channel=world.channel)
    assert old.code_version_id == first.pk and old.code_acknowledged_at is not None
    assert new.code_version_id == second.pk and new.code_acknowledged_at is None

    client = mfa_client(world.users["humas"])
    page = client.get(reverse("sanctions:report_detail", kwargs={"institution": inst.slug, "pk": old.pk})).content.decode()
    assert "versi 1" in page and "telah menyatakan membacanya pada" in page
    page = client.get(reverse("sanctions:report_detail", kwargs={"institution": inst.slug, "pk": new.pk})).content.decode()
    assert "versi 2" in page and "belum menyatakan membacanya" in page

    measure = approved_measure(inst, humas=world.users["humas"], head=world.users["kepala"], subject_staff=world.budi,
                               channel=world.channel, occurred_at=datetime.datetime(2024, 6, 3, 5, tzinfo=UTC),
                               categories=(RuleCategory.POLITICS,))
    html = " ".join(letter_html(WarningLetter.objects.get(measure=measure)).split())
    assert "(versi 1) yang berlaku sejak 8 Januari 2024" in html
    assert "telah Saudara nyatakan dibaca dan dipahami pada 1 Februari 2024" in html
    assert rule_ids(inst, RuleCategory.POLITICS)
    # a violation under version 2, which Budi had not acknowledged: the letter says so too
    later = approved_measure(inst, humas=world.users["humas"], head=world.users["kepala"], subject_staff=world.budi,
                             channel=world.channel)
    html = " ".join(letter_html(WarningLetter.objects.get(measure=later)).split())
    assert "(versi 2)" in html and "yang pada saat kejadian belum Saudara nyatakan dibaca" in html


def test_a_violation_before_the_new_version_cites_the_rules_then_in_force(world):
    """Version 2 rewrote rule 1; a violation of March 2024 is judged by version 1: the form offers its
    rules (and refuses version 2's with a clear message, keeping what was typed), and the case file
    and the letter quote version 1's wording."""
    inst = world.institution
    first = CodeVersion.objects.get(institution=inst, state="published")
    CodeVersion.objects.filter(pk=first.pk).update(state="superseded", published_at=datetime.datetime(2024, 1, 8, 2, tzinfo=UTC))
    second = publish_code(inst, number=2, rules=[
        ("1", RuleCategory.HOAX, "Wajib memeriksa kebenaran setiap kabar dan mencantumkan sumber resmi."),
        ("2", RuleCategory.POLITICS, "Tidak membahas politik praktis."),
    ])
    CodeVersion.objects.filter(pk=second.pk).update(published_at=datetime.datetime(2025, 1, 6, 2, tzinfo=UTC))
    old_hoax = Rule.objects.get(version=first, category=RuleCategory.HOAX)
    new_hoax = Rule.objects.get(version=second, category=RuleCategory.HOAX)
    url = reverse("sanctions:report_create", kwargs={"institution": inst.slug})
    humas = world.users["humas"]
    client = mfa_client(humas)
    typed = {"subject_kind": "staff", "subject_staff": world.budi.pk, "channel": world.channel.pk,
             "occurred_on": "2024-03-04", "occurred_time": "09:00", "source": "humas_finding",
             "description": "Meneruskan kabar bohong tentang libur sekolah."}

    fresh = client.get(url).content.decode()
    assert new_hoax.text in fresh and old_hoax.text not in fresh, "a new report starts from the current version"

    refused = client.post(url, {**typed, "rules": [new_hoax.pk]}).content.decode()
    assert "versi 1" in refused and "Meneruskan kabar bohong tentang libur sekolah." in refused
    assert old_hoax.text in refused and new_hoax.text not in refused, "the form now offers version 1's rules"
    assert not ViolationReport.objects.exists(), "nothing half-saved"
    with pytest.raises(ValidationError) as wrong:
        services.report_submit(actor=humas, institution=inst, subject_staff=world.budi, channel=world.channel,
                               occurred_at=datetime.datetime(2024, 3, 4, 2, tzinfo=UTC), rule_ids=[new_hoax.pk],
                               description="Kabar bohong.")
    assert wrong.value.code == "older_code"

    response = client.post(url, {**typed, "rules": [old_hoax.pk]})
    assert response.status_code == 302
    report = ViolationReport.objects.get()
    assert report.code_version == first and list(report.rules.all()) == [old_hoax]
    case = client.get(reverse("sanctions:report_detail", kwargs={"institution": inst.slug, "pk": report.pk})).content.decode()
    assert old_hoax.text in case and "versi 1" in case

    services.report_start_review(actor=humas, report=report)
    services.report_confirm(actor=humas, report=report, reason="Tangkapan layar jelas.")
    hear(report, humas)
    ladder = services.ladder_ensure(actor=None, institution=inst)
    measure = services.measure_propose(actor=humas, report=report, level=suggest_level(report, ladder=ladder).level)
    services.measure_approve(actor=world.users["kepala"], measure=measure, reason="Terbukti.")
    html = " ".join(letter_html(WarningLetter.objects.get(measure=measure)).split())
    assert "(versi 1) yang berlaku sejak 8 Januari 2024" in html and old_hoax.text in html
    assert new_hoax.text not in html
