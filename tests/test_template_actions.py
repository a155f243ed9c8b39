"""Templates ask, they don't decide: every button a page offers is a step its service accepts for
that visitor, and every step the service accepts is offered.

For objects in each state and visitors in each position (the person a case is about, the reporter,
Humas, the head, the parent's head, other staff, someone of another institution), the selector's
list of actions is compared with what the service does when it is called inside a savepoint that
is rolled back: the service accepts exactly the listed actions and refuses the others. Where a
step's rights are checked by the page rather than the service (imports, acknowledgements, the
assessment periods), the page's declared permission is part of the expectation. Then the pages are
rendered and show a button exactly for the actions in the list.
"""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import resolve, reverse
from django.utils import timezone

from conftest import mfa_client
from governance.models import CodeVersion, Membership, Role
from governance.tenancy import access_for
from governance.tests.factories import make_member
from members import selectors as members_selectors
from members import services as members_services
from members.models import ImportJob
from members.tests.factories import ImportJobFactory
from reports import selectors as reports_selectors
from reports import services as reports_services
from reports.models import AssessmentPeriod, Entry, Export
from reports.selectors import criteria_for
from reports.tests.factories import make_period, small_rubric
from sanctions import selectors, services, visitor_actions
from sanctions.models import Appeal, Measure, MeasureState, Objection, Referral, RemovalTask, ViolationReport
from sanctions.tests.factories import (
    StaffMemberFactory,
    approved_measure,
    confirmed_report,
    file_report,
    group,
    join,
    level,
    png_bytes,
    proposed_measure,
    publish_code,
    staff_for,
)

State = AssessmentPeriod.State


class _Accepted(Exception):
    """Raised inside the savepoint after a service accepted the step, so that nothing stays."""


def accepted(service, *args, **kwargs) -> bool:
    """Whether ``service(*args, **kwargs)`` accepts the step (nothing it does is kept)."""
    try:
        with transaction.atomic():
            service(*args, **kwargs)
            raise _Accepted
    except _Accepted:
        return True
    except (PermissionDenied, ValidationError):
        return False


def fresh(obj):
    return type(obj).objects.get(pk=obj.pk)


def door(name: str, **kwargs) -> str:
    """The permission the page behind URL ``name`` declares."""
    return resolve(reverse(name, kwargs={"institution": "x", **kwargs})).func.permission


# --- the world ---------------------------------------------------------------------------------------

@pytest.fixture
def world(side_a, side_b, unscoped):
    """Institution A with a published code and a group whose admin is the pegawai. The cases are about
    a second public relations coordinator (who may triage, but not their own case); the pegawai
    reports them."""
    side = side_a
    inst = side.institution
    Membership.objects.filter(institution__in=[inst, side.parent]).update(starts_on=datetime.date(2020, 1, 1))
    publish_code(inst)
    for role, user in side.users.items():
        if role != Role.ASSESSOR:
            staff_for(user, inst)
    side.subject = make_member(inst, Role.PUBLIC_RELATIONS, email="humas2.a@contoh.test")
    Membership.objects.filter(user=side.subject).update(starts_on=datetime.date(2020, 1, 1))
    side.subject_staff = staff_for(side.subject, inst)
    side.channel = group(inst, name="Grup Guru")
    join(side.channel, staff_for(side.users[Role.STAFF], inst), role="admin")
    join(side.channel, side.subject_staff)
    side.budi = StaffMemberFactory(institution=inst, full_name="Budi Santoso")
    side.visitors = {
        "subject": side.subject, "reporter": side.users[Role.STAFF], "humas": side.users[Role.PUBLIC_RELATIONS],
        "head": side.users[Role.HEAD], "operator": side.users[Role.OPERATOR],
        "parent head": side.parent_users[Role.HEAD], "other institution": side_b.users[Role.PUBLIC_RELATIONS],
    }
    side.other = side_b
    return side


