"""Moderation statistics of one institution or of its whole subtree: what came in, how long the
decisions took, what is still open, and how the measures, objections, appeals and referrals ended.

``compute`` returns plain numbers (cacheable, the same for every visitor) in a fixed number of
queries whatever the amount of data: every count is grouped in the database, and the times to
decision are read as (filing date, decision date) pairs grouped with their count, so that 200,000
reports give at most a few thousand rows. ``present`` turns the numbers into the tables shown (and
downloaded), hiding every count of 1 or 2 as "< 3" when the visitor sees them from above.

A case deleted under the retention rule still counts where it counted before, from what its
tombstone kept (``sanctions.models.CaseTombstone.statistics``; tombstones written before that field
count in the categories, the channel kind "none" and the times to decision only), but no longer
among the open cases.

Run inside a scope that covers the institutions (the page runs in ``subtree_scope``). Dates are the
viewing institution's local dates; a report counts in the month it was filed.
"""

from __future__ import annotations

import datetime
import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, F, Q
from django.db.models.functions import TruncDate, TruncMonth
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from governance.cache import GLOBAL, cached, data_version
from governance.models import ChannelKind, ElectionPeriod, Institution, RuleCategory
from sanctions.models import (
    Appeal,
    CaseTombstone,
    Measure,
    MeasureState,
    Objection,
    ObjectionState,
    Referral,
    ReferralState,
    ReferralTrack,
    ReportState,
    ViolationReport,
)
from sanctions.workdays import is_working_day

# Counts from 1 to SMALL_COUNT are hidden from visitors who see the statistics from above.
SMALL_COUNT = 2
HIDDEN = "< 3"
# The longest date range one page covers (months).
MAX_MONTHS = 36
DEFAULT_MONTHS = 12
OPEN_STATES = (ReportState.SUBMITTED, ReportState.IN_REVIEW)
DECIDED_STATES = (ReportState.CONFIRMED, ReportState.DISMISSED)
# Open cases by age in calendar days: (upper bound or None, label).
AGE_BUCKETS = (
    (7, gettext_lazy("Up to 7 days")),
    (30, gettext_lazy("8 to 30 days")),
    (90, gettext_lazy("31 to 90 days")),
    (None, gettext_lazy("More than 90 days")),
)
NO_CATEGORY = "none"
NO_CHANNEL = "none"


def default_range(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The last twelve months: from the first day of the month eleven months back to today."""
    index = today.year * 12 + today.month - 1 - (DEFAULT_MONTHS - 1)
    return datetime.date(index // 12, index % 12 + 1, 1), today


def months_between(start: datetime.date, end: datetime.date) -> list[datetime.date]:
    """The first day of every month from ``start``'s to ``end``'s."""
    months, index, last = [], start.year * 12 + start.month - 1, end.year * 12 + end.month - 1
    while index <= last:
        months.append(datetime.date(index // 12, index % 12 + 1, 1))
        index += 1
    return months


def _month_of(value, tz) -> datetime.date:
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        value = value.astimezone(tz)
    return datetime.date(value.year, value.month, 1)


def _bounds(start: datetime.date, end: datetime.date, tz) -> tuple[datetime.datetime, datetime.datetime]:
    """[start 00:00, the day after end 00:00) in the institution's zone."""
    low = datetime.datetime.combine(start, datetime.time.min, tzinfo=tz)
    high = datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz)
    return low, high


def _where(institution: Institution, subtree: bool, path: str = "institution") -> Q:
    if subtree:
        return Q(**{f"{path}__path__startswith": institution.path})
    return Q(**{f"{path}_id": institution.pk})


# --- the numbers --------------------------------------------------------------------------------


