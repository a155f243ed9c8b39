"""The pages people use: filing with a screenshot, the queue, the head's decision with MFA, the
person's own measure, evidence and letters served only to those who may see them."""

from __future__ import annotations

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from governance.models import Notification, RuleCategory
from governance.tests.factories import InstitutionFactory
from sanctions.models import Measure, MeasureState, ReportState, ViolationReport, WarningLetter
from sanctions.tests.conftest import mfa_client, plain_client
from sanctions.tests.factories import (
    approved_measure,
    confirmed_report,
    file_report,
    png_bytes,
    proposed_measure,
    rule_ids,
)


def url(world, name, **kwargs):
    return reverse(f"sanctions:{name}", kwargs={"institution": world.institution.slug, **kwargs})


def test_staff_files_a_report_with_a_screenshot(world):
    client = plain_client(world.users["pegawai"])
    page = client.get(url(world, "report_create"))
    assert page.status_code == 200 and "Tidak menyebarkan berita bohong" in page.content.decode()
    response = client.post(url(world, "report_create"), {
        "subject_kind": "staff", "subject_staff": world.budi.pk, "channel": world.channel.pk,
        "occurred_on": "2025-05-05", "occurred_time": "19:30", "rules": rule_ids(world.institution, RuleCategory.HOAX),
        "description": "Meneruskan kabar libur sekolah yang tidak benar.",
        "evidence": SimpleUploadedFile("layar.png", png_bytes(), content_type="image/png"),
    })
    assert response.status_code == 302 and response["Location"] == url(world, "my_cases")
    report = ViolationReport.objects.get()
    assert report.evidence.count() == 1 and report.source == "staff_report"
    # 19.30 WIB is 12.30 UTC.
    assert report.occurred_at == datetime.datetime(2025, 5, 5, 12, 30, tzinfo=datetime.UTC)


def test_a_refused_file_keeps_what_was_typed_and_stores_nothing(world):
    client = plain_client(world.users["pegawai"])
    response = client.post(url(world, "report_create"), {
        "subject_kind": "external", "subject_name": "Nomor Asing", "channel": world.channel.pk,
        "occurred_on": "2025-05-05", "rules": rule_ids(world.institution, RuleCategory.HOAX),
        "description": "Kiriman berantai.",
        "evidence": SimpleUploadedFile("foto.png", b"<svg xmlns='http://www.w3.org/2000/svg'></svg>", content_type="image/png"),
    })
    body = response.content.decode()
    assert response.status_code == 200 and "SVG" in body and "Kiriman berantai." in body and "Nomor Asing" in body
    assert not ViolationReport.objects.exists()


def test_the_queue_filters_and_counts(world):
    humas = world.users["humas"]
    file_report(world.institution, reporter=humas, subject_staff=world.budi, channel=world.channel)
    confirmed_report(world.institution, humas=humas, subject_name="Orang Luar", categories=(RuleCategory.POLITICS,))
    client = plain_client(humas)
    body = client.get(url(world, "queue")).content.decode()
    assert "Budi Santoso" in body and "Orang Luar" in body
    filtered = client.get(url(world, "queue"), {"category": "politics"}).content.decode()
    assert "Orang Luar" in filtered and "Budi Santoso" not in filtered
    unassigned = client.get(url(world, "queue"), {"assignee": "0", "state": "open"}).content.decode()
    assert "Budi Santoso" in unassigned and "Orang Luar" not in unassigned


def test_the_case_page_shows_its_full_history(world):
    measure = approved_measure(world.institution, humas=world.users["humas"], head=world.users["kepala"],
                               subject_staff=world.budi, channel=world.channel, evidence=[("a.png", png_bytes())])
    body = plain_client(world.users["kepala"]).get(url(world, "report_detail", pk=measure.report_id)).content.decode()
    for label in ("Laporan diajukan", "Bukti dilampirkan", "Laporan dikonfirmasi sebagai pelanggaran",
                  "Tindakan diusulkan", "Tindakan disetujui", "Nomor surat peringatan diberikan"):
        assert label in body
    assert measure.letter.number in body