def visits(world, institution=None):
    """(name, user, access at the institution) for every visitor."""
    institution = institution or world.institution
    return [(name, user, access_for(user, institution)) for name, user in world.visitors.items()]


def page(user, name, **kwargs):
    return mfa_client(user).get(reverse(name, kwargs={"institution": kwargs.pop("slug"), **kwargs}))


def offers(body: str, name: str, slug: str, **kwargs) -> bool:
    return reverse(name, kwargs={"institution": slug, **kwargs}) in body


# --- violation reports ---------------------------------------------------------------------------------

@pytest.fixture
def reports_in_every_state(world):
    inst, humas, pegawai = world.institution, world.users[Role.PUBLIC_RELATIONS], world.users[Role.STAFF]
    about = {"reporter": pegawai, "subject_staff": world.subject_staff, "channel": world.channel}
    submitted = file_report(inst, **about)
    in_review = file_report(inst, **about)
    services.report_start_review(actor=humas, report=in_review)
    confirmed = confirmed_report(inst, humas=humas, **about)
    dismissed = file_report(inst, **about)
    services.report_start_review(actor=humas, report=dismissed)
    services.report_dismiss(actor=humas, report=dismissed, reason="Bukan pelanggaran.")
    with_measure = proposed_measure(inst, humas=humas, **about).report
    about_budi = file_report(inst, reporter=pegawai, subject_staff=world.budi, channel=world.channel)
    held = file_report(inst, reporter=pegawai, subject_staff=world.budi, channel=world.channel)
    services.report_start_review(actor=humas, report=held)
    services.report_dismiss(actor=humas, report=held, reason="Bukan pelanggaran.")
    services.legal_hold_set(actor=world.users[Role.HEAD], report=held, reason="Pemeriksaan Inspektorat.")
    return {"submitted": submitted, "in_review": in_review, "confirmed": confirmed, "dismissed": dismissed,
            "confirmed with a measure": with_measure, "submitted about someone else": about_budi,
            "dismissed, on legal hold": held}


def case_calls(world):
    inst, today = world.institution, world.institution.local_today()
    return {
        "start_review": lambda actor, report: services.report_start_review(actor=actor, report=report),
        "assign": lambda actor, report: services.report_assign(actor=actor, report=report,
                                                               assignee=world.users[Role.HEAD]),
        "confirm": lambda actor, report: services.report_confirm(actor=actor, report=report, reason="Terbukti."),
        "dismiss": lambda actor, report: services.report_dismiss(actor=actor, report=report, reason="Tidak terbukti."),
        "add_evidence": lambda actor, report: services.evidence_add(actor=actor, report=report, name="layar.png",
                                                                    data=png_bytes()),
        "add_note": lambda actor, report: services.report_add_note(actor=actor, report=report, text="Cek admin."),
        "propose_measure": lambda actor, report: services.measure_propose(actor=actor, report=report,
                                                                          level=level(inst, 1), reason="Tingkat satu."),
        "refer": lambda actor, report: services.referral_create(actor=actor, report=report, track="ethics",
                                                                referred_to="Majelis Kode Etik", referred_on=today),
        "record_explanation": lambda actor, report: services.explanation_record(actor=actor, report=report, how="oral",
                                                                                text="Mengaku khilaf."),
        "hold": lambda actor, report: services.legal_hold_set(actor=actor, report=report, reason="Perkara."),
        "release_hold": lambda actor, report: services.legal_hold_clear(actor=actor, report=report),
    }


def test_case_actions_are_exactly_what_the_services_accept(world, reports_in_every_state):
    calls = case_calls(world)
    seen = set()
    for state, report in reports_in_every_state.items():
        for visitor, user, access in visits(world):
            report = fresh(report)
            actions = visitor_actions.case_actions(access, user, report)
            expected = {name for name, call in calls.items() if accepted(call, user, fresh(report))}
            assert actions == expected, (state, visitor)
            # What the case page holds gives the same answer as asking the database.
            measures = selectors.case_measures(report)
            assert visitor_actions.case_actions(access, user, report, measures=measures,
                                          evidence_count=report.evidence.count()) == actions, (state, visitor)
            seen |= actions
    assert seen == set(calls)  # every action is offered to someone


