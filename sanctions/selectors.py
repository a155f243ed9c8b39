"""Reads of the sanctions app: the current code's rules, the queue, the ladder engine, what a
person may see of their own case, and the indicators the semester assessment reads."""

from __future__ import annotations

import datetime
import statistics
from collections import defaultdict
from dataclasses import dataclass

from django.db import connections
from django.db.models import Case, Count, Exists, IntegerField, OuterRef, Prefetch, Q, Subquery, Value, When
from django.utils import timezone

from governance.models import CodeVersion, Institution, Membership, Role, Rule, RuleCategory, RuleKind, User
from governance.selectors import audit_entries
from governance.tenancy import rows_by_key
from members.models import Acknowledgement, GroupMembership, StaffMember

from .deadlines import HEARING_WORKING_DAYS, REMIND_AFTER_WORKING_DAYS, REMOVAL_WORKING_DAYS
from .models import (
    Appeal,
    CaseEvidence,
    CaseNote,
    CaseTombstone,
    Explanation,
    Ladder,
    LadderLevel,
    LadderProposal,
    LadderProposalState,
    LegalHold,
    LetterTombstone,
    LevelKind,
    Measure,
    MeasureState,
    Objection,
    ObjectionState,
    Referral,
    ReferralState,
    RemovalState,
    RemovalTask,
    ReportState,
    ViolationReport,
    WarningLetter,
)
from .workdays import working_days_between

LIVE_MEASURE_STATES = (MeasureState.PROPOSED, MeasureState.ACTIVE, MeasureState.EXPIRED)
# What the reported person may see of a measure about them: never a proposal still being decided.
SUBJECT_VISIBLE_STATES = (MeasureState.ACTIVE, MeasureState.EXPIRED, MeasureState.VOIDED)


def current_code(institution: Institution) -> CodeVersion | None:
    return CodeVersion.objects.filter(institution=institution, state=CodeVersion.State.PUBLISHED).first()


def code_for_citing(institution: Institution, moment: datetime.datetime | None = None) -> CodeVersion | None:
    """The version whose rules a report cites: the one in force at ``moment`` (the violation), or the
    current one when no moment is known or nothing was published by then."""
    current = current_code(institution)
    if moment is None:
        return current
    return code_in_force(institution, moment) or current


def citable_rules(institution: Institution, at: datetime.datetime | None = None):
    """Rules that a report may cite: only prohibitions (a recommendation, a permission or a sanction
    clause is not a rule anyone breaks), of the version in force at ``at`` — the time of the
    violation — or, without it, of the current version."""
    version = code_for_citing(institution, at)
    if version is None:
        return Rule.objects.none()
    return Rule.objects.filter(version=version, kind=RuleKind.PROHIBITION).select_related("version").order_by(
        "position", "pk")


def code_in_force(institution: Institution, moment: datetime.datetime) -> CodeVersion | None:
    """The version of the code that was in force at ``moment``: the last one published by then."""
    return (CodeVersion.objects.filter(institution=institution, published_at__lte=moment,
                                       state__in=[CodeVersion.State.PUBLISHED, CodeVersion.State.SUPERSEDED])
            .order_by("-published_at").first())


def code_acknowledged_at(staff, version: CodeVersion | None, moment: datetime.datetime) -> datetime.datetime | None:
    """When ``staff`` acknowledged ``version``, if they had by ``moment``."""
    if staff is None or version is None:
        return None
    found = Acknowledgement.objects.filter(staff=staff, version=version, acknowledged_at__lte=moment).first()
    return found.acknowledged_at if found else None


def is_politics(rules) -> bool:
    return any(rule.category == RuleCategory.POLITICS for rule in rules)


# --- people ---------------------------------------------------------------------------------------

def staff_record(user: User, institution: Institution) -> StaffMember | None:
    if user is None or not user.is_authenticated:
        return None
    return StaffMember.objects.filter(institution=institution, user=user, left_on__isnull=True).first()


def current_staff(institution: Institution):
    return StaffMember.objects.filter(institution=institution, left_on__isnull=True).order_by("full_name")


def is_head(user: User, institution: Institution) -> bool:
    day = institution.local_today()
    return User.objects.filter(
        Q(memberships__ends_on__isnull=True) | Q(memberships__ends_on__gt=day),
        pk=user.pk, memberships__institution=institution, memberships__role=Role.HEAD,
        memberships__starts_on__lte=day,
    ).exists()