def _per_month(reports, field_name: str, low, high, tz) -> dict:
    rows = (reports.filter(created_at__gte=low, created_at__lt=high)
            .annotate(month=TruncMonth("created_at", tzinfo=tz)).order_by()
            .values("month", field_name).annotate(n=Count("pk", distinct=True)))
    counts: dict = defaultdict(Counter)
    for row in rows:
        counts[row[field_name] or NO_CATEGORY][_month_of(row["month"], tz)] += row["n"]
    return {key: dict(value) for key, value in counts.items()}


def _decision_pairs(queryset, filed: str, low, high, tz) -> list[tuple[datetime.date, datetime.date, int]]:
    """(filing date, decision date, how many) for decisions in the range."""
    rows = (queryset.filter(decided_at__gte=low, decided_at__lt=high)
            .annotate(filed_on=TruncDate(filed, tzinfo=tz), decided_on=TruncDate("decided_at", tzinfo=tz))
            .order_by().values_list("filed_on", "decided_on").annotate(n=Count("pk")))
    return [(filed_on, decided_on, n) for filed_on, decided_on, n in rows]


def _open_by_age(reports, now: datetime.datetime) -> list[int]:
    counts, previous = {}, None
    for index, (days, _label) in enumerate(AGE_BUCKETS):
        q = Q()
        if days is not None:
            q &= Q(created_at__gt=now - datetime.timedelta(days=days))
        if previous is not None:
            q &= Q(created_at__lte=now - datetime.timedelta(days=previous))
        counts[f"b{index}"] = Count("pk", filter=q)
        previous = days
    totals = reports.filter(state__in=OPEN_STATES).order_by().aggregate(**counts)
    return [totals[f"b{index}"] for index in range(len(AGE_BUCKETS))]


def _election_windows(period: ElectionPeriod) -> dict[str, tuple[datetime.date, datetime.date]]:
    """The campaign up to voting day, and as many days just before and just after it."""
    start, end = period.campaign_starts_on, max(period.voting_day, period.quiet_ends_on)
    length = datetime.timedelta(days=(end - start).days + 1)
    return {"before": (start - length, start - datetime.timedelta(days=1)), "during": (start, end),
            "after": (end + datetime.timedelta(days=1), end + length)}


def _touches(period: ElectionPeriod, institution: Institution, subtree: bool) -> bool:
    if period.covers(institution):
        return True
    if not subtree:
        return False
    # A regional election anywhere in the viewed province.
    province = institution.province_code
    return bool(province) and any(str(code).split(".")[0] == province.split(".")[0] for code in period.region_codes)


def _coverage(period: ElectionPeriod) -> Q:
    if period.coverage == ElectionPeriod.Coverage.NATIONAL:
        return Q()
    if period.coverage == ElectionPeriod.Coverage.PROVINCE:
        return Q(institution__province_code__in=period.region_codes)
    return Q(institution__regency_code__in=period.region_codes)


def _covers_case(period: ElectionPeriod, case: dict) -> bool:
    """``_coverage`` for a deleted case's row."""
    if period.coverage == ElectionPeriod.Coverage.NATIONAL:
        return True
    if period.coverage == ElectionPeriod.Coverage.PROVINCE:
        return case["institution__province_code"] in period.region_codes
    return case["institution__regency_code"] in period.region_codes


def _elections(reports, institution: Institution, subtree: bool, start, end, tz, deleted=()) -> list[dict]:
    periods = [period for period in ElectionPeriod.objects.filter(campaign_starts_on__lte=end, voting_day__gte=start)
               .order_by("campaign_starts_on") if _touches(period, institution, subtree)]
    if not periods:
        return []
    counts = {}
    for period in periods:
        for window, (first, last) in _election_windows(period).items():
            low, high = _bounds(first, last, tz)
            when = Q(created_at__gte=low, created_at__lt=high) & _coverage(period)
            counts[f"p{period.pk}_{window}"] = Count("pk", filter=when, distinct=True)
            counts[f"p{period.pk}_{window}_politics"] = Count(
                "pk", filter=when & Q(rules__category=RuleCategory.POLITICS), distinct=True)
    totals = reports.order_by().aggregate(**counts)
    for case in deleted:  # cases deleted under the retention rule count in their windows too
        for period in periods:
            if not _covers_case(period, case):
                continue
            for window, (first, last) in _election_windows(period).items():
                if first <= case["reported_on"] <= last:
                    totals[f"p{period.pk}_{window}"] += 1
                    totals[f"p{period.pk}_{window}_politics"] += RuleCategory.POLITICS in case["categories"]
    result = []
    for period in periods:
        windows = _election_windows(period)
        result.append({
            "name": period.name, "windows": {
                window: {"first": first, "last": last, "days": (last - first).days + 1,
                         "all": totals[f"p{period.pk}_{window}"], "politics": totals[f"p{period.pk}_{window}_politics"]}
                for window, (first, last) in windows.items()
            },
        })
    return result