def test_the_case_page_shows_a_button_exactly_for_each_action(world, reports_in_every_state):
    slug = world.institution.slug
    buttons = {"start_review": "sanctions:report_start_review", "assign": "sanctions:report_assign",
               "confirm": "sanctions:report_decide", "add_evidence": "sanctions:evidence_add",
               "add_note": "sanctions:report_note", "propose_measure": "sanctions:measure_propose",
               "refer": "sanctions:referral_create", "record_explanation": "sanctions:explanation_record",
               "hold": "sanctions:report_hold", "release_hold": "sanctions:report_release_hold"}
    for state, report in reports_in_every_state.items():
        for visitor, user, access in visits(world):
            response = page(user, "sanctions:report_detail", slug=slug, pk=report.pk)
            actions = visitor_actions.case_actions(access, user, fresh(report))
            if response.status_code != 200:
                assert response.status_code in (403, 404) and not actions, (state, visitor)
                continue
            body = response.content.decode()
            for action, name in buttons.items():
                assert offers(body, name, slug, pk=report.pk) == (action in actions), (state, visitor, action)


# --- measures ------------------------------------------------------------------------------------------

@pytest.fixture
def measures_in_every_state(world):
    inst, humas, head = world.institution, world.users[Role.PUBLIC_RELATIONS], world.users[Role.HEAD]
    # Every measure at the first step (a warning letter), whatever the ladder would suggest for a repeat.
    about = {"reporter": world.users[Role.STAFF], "subject_staff": world.subject_staff, "channel": world.channel,
             "position": 1}
    today = inst.local_today()
    proposed = proposed_measure(inst, humas=humas, **about)
    active = approved_measure(inst, humas=humas, head=head, **about)
    delivered = approved_measure(inst, humas=humas, head=head, **about)
    services.measure_record_delivery(actor=humas, measure=delivered, method="in_person", delivered_on=today)
    acknowledged = approved_measure(inst, humas=humas, head=head, **about)
    services.measure_acknowledge(actor=world.subject, measure=acknowledged)
    objected = approved_measure(inst, humas=humas, head=head, **about)
    services.objection_file(actor=world.subject, measure=objected, text="Bukan saya.")
    late = approved_measure(inst, humas=humas, head=head, **about)
    long_ago = today - datetime.timedelta(days=60)
    Measure.objects.filter(pk=late.pk).update(active_from=long_ago - datetime.timedelta(days=1), delivered_on=long_ago,
                                              delivery_method="in_person")
    expired = approved_measure(inst, humas=humas, head=head, **about)
    Measure.objects.filter(pk=expired.pk).update(state=MeasureState.EXPIRED)
    withdrawn = proposed_measure(inst, humas=humas, **about)
    services.measure_withdraw(actor=humas, measure=withdrawn, reason="Salah orang.")
    rejected = proposed_measure(inst, humas=humas, **about)
    services.measure_reject(actor=head, measure=rejected, reason="Kurang bukti.")
    voided = approved_measure(inst, humas=humas, head=head, **about)
    objection = services.objection_file(actor=humas, measure=voided, text="Akun dipakai orang lain.")
    services.objection_decide(actor=head, objection=objection, upheld=True, reason="Terbukti bukan dia.")
    kept = approved_measure(inst, humas=humas, head=head, **about)
    services.objection_decide(actor=head, upheld=False, reason="Bukti cukup.",
                              objection=services.objection_file(actor=world.subject, measure=kept, text="Bukan saya."))
    appealed = approved_measure(inst, humas=humas, head=head, **about)
    services.appeal_file(actor=humas, text="Mohon ditinjau atasan.", objection=services.objection_decide(
        actor=head, upheld=False, reason="Bukti cukup.",
        objection=services.objection_file(actor=world.subject, measure=appealed, text="Bukan saya.")))
    about_head = proposed_measure(inst, humas=humas, reporter=world.users[Role.STAFF],
                                  subject_staff=inst.staff.get(user=head), channel=world.channel, position=1)
    head_measure = proposed_measure(inst, humas=humas, reporter=world.users[Role.STAFF],
                                    subject_staff=inst.staff.get(user=head), channel=world.channel, position=1)
    services.measure_approve(actor=world.parent_users[Role.HEAD], measure=head_measure, reason="Terbukti.",
                             as_parent=True)
    services.objection_file(actor=head, measure=head_measure, text="Saya keberatan.")
    return {"proposed": proposed, "active": active, "delivered": delivered, "acknowledged": acknowledged,
            "objected": objected, "too late to object": late, "expired": expired, "withdrawn": withdrawn,
            "rejected": rejected, "voided": voided, "kept on objection": kept, "appealed": appealed,
            "proposed about the head": about_head, "about the head, objected": head_measure}


