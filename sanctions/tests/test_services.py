"""The sanctions state machine through its services: every transition from every state, per role,
four eyes, recusal, notifications and the audit entry each step writes."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from governance.audit import verify_chains
from governance.models import AuditEntry, Notification, Role, RuleCategory
from governance.tests.factories import InstitutionFactory, make_member
from members.models import GroupMembership
from sanctions import deciders, selectors, services
from sanctions.models import (
    Measure,
    MeasureState,
    ObjectionState,
    RemovalState,
    ReportState,
    WarningLetter,
)
from sanctions.tests.factories import (
    approved_measure,
    confirmed_report,
    file_report,
    hear,
    level,
    png_bytes,
    proposed_measure,
    publish_code,
    rule_ids,
)

REPORT_STATES = [ReportState.SUBMITTED, ReportState.IN_REVIEW, ReportState.CONFIRMED, ReportState.DISMISSED]
ROLES = [Role.HEAD, Role.PUBLIC_RELATIONS, Role.OPERATOR, Role.STAFF, Role.ASSESSOR]


def actions(entity):
    return list(AuditEntry.objects.filter(target_type=entity._meta.label_lower, target_id=str(entity.pk))
                .order_by("seq").values_list("action", flat=True))


def report_in(world, state):
    humas = world.users["humas"]
    report = file_report(world.institution, reporter=world.users["pegawai"], subject_staff=world.budi,
                         channel=world.channel)
    if state != ReportState.SUBMITTED:
        services.report_start_review(actor=humas, report=report)
    if state == ReportState.CONFIRMED:
        services.report_confirm(actor=humas, report=report, reason="Terbukti.")
    if state == ReportState.DISMISSED:
        services.report_dismiss(actor=humas, report=report, reason="Tidak terbukti.")
    report.refresh_from_db()
    assert report.state == state
    return report


REPORT_TRANSITIONS = {
    # action: (states it is allowed from, resulting state)
    "start_review": ({ReportState.SUBMITTED}, ReportState.IN_REVIEW),
    "assign": ({ReportState.SUBMITTED, ReportState.IN_REVIEW}, ReportState.IN_REVIEW),
    "confirm": ({ReportState.IN_REVIEW}, ReportState.CONFIRMED),
    "dismiss": ({ReportState.IN_REVIEW}, ReportState.DISMISSED),
}


def run_report_action(action, actor, report, world):
    if action == "start_review":
        return services.report_start_review(actor=actor, report=report)
    if action == "assign":
        return services.report_assign(actor=actor, report=report, assignee=world.users["humas"])
    if action == "confirm":
        return services.report_confirm(actor=actor, report=report, reason="Terbukti.")
    return services.report_dismiss(actor=actor, report=report, reason="Tidak terbukti.")


@pytest.mark.parametrize("state", REPORT_STATES)
@pytest.mark.parametrize("action", list(REPORT_TRANSITIONS))
def test_report_transitions_for_humas(world, state, action):
    report = report_in(world, state)
    allowed, result = REPORT_TRANSITIONS[action]
    before = AuditEntry.objects.count()
    if state in allowed:
        run_report_action(action, world.users["humas"], report, world)
        report.refresh_from_db()
        assert report.state == result
        assert AuditEntry.objects.count() > before
    else:
        with pytest.raises(ValidationError):
            run_report_action(action, world.users["humas"], report, world)
        report.refresh_from_db()
        assert report.state == state and AuditEntry.objects.count() == before


@pytest.mark.parametrize("role", [r for r in ROLES if r != Role.PUBLIC_RELATIONS])
@pytest.mark.parametrize("action", list(REPORT_TRANSITIONS))
def test_only_humas_triages(world, role, action):
    state = ReportState.SUBMITTED if action in ("start_review", "assign") else ReportState.IN_REVIEW
    report = report_in(world, state)
    with pytest.raises(PermissionDenied):
        run_report_action(action, world.users[role], report, world)


def test_every_member_may_file_but_not_the_assessor(world):
    for role in (Role.HEAD, Role.PUBLIC_RELATIONS, Role.OPERATOR, Role.STAFF):
        file_report(world.institution, reporter=world.users[role], subject_staff=world.budi, channel=world.channel)
    with pytest.raises(PermissionDenied):
        file_report(world.institution, reporter=world.users[Role.ASSESSOR], subject_staff=world.budi)


def test_only_humas_files_findings_or_on_behalf(world):
    from sanctions.models import ReportSource

    with pytest.raises(PermissionDenied):
        file_report(world.institution, reporter=world.users["pegawai"], subject_staff=world.budi,
                    source=ReportSource.HUMAS)
    report = file_report(world.institution, reporter=world.users["humas"], subject_staff=world.budi,
                         source=ReportSource.HUMAS, on_behalf_of=world.budi)
    assert report.source == ReportSource.HUMAS


def test_a_rule_of_another_institution_or_an_unpublished_version_cannot_be_cited(world):
    other = InstitutionFactory()
    publish_code(other)
    draft = publish_code(world.institution, number=2, state="draft")
    inst = world.institution
    for foreign in (rule_ids(other)[0], draft.rules.first().pk):
        with pytest.raises(ValidationError) as refused:
            services.report_submit(actor=world.users["pegawai"], institution=inst, subject_staff=world.budi,
                                   channel=world.channel, occurred_at=timezone.now(), rule_ids=[foreign],
                                   description="x")
        assert "kode etik yang berlaku" in str(refused.value) or "current code" in str(refused.value)
    # A permission (product promotion is allowed) is not a rule one can break.
    permission = inst.code_versions.get(state="published").rules.get(kind="permission")
    with pytest.raises(ValidationError):
        services.report_submit(actor=world.users["pegawai"], institution=inst, subject_staff=world.budi,
                               channel=world.channel, occurred_at=timezone.now(), rule_ids=[permission.pk],
                               description="x")


def test_without_a_published_code_the_refusal_says_to_publish_it(side_a, unscoped):
    with pytest.raises(ValidationError) as refused:
        services.report_submit(actor=side_a.users["pegawai"], institution=side_a.institution, subject_name="X",
                               place_note="grup", occurred_at=timezone.now(), rule_ids=[], description="x")
    assert refused.value.code == "no_code"


def test_the_future_is_refused(world):
    with pytest.raises(ValidationError):
        file_report(world.institution, reporter=world.users["pegawai"], subject_staff=world.budi,
                    occurred_at=timezone.now() + datetime.timedelta(days=1))


def test_politics_during_an_active_election_is_priority(world):
    # Pilkada 2024 ships as data (governance migration 0006).
    from governance.elections import ensure_shipped_periods

    ensure_shipped_periods()
    during = datetime.datetime(2024, 11, 4, 12, tzinfo=datetime.UTC)
    politics = file_report(world.institution, reporter=world.users["humas"], subject_staff=world.budi,
                           categories=(RuleCategory.POLITICS,), occurred_at=during)
    hoax = file_report(world.institution, reporter=world.users["humas"], subject_staff=world.budi,
                       categories=(RuleCategory.HOAX,), occurred_at=during)
    later = file_report(world.institution, reporter=world.users["humas"], subject_staff=world.budi,
                        categories=(RuleCategory.POLITICS,))
    assert politics.priority and politics.election_period.voting_day == datetime.date(2024, 11, 27)
    assert not hoax.priority and not later.priority


def test_assignment_notifies_the_colleague_by_name(world, django_capture_on_commit_callbacks):
    colleague = make_member(world.institution, Role.PUBLIC_RELATIONS, email="humas2@contoh.test")
    report = report_in(world, ReportState.SUBMITTED)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.report_assign(actor=world.users["humas"], report=report, assignee=colleague)
    report.refresh_from_db()
    assert report.assignee == colleague and report.state == ReportState.IN_REVIEW
    assert [m.to for m in mail.outbox] == [["humas2@contoh.test"]]
    assert Notification.objects.filter(recipient=colleague, kind="sanctions.assigned").count() == 1
    with pytest.raises(ValidationError):
        services.report_assign(actor=world.users["humas"], report=report, assignee=world.users["pegawai"])


def test_the_reporter_hears_the_outcome_but_not_the_sanction(world, django_capture_on_commit_callbacks):
    reporter = world.users["pegawai"]
    report = report_in(world, ReportState.IN_REVIEW)
    with django_capture_on_commit_callbacks(execute=True):
        services.report_confirm(actor=world.users["humas"], report=report, reason="Terbukti.")
    notice = Notification.objects.get(recipient=reporter, kind="sanctions.report_outcome")
    assert f"#{report.pk}" in notice.body and "dikonfirmasi" in notice.body
    measure = services.measure_propose(actor=world.users["humas"], report=report, level=level(world.institution, 1))
    hear(report, world.users["humas"])
    services.measure_approve(actor=world.users["kepala"], measure=measure, reason="Setuju.")
    assert not Notification.objects.filter(recipient=reporter).exclude(kind="sanctions.report_outcome").exists()


def test_notes_are_audited_without_their_text(world):
    report = report_in(world, ReportState.IN_REVIEW)
    note = services.report_add_note(actor=world.users["humas"], report=report, text="Nomor 0812-rahasia")
    entry = AuditEntry.objects.get(action="sanctions.report.note_added")
    assert entry.target_id == str(note.pk) and "rahasia" not in str(entry.data)


# --- measures ------------------------------------------------------------------------------

def measure_in(world, state):
    inst, humas, head = world.institution, world.users["humas"], world.users["kepala"]
    measure = proposed_measure(inst, humas=humas, subject_staff=world.budi, channel=world.channel)
    if state == MeasureState.WITHDRAWN:
        services.measure_withdraw(actor=humas, measure=measure, reason="Keliru.")
    elif state == MeasureState.REJECTED:
        services.measure_reject(actor=head, measure=measure, reason="Kurang bukti.")
    elif state in (MeasureState.ACTIVE, MeasureState.EXPIRED, MeasureState.VOIDED):
        services.measure_approve(actor=head, measure=measure, reason="Setuju.")
        if state == MeasureState.EXPIRED:
            services.measures_expire_due(institution=inst, today=measure.__class__.objects.get(pk=measure.pk).active_until
                                         + datetime.timedelta(days=1))
        if state == MeasureState.VOIDED:
            objection = services.objection_file(actor=humas, measure=measure, text="Keberatan.")
            services.objection_decide(actor=head, objection=objection, upheld=True, reason="Benar.")
    measure.refresh_from_db()
    assert measure.state == state
    return measure


@pytest.fixture
def parent_world(world):
    world.parent_head = world.parent_users["kepala"]
    return world


MEASURE_STATES = list(MeasureState.values)


@pytest.mark.parametrize("state", MEASURE_STATES)
def test_approve_and_reject_only_from_proposed(parent_world, state):
    measure = measure_in(parent_world, state)
    head = parent_world.users["kepala"]
    for decide in (services.measure_approve, services.measure_reject):
        if state == MeasureState.PROPOSED:
            continue
        with pytest.raises(ValidationError) as refused:
            decide(actor=head, measure=measure, reason="Lagi.")
        assert refused.value.code == "decided"
    if state == MeasureState.PROPOSED:
        services.measure_approve(actor=head, measure=measure, reason="Setuju.")
        assert Measure.objects.get(pk=measure.pk).state == MeasureState.ACTIVE


@pytest.mark.parametrize("state", MEASURE_STATES)
def test_withdraw_delivery_and_objection_by_state(parent_world, state):
    measure = measure_in(parent_world, state)
    humas = parent_world.users["humas"]
    today = parent_world.institution.local_today()
    if state == MeasureState.PROPOSED:
        services.measure_withdraw(actor=humas, measure=measure, reason="Keliru.")
    else:
        with pytest.raises(ValidationError):
            services.measure_withdraw(actor=humas, measure=measure, reason="Keliru.")
    measure.refresh_from_db()
    if state in (MeasureState.ACTIVE, MeasureState.EXPIRED):
        services.measure_record_delivery(actor=humas, measure=measure, method="whatsapp", delivered_on=today)
    else:
        with pytest.raises(ValidationError):
            services.measure_record_delivery(actor=humas, measure=measure, method="whatsapp", delivered_on=today)
    if state == MeasureState.ACTIVE:
        services.objection_file(actor=humas, measure=measure, text="Keberatan.")
    elif state != MeasureState.VOIDED:
        with pytest.raises(ValidationError):
            services.objection_file(actor=humas, measure=measure, text="Keberatan.")


@pytest.mark.parametrize("role", [Role.HEAD, Role.OPERATOR, Role.STAFF, Role.ASSESSOR])
def test_only_humas_proposes(world, role):
    report = confirmed_report(world.institution, humas=world.users["humas"], subject_staff=world.budi)
    with pytest.raises(PermissionDenied):
        services.measure_propose(actor=world.users[role], report=report, level=level(world.institution, 1))


@pytest.mark.parametrize("role", [Role.PUBLIC_RELATIONS, Role.OPERATOR, Role.STAFF, Role.ASSESSOR])
def test_only_the_head_decides(world, role):
    measure = proposed_measure(world.institution, humas=world.users["humas"], subject_staff=world.budi)
    with pytest.raises(ValidationError):
        services.measure_approve(actor=world.users[role], measure=measure, reason="Setuju.")


def test_four_eyes_the_proposer_never_approves(world):
    # A head who also coordinates public relations proposes: their own approval is refused and
    # the proposal goes to the parent's head.
    inst = world.institution
    head = world.users["kepala"]
    make_member_role(head, inst, Role.PUBLIC_RELATIONS)
    measure = proposed_measure(inst, humas=head, subject_staff=world.budi)
    assert measure.escalated
    with pytest.raises(ValidationError):
        services.measure_approve(actor=head, measure=measure, reason="Setuju.")
    with pytest.raises(ValidationError) as refused:
        services.measure_approve(actor=head, measure=measure, reason="Setuju.", as_parent=True)
    assert refused.value.code == "escalated"
    services.measure_approve(actor=world.parent_users["kepala"], measure=measure, reason="Setuju.", as_parent=True)


def make_member_role(user, institution, role):
    from governance.tests.factories import MembershipFactory

    MembershipFactory(user=user, institution=institution, role=role)


def test_recusal_a_case_about_the_head_goes_to_the_parents_head(world, django_capture_on_commit_callbacks):
    inst, head, parent_head = world.institution, world.users["kepala"], world.parent_users["kepala"]
    head_staff = inst.staff.get(user=head)
    with django_capture_on_commit_callbacks(execute=True):
        measure = proposed_measure(inst, humas=world.users["humas"], subject_staff=head_staff)
    assert measure.escalated
    notice = Notification.objects.get(kind="sanctions.awaiting_approval")
    assert notice.recipient == parent_head and "keputusan-induk" in notice.url
    with pytest.raises(ValidationError) as refused:
        services.measure_approve(actor=head, measure=measure, reason="Saya setuju.")
    assert refused.value.code == "escalated"
    services.measure_approve(actor=parent_head, measure=measure, reason="Setuju.", as_parent=True)
    letter = WarningLetter.objects.get(measure=measure)
    assert world.parent.name in letter.signer_position


def test_a_non_escalated_case_is_not_decided_by_the_parent(world):
    measure = proposed_measure(world.institution, humas=world.users["humas"], subject_staff=world.budi)
    with pytest.raises(ValidationError):
        services.measure_approve(actor=world.parent_users["kepala"], measure=measure, reason="x", as_parent=True)


def test_the_subject_cannot_handle_their_own_case(world):
    pegawai_staff = world.institution.staff.get(user=world.users["humas"])
    report = file_report(world.institution, reporter=world.users["pegawai"], subject_staff=pegawai_staff)
    with pytest.raises(ValidationError) as refused:
        services.report_start_review(actor=world.users["humas"], report=report)
    assert refused.value.code == "recusal"


def test_the_ladder_proposes_from_active_measures_only(world):
    inst, humas, head = world.institution, world.users["humas"], world.users["kepala"]
    with time_machine.travel(datetime.datetime(2025, 1, 15, 3, tzinfo=datetime.UTC), tick=False):
        first = approved_measure(inst, humas=humas, head=head, subject_staff=world.budi, channel=world.channel)
        assert first.level_code == "SP1"
    with time_machine.travel(datetime.datetime(2025, 3, 10, 3, tzinfo=datetime.UTC), tick=False):
        second = approved_measure(inst, humas=humas, head=head, subject_staff=world.budi, channel=world.channel)
        assert second.level_code == "SP2"
        report = confirmed_report(inst, humas=humas, subject_staff=world.budi, channel=world.channel)
        assert selectors.suggest_level(report).level.code == "KELUAR"
    # Once both have expired the ladder starts again at SP1.
    with time_machine.travel(datetime.datetime(2025, 10, 1, 3, tzinfo=datetime.UTC), tick=False):
        assert services.measures_expire_due(institution=inst) == 2
        assert selectors.suggest_level(report).level.code == "SP1"
        # Choosing another level needs a written reason.
        with pytest.raises(ValidationError) as refused:
            services.measure_propose(actor=humas, report=report, level=level(inst, 2))
        assert refused.value.code == "deviation"
        measure = services.measure_propose(actor=humas, report=report, level=level(inst, 2), reason="Sangat berat.")
        assert measure.deviation_reason and measure.suggested_level.code == "SP1"


def test_removal_needs_a_group(world):
    report = confirmed_report(world.institution, humas=world.users["humas"], subject_staff=world.budi)
    with pytest.raises(ValidationError) as refused:
        services.measure_propose(actor=world.users["humas"], report=report, level=level(world.institution, 3),
                                 reason="Berat.")
    assert refused.value.code == "not_a_group"


def test_double_approval_makes_one_letter(world):
    measure = proposed_measure(world.institution, humas=world.users["humas"], subject_staff=world.budi)
    services.measure_approve(actor=world.users["kepala"], measure=measure, reason="Setuju.")
    with pytest.raises(ValidationError):
        services.measure_approve(actor=world.users["kepala"], measure=measure, reason="Setuju.")
    assert WarningLetter.objects.filter(measure=measure).count() == 1


def test_approval_notifies_humas_the_person_and_numbers_the_letter(world, django_capture_on_commit_callbacks):
    inst = world.institution
    person = world.users["pegawai"]
    staff = inst.staff.get(user=person)
    measure = proposed_measure(inst, humas=world.users["humas"], subject_staff=staff, channel=world.channel)
    Notification.objects.all().delete()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.measure_approve(actor=world.users["kepala"], measure=measure, reason="Setuju.")
    kinds = sorted(Notification.objects.values_list("kind", "recipient__email"))
    assert kinds == [("sanctions.letter_issued", person.email), ("sanctions.measure_approved", world.users["humas"].email)]
    assert len(mail.outbox) == 2
    assert all(staff.full_name not in m.subject for m in mail.outbox)
    letter = WarningLetter.objects.get(measure=measure)
    assert letter.pdf, "the letter is rendered after commit"
    assert actions(measure) == ["sanctions.measure.proposed", "sanctions.measure.approved"]
    assert actions(letter) == ["sanctions.letter.issued", "sanctions.letter.rendered"]


def test_rejection_tells_humas(world):
    measure = proposed_measure(world.institution, humas=world.users["humas"], subject_staff=world.budi)
    services.measure_reject(actor=world.users["kepala"], measure=measure, reason="Bukti kurang.")
    assert Notification.objects.filter(kind="sanctions.measure_rejected", recipient=world.users["humas"]).count() == 1
    assert not WarningLetter.objects.exists()


# --- removal ------------------------------------------------------------------------------------

def test_removal_task_for_admins_membership_ends_only_when_confirmed(world, django_capture_on_commit_callbacks):
    inst, humas = world.institution, world.users["humas"]
    with django_capture_on_commit_callbacks(execute=True):
        measure = approved_measure(inst, humas=humas, head=world.users["kepala"], subject_staff=world.budi,
                                   channel=world.channel, position=3)
    task = measure.removal
    admin = world.users["pegawai"]
    assert Notification.objects.filter(kind="sanctions.removal_due").values_list("recipient", flat=True).get() == admin.pk
    membership = GroupMembership.objects.get(channel=world.channel, staff=world.budi)
    assert membership.until is None and not WarningLetter.objects.filter(measure=measure).exists()
    with pytest.raises(PermissionDenied):
        services.removal_confirm(actor=world.users["operator"], task=task, carried_out_on=inst.local_today())
    services.removal_confirm(actor=admin, task=task, carried_out_on=inst.local_today())
    membership.refresh_from_db()
    task.refresh_from_db()
    assert membership.until == inst.local_today() and membership.removed_by == admin
    assert task.state == RemovalState.DONE and task.carried_out_by.user == admin
    assert "sanctions.removal.membership_ended" in actions(membership)
    with pytest.raises(ValidationError):
        services.removal_confirm(actor=admin, task=task, carried_out_on=inst.local_today())


def test_overdue_removals_remind_the_admins_once_a_day(world):
    inst = world.institution
    with time_machine.travel(datetime.datetime(2025, 6, 2, 3, tzinfo=datetime.UTC), tick=False):
        measure = approved_measure(inst, humas=world.users["humas"], head=world.users["kepala"],
                                   subject_staff=world.budi, channel=world.channel, position=3)
    assert measure.removal.due_on == datetime.date(2025, 6, 5)
    Notification.objects.all().delete()
    assert services.removals_remind(institution=inst, today=datetime.date(2025, 6, 5)) == 0
    assert services.removals_remind(institution=inst, today=datetime.date(2025, 6, 10)) == 1
    assert services.removals_remind(institution=inst, today=datetime.date(2025, 6, 10)) == 0
    assert list(Notification.objects.values_list("recipient", flat=True)) == [world.users["pegawai"].pk]


# --- objections ---------------------------------------------------------------------------------

def test_objection_deadline_counts_working_days_across_idul_fitri(world):
    inst = world.institution
    with time_machine.travel(datetime.datetime(2025, 3, 27, 3, tzinfo=datetime.UTC), tick=False):
        measure = approved_measure(inst, humas=world.users["humas"], head=world.users["kepala"],
                                   subject_staff=world.budi, channel=world.channel)
        services.measure_record_delivery(actor=world.users["humas"], measure=measure, method="in_person",
                                         delivered_on=datetime.date(2025, 3, 27))
    measure.refresh_from_db()
    # Delivered Thursday 27 March 2025: Nyepi leave, Idul Fitri and its collective leave, weekends and
    # Good Friday are skipped, so the 14th working day is Monday 28 April.
    assert services.objection_deadline(measure) == datetime.date(2025, 4, 28)
    with time_machine.travel(datetime.datetime(2025, 4, 29, 3, tzinfo=datetime.UTC), tick=False):
        with pytest.raises(ValidationError) as refused:
            services.objection_file(actor=world.users["humas"], measure=measure, text="Terlambat.")
        assert "28-04-2025" in str(refused.value)
    with time_machine.travel(datetime.datetime(2025, 4, 28, 9, tzinfo=datetime.UTC), tick=False):
        objection = services.objection_file(actor=world.users["humas"], measure=measure, text="Tepat waktu.")
    assert objection.deadline == datetime.date(2025, 4, 28)


def test_an_upheld_objection_voids_the_measure_and_letter(parent_world, django_capture_on_commit_callbacks):
    world = parent_world
    inst = world.institution
    person = world.users["pegawai"]
    staff = inst.staff.get(user=person)
    measure = approved_measure(inst, humas=world.users["humas"], head=world.users["kepala"], subject_staff=staff,
                               channel=world.channel)
    with django_capture_on_commit_callbacks(execute=True):
        objection = services.objection_file(actor=person, measure=measure, text="Bukan saya.")
    assert not objection.escalated, "the head who signed the letter reconsiders it first"
    assert set(Notification.objects.filter(kind="sanctions.objection_filed").values_list("recipient", flat=True)) == {
        world.users["kepala"].pk, world.users["humas"].pk}
    with pytest.raises(ValidationError):
        services.objection_decide(actor=world.parent_head, objection=objection, upheld=True, reason="x", as_parent=True)
    services.objection_decide(actor=world.users["kepala"], objection=objection, upheld=True,
                              reason="Akun dipakai orang lain.")
    measure.refresh_from_db()
    letter = WarningLetter.objects.get(measure=measure)
    assert measure.state == MeasureState.VOIDED and letter.voided_at
    assert selectors.verify_letter_code(letter.verification_code).status == "voided"
    assert Notification.objects.filter(kind="sanctions.objection_decided", recipient=person).exists()
    with pytest.raises(ValidationError):
        services.objection_decide(actor=world.users["kepala"], objection=objection, upheld=False, reason="x")


def test_a_rejected_objection_leaves_the_measure_and_a_verbal_one_is_the_heads(world):
    inst = world.institution
    measure = approved_measure(inst, humas=world.users["humas"], head=world.users["kepala"],
                               subject_staff=world.budi, channel=world.channel, position=3)
    objection = services.objection_file(actor=world.users["humas"], measure=measure, text="Keberatan.")
    assert not objection.escalated
    services.objection_decide(actor=world.users["kepala"], objection=objection, upheld=False, reason="Tetap.")
    measure.refresh_from_db()
    assert measure.state == MeasureState.ACTIVE and objection.__class__.objects.get(pk=objection.pk).state == ObjectionState.REJECTED


def test_the_person_acknowledges_receipt(world):
    person = world.users["pegawai"]
    staff = world.institution.staff.get(user=person)
    measure = approved_measure(world.institution, humas=world.users["humas"], head=world.users["kepala"],
                               subject_staff=staff)
    with pytest.raises(PermissionDenied):
        services.measure_acknowledge(actor=world.users["humas"], measure=measure)
    services.measure_acknowledge(actor=person, measure=measure)
    measure.refresh_from_db()
    assert measure.acknowledged_at and measure.delivery_method == "portal"


# --- expiry and reminders ---------------------------------------------------------------------

def test_measures_expire_at_the_end_of_their_window(world):
    inst = world.institution
    with time_machine.travel(datetime.datetime(2025, 1, 15, 3, tzinfo=datetime.UTC), tick=False):
        measure = approved_measure(inst, humas=world.users["humas"], head=world.users["kepala"], subject_staff=world.budi)
    assert (measure.active_from, measure.active_until) == (datetime.date(2025, 1, 15), datetime.date(2025, 7, 14))
    assert services.measures_expire_due(institution=inst, today=datetime.date(2025, 7, 14)) == 0
    assert services.measures_expire_due(institution=inst, today=datetime.date(2025, 7, 15)) == 1
    measure.refresh_from_db()
    assert measure.state == MeasureState.EXPIRED
    assert actions(measure)[-1] == "sanctions.measure.expired"
    assert selectors.verify_letter_code(measure.letter.verification_code).status == "expired"


def test_the_beat_task_expires_everywhere(world):
    from sanctions.tasks import expire_measures_everywhere

    with time_machine.travel(datetime.datetime(2024, 1, 15, 3, tzinfo=datetime.UTC), tick=False):
        measure = approved_measure(world.institution, humas=world.users["humas"], head=world.users["kepala"],
                                   subject_staff=world.budi)
    expire_measures_everywhere.delay()
    measure.refresh_from_db()
    assert measure.state == MeasureState.EXPIRED


def test_waiting_decisions_remind_the_head_then_the_parents_head(world):
    inst = world.institution
    with time_machine.travel(datetime.datetime(2025, 6, 2, 3, tzinfo=datetime.UTC), tick=False):
        proposed_measure(inst, humas=world.users["humas"], subject_staff=world.budi)
    Notification.objects.all().delete()
    # Proposed Monday 2 June 2025; Friday 6 June (Idul Adha) and Monday 9 June (collective leave) do not
    # count, so the fifth working day is Wednesday 11 June and the default reminder comes on the 12th.
    assert services.decisions_remind(institution=inst, today=datetime.date(2025, 6, 11))["reminded"] == 0
    assert services.decisions_remind(institution=inst, today=datetime.date(2025, 6, 12)) == {"reminded": 1, "escalated": 0}
    assert list(Notification.objects.values_list("recipient", flat=True)) == [world.users["kepala"].pk]
    Notification.objects.all().delete()
    # More than 10 working days by 19 June: the parent's head hears too, and sees it on the oversight list.
    stats = services.decisions_remind(institution=inst, today=datetime.date(2025, 6, 19))
    assert stats == {"reminded": 1, "escalated": 1}
    assert set(Notification.objects.values_list("recipient", flat=True)) == {
        world.users["kepala"].pk, world.parent_users["kepala"].pk}
    with time_machine.travel(datetime.datetime(2025, 6, 19, 3, tzinfo=datetime.UTC), tick=False):
        assert deciders.waiting_below(world.parent, late=True) == {inst: 1}
        assert deciders.waiting_below(world.parent) == {}, "the parent oversees; it does not decide"


def test_an_institution_sets_its_own_reminder_days(world):
    inst = world.institution
    services.ladder_set_policy(actor=world.users["kepala"], institution=inst, referral_only=False,
                               remind_after_working_days=2)
    with time_machine.travel(datetime.datetime(2025, 6, 2, 3, tzinfo=datetime.UTC), tick=False):
        proposed_measure(inst, humas=world.users["humas"], subject_staff=world.budi)
    assert services.decisions_remind(institution=inst, today=datetime.date(2025, 6, 4))["reminded"] == 0
    assert services.decisions_remind(institution=inst, today=datetime.date(2025, 6, 5)) == {"reminded": 1, "escalated": 0}
    with pytest.raises(ValidationError):
        services.ladder_set_policy(actor=world.users["kepala"], institution=inst, referral_only=False,
                                   remind_after_working_days=0)


# --- referrals ----------------------------------------------------------------------------------

def test_referral_records_the_formal_process_and_its_outcome(world):
    report = confirmed_report(world.institution, humas=world.users["humas"], subject_staff=world.budi)
    today = world.institution.local_today()
    referral = services.referral_create(actor=world.users["humas"], report=report, track="discipline",
                                        referred_to="Kepala Kantor Wilayah", referred_on=today,
                                        due_on=today + datetime.timedelta(days=30))
    with pytest.raises(ValidationError):
        services.referral_create(actor=world.users["humas"], report=report, track="discipline", referred_to="x",
                                 referred_on=today + datetime.timedelta(days=2))
    services.referral_record_outcome(actor=world.users["kepala"], referral=referral, outcome="Teguran tertulis PP 94.",
                                     outcome_on=today)
    with pytest.raises(ValidationError):
        services.referral_record_outcome(actor=world.users["kepala"], referral=referral, outcome="x", outcome_on=today)
    assert actions(referral) == ["sanctions.referral.created", "sanctions.referral.outcome_recorded"]


# --- the whole trail ------------------------------------------------------------------------------

def test_a_full_history_is_audited_and_verifies(parent_world):
    world = parent_world
    inst, humas, head = world.institution, world.users["humas"], world.users["kepala"]
    report = file_report(inst, reporter=world.users["pegawai"], subject_staff=world.budi, channel=world.channel,
                         evidence=[("layar.png", png_bytes())])
    services.report_assign(actor=humas, report=report, assignee=humas)
    services.report_add_note(actor=humas, report=report, text="Cek.")
    services.report_confirm(actor=humas, report=report, reason="Terbukti.")
    measure = services.measure_propose(actor=humas, report=report, level=level(inst, 1))
    hear(report, humas)
    services.measure_approve(actor=head, measure=measure, reason="Setuju.")
    services.measure_record_delivery(actor=humas, measure=measure, method="in_person", delivered_on=inst.local_today())
    objection = services.objection_file(actor=humas, measure=measure, text="Keberatan.")
    services.objection_decide(actor=head, objection=objection, upheld=True, reason="Benar.")
    history = [e.action for e in selectors.case_history(report)]
    for action in ["sanctions.report.submitted", "sanctions.evidence.added", "sanctions.report.assigned",
                   "sanctions.report.note_added", "sanctions.report.confirmed", "sanctions.measure.proposed",
                   "sanctions.measure.approved", "sanctions.letter.issued", "sanctions.measure.delivered",
                   "sanctions.objection.filed", "sanctions.objection.upheld", "sanctions.measure.voided",
                   "sanctions.letter.voided"]:
        assert action in history
    result = verify_chains()
    assert result.ok and result.entries >= len(history)
    for entry in AuditEntry.objects.filter(action__startswith="sanctions."):
        assert world.budi.full_name not in str(entry.data)


def test_the_reprimand_ladder_records_a_verbal_reprimand_then_a_written_one(world):
    inst, humas, head = world.institution, world.users["humas"], world.users["kepala"]
    services.ladder_configure(actor=head, institution=inst, preset="teguran", months={1: 3, 2: 6})
    with pytest.raises(PermissionDenied):
        services.ladder_configure(actor=humas, institution=inst, preset="sp", months={})
    verbal = approved_measure(inst, humas=humas, head=head, subject_staff=world.budi, categories=(RuleCategory.POLITICS,))
    assert verbal.level_code == "TL" and verbal.active_months == 3
    assert not WarningLetter.objects.filter(measure=verbal).exists()
    written = approved_measure(inst, humas=humas, head=head, subject_staff=world.budi)
    assert written.level_code == "TT" and WarningLetter.objects.filter(measure=written).exists()
    # The last rung stays the last rung.
    report = confirmed_report(inst, humas=humas, subject_staff=world.budi)
    assert selectors.suggest_level(report).level.code == "TT"
