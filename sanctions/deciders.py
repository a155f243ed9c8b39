"""Who decides a proposed measure, a filed objection or an appeal, today: always someone, named on the case.

At the case's institution the head decides. An acting head (Plh/Plt, a dated ``Role.ACTING``
membership) takes the head's place in three situations: during the head's leave (an appointment with
an end date: the head does not decide meanwhile), when the head's seat is empty, and — at a
top-level institution, which has no parent to turn to — when the head is the subject or the
proposer of the case. Otherwise a case the head may not decide goes to the parent institution's
head (or its acting head), and so does a case at an institution with nobody in the seat; when
nobody at the parent is free either, the next institution up decides, and so on to the top.

The subject of the case and the person who proposed the measure never decide it (recusal and the
four-eyes rule), so they are left out at every level. When nobody is left, the decider is "nobody"
and the case file says who must appoint an acting head.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from governance.models import Institution, Membership, Role, User
from governance.tenancy import rows_by_key, rows_of_children, rows_of_subtree

from . import selectors
from .deadlines import REMIND_AFTER_WORKING_DAYS
from .models import Appeal, Ladder, Measure, MeasureState, Objection, ObjectionState
from .workdays import working_days_between


@dataclass(frozen=True)
class Decider:
    institution: Institution | None  # where the decider sits
    users: tuple[User, ...] = ()
    acting: bool = False  # an acting head (Plh/Plt) rather than the head
    above: bool = False  # above the case's institution (its parent, or for an appeal possibly higher)
    since: datetime.datetime | None = None

    @property
    def exists(self) -> bool:
        return bool(self.users)

    def includes(self, user: User | None) -> bool:
        return user is not None and any(u.pk == user.pk for u in self.users)


@dataclass
class _Seat:
    heads: list[User] = field(default_factory=list)
    on_leave_cover: list[User] = field(default_factory=list)  # acting heads with an end date
    standing: list[User] = field(default_factory=list)  # acting heads without one


class SeatIndex:
    """The heads and acting heads of some institutions on one day, read in one query."""

    def __init__(self, institutions, day: datetime.date | None = None):
        institutions = [i for i in institutions if i is not None]
        self.day = day
        self._seats: dict[int, _Seat] = {i.pk: _Seat() for i in institutions}
        if not institutions:
            return
        days = {i.pk: day or i.local_today() for i in institutions}
        rows = (rows_by_key(Membership).filter(institution_id__in=list(days), role__in=[Role.HEAD, Role.ACTING],
                                                user__is_active=True)
                .select_related("user").order_by("user_id"))
        for membership in rows:
            on = days[membership.institution_id]
            if membership.starts_on > on or (membership.ends_on is not None and membership.ends_on <= on):
                continue
            seat = self._seats[membership.institution_id]
            if membership.role == Role.HEAD:
                seat.heads.append(membership.user)
            elif membership.ends_on is not None:
                seat.on_leave_cover.append(membership.user)
            else:
                seat.standing.append(membership.user)

    def seat(self, institution: Institution) -> _Seat:
        if institution.pk not in self._seats:
            self._seats.update(SeatIndex([institution], self.day)._seats)
        return self._seats[institution.pk]


def _without(users, excluded: set[int]) -> tuple[User, ...]:
    return tuple(u for u in users if u.pk not in excluded)


def _here(seat: _Seat, excluded: set[int], *, head_recused: bool) -> tuple[tuple[User, ...], bool]:
    """(users, acting) who decide at one institution, or ((), False)."""
    if head_recused:
        return _without(seat.on_leave_cover + seat.standing, excluded), True
    if seat.on_leave_cover:
        return _without(seat.on_leave_cover, excluded), True
    heads = _without(seat.heads, excluded)
    if heads:
        return heads, False
    if not seat.heads:  # the seat is empty
        return _without(seat.standing, excluded), True
    return (), False


def decider(institution: Institution, *, escalated: bool, subject: User | None = None,
            proposer: User | None = None, since: datetime.datetime | None = None,
            seats: SeatIndex | None = None) -> Decider:
    """Who decides a case at ``institution``. ``escalated``: the head is its subject or proposer."""
    parent = institution.parent if institution.parent_id else None
    seats = seats or SeatIndex([institution, parent])
    excluded = {u.pk for u in (subject, proposer) if u is not None}
    if not (escalated and parent is not None):
        users, acting = _here(seats.seat(institution), excluded, head_recused=escalated)
        if users:
            return Decider(institution, users, acting=acting, above=False, since=since)
        if escalated:  # a top-level institution without an acting head
            return Decider(institution, since=since)
    if parent is None:
        return Decider(institution, since=since)
    users, acting = _here(seats.seat(parent), excluded, head_recused=False)
    if users:
        return Decider(parent, users, acting=acting, above=True, since=since)
    # Nobody free at the parent either (its seat empty, or its head the subject): the next official
    # up decides, as an appeal climbs, so that the case never waits for nobody below the top.
    for level in _lineage_upwards(parent):
        users, acting = _free_above(seats.seat(level), excluded)
        if users:
            return Decider(level, users, acting=acting, above=True, since=since)
    return Decider(parent, above=True, since=since)


def for_measure(measure, seats: SeatIndex | None = None) -> Decider:
    return decider(measure.institution, escalated=measure.escalated, subject=selectors.subject_user(measure.report),
                   proposer=measure.proposed_by, since=measure.proposed_at, seats=seats)


def for_objection(objection, seats: SeatIndex | None = None) -> Decider:
    return decider(objection.institution, escalated=objection.escalated, subject=selectors.subject_user(objection.measure.report),
                   since=objection.filed_at, seats=seats)


def _free_above(seat: _Seat, excluded: set[int]) -> tuple[tuple[User, ...], bool]:
    """(users, acting) who may hear an appeal at one institution above the case: its head, unless
    the head is on leave or conflicted; then its acting head (Plh/Plt); or ((), False)."""
    if not seat.on_leave_cover:
        heads = _without(seat.heads, excluded)
        if heads:
            return heads, False
    acting = _without(seat.on_leave_cover + seat.standing, excluded)
    return (acting, True) if acting else ((), False)


def _lineage_upwards(institution: Institution) -> list[Institution]:
    """The institution's ancestors, the parent first and the top last."""
    chain, current = [], institution
    while current.parent_id:
        current = current.parent
        chain.append(current)
    return chain