def test_measure_actions_are_exactly_what_the_services_accept(world, measures_in_every_state):
    today = world.institution.local_today()

    def acknowledge(actor, measure):
        services.measure_acknowledge(actor=actor, measure=measure)
        if measure.acknowledged_at:  # acknowledging again changes nothing: not a step to offer
            raise ValidationError("unchanged")

    def appeal(actor, measure):
        objection = Objection.objects.filter(measure=measure).first()
        if objection is None:  # nothing to appeal against: what the page's view answers too
            raise ValidationError("no objection")
        services.appeal_file(actor=actor, objection=objection, text="Banding.")

    calls = {
        "withdraw": lambda actor, m: services.measure_withdraw(actor=actor, measure=m, reason="Salah orang."),
        "record_delivery": lambda actor, m: services.measure_record_delivery(actor=actor, measure=m, method="whatsapp",
                                                                             delivered_on=today),
        "acknowledge": acknowledge,
        "object": lambda actor, m: services.objection_file(actor=actor, measure=m, text="Keberatan."),
        "appeal": appeal,
    }
    seen = set()
    for state, measure in measures_in_every_state.items():
        for visitor, user, access in visits(world):
            actions = visitor_actions.measure_actions(access, user, fresh(measure))
            expected = {name for name, call in calls.items() if accepted(call, user, fresh(measure))}
            if not selectors.is_subject(user, measure.report):
                for own, for_them in (("object", "object_for"), ("appeal", "appeal_for")):
                    if own in expected:
                        expected = expected - {own} | {for_them}
            assert actions == expected, (state, visitor)
            seen |= actions
    assert seen == {"withdraw", "record_delivery", "acknowledge", "object", "object_for", "appeal", "appeal_for"}