def triage_colleagues(institution: Institution) -> list[User]:
    """People a case can be assigned to: the institution's public relations coordinators and heads
    (kept in the institution's cache until its data or one of its people changes)."""
    from governance.cache import cached

    return cached(institution, "triage_colleagues", lambda: _triage_colleagues(institution),
                  day=institution.local_today())


def _triage_colleagues(institution: Institution) -> list[User]:
    day = institution.local_today()
    ids = (
        Membership.objects.active(day)
        .filter(institution=institution, role__in=[Role.PUBLIC_RELATIONS, Role.HEAD])
        .values_list("user_id", flat=True)
    )
    return list(User.objects.filter(pk__in=list(ids), is_active=True).order_by("full_name", "email"))


def subject_user(report: ViolationReport) -> User | None:
    return report.subject_staff.user if report.subject_staff_id and report.subject_staff.user_id else None


def is_subject(user: User, report: ViolationReport) -> bool:
    subject = subject_user(report)
    return subject is not None and user is not None and subject.pk == user.pk


def admin_staff_of(channel, user: User | None = None):
    qs = GroupMembership.objects.filter(channel=channel, role=GroupMembership.Role.ADMIN, until__isnull=True)
    if user is not None:
        qs = qs.filter(staff__user=user)
    return qs.select_related("staff", "staff__user")


def group_admin_users(channel) -> list[User]:
    return [m.staff.user for m in admin_staff_of(channel) if m.staff.user_id and m.staff.user.is_active]


def is_group_admin(user: User, channel) -> bool:
    return admin_staff_of(channel, user).exists()


# --- the ladder engine ----------------------------------------------------------------------------

def current_ladder(institution: Institution) -> Ladder | None:
    return Ladder.objects.filter(institution=institution, is_current=True).prefetch_related("levels").first()


def ladder_history(institution: Institution) -> list[Ladder]:
    """Every version of the institution's ladder, newest first, with its rungs and its author."""
    return list(Ladder.objects.filter(institution=institution).select_related("created_by")
                .prefetch_related("levels").order_by("-version"))


@dataclass(frozen=True)
class RungChange:
    """One row of a proposal's comparison: the rung in force and the one proposed at that step."""

    position: int
    current: LadderLevel | None
    proposed: dict | None
    changed: bool


def _rung_tuple(rung) -> tuple | None:
    if rung is None:
        return None
    get = rung.get if isinstance(rung, dict) else (lambda key: getattr(rung, key))
    return tuple(get(key) for key in ("code", "name", "kind", "active_months", "informal"))


def proposal_changes(proposal: LadderProposal, current: Ladder | None) -> list[RungChange]:
    """Rung by rung, the version in force against the proposal (the proposal's rungs carry a
    ``kind_label`` for the page)."""
    levels = ladder_levels(current)
    proposed = [{**rung, "kind_label": LevelKind(rung["kind"]).label} for rung in proposal.levels]
    rows = []
    for index in range(max(len(levels), len(proposed))):
        now = levels[index] if index < len(levels) else None
        new = proposed[index] if index < len(proposed) else None
        rows.append(RungChange(index + 1, now, new, _rung_tuple(now) != _rung_tuple(new)))
    return rows


def ladder_proposals(institution: Institution, *, decided_limit: int = 10) -> tuple[list, list]:
    """The open proposals (oldest first) and the last decided or withdrawn ones (newest first)."""
    rows = LadderProposal.objects.filter(institution=institution).select_related("based_on", "proposed_by",
                                                                                  "decided_by", "result")
    open_ = list(rows.filter(state=LadderProposalState.PROPOSED).order_by("proposed_at", "pk"))
    decided = list(rows.exclude(state=LadderProposalState.PROPOSED).order_by("-decided_at", "-pk")[:decided_limit])
    return open_, decided


def ladder_for_reading(institution: Institution) -> Ladder | None:
    """The current ladder with its levels, kept in the institution's cache until its data changes
    (pages only: services lock and read the ladder themselves)."""
    from governance.cache import cached

    return cached(institution, "current_ladder", lambda: current_ladder(institution) or False) or None


def ladder_levels(ladder: Ladder | None) -> list[LadderLevel]:
    return sorted(ladder.levels.all(), key=lambda level: level.position) if ladder else []


def same_subject_q(report: ViolationReport) -> Q:
    """Measures about the same person: the same staff record, or the same external number or name."""
    if report.subject_staff_id:
        return Q(report__subject_staff_id=report.subject_staff_id)
    if report.subject_phone:
        return Q(report__subject_staff__isnull=True, report__subject_phone=report.subject_phone)
    return Q(report__subject_staff__isnull=True, report__subject_name__iexact=report.subject_name)