def appeal_conflicted(objection, appellant: User | None = None) -> set[int]:
    """Those who may never hear an appeal: the person reported, whoever proposed or decided the
    measure, whoever kept it on objection, and whoever files the appeal."""
    measure = objection.measure
    people = (selectors.subject_user(measure.report), measure.proposed_by, measure.decided_by,
              objection.decided_by, appellant)
    return {u.pk for u in people if u is not None}


def _kept_at(objection, seats: SeatIndex) -> tuple[Institution, bool]:
    """Where the official who kept the measure on objection sits, and whether as its head. A case of
    the institution's own head was kept there; a case decided above from the start, at the level of
    the official who decided the objection (the parent's head, or someone further up, or the acting
    head of a top-level institution for a case about its head)."""
    institution = objection.institution
    if not objection.escalated:
        return institution, True
    for level in (institution, *_lineage_upwards(institution)):
        seat = seats.seat(level)
        if objection.decided_by_id in {u.pk for u in seat.heads}:
            return level, True
        if objection.decided_by_id in {u.pk for u in seat.on_leave_cover + seat.standing}:
            return level, False
    # The official has since left every seat: the level an escalated case is decided at.
    return (institution.parent if institution.parent_id else institution), institution.parent_id is not None


def for_appeal_of(objection, *, appellant: User | None = None, since: datetime.datetime | None = None,
                  seats: SeatIndex | None = None) -> Decider:
    """Who hears an appeal against ``objection`` (filed, or about to be, by ``appellant``): the next
    official up from the one who kept the measure (``_kept_at``). Above an institution with a parent
    that is the parent's head; when the head is on leave, the seat is empty or the head is
    conflicted, the parent's acting head; and when nobody there is free, the grandparent's head or
    acting head, and so on to the top. Above the head of a top-level institution, its acting head
    hears it. Nobody — when the acting head at the top kept the measure, or every official above is
    absent or conflicted — means there is no appeal (``appeal_ends_at_the_top`` tells which)."""
    institution = objection.institution
    seats = seats or SeatIndex([institution])
    excluded = appeal_conflicted(objection, appellant)
    level, as_head = _kept_at(objection, seats)
    if not level.parent_id:
        if not as_head:
            return Decider(level, above=level != institution, since=since)
        users, _acting = _here(seats.seat(level), excluded, head_recused=True)
        return Decider(level, users, acting=True, above=level != institution, since=since) if users \
            else Decider(level, above=level != institution, since=since)
    lineage = _lineage_upwards(level)
    for above in lineage:
        users, acting = _free_above(seats.seat(above), excluded)
        if users:
            return Decider(above, users, acting=acting, above=True, since=since)
    return Decider(lineage[-1], above=True, since=since)


