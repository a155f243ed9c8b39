"""Retention of case files (UU 27/2022): each institution's periods, when a case counts as closed,
and which closed cases are due for deletion. Reads only; the deletion is ``services.retention``.

A case is *closed* when it was dismissed, or when it was confirmed and has reached an outcome — a
measure that expired or was voided, or a referral whose outcome was recorded — with nothing still
pending: no measure awaiting a decision or in force, no objection or appeal awaiting a decision, no
referral awaiting its outcome, no removal still to carry out. Its closing date is the latest of
those events (in the institution's time zone). A case under a legal hold is never due.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from governance.models import Institution

from .models import (
    LegalHold,
    Measure,
    MeasureState,
    ObjectionState,
    ReferralState,
    RemovalState,
    ReportState,
    RetentionPolicy,
    ViolationReport,
)

ENDED = (MeasureState.EXPIRED, MeasureState.VOIDED)
DROPPED = (MeasureState.WITHDRAWN, MeasureState.REJECTED)


@dataclass(frozen=True)
class Bounds:
    minimum: int
    maximum: int
    default: int


def case_year_bounds() -> Bounds:
    return Bounds(settings.SANTUN_RETENTION_CASE_YEARS_MIN, settings.SANTUN_RETENTION_CASE_YEARS_MAX,
                  settings.SANTUN_RETENTION_CASE_YEARS)


def export_day_bounds() -> Bounds:
    return Bounds(settings.SANTUN_RETENTION_EXPORT_DAYS_MIN, settings.SANTUN_RETENTION_EXPORT_DAYS_MAX,
                  settings.SANTUN_RETENTION_EXPORT_DAYS)


def _clamp(value: int, bounds: Bounds) -> int:
    return max(bounds.minimum, min(bounds.maximum, value))


def policy_of(institution: Institution) -> RetentionPolicy:
    """The institution's periods (an unsaved default when it never set them). Values saved before
    the platform narrowed its bounds are read within the new bounds."""
    policy = RetentionPolicy.objects.filter(institution=institution).first()
    if policy is None:
        policy = RetentionPolicy(institution=institution, case_years=case_year_bounds().default,
                                 export_days=export_day_bounds().default)
    policy.case_years = _clamp(policy.case_years, case_year_bounds())
    policy.export_days = _clamp(policy.export_days, export_day_bounds())
    return policy


def hold_of(report: ViolationReport) -> LegalHold | None:
    return LegalHold.objects.filter(report=report).select_related("set_by").first()


def _day(value, tz) -> datetime.date | None:
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value, tz).date()
    return value


def _measure_events(measure: Measure) -> list | None:
    """The dates a finished measure contributes, or None while something about it is pending."""
    if measure.state not in (*ENDED, *DROPPED):
        return None
    events = [measure.ended_at or measure.decided_at]
    objection = getattr(measure, "objection", None)
    if objection is not None:
        if objection.state == ObjectionState.FILED:
            return None
        events.append(objection.decided_at)
        appeal = getattr(objection, "appeal", None)
        if appeal is not None:
            if appeal.state == ObjectionState.FILED:
                return None
            events.append(appeal.decided_at)
    removal = getattr(measure, "removal", None)
    if removal is not None:
        if removal.state == RemovalState.OPEN:
            return None
        events.append(removal.confirmed_at)
    return events


def closed_on(report: ViolationReport) -> datetime.date | None:
    """The local date the case closed, or None while it is open (see the module's docstring).
    Uses the report's prefetched measures (with objection, appeal, removal) and referrals."""
    tz = report.institution.tzinfo
    if report.state == ReportState.DISMISSED:
        events, outcome = [report.decided_at or report.updated_at], True
    elif report.state == ReportState.CONFIRMED:
        events, outcome = [report.decided_at], False
    else:
        return None
    for measure in report.measures.all():
        measure_events = _measure_events(measure)
        if measure_events is None:
            return None
        events += measure_events
        outcome = outcome or measure.state in ENDED
    for referral in report.referrals.all():
        if referral.state == ReferralState.REFERRED:
            return None
        events.append(referral.outcome_on)
        outcome = True
    if not outcome:
        return None
    days = [day for day in (_day(event, tz) for event in events) if day is not None]
    return max(days) if days else None


def years_after(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def due_cases(institution: Institution, *, today: datetime.date | None = None, after_pk: int = 0,
              limit: int = 20, report_id: int | None = None) -> list[tuple[ViolationReport, datetime.date]]:
    """Up to ``limit`` closed cases past the institution's period, oldest first, none under a hold.
    Pass the last pk seen as ``after_pk`` to page on, or ``report_id`` to ask about one case."""
    today = today or institution.local_today()
    years = policy_of(institution).case_years
    cutoff = datetime.datetime.combine(years_after(today, -years), datetime.time.max, tzinfo=institution.tzinfo)
    due: list[tuple[ViolationReport, datetime.date]] = []
    candidates = (ViolationReport.objects
                  .filter(institution=institution, pk__gt=after_pk, created_at__lte=cutoff,
                          state__in=(ReportState.DISMISSED, ReportState.CONFIRMED), legal_hold__isnull=True)
                  .select_related("institution")
                  .prefetch_related("measures__objection__appeal", "measures__removal", "referrals")
                  .order_by("pk"))
    if report_id is not None:
        candidates = candidates.filter(pk=report_id)
    last = after_pk
    while len(due) < limit:
        batch = list(candidates.filter(pk__gt=last)[:limit * 5])
        if not batch:
            break
        for report in batch:
            day = closed_on(report)
            if day is not None and years_after(day, years) <= today:
                due.append((report, day))
        last = batch[-1].pk
    return due[:limit]