def active_measures_of(report: ViolationReport, on: datetime.date):
    """The person's measures still in force on ``on`` (expired and voided ones do not count)."""
    return Measure.objects.filter(
        same_subject_q(report), institution=report.institution, state=MeasureState.ACTIVE, active_until__gte=on,
    )


@dataclass(frozen=True)
class Suggestion:
    level: LadderLevel | None
    active: list  # the measures that led to it


def is_informal(report: ViolationReport) -> bool:
    """Whether it happened where the institution does not administer: no registered channel (a
    personal account), a channel not marked official, or a group without a registered admin."""
    channel = report.channel
    if channel is None or not channel.is_official:
        return True
    return channel.is_group and not admin_staff_of(channel).exists()


def levels_for(report: ViolationReport, levels: list) -> list:
    """The rungs that apply where the case happened (all of them in an official, administered channel)."""
    return [level for level in levels if level.informal] if is_informal(report) else list(levels)


def suggest_level(report: ViolationReport, *, ladder: Ladder | None = None, on: datetime.date | None = None) -> Suggestion:
    """The next rung after the highest one the person holds *actively*; the first rung when none.
    In an informal channel only the rungs that apply there count, the last of them repeating."""
    ladder = ladder or current_ladder(report.institution)
    levels = levels_for(report, ladder_levels(ladder))
    if not levels:
        return Suggestion(None, [])
    on = on or report.institution.local_today()
    active = list(active_measures_of(report, on).exclude(report=report).order_by("level_position"))
    highest = max((m.level_position for m in active), default=0)
    following = [level for level in levels if level.position > highest]
    return Suggestion(following[0] if following else levels[-1], active)


# --- the queue and the case file -----------------------------------------------------------------

@dataclass
class QueueFilters:
    text: str = ""  # words of the description or the name of the person reported, or "#123"
    occurred_from: datetime.date | None = None  # dates in the institution's zone, both included
    occurred_to: datetime.date | None = None
    state: str = ""
    category: str = ""
    channel: int | None = None
    assignee: int | None = None  # 0 = nobody
    priority: bool = False
    referral: str = ""  # "waiting": referred, outcome not recorded; "overdue": and past its expected day


def not_about(qs, visitor: User | None, path: str = ""):
    """``qs`` without the cases about ``visitor`` (``path`` leads from its rows to the case)."""
    if visitor is None or not visitor.is_authenticated:
        return qs
    return qs.exclude(**{f"{path}subject_staff__user": visitor})


QUEUE_STATE_ORDER = Case(
    When(state=ReportState.SUBMITTED, then=Value(0)), When(state=ReportState.IN_REVIEW, then=Value(1)),
    When(state=ReportState.CONFIRMED, then=Value(2)), default=Value(3), output_field=IntegerField(),
)


def report_queue(institution: Institution, filters: QueueFilters, *, visitor: User | None = None):
    """The queue of cases; ``visitor``: leave out the cases about them (they are not theirs to handle)."""
    qs = not_about(ViolationReport.objects.filter(institution=institution), visitor)
    if filters.text:
        qs = text_search(qs, filters.text)
    if filters.occurred_from:
        qs = qs.filter(occurred_at__gte=_local_midnight(institution, filters.occurred_from))
    if filters.occurred_to:
        qs = qs.filter(occurred_at__lt=_local_midnight(institution, filters.occurred_to + datetime.timedelta(days=1)))
    if filters.state == "open":
        qs = qs.filter(state__in=[ReportState.SUBMITTED, ReportState.IN_REVIEW])
    elif filters.state:
        qs = qs.filter(state=filters.state)
    if filters.category:
        # A subquery rather than a join: a report breaking two rules of the category is listed
        # once without DISTINCT over every column.
        broken = ViolationReport.rules.through.objects.filter(violationreport=OuterRef("pk"),
                                                              rule__category=filters.category)
        qs = qs.filter(Exists(broken))
    if filters.channel:
        qs = qs.filter(channel_id=filters.channel)
    if filters.assignee == 0:
        qs = qs.filter(assignee__isnull=True)
    elif filters.assignee:
        qs = qs.filter(assignee_id=filters.assignee)
    if filters.priority:
        qs = qs.filter(priority=True)
    if filters.referral:
        waiting = Referral.objects.filter(report=OuterRef("pk"), state=ReferralState.REFERRED)
        late = waiting.filter(due_on__lt=institution.local_today())
        # The row then shows when the outcome was expected (the earliest of the case's open referrals),
        # and whether that day has passed.
        qs = qs.filter(Exists(late if filters.referral == "overdue" else waiting)).annotate(
            referral_due=Subquery(waiting.exclude(due_on=None).order_by("due_on").values("due_on")[:1]),
            referral_overdue=Exists(late))
    # Work first: new cases, then those in review, then the decided ones (not the states' alphabet).
    return (
        qs.select_related("subject_staff", "channel", "assignee")
        .order_by(QUEUE_STATE_ORDER, "-priority", "-created_at")
    )