def test_decision_actions_are_exactly_what_the_services_accept(world, measures_in_every_state):
    seen = set()
    for state, measure in measures_in_every_state.items():
        for visitor, user, _access in visits(world):
            for as_parent in (False, True):
                actions = visitor_actions.measure_decision_actions(user, fresh(measure), as_parent=as_parent)
                expected = {name for name, service in (("approve", services.measure_approve),
                                                       ("reject", services.measure_reject))
                            if accepted(service, actor=user, measure=fresh(measure), reason="Setuju.",
                                        as_parent=as_parent)}
                assert actions == expected, (state, visitor, as_parent)
                seen |= actions
    assert seen == {"approve", "reject"}

    objections = {
        "filed, decided here": services.objection_file(
            actor=world.users[Role.PUBLIC_RELATIONS], text="Bukan saya.",
            measure=approved_measure(world.institution, humas=world.users[Role.PUBLIC_RELATIONS], head=world.users[Role.HEAD],
                                     subject_staff=world.subject_staff, channel=world.channel, position=3)),
        "filed, reconsidered by the head who signed": Objection.objects.get(measure=measures_in_every_state["objected"]),
        "filed, decided by the parent's head": Objection.objects.get(
            measure=measures_in_every_state["about the head, objected"]),
        "decided": Objection.objects.get(measure=measures_in_every_state["voided"]),
    }
    seen = set()
    for state, objection in objections.items():
        for visitor, user, _access in visits(world):
            for as_parent in (False, True):
                actions = visitor_actions.objection_decision_actions(user, fresh(objection), as_parent=as_parent)
                expected = {name for name, upheld in (("uphold", True), ("reject", False))
                            if accepted(services.objection_decide, actor=user, objection=fresh(objection),
                                        upheld=upheld, reason="Diputuskan.", as_parent=as_parent)}
                assert actions == expected, (state, visitor, as_parent)
                seen |= actions
    assert seen == {"uphold", "reject"}

    appeal = Appeal.objects.get(objection__measure=measures_in_every_state["appealed"])
    seen = set()
    for visitor, user, _access in visits(world):
        for as_parent in (False, True):
            actions = visitor_actions.appeal_decision_actions(user, fresh(appeal), as_parent=as_parent)
            expected = {name for name, upheld in (("uphold", True), ("reject", False))
                        if accepted(services.appeal_decide, actor=user, appeal=fresh(appeal), upheld=upheld,
                                    reason="Diputuskan.", as_parent=as_parent)}
            assert actions == expected, (visitor, as_parent)
            seen |= actions
    assert seen == {"uphold", "reject"}


def test_measure_pages_show_a_button_exactly_for_each_action(world, measures_in_every_state):
    slug = world.institution.slug
    for state, measure in measures_in_every_state.items():
        report = measure.report
        for visitor, user, access in visits(world):
            actions = visitor_actions.measure_actions(access, user, fresh(measure))
            response = page(user, "sanctions:report_detail", slug=slug, pk=report.pk)
            if response.status_code == 200:
                body = response.content.decode()
                for action, name in (("withdraw", "sanctions:measure_withdraw"),
                                     ("record_delivery", "sanctions:measure_delivery"),
                                     ("object_for", "sanctions:objection_file_for"),
                                     ("appeal_for", "sanctions:appeal_file_for")):
                    assert offers(body, name, slug, pk=measure.pk) == (action in actions), (state, visitor, action)
            own = page(user, "sanctions:my_measure", slug=slug, pk=measure.pk)
            if own.status_code == 200:
                body = own.content.decode()
                for action, name in (("acknowledge", "sanctions:my_measure_acknowledge"),
                                     ("object", "sanctions:my_measure_object"),
                                     ("appeal", "sanctions:my_measure_appeal")):
                    assert offers(body, name, slug, pk=measure.pk) == (action in actions), (state, visitor, action)
                rows = dict(visitor_actions.measures_about_with_actions(access, user, world.institution))
                assert {m.pk: acts for m, acts in rows.items()}[measure.pk] == actions, (state, visitor)
            else:
                assert "acknowledge" not in actions and "object" not in actions, (state, visitor)
            for as_parent, name in ((False, "sanctions:measure_decide"), (True, "sanctions:measure_decide_escalated")):
                decide = page(user, name, slug=slug, pk=measure.pk)
                if decide.status_code == 200:
                    shown = 'class="decision-form"' in decide.content.decode()
                    assert shown == bool(visitor_actions.measure_decision_actions(user, fresh(measure), as_parent=as_parent)), (
                        state, visitor, as_parent)


# --- removals and referrals -----------------------------------------------------------------------------

