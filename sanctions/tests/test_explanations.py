"""The right to be heard (klarifikasi): the person reported is invited when the report is confirmed,
explains on their own page (never learning who reported them), and no measure is approved while
they may still answer — unless public relations recorded what they said or why they were not heard."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from governance.models import AuditEntry, Notification
from sanctions import services
from sanctions.models import Explanation, MeasureState
from sanctions.tests.conftest import mfa_client, plain_client
from sanctions.tests.factories import proposed_measure, staff_for

# Monday 2 June 2025 09:00 WIB; three working days later is Thursday 5 June.
MONDAY = datetime.datetime(2025, 6, 2, 2, 0, tzinfo=datetime.UTC)


def url(world, name, **kwargs):
    return reverse(f"sanctions:{name}", kwargs={"institution": world.institution.slug, **kwargs})


@pytest.fixture
def case(world):
    """A measure proposed about the pegawai (who has an account), reported by public relations,
    with the pegawai not yet heard."""
    with time_machine.travel(MONDAY, tick=False):
        return proposed_measure(world.institution, humas=world.users["humas"], reporter=world.users["humas"],
                                subject_staff=staff_for(world.users["pegawai"], world.institution), heard=False)


def test_confirming_a_report_invites_the_person_with_a_deadline_in_working_days(world, case):
    explanation = Explanation.objects.get(report=case.report)
    assert explanation.due_on == datetime.date(2025, 6, 5)
    notice = Notification.objects.get(recipient=world.users["pegawai"], kind="sanctions.explanation_invited")
    assert notice.url.endswith(url(world, "my_explanation", pk=case.report.pk))
    assert AuditEntry.objects.filter(action="sanctions.explanation.invited").count() == 1


def test_the_head_cannot_approve_while_the_person_may_still_explain(world, case):
    with time_machine.travel(MONDAY + datetime.timedelta(days=1), tick=False):
        with pytest.raises(ValidationError) as refused:
            services.measure_approve(actor=world.users["kepala"], measure=case, reason="Sesuai tata tertib.")
    assert refused.value.code == "not_heard" and "05-06-2025" in refused.value.messages[0]
    case.refresh_from_db()
    assert case.state == MeasureState.PROPOSED


def test_the_person_explains_on_their_page_and_then_the_head_decides(world, case):
    pegawai = world.users["pegawai"]
    client = plain_client(pegawai)
    page_url = url(world, "my_explanation", pk=case.report.pk)
    with time_machine.travel(MONDAY + datetime.timedelta(days=1), tick=False):
        page = client.get(page_url)
        body = page.content.decode()
        assert page.status_code == 200 and "Mengirim pesan berantai yang tidak benar." in body
        assert world.users["humas"].full_name not in body and world.users["humas"].email not in body
        # An empty explanation is refused and nothing is saved.
        refused = client.post(page_url, {"text": "  "})
        assert refused.status_code == 400
        assert Explanation.objects.get(report=case.report).given_at is None
        done = client.post(page_url, {"text": "Saya hanya meneruskan dan sudah menghapusnya."})
        assert done.status_code == 302
    explanation = Explanation.objects.get(report=case.report)
    assert explanation.status() == "given" and explanation.how == Explanation.How.ONLINE
    # Those who handle the case see it on the decision page; the head may now approve.
    head = mfa_client(world.users["kepala"])
    decide = head.get(url(world, "measure_decide", pk=case.pk))
    assert "Saya hanya meneruskan dan sudah menghapusnya." in decide.content.decode()
    with time_machine.travel(MONDAY + datetime.timedelta(days=1, hours=1), tick=False):
        approved = services.measure_approve(actor=world.users["kepala"], measure=case, reason="Sesuai tata tertib.")
    assert approved.state == MeasureState.ACTIVE


def test_only_the_person_gives_and_only_public_relations_records(world, case):
    report = case.report
    with pytest.raises(PermissionDenied):
        services.explanation_give(actor=world.users["humas"], report=report, text="Atas nama yang bersangkutan.")
    with pytest.raises(PermissionDenied):
        services.explanation_record(actor=world.users["pegawai"], report=report, text="Saya sendiri.", how="oral")
    assert Explanation.objects.get(report=report).status(datetime.date(2025, 6, 3)) == "waiting"


def test_after_the_deadline_the_person_is_told_to_ask_public_relations_and_the_head_may_decide(world, case):
    friday = MONDAY + datetime.timedelta(days=4)
    with time_machine.travel(friday, tick=False):
        page = plain_client(world.users["pegawai"]).get(url(world, "my_explanation", pk=case.report.pk))
        assert "<textarea" not in page.content.decode()
        with pytest.raises(ValidationError) as late:
            services.explanation_give(actor=world.users["pegawai"], report=case.report, text="Terlambat.")
        assert late.value.code == "late"
        approved = services.measure_approve(actor=world.users["kepala"], measure=case, reason="Tidak menjawab.")
    assert approved.state == MeasureState.ACTIVE


def test_public_relations_writes_why_the_person_is_not_heard(world, case):
    client = mfa_client(world.users["humas"])
    with time_machine.travel(MONDAY + datetime.timedelta(hours=2), tick=False):
        client.post(url(world, "explanation_skip", pk=case.report.pk), {"hearing-reason": ""})
        assert Explanation.objects.get(report=case.report).skipped_at is None
        client.post(url(world, "explanation_skip", pk=case.report.pk),
                    {"hearing-reason": "Sedang cuti di luar tanggungan negara dan tidak dapat dihubungi."})
        assert Explanation.objects.get(report=case.report).status() == "skipped"
        approved = services.measure_approve(actor=world.users["kepala"], measure=case, reason="Sesuai tata tertib.")
    assert approved.state == MeasureState.ACTIVE
    assert AuditEntry.objects.filter(action="sanctions.explanation.skipped").count() == 1