def _local_midnight(institution: Institution, day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(), tzinfo=institution.tzinfo)


def _case_number(text: str) -> int | None:
    digits = text.removeprefix("#")
    return int(digits) if digits.isdigit() and len(digits) < 12 else None


def text_search(qs, text: str):
    """Reports whose description or reported person's name matches ``text`` (or whose number it is).
    PostgreSQL's full-text search (the "simple" configuration: Indonesian has no stemmer there, and
    names must match as written) on PostgreSQL; every word as a case-insensitive substring elsewhere."""
    number = _case_number(text)
    if number is not None:
        return qs.filter(pk=number)
    if connections[qs.db].vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchVector

        vector = SearchVector("description", "subject_name", "subject_staff__full_name", config="simple")
        return qs.annotate(search=vector).filter(search=SearchQuery(text, config="simple", search_type="websearch"))
    for word in text.split():
        qs = qs.filter(Q(description__icontains=word) | Q(subject_name__icontains=word)
                       | Q(subject_staff__full_name__icontains=word))
    return qs


def queue_export_rows(institution: Institution, filters: QueueFilters, *, visitor: User | None = None):
    """The filtered queue with what its export needs: the rules broken (one query for all of them)."""
    return report_queue(institution, filters, visitor=visitor).prefetch_related(
        Prefetch("rules", queryset=Rule.objects.order_by("position", "pk")))


def queue_counts(institution: Institution, *, visitor: User | None = None) -> dict:
    """The queue's counters, kept in the institution's cache until its data changes. For a
    ``visitor`` who is the subject of a case here, counted without those cases (and not cached)."""
    from governance.cache import cached

    if visitor is not None and visitor.is_authenticated and ViolationReport.objects.filter(
            institution=institution, subject_staff__user=visitor).exists():
        return _queue_counts(institution, visitor)
    # Kept for the day too: a referral becomes overdue when a day begins, not when data changes.
    return cached(institution, "queue_counts", lambda: _queue_counts(institution), day=institution.local_today())


def _queue_counts(institution: Institution, visitor: User | None = None) -> dict:
    counts = not_about(ViolationReport.objects.filter(institution=institution), visitor).aggregate(
        submitted=Count("pk", filter=Q(state=ReportState.SUBMITTED)),
        in_review=Count("pk", filter=Q(state=ReportState.IN_REVIEW)),
        confirmed=Count("pk", filter=Q(state=ReportState.CONFIRMED)),
        dismissed=Count("pk", filter=Q(state=ReportState.DISMISSED)),
        priority_open=Count("pk", filter=Q(priority=True, state__in=[ReportState.SUBMITTED, ReportState.IN_REVIEW])),
        unassigned_open=Count("pk", filter=Q(assignee__isnull=True, state__in=[ReportState.SUBMITTED, ReportState.IN_REVIEW])),
    )
    counts["open"] = counts["submitted"] + counts["in_review"]
    counts["awaiting_decision"] = not_about(
        Measure.objects.filter(institution=institution, state=MeasureState.PROPOSED), visitor, "report__").count()
    counts["removals_open"] = not_about(
        RemovalTask.objects.filter(institution=institution, state=RemovalState.OPEN), visitor, "measure__report__").count()
    counts.update(not_about(Referral.objects.filter(institution=institution, state=ReferralState.REFERRED), visitor,
                            "report__").aggregate(
        referrals_waiting=Count("pk"),
        referrals_overdue=Count("pk", filter=Q(due_on__lt=institution.local_today()))))
    return counts


def case_file(institution: Institution, pk: int) -> ViolationReport:
    from django.shortcuts import get_object_or_404

    report = get_object_or_404(
        ViolationReport.objects.select_related(
            "subject_staff", "channel", "assignee", "reporter", "decided_by", "on_behalf_of", "election_period",
        ).prefetch_related(Prefetch("rules", queryset=Rule.objects.select_related("version"))),
        pk=pk, institution=institution,
    )
    report.institution = institution
    return report