def test_without_an_mfa_session_the_head_is_asked_for_the_code_and_nothing_is_decided(world):
    measure = proposed_measure(world.institution, humas=world.users["humas"], subject_staff=world.budi)
    client = plain_client(world.users["kepala"])
    page = client.get(url(world, "measure_decide", pk=measure.pk))
    assert page.status_code == 200 and reverse("mfa_reauthenticate") in page.content.decode()
    response = client.post(url(world, "measure_decide", pk=measure.pk), {"decision": "approve", "reason": "Setuju."})
    assert response.status_code == 302 and response["Location"].startswith(reverse("mfa_reauthenticate"))
    measure.refresh_from_db()
    assert measure.state == MeasureState.PROPOSED and not WarningLetter.objects.exists()


def test_entering_the_totp_code_records_mfa_and_the_head_approves(world):
    import time

    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    from governance.tests.factories import TEST_TOTP_SECRET

    measure = proposed_measure(world.institution, humas=world.users["humas"], subject_staff=world.budi)
    client = plain_client(world.users["kepala"])
    decide = url(world, "measure_decide", pk=measure.pk)
    code = format_hotp_value(hotp_value(TEST_TOTP_SECRET, int(time.time()) // 30))
    response = client.post(f"{reverse('mfa_reauthenticate')}?next={decide}", {"code": code})
    assert response.status_code == 302 and response["Location"] == decide
    response = client.post(decide, {"decision": "approve", "reason": "Terbukti dua kali."})
    assert response.status_code == 302
    assert Measure.objects.get(pk=measure.pk).state == MeasureState.ACTIVE


def test_double_submission_of_the_approval_form_makes_one_letter(world):
    measure = proposed_measure(world.institution, humas=world.users["humas"], subject_staff=world.budi)
    client = mfa_client(world.users["kepala"])
    decide = url(world, "measure_decide", pk=measure.pk)
    assert client.post(decide, {"decision": "approve", "reason": "Setuju."}).status_code == 302
    again = client.post(decide, {"decision": "approve", "reason": "Setuju."})
    assert again.status_code == 200 and "tidak ada surat baru" in again.content.decode()
    assert WarningLetter.objects.filter(measure=measure).count() == 1


def test_the_proposer_cannot_approve_through_the_page(world):
    from governance.tests.factories import MembershipFactory

    head = world.users["kepala"]
    MembershipFactory(user=head, institution=world.institution, role="humas")
    measure = proposed_measure(world.institution, humas=head, subject_staff=world.budi)
    # Escalated: the local decision page sends the parent's head's address, which the head may not open.
    response = mfa_client(head).get(url(world, "measure_decide", pk=measure.pk))
    assert response.status_code == 403


def test_the_parents_head_decides_an_escalated_case_at_the_childs_address(world):
    head_staff = world.institution.staff.get(user=world.users["kepala"])
    measure = proposed_measure(world.institution, humas=world.users["humas"], subject_staff=head_staff,
                               evidence=[("a.png", png_bytes())])
    parent_head = world.parent_users["kepala"]
    client = mfa_client(parent_head)
    listing = client.get(url(world, "decisions_escalated")).content.decode()
    assert measure.level_code in listing
    evidence = measure.report.evidence.get()
    assert client.get(url(world, "evidence_file", pk=evidence.pk)).status_code == 200
    response = client.post(url(world, "measure_decide_escalated", pk=measure.pk),
                           {"decision": "approve", "reason": "Terbukti."})
    assert response.status_code == 302
    assert Measure.objects.get(pk=measure.pk).decided_by == parent_head


def test_evidence_is_served_privately(world):
    report = file_report(world.institution, reporter=world.users["pegawai"], subject_staff=world.budi,
                         evidence=[("Tangkapan Budi.png", png_bytes())])
    item = report.evidence.get()
    response = plain_client(world.users["humas"]).get(url(world, "evidence_file", pk=item.pk))
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("inline") and "Budi" not in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == png_bytes()
    assert plain_client(world.users["pegawai"]).get(url(world, "evidence_file", pk=item.pk)).status_code == 403


def test_the_person_sees_downloads_and_acknowledges_their_own_letter(world):
    person = world.users["pegawai"]
    staff = world.institution.staff.get(user=person)
    measure = approved_measure(world.institution, humas=world.users["humas"], head=world.users["kepala"],
                               subject_staff=staff, channel=world.channel)
    client = plain_client(person)
    mine = client.get(url(world, "my_cases")).content.decode()
    assert "Surat Peringatan Pertama" in mine
    page = client.get(url(world, "my_measure", pk=measure.pk)).content.decode()
    assert measure.letter.number in page and "bukan hukuman disiplin" in page
    pdf = client.get(url(world, "my_letter_pdf", pk=measure.pk))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")
    assert "attachment" in pdf["Content-Disposition"]
    client.post(url(world, "my_measure_acknowledge", pk=measure.pk))
    assert Measure.objects.get(pk=measure.pk).acknowledged_at is not None
    client.post(url(world, "my_measure_object", pk=measure.pk), {"text": "Akun saya dipakai anak saya."})
    assert not Measure.objects.get(pk=measure.pk).objection.escalated  # the head who signed reconsiders
    assert "reconsiders it" in client.get(url(world, "my_measure", pk=measure.pk)).content.decode() or \
        "meninjau ulang" in client.get(url(world, "my_measure", pk=measure.pk)).content.decode()
    # Someone else's measure is not theirs to open.
    other = approved_measure(world.institution, humas=world.users["humas"], head=world.users["kepala"],
                             subject_staff=world.budi)
    assert client.get(url(world, "my_measure", pk=other.pk)).status_code == 403


def test_another_institutions_letter_and_evidence_are_not_found(world, side_b):
    measure = approved_measure(world.institution, humas=world.users["humas"], head=world.users["kepala"],
                               subject_staff=world.budi, evidence=[("a.png", png_bytes())])
    outsider = plain_client(side_b.users["humas"])
    b_url = lambda name, pk: reverse(f"sanctions:{name}", kwargs={"institution": side_b.institution.slug, "pk": pk})  # noqa: E731
    assert outsider.get(b_url("letter_pdf", measure.letter.pk)).status_code == 404
    assert outsider.get(b_url("evidence_file", measure.report.evidence.get().pk)).status_code == 404


def test_a_group_admin_confirms_the_removal(world):
    measure = approved_measure(world.institution, humas=world.users["humas"], head=world.users["kepala"],
                               subject_staff=world.budi, channel=world.channel, position=3)
    client = plain_client(world.users["pegawai"])
    listing = client.get(url(world, "removals")).content.decode()
    assert "Budi Santoso" in listing
    today = world.institution.local_today().isoformat()
    response = client.post(url(world, "removal_confirm", pk=measure.removal.pk), {"carried_out_on": today})
    assert response.status_code == 302
    measure.removal.refresh_from_db()
    assert measure.removal.state == "done"
    assert plain_client(world.users["operator"]).get(url(world, "removal_confirm", pk=measure.removal.pk)).status_code == 403


def test_triage_through_the_case_page(world):
    report = file_report(world.institution, reporter=world.users["pegawai"], subject_staff=world.budi)
    client = plain_client(world.users["humas"])
    client.post(url(world, "report_start_review", pk=report.pk))
    response = client.post(url(world, "report_decide", pk=report.pk), {"outcome": "confirm", "reason": "Jelas."})
    assert response.status_code == 302
    assert ViolationReport.objects.get(pk=report.pk).state == ReportState.CONFIRMED
    again = client.post(url(world, "report_decide", pk=report.pk), {"outcome": "dismiss", "reason": "x"}, follow=True)
    assert "sudah diputuskan" in again.content.decode()
    propose = client.get(url(world, "measure_propose", pk=report.pk)).content.decode()
    assert "SP1" in propose
    client.post(url(world, "measure_propose", pk=report.pk), {"level": Measure._meta.get_field("level").related_model
                                                               .objects.get(code="SP1").pk})
    assert Measure.objects.get(report=report).state == MeasureState.PROPOSED
    assert Notification.objects.filter(kind="sanctions.awaiting_approval", recipient=world.users["kepala"]).exists()


def test_dashboard_panels_and_staff_profile_section(world):
    from governance.navigation import sections_for

    proposed_measure(world.institution, humas=world.users["humas"], subject_staff=world.budi)
    dashboard = reverse("governance:dashboard", kwargs={"institution": world.institution.slug})
    head_page = mfa_client(world.users["kepala"]).get(dashboard).content.decode()
    assert "Menunggu keputusan saya" in head_page
    humas_page = plain_client(world.users["humas"]).get(dashboard).content.decode()
    assert "Menunggu kepala" in humas_page
    filed = file_report(world.institution, reporter=world.users["pegawai"], subject_name="Orang Lain")
    staff_page = plain_client(world.users["pegawai"]).get(dashboard).content.decode()
    assert "Laporan dan tindakan saya" in staff_page
    # each report filed says where it happened and when it was filed, not only its number
    with translation.override("id"):
        day = date_format(timezone.localtime(filed.created_at, world.institution.tzinfo).date(), "DATE_FORMAT")
    assert f"#{filed.pk} · Akun Facebook pribadi · {day}" in staff_page

    class Request:
        access = None

    from governance.tenancy import access_for

    request = Request()
    request.access = access_for(world.users["humas"], world.institution)
    request.institution = world.institution
    sections = sections_for(request, "staff_profile", staff=world.budi)
    assert sections and sections[0]["context"]["measures"]
    request.access = access_for(world.users["operator"], world.institution)
    assert sections_for(request, "staff_profile", staff=world.budi) == []


def test_an_assessor_sees_no_case_file(world):
    client = plain_client(world.users["penilai"])
    assert client.get(url(world, "queue")).status_code == 403
    other = InstitutionFactory()
    assert client.get(reverse("sanctions:queue", kwargs={"institution": other.slug})).status_code == 404


def test_the_head_changes_the_ladder_and_humas_may_only_read_it(world):
    head_client = mfa_client(world.users["kepala"])
    response = head_client.post(url(world, "ladder"), {"preset": "teguran", "months": "4"})
    assert response.status_code == 302
    page = plain_client(world.users["humas"]).get(url(world, "ladder")).content.decode()
    assert "Teguran lisan tata tertib grup" in page and "berlaku 4 bulan" in page
    assert plain_client(world.users["humas"]).post(url(world, "ladder"), {"preset": "sp", "months": "6"}).status_code == 403


def test_referral_pages(world):
    report = confirmed_report(world.institution, humas=world.users["humas"], subject_staff=world.budi)
    client = plain_client(world.users["humas"])
    today = world.institution.local_today().isoformat()
    response = client.post(url(world, "referral_create", pk=report.pk), {
        "track": "neutrality", "referred_to": "Kepala Kantor Wilayah", "referred_on": today, "due_on": "",
    })
    assert response.status_code == 302
    referral = report.referrals.get()
    client.post(url(world, "referral_outcome", pk=referral.pk), {"outcome": "Sanksi moral.", "outcome_on": today})
    body = client.get(url(world, "report_detail", pk=report.pk)).content.decode()
    assert "Netralitas ASN (SKB 2022)" in body and "Sanksi moral." in body


def test_the_head_dashboard_counts_decisions_waiting_past_the_reminder_days(world):
    from django.core.cache import cache
    from django.utils import timezone

    fresh = proposed_measure(world.institution, humas=world.users["humas"], subject_staff=world.budi)
    dashboard = reverse("governance:dashboard", kwargs={"institution": world.institution.slug})
    assert "hari kerja" not in mfa_client(world.users["kepala"]).get(dashboard).content.decode()
    Measure.objects.filter(pk=fresh.pk).update(proposed_at=timezone.now() - datetime.timedelta(days=21))
    cache.clear()
    page = mfa_client(world.users["kepala"]).get(dashboard).content.decode()
    assert "1 keputusan sudah menunggu lebih dari 5 hari kerja." in page
