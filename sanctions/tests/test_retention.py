"""Retention (issue 15, part 1): closed cases are deleted after the institution's period, with their
files, leaving a tombstone without personal data; open, contested, referred and held cases stay."""

import datetime
import io
import json

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from governance.models import AuditEntry, RuleCategory
from governance.tasks import apply_retention_everywhere
from reports.models import Export
from sanctions import services
from sanctions.models import (
    CaseEvidence,
    CaseTombstone,
    LegalHold,
    LetterTombstone,
    RetentionPolicy,
    ViolationReport,
    WarningLetter,
)
from sanctions.tests.conftest import mfa_client, plain_client
from sanctions.tests.factories import approved_measure, confirmed_report, dismissed_report, file_report, png_bytes

UTC = datetime.UTC
FILED = datetime.datetime(2020, 2, 3, 3, tzinfo=UTC)
# Measures decided at FILED are active for six months; expired by this day.
EXPIRED = datetime.datetime(2020, 9, 1, 3, tzinfo=UTC)
SIX_YEARS_ON = datetime.datetime(2026, 9, 2, 3, tzinfo=UTC)


def _run(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        apply_retention_everywhere.delay()


def _runs():
    return list(AuditEntry.objects.filter(action="governance.retention.applied").order_by("pk"))


@pytest.fixture
def closed_cases(world, django_capture_on_commit_callbacks):
    """A dismissed report with a screenshot, and a case whose SP1 expired, with its letter's PDF."""
    inst, humas, head = world.institution, world.users["humas"], world.users["kepala"]
    with time_machine.travel(FILED, tick=False):
        dismissed = dismissed_report(inst, humas=humas, subject_staff=world.budi, channel=world.channel,
                                     evidence=[("layar.png", png_bytes())])
        measure = approved_measure(inst, humas=humas, head=head, subject_name="Siti Aminah", channel=world.channel,
                                   categories=(RuleCategory.POLITICS,))
        letter = measure.letter
        pdf = default_storage.save(f"letters/{inst.pk}/surat-uji.pdf", ContentFile(b"%PDF-1.4 uji"))
        WarningLetter.objects.filter(pk=letter.pk).update(pdf=pdf)
    with time_machine.travel(EXPIRED, tick=False):
        assert services.measures_expire_due(institution=inst) == 1
    evidence = list(CaseEvidence.objects.filter(report=dismissed).values_list("file", flat=True))
    assert evidence and all(default_storage.exists(name) for name in evidence) and default_storage.exists(pdf)
    return {"dismissed": dismissed, "measure": measure, "letter": WarningLetter.objects.get(pk=letter.pk),
            "files": [*evidence, pdf]}


def test_a_closed_case_is_deleted_with_its_files_and_leaves_a_tombstone(world, closed_cases,
                                                                       django_capture_on_commit_callbacks):
    dismissed, measure, letter = closed_cases["dismissed"], closed_cases["measure"], closed_cases["letter"]
    # Four years and a half after closing nothing is due yet (the default period is five years).
    with time_machine.travel(datetime.datetime(2025, 1, 2, 3, tzinfo=UTC), tick=False):
        _run(django_capture_on_commit_callbacks)
    assert ViolationReport.objects.filter(pk__in=[dismissed.pk, measure.report_id]).count() == 2 and not _runs()

    with time_machine.travel(SIX_YEARS_ON, tick=False):
        _run(django_capture_on_commit_callbacks)
    assert not ViolationReport.objects.filter(pk__in=[dismissed.pk, measure.report_id]).exists()
    assert not WarningLetter.objects.filter(pk=letter.pk).exists()
    assert not any(default_storage.exists(name) for name in closed_cases["files"])

    gone = CaseTombstone.objects.get(case_number=dismissed.pk)
    assert (gone.outcome, gone.reported_on, gone.closed_on, gone.categories) == (
        "dismissed", datetime.date(2020, 2, 3), datetime.date(2020, 2, 3), ["hoax"])
    assert gone.files == 1 and gone.pending_files == []
    expired = CaseTombstone.objects.get(case_number=measure.report_id)
    assert expired.outcome == "confirmed" and expired.categories == ["politics"]
    assert expired.measures[0]["level"] == "SP1" and expired.measures[0]["state"] == "expired"
    assert expired.closed_on == datetime.date(2020, 9, 1)
    kept = LetterTombstone.objects.get(case=expired)
    assert (kept.number, kept.verification_code) == (letter.number, letter.verification_code)
    # Nothing about the people remains in the tombstones.
    stored = json.dumps([list(CaseTombstone.objects.values()), list(LetterTombstone.objects.values())], default=str)
    for private in (world.budi.full_name, "Siti Aminah", world.channel.name, "Mengirim pesan", letter.signer_name):
        assert private not in stored


def test_the_verification_page_of_a_deleted_letter_says_it_was_genuine(world, closed_cases,
                                                                      django_capture_on_commit_callbacks):
    letter = closed_cases["letter"]
    with time_machine.travel(SIX_YEARS_ON, tick=False):
        _run(django_capture_on_commit_callbacks)
        response = Client().get(f"/verifikasi/{letter.verification_code}/")
    body = response.content.decode()
    assert response.status_code == 200
    assert letter.number in body and world.institution.name in body
    assert "Asli; berkasnya telah dihapus." in body and "masa simpan pada 2 September 2026" in body
    assert "Siti Aminah" not in body


def test_one_audit_entry_per_run_with_counts_only_and_a_second_run_does_nothing(world, closed_cases,
                                                                               django_capture_on_commit_callbacks):
    with time_machine.travel(SIX_YEARS_ON, tick=False):
        _run(django_capture_on_commit_callbacks)
        _run(django_capture_on_commit_callbacks)
    runs = _runs()
    assert len(runs) == 1
    assert runs[0].institution_id == world.institution.pk and runs[0].actor_id is None
    assert runs[0].data == {"deleted": {"sanctions.cases.cases": 2, "sanctions.cases.letters": 1,
                                        "sanctions.cases.files": 2}}
    assert CaseTombstone.objects.filter(counted_at__isnull=True).count() == 0


def test_open_contested_referred_and_held_cases_are_kept(world, django_capture_on_commit_callbacks):
    inst, humas, head = world.institution, world.users["humas"], world.users["kepala"]
    with time_machine.travel(FILED, tick=False):
        submitted = file_report(inst, reporter=world.users["pegawai"], subject_name="Anggota Satu", channel=world.channel)
        active = approved_measure(inst, humas=humas, head=head, subject_name="Anggota Dua", channel=world.channel)
        objected = approved_measure(inst, humas=humas, head=head, subject_name="Anggota Tiga", channel=world.channel)
        services.objection_file(actor=humas, measure=objected, text="Bukan saya.")
        appealed = approved_measure(inst, humas=humas, head=head, subject_name="Anggota Empat", channel=world.channel)
        kept = services.objection_decide(actor=head, upheld=False, reason="Bukti cukup.",
                                         objection=services.objection_file(actor=humas, measure=appealed, text="Keliru."))
        services.appeal_file(actor=humas, objection=kept, text="Mohon ditinjau atasan.")
        referred = confirmed_report(inst, humas=humas, subject_name="Anggota Lima", channel=world.channel)
        services.referral_create(actor=humas, report=referred, track="ethics", referred_to="Majelis Kode Etik",
                                 referred_on=inst.local_today())
        held = dismissed_report(inst, humas=humas, subject_name="Anggota Enam", channel=world.channel)
        services.legal_hold_set(actor=head, report=held, reason="Perkara di Pengadilan Negeri.")
        waiting = confirmed_report(inst, humas=humas, subject_name="Anggota Tujuh", channel=world.channel)
    # The measures of the contested cases stay in force (their expiry never ran), so nothing closes.
    with time_machine.travel(SIX_YEARS_ON, tick=False):
        _run(django_capture_on_commit_callbacks)
    cases = [submitted, active.report, objected.report, appealed.report, referred, held, waiting]
    assert ViolationReport.objects.filter(pk__in=[c.pk for c in cases]).count() == 7
    assert not CaseTombstone.objects.exists() and not _runs()

    # Once expired, an objected measure is still kept while the objection waits; the plain one goes.
    with time_machine.travel(SIX_YEARS_ON, tick=False):
        services.measures_expire_due(institution=inst)
    with time_machine.travel(SIX_YEARS_ON + datetime.timedelta(days=365 * 5 + 2), tick=False):
        _run(django_capture_on_commit_callbacks)
    assert set(CaseTombstone.objects.values_list("case_number", flat=True)) == {active.report_id}

    # Lifting the hold lets the held case go on the next run.
    services.legal_hold_clear(actor=head, report=held)
    with time_machine.travel(SIX_YEARS_ON + datetime.timedelta(days=365 * 5 + 3), tick=False):
        _run(django_capture_on_commit_callbacks)
    assert CaseTombstone.objects.filter(case_number=held.pk).exists()


def test_the_dry_run_lists_case_numbers_and_deletes_nothing(world, closed_cases, django_capture_on_commit_callbacks):
    out = io.StringIO()
    with time_machine.travel(SIX_YEARS_ON, tick=False):
        call_command("retention", "--dry-run", stdout=out)
    text = out.getvalue()
    assert f"{world.institution.slug} sanctions.cases: would delete cases=2, letters=1, files=2" in text
    assert f"#{closed_cases['dismissed'].pk}" in text and f"#{closed_cases['measure'].report_id}" in text
    assert world.budi.full_name not in text and "Siti Aminah" not in text
    assert ViolationReport.objects.filter(pk=closed_cases["dismissed"].pk).exists()
    assert all(default_storage.exists(name) for name in closed_cases["files"]) and not _runs()

    # Without --dry-run the command runs the task's code.
    out = io.StringIO()
    with time_machine.travel(SIX_YEARS_ON, tick=False), django_capture_on_commit_callbacks(execute=True):
        call_command("retention", stdout=out)
    assert "deleted cases=2" in out.getvalue() and CaseTombstone.objects.count() == 2 and len(_runs()) == 1


def test_a_killed_run_is_finished_by_the_next(world, closed_cases, django_capture_on_commit_callbacks):
    """A run killed after a case's commit but before its files went and before its audit entry: the
    next run removes the files and counts the case."""
    with time_machine.travel(SIX_YEARS_ON, tick=False):
        # The commit happened; the worker died before the after-commit file removal and the entry.
        services.cases_purge_due(institution=world.institution)
    assert CaseTombstone.objects.exclude(pending_files=[]).count() == 2
    assert all(default_storage.exists(name) for name in closed_cases["files"]) and not _runs()
    with time_machine.travel(SIX_YEARS_ON + datetime.timedelta(days=1), tick=False):
        _run(django_capture_on_commit_callbacks)
    assert not any(default_storage.exists(name) for name in closed_cases["files"])
    assert not CaseTombstone.objects.exclude(pending_files=[]).exists()
    assert [run.data["deleted"]["sanctions.cases.cases"] for run in _runs()] == [2]


def test_the_head_sets_the_period_within_the_platform_bounds(world, closed_cases, django_capture_on_commit_callbacks):
    inst, head = world.institution, world.users["kepala"]
    client = mfa_client(head)
    url = f"/instansi/{inst.slug}/retensi/"
    page = client.get(url)
    assert page.status_code == 200 and 'value="5"' in page.content.decode()
    refused = client.post(url, {"case_years": "1", "export_days": "30"})
    assert refused.status_code == 400 and not RetentionPolicy.objects.exists()
    assert "Pastikan nilai ini lebih besar dari atau sama dengan 2." in refused.content.decode()
    assert 'value="1"' in refused.content.decode()  # what was typed stays
    assert client.post(url, {"case_years": "2", "export_days": "7"}).status_code == 302
    policy = RetentionPolicy.objects.get(institution=inst)
    assert (policy.case_years, policy.export_days) == (2, 7)
    entry = AuditEntry.objects.filter(action="sanctions.retention.policy_set").get()
    assert entry.actor_id == head.pk and entry.data == {"case_years": 2, "export_days": 7}
    # Two years after closing, both cases are due now; the page lists them before the run.
    with time_machine.travel(datetime.datetime(2022, 9, 2, 3, tzinfo=UTC), tick=False):
        body = client.get(url).content.decode()
        assert f"#{closed_cases['dismissed'].pk}" in body and "2 kasus tertutup telah melewati masa simpannya" in body
        _run(django_capture_on_commit_callbacks)
    assert CaseTombstone.objects.count() == 2
    # Humas may not change the periods.
    assert plain_client(world.users["humas"]).get(url).status_code == 403


def test_the_head_puts_a_case_on_legal_hold_from_the_case_page(world, closed_cases):
    inst, head, humas = world.institution, world.users["kepala"], world.users["humas"]
    report = closed_cases["dismissed"]
    case_url = f"/instansi/{inst.slug}/pelanggaran/{report.pk}/"
    client = mfa_client(head)
    assert "Tahan kasus ini" in client.get(case_url).content.decode()
    assert "Tahan kasus ini" not in plain_client(humas).get(case_url).content.decode()
    # A hold needs a reason.
    client.post(f"{case_url}tahan/", {"reason": " "})
    assert not LegalHold.objects.exists()
    client.post(f"{case_url}tahan/", {"reason": "Pemeriksaan Inspektorat Jenderal."})
    hold = LegalHold.objects.get(report=report)
    assert hold.set_by == head
    body = client.get(case_url).content.decode()
    assert "Ditahan untuk keperluan hukum." in body and "Pemeriksaan Inspektorat Jenderal." in body
    assert "Cabut penahanan" in body
    actions = list(AuditEntry.objects.filter(target_id=str(report.pk), action__startswith="sanctions.case.hold")
                   .values_list("action", "data"))
    assert actions == [("sanctions.case.hold_set", {"report": report.pk})]
    client.post(f"{case_url}lepas-tahanan/")
    assert not LegalHold.objects.exists()
    assert AuditEntry.objects.filter(action="sanctions.case.hold_cleared").count() == 1


def test_exports_are_deleted_after_their_days(world, django_capture_on_commit_callbacks):
    from reports.tests.factories import make_period

    inst = world.institution
    period = make_period(inst)
    name = default_storage.save(f"reports/exports/{inst.pk}/uji.xlsx", ContentFile(b"xlsx"))
    export = Export.objects.create(institution=inst, period=period, format="xlsx", key="uji", state="done", file=name)
    Export.objects.filter(pk=export.pk).update(updated_at=datetime.datetime(2026, 1, 1, tzinfo=UTC))
    with time_machine.travel(datetime.datetime(2026, 1, 20, 3, tzinfo=UTC), tick=False):
        _run(django_capture_on_commit_callbacks)
    assert Export.objects.filter(pk=export.pk).exists()  # 19 days: within the default 30
    with time_machine.travel(datetime.datetime(2026, 2, 5, 3, tzinfo=UTC), tick=False):
        _run(django_capture_on_commit_callbacks)
    assert not Export.objects.filter(pk=export.pk).exists() and not default_storage.exists(name)
    assert _runs()[-1].data == {"deleted": {"reports.exports.exports": 1}}


def test_the_assessment_indicators_still_count_deleted_cases(world, closed_cases, django_capture_on_commit_callbacks):
    from sanctions import selectors

    ids, start, end = [world.institution.pk], datetime.date(2020, 1, 1), datetime.date(2020, 6, 30)

    def indicators():
        return (selectors.median_working_days_to_decision(ids, start, end),
                selectors.confirmed_violations_per_100_staff(ids, start, end))

    before = indicators()
    assert before[0][world.institution.pk] == 0 and before[1][world.institution.pk] > 0
    with time_machine.travel(SIX_YEARS_ON, tick=False):
        _run(django_capture_on_commit_callbacks)
    assert CaseTombstone.objects.count() == 2 and not ViolationReport.objects.exists()
    assert indicators() == before


def test_the_notices_about_a_deleted_case_go_with_it(world, closed_cases, django_capture_on_commit_callbacks):
    from governance.models import Notification
    from sanctions.notifications import page_url

    inst, measure = world.institution, closed_cases["measure"]
    pages = [page_url(inst, "report_detail", pk=measure.report_id), page_url(inst, "my_measure", pk=measure.pk),
             page_url(inst, "measure_decide", pk=measure.pk)]
    about = Notification.objects.filter(url__in=pages)
    assert about.exists()
    others = Notification.objects.exclude(url__in=pages).exclude(url__contains=f"/{closed_cases['dismissed'].pk}/")
    kept = set(others.values_list("pk", flat=True))
    client, mentioned = mfa_client(world.users["kepala"]), f"#{measure.report_id}."
    notices_page = reverse("governance:notifications", kwargs={"institution": inst.slug})
    assert mentioned in client.get(notices_page).content.decode()
    with time_machine.travel(SIX_YEARS_ON, tick=False):
        _run(django_capture_on_commit_callbacks)
    assert not about.exists()  # nobody follows a notice to a page that is gone
    assert kept <= set(Notification.objects.values_list("pk", flat=True))  # notices about other things stay
    page = client.get(notices_page)
    assert page.status_code == 200 and mentioned not in page.content.decode()


def test_a_notice_cannot_link_to_a_page_retention_does_not_know(world):
    """A new notice linking to a case page must say which object the page shows, so that retention
    deletes it with the case; an unlisted page is refused where the link is made."""
    from sanctions.notifications import CASE_PAGES, page_url

    with pytest.raises(ValueError, match="CASE_PAGES"):
        page_url(world.institution, "case_dossier", pk=1)
    for names in CASE_PAGES.values():
        for name in names:
            assert page_url(world.institution, name, pk=1).startswith(f"/instansi/{world.institution.slug}/")


def test_the_moderation_statistics_count_a_deleted_case_as_before(world, closed_cases,
                                                                   django_capture_on_commit_callbacks):
    from django_scopes import scopes_disabled

    from governance.tests.factories import ElectionPeriodFactory
    from reports import moderation

    # A campaign over the days the cases were filed (3 February 2020): they count in its "during" window.
    ElectionPeriodFactory(campaign_starts_on=datetime.date(2020, 1, 20), campaign_ends_on=datetime.date(2020, 2, 10),
                          quiet_starts_on=datetime.date(2020, 2, 11), quiet_ends_on=datetime.date(2020, 2, 13),
                          voting_day=datetime.date(2020, 2, 14))

    def tables():
        with scopes_disabled():
            numbers = moderation.compute(world.institution, subtree=False, start=datetime.date(2020, 1, 1),
                                         end=datetime.date(2021, 12, 31), now=SIX_YEARS_ON)
        return [(t.key, [str(c) for c in t.columns], [[str(v) for v in row] for row in t.rows])
                for t in moderation.present(numbers, private=False)]

    before = tables()
    shown = dict((key, rows) for key, _columns, rows in before)
    # What the page showed while the cases were there: a hoax case dismissed and a politics case whose
    # SP1 was approved, both filed and decided in February 2020 in a WhatsApp group.
    assert ["Feb 2020", "1", "1"] in shown["categories"] and ["Feb 2020", "2"] in shown["channels"]
    assert shown["decisions"][-1][:2] == ["Seluruh rentang", "2"] and shown["decisions"][-1][4] == "1"
    assert shown["measures"] == [["Tingkat 1: SP1", "0", "1", "0", "0"]]
    during = [row for row in shown["elections"] if row[4] == "2"]
    assert len(during) == 1 and during[0][6] == "1"
    with time_machine.travel(SIX_YEARS_ON, tick=False):
        _run(django_capture_on_commit_callbacks)
    assert CaseTombstone.objects.count() == 2 and not ViolationReport.objects.exists()
    assert tables() == before