def compute(institution: Institution, *, subtree: bool, start: datetime.date, end: datetime.date,
            now: datetime.datetime | None = None) -> dict:
    """Every number of the statistics page, in twelve queries at most."""
    tz = institution.tzinfo
    now = now or timezone.now()
    low, high = _bounds(start, end, tz)
    where = _where(institution, subtree)
    reports = ViolationReport.objects.filter(where)
    measures = Measure.objects.filter(where)
    measure_rows = (measures.filter(proposed_at__gte=low, proposed_at__lt=high).order_by()
                    .values_list("level_position", "level_code", "state").annotate(n=Count("pk")))
    today = timezone.localtime(now, tz).date()
    referral_rows = (
        Referral.objects.filter(where, referred_on__gte=start, referred_on__lte=end).order_by().values("track").annotate(
            on_time=Count("pk", filter=Q(state=ReferralState.CLOSED) & (Q(due_on__isnull=True) | Q(outcome_on__lte=F("due_on")))),
            late=Count("pk", filter=Q(state=ReferralState.CLOSED, outcome_on__gt=F("due_on"))),
            waiting=Count("pk", filter=Q(state=ReferralState.REFERRED) & (Q(due_on__isnull=True) | Q(due_on__gte=today))),
            overdue=Count("pk", filter=Q(state=ReferralState.REFERRED, due_on__lt=today)),
        )
    )
    # Cases deleted under the retention rule (UU 27/2022) still count, from what their tombstone kept:
    # every case with something in the range was filed by its end and closed after its start.
    deleted = list(CaseTombstone.objects.filter(where, reported_on__lte=end, closed_on__gte=start).order_by().values(
        "reported_on", "decided_on", "outcome", "categories", "statistics", "institution__province_code",
        "institution__regency_code"))
    numbers = {
        "start": start, "end": end, "subtree": subtree, "today": today,
        "months": months_between(start, end),
        "categories": _per_month(reports, "rules__category", low, high, tz),
        "channels": _per_month(reports, "channel__kind", low, high, tz),
        "report_decisions": _decision_pairs(reports.filter(state__in=DECIDED_STATES), "created_at", low, high, tz),
        "measure_decisions": _decision_pairs(
            # decided by the head: approved (whatever came of it since: active, expired, voided) or rejected
            measures.filter(state__in=[MeasureState.ACTIVE, MeasureState.EXPIRED, MeasureState.VOIDED,
                                       MeasureState.REJECTED]),
            "report__created_at", low, high, tz),
        "open_by_age": _open_by_age(reports, now),
        "measures": [tuple(row) for row in measure_rows],
        "objections": dict(Objection.objects.filter(where, filed_at__gte=low, filed_at__lt=high).order_by()
                           .values_list("state").annotate(n=Count("pk"))),
        "appeals": dict(Appeal.objects.filter(where, filed_at__gte=low, filed_at__lt=high).order_by()
                        .values_list("state").annotate(n=Count("pk"))),
        "referrals": {row["track"]: row for row in referral_rows},
        "elections": _elections(reports, institution, subtree, start, end, tz, deleted),
    }
    _add_deleted(numbers, deleted, start, end)
    return numbers