def case_measures(report: ViolationReport) -> list[Measure]:
    return list(
        report.measures.select_related("level", "level__ladder", "suggested_level", "proposed_by", "decided_by", "letter", "removal",
                                       "objection", "objection__decided_by", "objection__appeal",
                                       "objection__appeal__decided_by")
        .order_by("proposed_at")
    )


def case_history(report: ViolationReport, measures=None, *, evidence=None, notes=None, referrals=None):
    """Every audit entry about the case: the report, its evidence, notes, measures, letters,
    removals, objections, appeals and referrals, newest first (one query on the trail). Pass the lists the
    page already holds to save reading their ids again."""
    measures = measures if measures is not None else case_measures(report)

    def ids(given, related):
        return [str(item.pk) for item in given] if given is not None else [
            str(pk) for pk in related.values_list("pk", flat=True)]

    targets: dict[str, list[str]] = defaultdict(list)
    targets["sanctions.violationreport"].append(str(report.pk))
    evidence_ids = ids(evidence, report.evidence)
    targets["sanctions.caseevidence"] += evidence_ids
    targets["sanctions.evidence"] += evidence_ids  # entries written before the model was renamed
    targets["sanctions.casenote"] += ids(notes, report.notes)
    targets["sanctions.referral"] += ids(referrals, report.referrals)
    memberships = []
    for measure in measures:
        targets["sanctions.measure"].append(str(measure.pk))
        for attribute, label in (("letter", "sanctions.warningletter"), ("removal", "sanctions.removaltask"),
                                 ("objection", "sanctions.objection")):
            related = getattr(measure, attribute, None)
            if related is not None:
                targets[label].append(str(related.pk))
                if attribute == "removal" and related.group_membership_id:
                    memberships.append(str(related.group_membership_id))
                appeal = getattr(related, "appeal", None) if attribute == "objection" else None
                if appeal is not None:
                    targets["sanctions.appeal"].append(str(appeal.pk))
    condition = Q()
    for target_type, ids in targets.items():
        if ids:
            condition |= Q(target_type=target_type, target_id__in=ids)
    # The hearing's entries name the report in their data (no query for the explanation's id).
    condition |= Q(target_type="sanctions.explanation", data__report=report.pk)
    if memberships:
        # Of the group membership's own history, only its ending belongs to this case.
        condition |= Q(target_type="members.groupmembership", target_id__in=memberships,
                       action="sanctions.removal.membership_ended")
    return audit_entries(report.institution).filter(condition)


def remind_after_working_days(institution: Institution) -> int:
    ladder = current_ladder(institution)
    return ladder.remind_after_working_days if ladder else REMIND_AFTER_WORKING_DAYS


def removal_working_days(institution: Institution) -> int:
    """How long the group's admins have to carry out a removal, as the institution's policy sets it."""
    ladder = current_ladder(institution)
    return ladder.removal_working_days if ladder else REMOVAL_WORKING_DAYS


def hearing_working_days(institution: Institution) -> int:
    """How long the person reported may explain, as the institution's policy sets it."""
    ladder = current_ladder(institution)
    return ladder.hearing_working_days if ladder else HEARING_WORKING_DAYS


def overdue_referrals(institution: Institution, today: datetime.date | None = None, *, visitor: User | None = None):
    """Referrals still waiting for their outcome after the day it was expected, oldest first
    (``visitor``: without those of cases about them)."""
    today = today or institution.local_today()
    return not_about(Referral.objects.filter(institution=institution, state=ReferralState.REFERRED, due_on__lt=today)
                     .select_related("report", "report__subject_staff").order_by("due_on"), visitor, "report__")


# --- decisions --------------------------------------------------------------------------------

def decisions_waiting(institution: Institution, *, escalated: bool | None):
    """Proposed measures, filed objections and filed appeals at ``institution`` (``escalated=None``:
    all of them; appeals are never filtered by it).
    Who decides each is ``sanctions.deciders``' answer."""
    flag = {} if escalated is None else {"escalated": escalated}
    measures = (
        Measure.objects.filter(institution=institution, state=MeasureState.PROPOSED, **flag)
        .select_related("report", "report__subject_staff__user", "proposed_by").order_by("proposed_at")
    )
    objections = (
        Objection.objects.filter(institution=institution, state=ObjectionState.FILED, **flag)
        .select_related("measure", "measure__report", "measure__report__subject_staff__user").order_by("filed_at")
    )
    appeals = (
        Appeal.objects.filter(institution=institution, state=ObjectionState.FILED)
        .select_related("objection__measure__report__subject_staff__user", "objection__decided_by").order_by("filed_at")
    )
    return list(measures), list(objections), list(appeals)


