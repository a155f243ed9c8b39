"""Who decides a proposed measure, a filed objection or an appeal, today: always someone, named on the case.

At the case's institution the head decides. An acting head (Plh/Plt, a dated ``Role.ACTING``
membership) takes the head's place in three situations: during the head's leave (an appointment with
an end date: the head does not decide meanwhile), when the head's seat is empty, and — at a
top-level institution, which has no parent to turn to — when the head is the subject or the
proposer of the case. Otherwise a case the head may not decide goes to the parent institution's
head (or its acting head), and so does a case at an institution with nobody in the seat.

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
from governance.tenancy import rows_by_key, rows_of_children

from . import selectors
from .deadlines import REMIND_AFTER_WORKING_DAYS
from .models import Appeal, Ladder, Measure, MeasureState, Objection, ObjectionState
from .workdays import working_days_between


@dataclass(frozen=True)
class Decider:
    institution: Institution | None  # where the decider sits
    users: tuple[User, ...] = ()
    acting: bool = False  # an acting head (Plh/Plt) rather than the head
    above: bool = False  # at the parent of the case's institution
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
    return Decider(parent, users, acting=acting, above=True, since=since) if users else Decider(parent, above=True, since=since)


def for_measure(measure, seats: SeatIndex | None = None) -> Decider:
    return decider(measure.institution, escalated=measure.escalated, subject=selectors.subject_user(measure.report),
                   proposer=measure.proposed_by, since=measure.proposed_at, seats=seats)


def for_objection(objection, seats: SeatIndex | None = None) -> Decider:
    return decider(objection.institution, escalated=objection.escalated, subject=selectors.subject_user(objection.measure.report),
                   since=objection.filed_at, seats=seats)


def for_appeal(appeal, seats: SeatIndex | None = None) -> Decider:
    """The next official up from the one who kept the measure: the parent's head, or at a top-level
    institution its acting head. The official who decided the objection is left out."""
    return decider(appeal.institution, escalated=True, subject=selectors.subject_user(appeal.objection.measure.report),
                   proposer=appeal.objection.decided_by, since=appeal.filed_at, seats=seats)


def nobody_decides_message(decision: Decider) -> str:
    """What to do when nobody may decide: who appoints an acting head, and where."""
    institution = decision.institution
    if institution.parent_id:
        return _("Nobody may decide this case now: %(institution)s has no head or acting head who is free to decide "
                 "it. The head of %(parent)s appoints an acting head (Plh/Plt) there.") % {
            "institution": institution.name, "parent": institution.parent.name}
    return _("Nobody may decide this case now: %(institution)s has no acting head (Plh/Plt) who is free to decide "
             "it. A platform operator appoints one for a top-level institution.") % {"institution": institution.name}


def describe(decision: Decider) -> str:
    """One sentence for the case file: who must decide, and since when (in the institution's zone)."""
    if not decision.exists:
        return nobody_decides_message(decision)
    since = formats.date_format(timezone.localtime(decision.since, decision.institution.tzinfo), "j F Y") \
        if decision.since else ""
    role = _("acting head (Plh/Plt)") if decision.acting else _("head")
    return _("Waiting for the decision of %(who)s, %(role)s of %(institution)s, since %(since)s.") % {
        "who": ", ".join(u.full_name or u.email for u in decision.users), "role": role,
        "institution": decision.institution.name, "since": since}


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
        else:
            counted = decision.above
        if counted:
            counts[item.institution] = counts.get(item.institution, 0) + 1
    return {child: counts[child] for child in children if child in counts}