def _day(value: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


def _add_deleted(numbers: dict, deleted: list[dict], start: datetime.date, end: datetime.date) -> None:
    """Count each deleted case where ``compute`` counts a case that is still there."""
    today = numbers["today"]
    measures, referrals = Counter(), {}
    for row in numbers["measures"]:
        measures[row[:3]] += row[3]
    for case in deleted:
        reported, stats = case["reported_on"], case["statistics"] or {}
        month = datetime.date(reported.year, reported.month, 1)
        if start <= reported <= end:
            for category in case["categories"] or [NO_CATEGORY]:
                numbers["categories"].setdefault(category, {}).setdefault(month, 0)
                numbers["categories"][category][month] += 1
            kind = stats.get("channel_kind") or NO_CHANNEL
            numbers["channels"].setdefault(kind, {}).setdefault(month, 0)
            numbers["channels"][kind][month] += 1
        if case["outcome"] in DECIDED_STATES and case["decided_on"] and start <= case["decided_on"] <= end:
            numbers["report_decisions"].append((reported, case["decided_on"], 1))
        for measure in stats.get("measures", []):
            proposed, decided = _day(measure.get("proposed_on")), _day(measure.get("decided_on"))
            if proposed and start <= proposed <= end:
                measures[(measure["position"], measure["level"], measure["state"])] += 1
            if decided and start <= decided <= end and measure["state"] in (
                    MeasureState.ACTIVE, MeasureState.EXPIRED, MeasureState.VOIDED, MeasureState.REJECTED):
                numbers["measure_decisions"].append((reported, decided, 1))
        for kind in ("objections", "appeals"):
            for item in stats.get(kind, []):
                filed = _day(item.get("filed_on"))
                if filed and start <= filed <= end:
                    numbers[kind][item["state"]] = numbers[kind].get(item["state"], 0) + 1
        for referral in stats.get("referrals", []):
            referred, due, outcome = (_day(referral.get(name)) for name in ("referred_on", "due_on", "outcome_on"))
            if not (referred and start <= referred <= end):
                continue
            row = numbers["referrals"].get(referral["track"]) or referrals.setdefault(
                referral["track"], {"track": referral["track"], "on_time": 0, "late": 0, "waiting": 0, "overdue": 0})
            if referral["state"] == ReferralState.CLOSED:
                row["late" if due and outcome and outcome > due else "on_time"] += 1
            else:
                row["overdue" if due and due < today else "waiting"] += 1
    numbers["referrals"].update(referrals)
    numbers["measures"] = [(*key, n) for key, n in measures.items()]


# --- working days and percentiles ---------------------------------------------------------------


def working_day_index(first: datetime.date, last: datetime.date) -> dict[datetime.date, int]:
    """Working days from ``first`` up to and including each day until ``last``: the working days
    between two dates are the difference of their indexes (``sanctions.workdays`` counts the same)."""
    index, count, day = {}, 0, first
    while day <= last:
        if is_working_day(day):
            count += 1
        index[day] = count
        day += datetime.timedelta(days=1)
    return index


def durations(pairs) -> dict[datetime.date, Counter]:
    """Working days from filing to decision, as a histogram per month of decision."""
    if not pairs:
        return {}
    index = working_day_index(min(p[0] for p in pairs), max(p[1] for p in pairs))
    per_month: dict[datetime.date, Counter] = defaultdict(Counter)
    for filed_on, decided_on, n in pairs:
        days = index[decided_on] - index[filed_on] if decided_on > filed_on else 0
        per_month[datetime.date(decided_on.year, decided_on.month, 1)][days] += n
    return per_month


def percentile(histogram: Counter, q: float) -> float | None:
    """The ``q`` quantile (0–1) of the values counted in ``histogram``, interpolated between the two
    nearest ranks (the median of an even number of values is the mean of the middle two)."""
    total = sum(histogram.values())
    if not total:
        return None
    position = (total - 1) * q
    below, above = math.floor(position), math.ceil(position)

    def value_at(rank: int) -> int:
        seen = 0
        for value in sorted(histogram):
            seen += histogram[value]
            if rank < seen:
                return value
        raise IndexError(rank)  # pragma: no cover

    low, high = value_at(below), value_at(above)
    return round(low + (high - low) * (position - below), 1)


# --- the tables shown and downloaded ------------------------------------------------------------


@dataclass
class Table:
    key: str
    title: str
    columns: list[str]
    rows: list[list] = field(default_factory=list)
    chart: dict | None = None
    note: str = ""


class Shown:
    """How a count is shown: as it is, or hidden below 3 for visitors from above."""

    def __init__(self, private: bool):
        self.private = private

    def hides(self, n) -> bool:
        return self.private and isinstance(n, int) and 0 < n <= SMALL_COUNT

    def count(self, n):
        return HIDDEN if self.hides(n) else n

    def drawn(self, n):
        """For a chart: a hidden count is not drawn."""
        return None if self.hides(n) else n


def _month_label(month: datetime.date) -> str:
    return date_format(month, "M Y")


def _per_month_table(key, title, counts: dict, labels: dict, months, shown: Shown, note: str) -> Table:
    keys = [k for k in labels if k in counts] + sorted(k for k in counts if k not in labels)
    names = [str(labels.get(k, k)) for k in keys]
    table = Table(key, title, [_("Month"), *names], note=note)
    if not keys:  # no report in the range: "no data", not a column of month names
        return table
    for month in months:
        table.rows.append([_month_label(month), *(shown.count(counts[k].get(month, 0)) for k in keys)])
    table.chart = {"type": "bar", "stacked": True, "labels": [_month_label(m) for m in months],
                   "series": [{"label": name, "data": [shown.drawn(counts[k].get(m, 0)) for m in months]}
                              for k, name in zip(keys, names, strict=True)]}
    return table


def _decisions_table(numbers: dict, shown: Shown) -> Table:
    reports, measures = durations(numbers["report_decisions"]), durations(numbers["measure_decisions"])
    table = Table("decisions", _("Time from report to decision (working days)"), [
        _("Month of decision"), _("Reports decided"), _("Median"), _("90th percentile"),
        _("Measures decided"), _("Median"), _("90th percentile"),
    ], note=_("Working days after the report was filed up to the decision (weekends, public holidays and "
              "collective leave days skipped; a decision on the day of the report is 0). Reports: confirmed or "
              "dismissed at triage. Measures: approved or rejected by the head."))

    def cells(histogram: Counter) -> list:
        n = sum(histogram.values())
        if shown.hides(n):
            return [HIDDEN, "—", "—"]
        median, p90 = percentile(histogram, 0.5), percentile(histogram, 0.9)
        return [n, "—" if median is None else median, "—" if p90 is None else p90]

    medians, p90s = [], []
    for month in numbers["months"]:
        report_cells = cells(reports.get(month, Counter()))
        table.rows.append([_month_label(month), *report_cells, *cells(measures.get(month, Counter()))])
        medians.append(report_cells[1] if isinstance(report_cells[1], float | int) else None)
        p90s.append(report_cells[2] if isinstance(report_cells[2], float | int) else None)
    whole_reports, whole_measures = Counter(), Counter()
    for histogram in reports.values():
        whole_reports.update(histogram)
    for histogram in measures.values():
        whole_measures.update(histogram)
    table.rows.append([_("Whole range"), *cells(whole_reports), *cells(whole_measures)])
    table.chart = {"type": "line", "labels": [_month_label(m) for m in numbers["months"]],
                   "series": [{"label": _("Median"), "data": medians}, {"label": _("90th percentile"), "data": p90s}]}
    return table


def _open_table(numbers: dict, shown: Shown) -> Table:
    table = Table("open", _("Open cases by age"), [_("Age"), _("Open cases")],
                  note=_("Reports not yet confirmed or dismissed today, by calendar days since they were filed. "
                         "This table does not depend on the date range."))
    for (_days, label), n in zip(AGE_BUCKETS, numbers["open_by_age"], strict=True):
        table.rows.append([str(label), shown.count(n)])
    table.chart = {"type": "bar", "labels": [str(label) for _days, label in AGE_BUCKETS],
                   "series": [{"label": _("Open cases"), "data": [shown.drawn(n) for n in numbers["open_by_age"]]}]}
    return table


MEASURE_COLUMNS = (
    ((MeasureState.PROPOSED,), gettext_lazy("Awaiting decision")),
    ((MeasureState.ACTIVE, MeasureState.EXPIRED), gettext_lazy("Approved")),
    ((MeasureState.REJECTED,), gettext_lazy("Rejected")),
    ((MeasureState.WITHDRAWN, MeasureState.VOIDED), gettext_lazy("Withdrawn or voided")),
)


def _measures_table(numbers: dict, shown: Shown) -> Table:
    table = Table("measures", _("Measures by rung"), [_("Rung"), *(str(label) for _s, label in MEASURE_COLUMNS)],
                  note=_("Group measures proposed in the date range, by their step on the ladder."))
    rungs: dict = defaultdict(Counter)
    for position, code, state, n in numbers["measures"]:
        rungs[(position, code)][state] += n
    series = [[] for _column in MEASURE_COLUMNS]
    labels = []
    for (position, code), states in sorted(rungs.items()):
        label = _("Step %(position)s: %(code)s") % {"position": position, "code": code}
        values = [sum(states[s] for s in column) for column, _label in MEASURE_COLUMNS]
        table.rows.append([label, *(shown.count(v) for v in values)])
        labels.append(label)
        for index, value in enumerate(values):
            series[index].append(shown.drawn(value))
    table.chart = {"type": "bar", "stacked": True, "labels": labels,
                   "series": [{"label": str(label), "data": data}
                              for (_s, label), data in zip(MEASURE_COLUMNS, series, strict=True)]}
    return table


def _objections_table(numbers: dict, shown: Shown) -> Table:
    columns = (ObjectionState.FILED, ObjectionState.UPHELD, ObjectionState.REJECTED)
    names = [_("Awaiting decision"), _("Upheld"), _("Rejected")]
    table = Table("objections", _("Objections and appeals"), [_("Objection or appeal"), *names],
                  note=_("Objections and appeals filed in the date range, by outcome. Upheld: the objection or "
                         "appeal was accepted and the measure voided."))
    data = []
    for label, counts in ((_("Objections"), numbers["objections"]), (_("Appeals"), numbers["appeals"])):
        values = [counts.get(state, 0) for state in columns]
        table.rows.append([label, *(shown.count(v) for v in values)])
        data.append([shown.drawn(v) for v in values])
    table.chart = {"type": "bar", "labels": [_("Objections"), _("Appeals")],
                   "series": [{"label": name, "data": [row[index] for row in data]} for index, name in enumerate(names)]}
    return table


REFERRAL_COLUMNS = (
    ("on_time", gettext_lazy("Outcome recorded in time")),
    ("late", gettext_lazy("Outcome recorded late")),
    ("waiting", gettext_lazy("Awaiting outcome")),
    ("overdue", gettext_lazy("Outcome overdue")),
)


def _referrals_table(numbers: dict, shown: Shown) -> Table:
    table = Table("referrals", _("Referrals and their outcomes"),
                  [_("Process"), *(str(label) for _k, label in REFERRAL_COLUMNS)],
                  note=_("Cases referred in the date range to the formal discipline, neutrality or ethics process."))
    series = [[] for _column in REFERRAL_COLUMNS]
    labels = []
    for track, label in ReferralTrack.choices:
        row = numbers["referrals"].get(track, {})
        values = [row.get(key, 0) for key, _label in REFERRAL_COLUMNS]
        table.rows.append([str(label), *(shown.count(v) for v in values)])
        labels.append(str(label))
        for index, value in enumerate(values):
            series[index].append(shown.drawn(value))
    table.chart = {"type": "bar", "stacked": True, "horizontal": True, "labels": labels,
                   "series": [{"label": str(label), "data": data}
                              for (_k, label), data in zip(REFERRAL_COLUMNS, series, strict=True)]}
    return table


def _per_30_days(n: int, days: int, shown: Shown):
    if shown.hides(n):
        return HIDDEN
    return round(n * 30 / days, 1) if days else 0


def _elections_table(numbers: dict, shown: Shown) -> Table:
    windows = (("before", _("Before")), ("during", _("During")), ("after", _("After")))
    table = Table("elections", _("Election periods and the months around them"), [
        _("Election period"), _("Window"), _("Dates"), _("Days"), _("Reports"), _("Reports per 30 days"),
        _("Politics and neutrality reports"), _("Politics reports per 30 days"),
    ], note=_("From the campaign's first day to voting day, compared with as many days just before and just "
              "after. These windows do not depend on the date range; a period is listed when it overlaps it."))
    labels, per_window = [], {key: [] for key, _label in windows}
    for period in numbers["elections"]:
        labels.append(period["name"])
        for key, label in windows:
            w = period["windows"][key]
            dates = f"{date_format(w['first'], 'SHORT_DATE_FORMAT')} – {date_format(w['last'], 'SHORT_DATE_FORMAT')}"
            table.rows.append([period["name"], str(label), dates, w["days"], shown.count(w["all"]),
                               _per_30_days(w["all"], w["days"], shown), shown.count(w["politics"]),
                               _per_30_days(w["politics"], w["days"], shown)])
            rate = _per_30_days(w["all"], w["days"], shown)
            per_window[key].append(rate if not isinstance(rate, str) else None)
    table.chart = {"type": "bar", "labels": labels,
                   "series": [{"label": str(label), "data": per_window[key]} for key, label in windows]}
    return table


def present(numbers: dict, *, private: bool) -> list[Table]:
    """The tables of the page, in order; counts of 1 or 2 hidden when ``private``."""
    shown = Shown(private)
    months = numbers["months"]
    categories = {NO_CATEGORY: _("No rule cited"), **dict(RuleCategory.choices)}
    channels = {**dict(ChannelKind.choices), NO_CHANNEL: _("Elsewhere (no registered channel)")}
    tables = [
        _per_month_table("categories", _("Cases by rule category per month"), numbers["categories"],
                         categories, months, shown,
                         _("Reports filed in each month, by the category of the rules they cite; a report citing rules "
                           "of two categories counts in both.")),
        _per_month_table("channels", _("Cases by channel kind per month"), numbers["channels"], channels, months,
                         shown, _("Reports filed in each month, by the kind of group or account where it happened.")),
        _decisions_table(numbers, shown),
        _open_table(numbers, shown),
        _measures_table(numbers, shown),
        _objections_table(numbers, shown),
        _referrals_table(numbers, shown),
        _elections_table(numbers, shown),
    ]
    return tables


ALL_TABLES = "semua"
TABLE_KEYS = ("categories", "channels", "decisions", "open", "measures", "objections", "referrals", "elections")


def numbers_for(institution: Institution, *, subtree: bool, start: datetime.date, end: datetime.date) -> dict:
    """``compute``, cached until any row of the institution (or below it) or an election period changes."""
    today = institution.local_today()
    name = f"statistics:{'tree' if subtree else 'own'}:{start.isoformat()}:{end.isoformat()}:{data_version(GLOBAL)}"
    return cached(institution, name, lambda: compute(institution, subtree=subtree, start=start, end=end), day=today)


def has_subtree(institution: Institution) -> bool:
    return Institution.objects.filter(path__startswith=institution.path, is_active=True).exclude(
        pk=institution.pk).exists()