# --- what a person sees of their own ---------------------------------------------------------

def reports_filed_by(user: User, institution: Institution):
    return (
        ViolationReport.objects.filter(institution=institution)
        .filter(Q(reporter=user) | Q(on_behalf_of__user=user))
        .select_related("channel").order_by("-created_at")
    )


def measures_about(user: User, institution: Institution):
    """Measures about the user (through their staff record), once decided (never proposals)."""
    return (
        Measure.objects.filter(institution=institution, report__subject_staff__user=user)
        .filter(state__in=SUBJECT_VISIBLE_STATES)
        .select_related("report", "report__channel", "objection", "objection__appeal").prefetch_related("letter")
        .order_by("-decided_at")
    )


def removal_tasks_for(user: User, institution: Institution, *, everything: bool):
    """The removals the user may carry out: never their own."""
    qs = not_about(RemovalTask.objects.filter(institution=institution), user, "measure__report__").select_related(
        "channel", "measure", "measure__report", "measure__report__subject_staff",
    )
    if not everything:
        channel_ids = GroupMembership.objects.filter(
            channel__institution=institution, role=GroupMembership.Role.ADMIN, until__isnull=True, staff__user=user,
        ).values_list("channel_id", flat=True)
        qs = qs.filter(channel_id__in=list(channel_ids))
    return qs.order_by("state", "due_on")


def staff_measures(staff: StaffMember):
    """A person's decided measures, for their profile page (roles that handle cases)."""
    return (
        Measure.objects.filter(report__subject_staff=staff)
        .exclude(state__in=[MeasureState.WITHDRAWN, MeasureState.REJECTED])
        .select_related("report").prefetch_related("letter").order_by("-proposed_at")
    )


def explanations_asked_of(user: User, institution: Institution) -> list:
    """The confirmed cases about the user that still wait for their explanation."""
    today = institution.local_today()
    return list(Explanation.objects.filter(institution=institution, report__subject_staff__user=user,
                                           given_at__isnull=True, skipped_at__isnull=True, due_on__gte=today)
                .order_by("due_on"))


def explanation_of(report: ViolationReport):
    return Explanation.objects.filter(report=report).select_related("recorded_by", "skipped_by").first()


def evidence_of(report: ViolationReport):
    return CaseEvidence.objects.filter(report=report).order_by("pk")


def held_cases(institution: Institution) -> list[LegalHold]:
    """The institution's cases on legal hold (kept from deletion), newest hold first."""
    return list(LegalHold.objects.filter(institution=institution).select_related("report", "set_by")
                .order_by("-set_at"))


def deleted_case_count(institution: Institution) -> int:
    """Cases deleted under the retention rule (their tombstones)."""
    return CaseTombstone.objects.filter(institution=institution).count()


def referrals_of(report: ViolationReport):
    return Referral.objects.filter(report=report).select_related("created_by", "outcome_recorded_by")


# --- letters and the public verification page ----------------------------------------------

def letter_status(letter: WarningLetter, today: datetime.date | None = None) -> str:
    """"voided", "expired" or "active"."""
    measure = letter.measure
    if letter.voided_at or measure.state == MeasureState.VOIDED:
        return "voided"
    today = today or letter.institution.local_today()
    if measure.state == MeasureState.EXPIRED or (measure.active_until and measure.active_until < today):
        return "expired"
    return "active"


@dataclass(frozen=True)
class Verification:
    number: str
    issued_on: datetime.date
    institution_name: str
    status: str
    active_until: datetime.date | None
    voided_on: datetime.date | None = None
    # The case was deleted under the retention rule on this date: the letter was genuine; its file is gone.
    deleted_on: datetime.date | None = None

    @property
    def is_deleted(self) -> bool:
        return self.deleted_on is not None

    @property
    def is_voided(self) -> bool:
        return self.status == "voided"

    @property
    def is_expired(self) -> bool:
        return self.status == "expired"

    @property
    def is_active(self) -> bool:
        return self.status == "active"


def verify_letter_code(code: str) -> Verification | None:
    """The public facts of a letter, found by its code across institutions. No personal data."""
    code = "".join(ch for ch in (code or "").upper() if ch.isalnum())
    if not code or len(code) > 16:
        return None
    letter = rows_by_key(WarningLetter).select_related("institution", "measure").filter(verification_code=code).first()
    if letter is None:
        return _verify_deleted_letter(code)
    return Verification(
        number=letter.number, issued_on=letter.issued_on, institution_name=letter.institution.name,
        status=letter_status(letter), active_until=letter.measure.active_until,
        voided_on=timezone.localtime(letter.voided_at, letter.institution.tzinfo).date() if letter.voided_at else None,
    )