def test_removal_and_referral_actions_match_the_services_and_the_pages(world):
    inst, humas, head = world.institution, world.users[Role.PUBLIC_RELATIONS], world.users[Role.HEAD]
    today = inst.local_today()
    removal = approved_measure(inst, humas=humas, head=head, subject_staff=world.budi, channel=world.channel,
                               position=3)
    done = approved_measure(inst, humas=humas, head=head, subject_staff=world.budi, channel=world.channel, position=3)
    services.removal_confirm(actor=humas, task=done.removal, carried_out_on=today)
    tasks = {"open": removal.removal, "done": RemovalTask.objects.get(measure=done)}
    slug = inst.slug
    seen = set()
    for state, task in tasks.items():
        for visitor, user, access in visits(world):
            actions = visitor_actions.removal_actions(access, user, fresh(task))
            expected = {"confirm"} if accepted(services.removal_confirm, actor=user, task=fresh(task),
                                               carried_out_on=today) else set()
            assert actions == expected, (state, visitor)
            seen |= actions
            response = page(user, "sanctions:removal_confirm", slug=slug, pk=task.pk)
            if response.status_code == 200:
                assert ('name="carried_out_on"' in response.content.decode()) == ("confirm" in actions), (state, visitor)
                listing = page(user, "sanctions:removals", slug=slug).content.decode()
                assert offers(listing, "sanctions:removal_confirm", slug, pk=task.pk) == ("confirm" in actions), (
                    state, visitor)
    assert seen == {"confirm"}

    report = confirmed_report(inst, humas=humas, reporter=world.users[Role.STAFF], subject_staff=world.subject_staff)
    referred = services.referral_create(actor=humas, report=report, track="ethics", referred_to="Majelis",
                                        referred_on=today)
    closed = services.referral_create(actor=humas, report=report, track="discipline", referred_to="Inspektorat",
                                      referred_on=today)
    services.referral_record_outcome(actor=head, referral=closed, outcome="Teguran tertulis.", outcome_on=today)
    seen = set()
    for state, referral in {"referred": referred, "closed": closed}.items():
        for visitor, user, access in visits(world):
            actions = visitor_actions.referral_actions(access, user, fresh(referral))
            expected = {"record_outcome"} if accepted(services.referral_record_outcome, actor=user,
                                                      referral=fresh(referral), outcome="Selesai.",
                                                      outcome_on=today) else set()
            assert actions == expected, (state, visitor)
            seen |= actions
            response = page(user, "sanctions:referral_outcome", slug=slug, pk=referral.pk)
            if response.status_code == 200:
                assert ('name="outcome"' in response.content.decode()) == ("record_outcome" in actions), (state, visitor)
                case = page(user, "sanctions:report_detail", slug=slug, pk=report.pk).content.decode()
                assert offers(case, "sanctions:referral_outcome", slug, pk=referral.pk) == ("record_outcome" in actions)
    assert seen == {"record_outcome"}
    assert Referral.objects.filter(report=report).count() == 2 and ViolationReport.objects.filter(pk=report.pk).exists()


# --- the semester assessment --------------------------------------------------------------------------

@pytest.fixture
def periods_in_every_state(world):
    assessor_institution = world.parent
    scorer = world.parent_users[Role.ASSESSOR]
    Membership.objects.filter(user=scorer).update(starts_on=datetime.date(2020, 1, 1))
    rubric = small_rubric(assessor_institution)
    periods = {
        "draft": make_period(assessor_institution, year=2021, rubric=rubric, state=State.DRAFT),
        "self-assessment": make_period(assessor_institution, year=2022, rubric=rubric, state=State.SELF_ASSESSMENT),
        "scoring": make_period(assessor_institution, year=2023, rubric=rubric, state=State.SCORING, scorer=scorer),
        "finalized": make_period(assessor_institution, year=2024, rubric=rubric, state=State.FINALIZED, scorer=scorer),
    }
    corrected = make_period(assessor_institution, year=2025, rubric=rubric, state=State.FINALIZED, scorer=scorer)
    periods["corrected"] = corrected  # a finalized result that already has a newer revision
    reports_services.period_revise(actor=scorer, period=corrected, reason="Salah hitung.")
    return periods