def appeal_ends_at_the_top(objection, seats: SeatIndex | None = None) -> bool:
    """Whether the acting head of a top-level institution kept the measure: nobody is above them."""
    level, as_head = _kept_at(objection, seats or SeatIndex([objection.institution]))
    return not level.parent_id and not as_head


def for_appeal(appeal, seats: SeatIndex | None = None) -> Decider:
    """The official who hears a filed appeal (see ``for_appeal_of``), and since when it waits."""
    return for_appeal_of(appeal.objection, appellant=appeal.filed_by, since=appeal.filed_at, seats=seats)


def nobody_decides_message(decision: Decider) -> str:
    """What to do when nobody may decide: who appoints an acting head, and where."""
    institution = decision.institution
    if institution.parent_id:
        return _("Nobody may decide this case now: %(institution)s has no head or acting head who is free to decide "
                 "it. The head of %(parent)s appoints an acting head (Plh/Plt) there.") % {
            "institution": institution.name, "parent": institution.parent.name}
    return _("Nobody may decide this case now: %(institution)s has no acting head (Plh/Plt) who is free to decide "
             "it. A platform operator appoints one for a top-level institution.") % {"institution": institution.name}


def describe(decision: Decider, case_institution: Institution | None = None) -> str:
    """One sentence for the case file: who must decide, and since when — in the zone of the case's
    institution when given (an appeal may be heard far up the tree, in another zone)."""
    if not decision.exists:
        return nobody_decides_message(decision)
    zone = (case_institution or decision.institution).tzinfo
    since = formats.date_format(timezone.localtime(decision.since, zone), "j F Y") if decision.since else ""
    role = _("acting head (Plh/Plt)") if decision.acting else _("head")
    return _("Waiting for the decision of %(who)s, %(role)s of %(institution)s, since %(since)s.") % {
        "who": ", ".join(u.full_name or u.email for u in decision.users), "role": role,
        "institution": decision.institution.name, "since": since}


def covering_leave_of(user: User, institution: Institution) -> list[Membership]:
    """When ``user`` heads ``institution`` and an acting head covers their leave today: those
    appointments (their ``ends_on`` is the day the head is back). The head decides nothing meanwhile."""
    today = institution.local_today()
    active = Membership.objects.active(today).filter(institution=institution)
    if not active.filter(role=Role.HEAD, user=user).exists():
        return []
    return list(active.filter(role=Role.ACTING, ends_on__isnull=False, user__is_active=True)
                .select_related("user").order_by("ends_on"))


def waiting_for(user: User, institution: Institution, *, above: bool) -> tuple[list, list, list]:
    """The measures, objections and appeals of ``institution`` that ``user`` decides: at the institution
    itself, or (``above``) as the parent's head or acting head."""
    measures, objections, appeals = selectors.decisions_waiting(institution, escalated=None)
    for item in (*measures, *objections, *appeals):
        item.institution = institution
    seats = SeatIndex([institution, institution.parent if institution.parent_id else None])
    mine = lambda decision: decision.above == above and decision.includes(user)  # noqa: E731
    return ([m for m in measures if mine(for_measure(m, seats))],
            [o for o in objections if mine(for_objection(o, seats))],
            [a for a in appeals if mine(for_appeal(a, seats))])