def _verify_deleted_letter(code: str) -> Verification | None:
    """A letter whose case was deleted under the retention rule: still genuine, from its tombstone."""
    kept = rows_by_key(LetterTombstone).select_related("institution").filter(verification_code=code).first()
    if kept is None:
        return None
    ended = kept.active_until and kept.active_until < kept.institution.local_today()
    return Verification(
        number=kept.number, issued_on=kept.issued_on, institution_name=kept.institution.name,
        status="voided" if kept.voided_on else "expired" if ended else "active", active_until=kept.active_until,
        voided_on=kept.voided_on, deleted_on=kept.deleted_on,
    )


# --- indicators for the semester assessment (reports app) --------------------------------------
#
# Each takes (institution_ids, start, end) with inclusive local dates, returns {institution_id: value}
# for every id given, and runs a fixed number of queries whatever the number of institutions.
# Call them inside a scope that covers the institutions (governance.tenancy.subtree_scope).

def _local_date(value: datetime.datetime, tz) -> datetime.date:
    return timezone.localtime(value, tz).date()


def _zones(institution_ids) -> dict:
    return {pk: Institution(timezone=tz).tzinfo for pk, tz in
            Institution.objects.filter(pk__in=institution_ids).values_list("pk", "timezone")}


def _window(start: datetime.date, end: datetime.date):
    """A UTC window wide enough for every Indonesian zone (UTC+7 … UTC+9)."""
    low = datetime.datetime.combine(start, datetime.time.min, tzinfo=datetime.UTC) - datetime.timedelta(hours=10)
    high = datetime.datetime.combine(end, datetime.time.max, tzinfo=datetime.UTC)
    return low, high


def median_working_days_to_decision(institution_ids: list[int], start: datetime.date, end: datetime.date) -> dict:
    """Median working days from a report's submission to its triage decision (confirmed or dismissed).

    Formula: for every report whose decision date (local, institution's zone) falls in
    [start, end], count the working days after the submission date up to and including the
    decision date (weekends, public holidays and cuti bersama skipped; a same-day decision is 0),
    then take the median per institution. ``None`` when no report was decided in the window.
    Cases deleted under the retention rule count from their tombstones.
    Queries: 3 (zones, reports, tombstones).
    """
    zones = _zones(institution_ids)
    low, high = _window(start, end)
    rows = ViolationReport.objects.filter(
        institution_id__in=institution_ids, state__in=[ReportState.CONFIRMED, ReportState.DISMISSED],
        decided_at__gte=low, decided_at__lte=high,
    ).values_list("institution_id", "created_at", "decided_at")
    durations: dict[int, list[int]] = defaultdict(list)
    for institution_id, created_at, decided_at in rows:
        tz = zones[institution_id]
        decided_on = _local_date(decided_at, tz)
        if start <= decided_on <= end:
            durations[institution_id].append(working_days_between(_local_date(created_at, tz), decided_on))
    # Cases deleted under the retention rule still count, from their tombstones (local dates).
    for institution_id, reported_on, decided_on in CaseTombstone.objects.filter(
        institution_id__in=institution_ids, decided_on__gte=start, decided_on__lte=end,
    ).values_list("institution_id", "reported_on", "decided_on"):
        durations[institution_id].append(working_days_between(reported_on, decided_on))
    return {pk: (statistics.median(durations[pk]) if durations.get(pk) else None) for pk in institution_ids}


def open_cases_older_than(institution_ids: list[int], start: datetime.date, end: datetime.date, days: int = 30) -> dict:
    """Reports still undecided at the end of ``end`` that were submitted more than ``days``
    calendar days before ``end``.

    Formula: count reports with local submission date < end − days whose triage decision is
    missing or dated after ``end`` (a report decided later counts as open at ``end``). ``start``
    is accepted for a uniform signature; the count is a snapshot at ``end``.
    Queries: 2 (zones, reports).
    """
    zones = _zones(institution_ids)
    cutoff = end - datetime.timedelta(days=days)
    _, high = _window(cutoff, cutoff)
    rows = ViolationReport.objects.filter(institution_id__in=institution_ids, created_at__lte=high).filter(
        Q(decided_at__isnull=True) | Q(decided_at__gt=datetime.datetime.combine(end, datetime.time.min, tzinfo=datetime.UTC))
    ).values_list("institution_id", "created_at", "decided_at")
    counts = dict.fromkeys(institution_ids, 0)
    for institution_id, created_at, decided_at in rows:
        tz = zones[institution_id]
        if _local_date(created_at, tz) >= cutoff:
            continue
        if decided_at is not None and _local_date(decided_at, tz) <= end:
            continue
        counts[institution_id] += 1
    return counts