def period_calls():
    def score(actor, period):
        entry = Entry.objects.filter(period=period).first()
        if entry is None:  # a draft has no institution to score yet
            raise ValidationError("no entry")
        values = {c.pk: (1, "") for c in criteria_for(period)}
        reports_services.scores_record(actor=actor, entry=entry, values=values)

    return {
        "edit": lambda actor, p: reports_services.period_update(actor=actor, period=p, publish_ranks=not p.publish_ranks),
        "open": lambda actor, p: reports_services.period_open(actor=actor, period=p, email=False),
        "start_scoring": lambda actor, p: reports_services.period_start_scoring(actor=actor, period=p),
        "recompute": lambda actor, p: reports_services.period_recompute(actor=actor, period=p),
        "finalize": lambda actor, p: reports_services.period_finalize(actor=actor, period=p, email=False),
        "revise": lambda actor, p: reports_services.period_revise(actor=actor, period=p, reason="Koreksi."),
        "score": score,
    }


PERIOD_DOORS = {"edit": "reports:period_edit", "open": "reports:period_open", "start_scoring": "reports:period_start_scoring",
                "recompute": "reports:period_recompute", "finalize": "reports:period_finalize",
                "revise": "reports:period_revise", "score": "reports:scoring_entry"}


def assessor_page_lets_in(access, action: str) -> bool:
    """The assessor pages let in only the institution's own assessors, with the permission the page declares."""
    kwargs = {"pk": 1, "entry": 1} if action == "score" else {"pk": 1}
    return access is not None and access.has_role(Role.ASSESSOR) and access.has(door(PERIOD_DOORS[action], **kwargs))


def test_period_actions_are_exactly_what_the_services_and_the_assessor_pages_accept(world, periods_in_every_state):
    calls = period_calls()
    visitors = {**world.visitors, "assessor": world.parent_users[Role.ASSESSOR],
                "another assessor": world.other.parent_users[Role.ASSESSOR]}
    seen = set()
    for state, period in periods_in_every_state.items():
        institution = period.institution
        for visitor, user in visitors.items():
            access = access_for(user, institution)
            actions = reports_selectors.period_actions(access, user, fresh(period))
            expected = {name for name, call in calls.items()
                        if assessor_page_lets_in(access, name) and accepted(call, user, fresh(period))}
            assert actions == expected, (state, visitor)
            seen |= actions
    assert seen == set(calls)


def test_period_pages_show_a_button_exactly_for_each_action(world, periods_in_every_state):
    slug = world.parent.slug
    assessor = world.parent_users[Role.ASSESSOR]
    for state, period in periods_in_every_state.items():
        access = access_for(assessor, period.institution)
        actions = reports_selectors.period_actions(access, assessor, fresh(period))
        body = page(assessor, "reports:period_detail", slug=slug, pk=period.pk).content.decode()
        for action, name in PERIOD_DOORS.items():
            if action != "score":
                assert offers(body, name, slug, pk=period.pk) == (action in actions), (state, action)
        if period.state in (State.SCORING, State.FINALIZED):
            entry = Entry.objects.filter(period=period).first()
            result = page(assessor, "reports:result_entry", slug=slug, pk=period.pk, entry=entry.pk).content.decode()
            assert offers(result, "reports:scoring_entry", slug, pk=period.pk, entry=entry.pk) == ("score" in actions)
        for visitor, user in world.visitors.items():
            assert not reports_selectors.period_actions(access_for(user, period.institution), user, fresh(period))
            assert page(user, "reports:period_detail", slug=slug, pk=period.pk).status_code in (403, 404), visitor


