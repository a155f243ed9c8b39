"""Recusal and the reporter's anonymity: a head or Humas who is the subject of a case never opens or
handles it as a case handler — not its file, evidence, notes, assignment or triage — and sees it only
as its subject, on their own pages, which never say who reported them. Colleagues handle it as usual.
Evidence images are blurred until the viewer chooses to see them."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.staticfiles import finders
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from governance.models import AuditEntry, Membership, Notification, Role
from governance.tests.factories import make_member
from sanctions import selectors, services
from sanctions.models import CaseNote, ReportState, ViolationReport
from sanctions.tests.conftest import mfa_client, plain_client
from sanctions.tests.factories import approved_measure, png_bytes, rule_ids, staff_for

ABOUT_HUMAS = "Mengunggah foto rapat internal ke akun pribadi tanpa izin."
ABOUT_HEAD = "Membagikan tautan kampanye di grup resmi madrasah."


def url(world, name, **kwargs):
    return reverse(f"sanctions:{name}", kwargs={"institution": world.institution.slug, **kwargs})


def report_about(world, staff, description) -> ViolationReport:
    """A report by the pegawai about ``staff``, with a screenshot."""
    return services.report_submit(
        actor=world.users["pegawai"], institution=world.institution, subject_staff=staff, channel=world.channel,
        occurred_at=timezone.now() - datetime.timedelta(hours=2), rule_ids=rule_ids(world.institution),
        description=description, evidence=[("layar.png", png_bytes())],
    )


@pytest.fixture
def cases(world):
    inst = world.institution
    world.humas, world.head, world.reporter = world.users["humas"], world.users["kepala"], world.users["pegawai"]
    world.colleague = make_member(inst, Role.PUBLIC_RELATIONS, email="humas2.recusal@contoh.test",
                                  full_name="Siti Aminah, S.Kom.")
    Membership.objects.filter(user=world.colleague).update(starts_on=datetime.date(2020, 1, 1))
    staff_for(world.colleague, inst)
    world.about_humas = report_about(world, staff_for(world.humas, inst), ABOUT_HUMAS)
    world.about_head = report_about(world, staff_for(world.head, inst), ABOUT_HEAD)
    return world


def client_of(user, world):
    return mfa_client(user) if user == world.head else plain_client(user)


def trail(report) -> list[str]:
    return list(AuditEntry.objects.filter(target_type="sanctions.violationreport", target_id=str(report.pk))
                .values_list("action", flat=True))


@pytest.mark.parametrize("who", ["humas", "head"])
def test_the_subject_cannot_open_or_handle_their_own_case(cases, who):
    subject = getattr(cases, who)
    report = cases.about_humas if who == "humas" else cases.about_head
    evidence = report.evidence.get()
    before = trail(report)
    client = client_of(subject, cases)

    assert client.get(url(cases, "report_detail", pk=report.pk)).status_code == 403
    assert client.get(url(cases, "evidence_file", pk=evidence.pk)).status_code == 403
    assert client.post(url(cases, "report_note", pk=report.pk), {"text": "Saya tidak bersalah."}).status_code == 403
    assert client.post(url(cases, "report_assign", pk=report.pk),
                       {"assignee": cases.colleague.pk}).status_code == 403
    assert client.post(url(cases, "report_start_review", pk=report.pk)).status_code == 403
    assert client.post(url(cases, "report_decide", pk=report.pk),
                       {"outcome": "dismiss", "reason": "Tidak terbukti."}).status_code == 403
    assert client.get(url(cases, "measure_propose", pk=report.pk)).status_code == 403
    assert client.get(url(cases, "referral_create", pk=report.pk)).status_code == 403

    report.refresh_from_db()
    assert report.state == ReportState.SUBMITTED and report.assignee is None and report.decided_at is None
    assert not CaseNote.objects.filter(report=report).exists()
    assert trail(report) == before  # nothing was done, so nothing was written


def test_the_services_refuse_the_subject_at_every_triage_step(cases):
    humas, report = cases.humas, cases.about_humas
    refusals = {
        "start review": lambda: services.report_start_review(actor=humas, report=report),
        "assign": lambda: services.report_assign(actor=humas, report=report, assignee=cases.colleague),
        "note": lambda: services.report_add_note(actor=humas, report=report, text="Catatan."),
        "evidence": lambda: services.evidence_add(actor=humas, report=report, name="b.png", data=png_bytes()),
    }
    for step, call in refusals.items():
        with pytest.raises(ValidationError) as refused:
            call()
        assert refused.value.code == "recusal", step
    services.report_start_review(actor=cases.colleague, report=report)
    for step, call in {
        "confirm": lambda: services.report_confirm(actor=humas, report=report, reason="Terbukti."),
        "dismiss": lambda: services.report_dismiss(actor=humas, report=report, reason="Tidak terbukti."),
    }.items():
        with pytest.raises(ValidationError) as refused:
            call()
        assert refused.value.code == "recusal", step


def test_colleagues_still_open_and_handle_the_case(cases):
    colleague = plain_client(cases.colleague)
    page = colleague.get(url(cases, "report_detail", pk=cases.about_humas.pk))
    assert page.status_code == 200 and ABOUT_HUMAS in page.content.decode()
    assert colleague.get(url(cases, "evidence_file", pk=cases.about_humas.evidence.get().pk)).status_code == 200
    assert colleague.post(url(cases, "report_start_review", pk=cases.about_humas.pk)).status_code == 302
    cases.about_humas.refresh_from_db()
    assert cases.about_humas.state == ReportState.IN_REVIEW and cases.about_humas.assignee == cases.colleague

    # The head opens the case about Humas, and Humas the case about the head.
    head_page = mfa_client(cases.head).get(url(cases, "report_detail", pk=cases.about_humas.pk))
    assert head_page.status_code == 200 and ABOUT_HUMAS in head_page.content.decode()
    humas_page = plain_client(cases.humas).get(url(cases, "report_detail", pk=cases.about_head.pk))
    assert humas_page.status_code == 200 and ABOUT_HEAD in humas_page.content.decode()


def test_the_queue_does_not_list_cases_about_the_visitor(cases):
    def listed(client, report) -> bool:
        body = client.get(url(cases, "queue")).content.decode()
        return f'href="{url(cases, "report_detail", pk=report.pk)}"' in body

    humas, head, colleague = plain_client(cases.humas), mfa_client(cases.head), plain_client(cases.colleague)
    assert not listed(humas, cases.about_humas) and listed(humas, cases.about_head)
    assert not listed(head, cases.about_head) and listed(head, cases.about_humas)
    assert listed(colleague, cases.about_humas) and listed(colleague, cases.about_head)
    # Nor do the queue's counters count them.
    inst = cases.institution
    assert selectors.queue_counts(inst, visitor=cases.humas)["open"] == 1
    assert selectors.queue_counts(inst, visitor=cases.colleague)["open"] == 2


def test_the_subject_is_not_told_of_the_new_report_about_them(cases):
    told = set(Notification.objects.filter(kind="sanctions.report_submitted").values_list("recipient_id", flat=True))
    assert cases.humas.pk in told  # of the report about the head …
    assert not Notification.objects.filter(recipient=cases.humas, kind="sanctions.report_submitted",
                                           url__endswith=f"/{cases.about_humas.pk}/").exists()  # … not of their own


def test_assigning_the_case_to_its_subject_is_refused_and_changes_nothing(cases):
    report = cases.about_humas
    before = trail(report)
    colleague = plain_client(cases.colleague)

    page = colleague.get(url(cases, "report_detail", pk=report.pk)).content.decode()
    form = page[page.index(url(cases, "report_assign", pk=report.pk)):]
    form = form[:form.index("</form>")]
    assert f'value="{cases.colleague.pk}"' in form and f'value="{cases.humas.pk}"' not in form  # not offered

    response = colleague.post(url(cases, "report_assign", pk=report.pk), {"assignee": cases.humas.pk}, follow=True)
    assert "Perkara ini menyangkut orang tersebut; tugaskan kepada orang lain." in response.content.decode()
    with pytest.raises(ValidationError) as refused:
        services.report_assign(actor=cases.colleague, report=report, assignee=cases.humas)
    assert refused.value.code == "recusal"

    report.refresh_from_db()
    assert report.assignee is None and report.state == ReportState.SUBMITTED
    assert trail(report) == before and "sanctions.report.assigned" not in trail(report)


def test_the_subject_follows_the_case_on_their_own_pages_which_never_name_the_reporter(cases):
    report = cases.about_humas
    services.report_start_review(actor=cases.colleague, report=report)
    services.report_confirm(actor=cases.colleague, report=report, reason="Foto rapat terlihat jelas.")
    client = plain_client(cases.humas)
    reporter = cases.reporter

    mine = client.get(url(cases, "my_cases"))
    body = mine.content.decode()
    assert mine.status_code == 200 and url(cases, "my_explanation", pk=report.pk) in body
    assert reporter.full_name not in body and reporter.email not in body

    explanation = client.get(url(cases, "my_explanation", pk=report.pk))
    body = explanation.content.decode()
    assert explanation.status_code == 200 and ABOUT_HUMAS in body
    assert reporter.full_name not in body and reporter.email not in body
    # The case file itself stays closed to them, confirmed or not.
    assert client.get(url(cases, "report_detail", pk=report.pk)).status_code == 403


def test_a_decided_measure_is_the_subjects_to_read_not_to_handle(cases):
    inst = cases.institution
    measure = approved_measure(inst, humas=cases.colleague, head=cases.head, subject_staff=staff_for(cases.humas, inst),
                               channel=cases.channel)
    client = plain_client(cases.humas)
    page = client.get(url(cases, "my_measure", pk=measure.pk))
    body = page.content.decode()
    assert page.status_code == 200 and measure.level_name in body
    assert cases.colleague.email not in body  # the case was filed by the colleague here: never named
    assert client.post(url(cases, "measure_delivery", pk=measure.pk),
                       {"method": "direct", "delivered_on": inst.local_today().isoformat()}).status_code == 403
    assert client.get(url(cases, "letter_pdf", pk=measure.letter.pk)).status_code == 403
    assert client.get(url(cases, "my_letter_pdf", pk=measure.pk)).status_code == 200


def test_the_subject_does_not_confirm_their_own_removal_from_a_group(cases):
    inst, pegawai = cases.institution, cases.users["pegawai"]  # the group's admin
    measure = approved_measure(inst, humas=cases.humas, head=cases.head, subject_staff=staff_for(pegawai, inst),
                               channel=cases.channel, position=3)
    task = measure.removal
    client = plain_client(pegawai)
    assert url(cases, "removal_confirm", pk=task.pk) not in client.get(url(cases, "removals")).content.decode()
    assert client.get(url(cases, "removal_confirm", pk=task.pk)).status_code == 403
    with pytest.raises(ValidationError) as refused:
        services.removal_confirm(actor=pegawai, task=task, carried_out_on=inst.local_today())
    assert refused.value.code == "recusal"
    assert plain_client(cases.humas).get(url(cases, "removal_confirm", pk=task.pk)).status_code == 200


def test_evidence_images_are_blurred_until_the_viewer_chooses_to_see_them(cases):
    body = plain_client(cases.colleague).get(url(cases, "report_detail", pk=cases.about_humas.pk)).content.decode()
    item = cases.about_humas.evidence.get()
    figure = body[body.index(f'id="evidence-{item.pk}"') - 60:]
    figure = figure[:figure.index("</figure>")]
    assert 'class="evidence-item is-blurred' in figure
    assert f'src="{url(cases, "evidence_file", pk=item.pk)}"' in figure
    assert '<button type="button"' in figure and 'aria-pressed="false"' in figure and ">Tampilkan</button>" in figure
    assert "onclick" not in body  # the strict CSP forbids inline handlers: the script is a file
    assert "/static/js/sanctions.js" in body
    with open(finders.find("css/sanctions.css")) as css:
        assert ".evidence-item.is-blurred .evidence-image { filter: blur(" in css.read()
    with open(finders.find("js/sanctions.js")) as js:
        assert "evidence-reveal" in js.read()