def confirmed_violations_per_100_staff(institution_ids: list[int], start: datetime.date, end: datetime.date) -> dict:
    """Confirmed reports per 100 staff members.

    Formula: 100 × (reports confirmed with a local decision date in [start, end]) ÷ (staff on the
    list at ``end``: joined on or before ``end`` and not left by then), rounded to 2 decimals;
    ``None`` when the institution has no staff on the list. Cases deleted under the retention rule
    count from their tombstones.
    Queries: 4 (zones, reports, tombstones, staff counts).
    """
    zones = _zones(institution_ids)
    low, high = _window(start, end)
    confirmed = dict.fromkeys(institution_ids, 0)
    for institution_id, decided_at in ViolationReport.objects.filter(
        institution_id__in=institution_ids, state=ReportState.CONFIRMED, decided_at__gte=low, decided_at__lte=high,
    ).values_list("institution_id", "decided_at"):
        if start <= _local_date(decided_at, zones[institution_id]) <= end:
            confirmed[institution_id] += 1
    for institution_id, n in (CaseTombstone.objects.filter(
            institution_id__in=institution_ids, outcome=ReportState.CONFIRMED, decided_on__gte=start, decided_on__lte=end)
            .values_list("institution_id").annotate(n=Count("pk"))):
        confirmed[institution_id] += n
    staff = dict(
        StaffMember.objects.filter(institution_id__in=institution_ids, joined_on__lte=end)
        .filter(Q(left_on__isnull=True) | Q(left_on__gt=end))
        .values_list("institution_id").annotate(n=Count("pk"))
    )
    return {pk: (round(100 * confirmed[pk] / staff[pk], 2) if staff.get(pk) else None) for pk in institution_ids}


def removals_on_time_share(institution_ids: list[int], start: datetime.date, end: datetime.date) -> dict:
    """Share of removal tasks carried out by their due date.

    Formula: among removal tasks due in [start, end] and not cancelled, the fraction (0–1, 3
    decimals) whose confirmed carrying-out date is on or before the due date; a task still open
    counts as late. ``None`` when no removal was due in the window.
    Queries: 1.
    """
    rows = RemovalTask.objects.filter(
        institution_id__in=institution_ids, due_on__gte=start, due_on__lte=end,
    ).exclude(state=RemovalState.CANCELLED).values_list("institution_id", "due_on", "carried_out_on")
    due, on_time = defaultdict(int), defaultdict(int)
    for institution_id, due_on, carried_out_on in rows:
        due[institution_id] += 1
        if carried_out_on is not None and carried_out_on <= due_on:
            on_time[institution_id] += 1
    return {pk: (round(on_time[pk] / due[pk], 3) if due.get(pk) else None) for pk in institution_ids}


def audit_case_targets(institution: Institution, *, case: int | None = None, subject: User | None = None) -> dict:
    """The rows of case number ``case``, or of every case about the user ``subject``, by the target
    type their audit entries name (``governance.selectors.register_audit_case``); unevaluated."""
    if case is None and subject is None:
        return {}
    reports = ViolationReport.objects.filter(institution=institution)
    reports = reports.filter(pk=case) if case is not None else reports.filter(subject_staff__user=subject)
    measures = Measure.objects.filter(report__in=reports)
    objections = Objection.objects.filter(measure__in=measures)
    return {
        "sanctions.violationreport": reports,
        "sanctions.caseevidence": CaseEvidence.objects.filter(report__in=reports),
        "sanctions.explanation": Explanation.objects.filter(report__in=reports),
        "sanctions.casenote": CaseNote.objects.filter(report__in=reports),
        "sanctions.referral": Referral.objects.filter(report__in=reports),
        "sanctions.legalhold": LegalHold.objects.filter(report__in=reports),
        "sanctions.measure": measures,
        "sanctions.warningletter": WarningLetter.objects.filter(measure__in=measures),
        "sanctions.removaltask": RemovalTask.objects.filter(measure__in=measures),
        "sanctions.objection": objections,
        "sanctions.appeal": Appeal.objects.filter(objection__in=objections),
    }