def test_export_actions_match_the_retry_service_and_the_page(world, periods_in_every_state):
    period = periods_in_every_state["finalized"]
    assessor = world.parent_users[Role.ASSESSOR]
    access = access_for(assessor, period.institution)
    stale = timezone.now() - datetime.timedelta(hours=1)
    exports = {}
    for state in Export.State.values:
        exports[state] = Export.objects.create(institution=period.institution, period=period, format="xlsx",
                                               key=f"uji-{state}", state=state)
    exports["running, stuck"] = Export.objects.create(institution=period.institution, period=period, format="pdf",
                                                      key="uji-macet", state=Export.State.RUNNING)
    Export.objects.filter(pk=exports["running, stuck"].pk).update(updated_at=stale)
    for state, export in exports.items():
        actions = reports_selectors.export_actions(access, fresh(export))
        expected = {"retry"} if accepted(reports_services.export_retry, actor=assessor, export=fresh(export)) else set()
        assert actions == expected, state
        if not fresh(export).is_active:
            body = page(assessor, "reports:export_status", slug=world.parent.slug, pk=period.pk,
                        export=export.pk).content.decode()
            assert offers(body, "reports:export_retry", world.parent.slug, pk=period.pk, export=export.pk) == (
                "retry" in actions), state
    for visitor, user in world.visitors.items():
        assert not reports_selectors.export_actions(access_for(user, period.institution), exports["failed"]), visitor


# --- staff imports and acknowledgements of the code ----------------------------------------------------

def test_import_actions_are_exactly_what_the_services_and_the_import_pages_accept(world):
    inst, slug = world.institution, world.institution.slug
    calls = {
        "confirm": lambda actor, job: members_services.import_job_confirm(actor=actor, job=job, enqueue=False),
        "cancel": lambda actor, job: members_services.import_job_cancel(actor=actor, job=job),
    }
    seen = set()
    for state in ImportJob.State.values:
        job = ImportJobFactory(institution=inst, state=state)
        for visitor, user, access in visits(world):
            actions = members_selectors.import_actions(access, fresh(job))
            expected = {name for name, call in calls.items()
                        if access is not None and access.has(door(f"members:import_{name}", pk=1))
                        and accepted(call, user, fresh(job))}
            assert actions == expected, (state, visitor)
            seen |= actions
            response = page(user, "members:import_detail", slug=slug, pk=job.pk)
            if response.status_code == 200 and not fresh(job).is_running:
                body = response.content.decode()
                for name in calls:
                    assert offers(body, f"members:import_{name}", slug, pk=job.pk) == (name in actions), (state, visitor)
            elif response.status_code != 200:
                assert not actions, (state, visitor)
    assert seen == set(calls)


def test_acknowledgement_actions_are_exactly_what_the_services_and_the_pages_accept(world):
    inst, slug = world.institution, world.institution.slug
    old = CodeVersion.objects.get(institution=inst, state=CodeVersion.State.PUBLISHED)
    CodeVersion.objects.filter(pk=old.pk).update(state=CodeVersion.State.SUPERSEDED)
    versions = {"in force": publish_code(inst, number=2), "superseded": fresh(old)}
    calls = {
        "remind": lambda actor, version: members_services.acknowledgement_remind(actor=actor, version=version),
        "record_paper": lambda actor, version: members_services.acknowledgement_record(
            actor=actor, staff=world.budi, version=version, method="paper"),
    }
    doors = {"remind": "members:acknowledgement_remind", "record_paper": "members:acknowledgement_paper"}
    seen = set()
    for state, version in versions.items():
        for visitor, user, access in visits(world):
            actions = members_selectors.acknowledgement_actions(access, fresh(version))
            # The pages remind and record for the code in force only; the services refuse only a draft.
            in_force = version.state == CodeVersion.State.PUBLISHED
            expected = {name for name, call in calls.items()
                        if in_force and access is not None and access.has(door(doors[name], pk=1))
                        and accepted(call, user, fresh(version))}
            assert actions == expected, (state, visitor)
            seen |= actions
            response = page(user, "members:acknowledgement_status", slug=slug, pk=version.pk)
            if response.status_code == 200:
                body = response.content.decode()
                for name, url in doors.items():
                    assert offers(body, url, slug, pk=version.pk) == (name in actions), (state, visitor, name)
            if not in_force and access is not None and access.has(door(doors["remind"], pk=1)):
                assert mfa_client(user).post(reverse(doors["remind"], kwargs={"institution": slug, "pk": version.pk})
                                             ).status_code == 404
    assert seen == set(calls)