def waiting_below(parent: Institution, *, late: bool = False) -> dict[Institution, int]:
    """For a parent's dashboard: at each direct child, how many decisions fall to the parent — or,
    with ``late``, how many the child's own deciders have left waiting more than twice the child's
    reminder days (the oversight list: the parent sees them, it does not decide them)."""
    children = list(Institution.objects.filter(parent=parent, is_active=True).order_by("name"))
    if not children:
        return {}
    seats = SeatIndex([parent, *children])
    by_pk = {child.pk: child for child in children}
    limits = {child.pk: REMIND_AFTER_WORKING_DAYS for child in children}
    if late:
        for ladder in rows_of_children(Ladder, parent).filter(is_current=True):
            limits[ladder.institution_id] = ladder.remind_after_working_days
    measures = (rows_of_children(Measure, parent).filter(state=MeasureState.PROPOSED)
                .select_related("report__subject_staff__user", "proposed_by"))
    objections = (rows_of_children(Objection, parent).filter(state=ObjectionState.FILED)
                  .select_related("measure__report__subject_staff__user"))
    appeals = (rows_of_children(Appeal, parent).filter(state=ObjectionState.FILED)
               .select_related("objection__measure__report__subject_staff__user", "objection__decided_by"))
    counts: dict[Institution, int] = {}
    for item, decide in [*((m, for_measure) for m in measures), *((o, for_objection) for o in objections),
                         *((a, for_appeal) for a in appeals)]:
        item.institution = by_pk[item.institution_id]
        item.institution.parent = parent
        decision = decide(item, seats)
        if late:
            since = timezone.localtime(decision.since, item.institution.tzinfo).date()
            counted = not decision.above and working_days_between(
                since, item.institution.local_today()) > 2 * limits[item.institution_id]
        else:  # an appeal may have climbed past this parent: then it is not the parent's to decide
            counted = decision.above and decision.institution is not None and decision.institution.pk == parent.pk
        if counted:
            counts[item.institution] = counts.get(item.institution, 0) + 1
    below = {child: counts[child] for child in children if child in counts}
    if not late:
        for child, n in decisions_from_further_below(parent, seats).items():
            below[child] = below.get(child, 0) + n
    return below


def decisions_from_further_below(institution: Institution, seats: SeatIndex | None = None) -> dict[Institution, int]:
    """Measures, objections and appeals of institutions below the children that climbed up to
    ``institution`` because nobody between was free to decide them: per case institution, how many
    wait for its head or acting head."""
    deeper = {i.pk: i for i in Institution.objects.filter(path__startswith=institution.path, is_active=True)
              .exclude(pk=institution.pk).exclude(parent=institution).order_by("name")}
    if not deeper:
        return {}
    ids = list(deeper)
    measures = (rows_of_subtree(Measure, institution).filter(state=MeasureState.PROPOSED, institution_id__in=ids)
                .select_related("institution", "proposed_by", "report__subject_staff__user"))
    objections = (rows_of_subtree(Objection, institution).filter(state=ObjectionState.FILED, institution_id__in=ids)
                  .select_related("institution", "measure__report__subject_staff__user"))
    appeals = (rows_of_subtree(Appeal, institution).filter(state=ObjectionState.FILED, institution_id__in=ids)
               .select_related("institution", "filed_by", "objection__decided_by", "objection__measure__proposed_by",
                               "objection__measure__decided_by", "objection__measure__report__subject_staff__user"))
    seats = seats or SeatIndex([institution])
    counts: dict[Institution, int] = {}
    for appeal in appeals:
        appeal.objection.institution = appeal.institution
    for item, decide in [*((m, for_measure) for m in measures), *((o, for_objection) for o in objections),
                         *((a, for_appeal) for a in appeals)]:
        decision = decide(item, seats)
        if decision.institution is not None and decision.institution.pk == institution.pk:
            counts[deeper[item.institution_id]] = counts.get(deeper[item.institution_id], 0) + 1
    return counts
