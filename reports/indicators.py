"""Automatic indicators: numbers computed from the portal's own data for a semester.

Each indicator says what it measures (``label``), how (``formula``, shown to assessors and to the
assessed institution), in which unit, and how a value becomes a criterion score (``steps``: the
first step whose bound the value meets gives that fraction of full marks). ``compute`` takes the
institution ids in scope and the semester's first and last day, and returns ``{institution_id:
value}``; a missing id or ``None`` means there is no data to judge by, and the criterion is then
left to the assessors.

Every ``compute`` runs a fixed number of queries however many institutions it is given, inside the
caller's scope (an assessor's subtree).

To add an indicator, write its compute function (or call another app's selector) and register it:

    register(Indicator(
        code="posting_target", label=_("Official-account posting target met"), unit="%",
        formula=_("Days on which every official account met its posting target ÷ days in the semester × 100"),
        compute=posting_target_met, steps=PERCENT_STEPS,
    ))
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from governance.models import CodeVersion
from governance.selectors import checked_before_publishing_share, posting_target_met_share
from members.models import Acknowledgement, StaffMember
from sanctions import selectors as cases

Compute = Callable[[list[int], datetime.date, datetime.date], dict[int, Decimal | float | int | None]]

# Higher is better: ≥ 90 → full marks, ≥ 75 → three quarters, ≥ 50 → half, ≥ 25 → a quarter, else nothing.
PERCENT_STEPS = ((Decimal(90), Decimal(1)), (Decimal(75), Decimal("0.75")), (Decimal(50), Decimal("0.5")),
                 (Decimal(25), Decimal("0.25")), (Decimal(0), Decimal(0)))


@dataclass(frozen=True)
class Indicator:
    code: str
    label: str
    formula: str
    unit: str
    compute: Compute
    steps: tuple[tuple[Decimal, Decimal], ...]
    # True: a value at or above a step's bound earns it. False: at or below (fewer open cases is better).
    higher_is_better: bool = True

    def round(self, value) -> Decimal | None:
        if value is None:
            return None
        return Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)

    def fraction(self, value: Decimal | None) -> Decimal | None:
        """The share of full marks ``value`` earns, by the declared steps."""
        if value is None:
            return None
        for bound, fraction in self.steps:
            if (value >= bound) if self.higher_is_better else (value <= bound):
                return fraction
        return Decimal(0)

    def score(self, value: Decimal | None, scale_max: int) -> Decimal | None:
        fraction = self.fraction(value)
        if fraction is None:
            return None
        return (fraction * scale_max).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)

    def mapping(self) -> list[str]:
        """The steps as sentences: "≥ 90 % → 100 % of full marks"."""
        out = []
        sign = "≥" if self.higher_is_better else "≤"
        for bound, fraction in self.steps:
            out.append(gettext("%(sign)s %(bound)s %(unit)s → %(share)s%% of full marks") % {
                "sign": sign, "bound": _number(bound), "unit": self.unit, "share": _number(fraction * 100),
            })
        return out

    def display(self, value: Decimal | None) -> str:
        if value is None:
            return gettext("no data")
        return f"{_number(value)} {self.unit}"


def _number(value: Decimal) -> str:
    text = f"{value.normalize():f}" if value == value.to_integral() else f"{value:.2f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


REGISTRY: dict[str, Indicator] = {}


def register(indicator: Indicator) -> Indicator:
    REGISTRY[indicator.code] = indicator
    return indicator


def get(code: str) -> Indicator | None:
    return REGISTRY.get(code)


def choices() -> list[tuple[str, str]]:
    return [(code, indicator.label) for code, indicator in REGISTRY.items()]


def compute_all(institution_ids: list[int], start: datetime.date, end: datetime.date) -> dict[str, dict[int, Decimal | None]]:
    """Every registered indicator for ``institution_ids``: ``{code: {institution_id: value}}``."""
    out = {}
    for code, indicator in REGISTRY.items():
        raw = indicator.compute(list(institution_ids), start, end) if institution_ids else {}
        out[code] = {pk: indicator.round(raw.get(pk)) for pk in institution_ids}
    return out


def end_of_day(day: datetime.date) -> datetime.datetime:
    """The first instant after ``day`` in the current time zone (the assessor's, inside its scope)."""
    return datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min, tzinfo=timezone.get_current_timezone())


# --- The indicators whose data exists ---------------------------------------------------------


def acknowledgement_share(institution_ids: list[int], start: datetime.date, end: datetime.date) -> dict[int, Decimal | None]:
    """Share of the staff on the list on the semester's last day who had, by then, acknowledged the
    code version in force that day. No staff: no value. Staff but no published code: 0 %."""
    cutoff = end_of_day(end)
    in_force: dict[int, tuple] = {}
    versions = (CodeVersion.objects.filter(institution_id__in=institution_ids, published_at__lt=cutoff)
                .exclude(state=CodeVersion.State.DRAFT).values_list("institution_id", "pk", "published_at"))
    for institution_id, pk, published_at in versions:
        if institution_id not in in_force or published_at > in_force[institution_id][1]:
            in_force[institution_id] = (pk, published_at)

    current = Q(joined_on__lte=end) & (Q(left_on__isnull=True) | Q(left_on__gt=end))
    staff = dict(StaffMember.objects.filter(current, institution_id__in=institution_ids)
                 .values("institution_id").annotate(n=Count("pk")).values_list("institution_id", "n"))
    version_ids = [pk for pk, _published in in_force.values()]
    acknowledged = dict(
        Acknowledgement.objects.filter(
            version_id__in=version_ids, acknowledged_at__lt=cutoff,
            staff__joined_on__lte=end, staff__institution_id=F("version__institution_id"),
        ).filter(Q(staff__left_on__isnull=True) | Q(staff__left_on__gt=end))
        .values("staff__institution_id").annotate(n=Count("staff_id", distinct=True))
        .values_list("staff__institution_id", "n")
    ) if version_ids else {}

    out: dict[int, Decimal | None] = {}
    for institution_id in institution_ids:
        total = staff.get(institution_id, 0)
        if not total:
            out[institution_id] = None
        elif institution_id not in in_force:
            out[institution_id] = Decimal(0)
        else:
            out[institution_id] = Decimal(100) * acknowledged.get(institution_id, 0) / total
    return out


register(Indicator(
    code="acknowledgement_share",
    label=_("Staff who acknowledged the current code of conduct"),
    formula=_("Staff on the list on the last day of the semester who had acknowledged, by that day, the code "
              "version in force that day ÷ staff on the list that day × 100. Without a published code the value is 0 %."),
    unit="%",
    compute=acknowledgement_share,
    steps=PERCENT_STEPS,
))


register(Indicator(
    code="posting_target",
    label=_("Official-account posting target met"),
    formula=_("For each official account with a posting target: posts logged in the semester ÷ posts expected "
              "(daily target × days, or weekly target × days ÷ 7), capped at 100 %; the indicator is the mean over "
              "the accounts. No account with a target: no value."),
    unit="%",
    compute=posting_target_met_share,
    steps=PERCENT_STEPS,
))

register(Indicator(
    code="checked_before_publishing",
    label=_("Posts checked before publishing"),
    formula=_("Posts of the official accounts published in the semester that had passed the five checks (source, "
              "truth, nothing confidential visible, neutrality, caption matching the picture) before they were "
              "published ÷ posts published in the semester × 100. A post logged as published and checked afterwards "
              "does not count as checked. No post: no value."),
    unit="%",
    compute=checked_before_publishing_share,
    steps=PERCENT_STEPS,
))

register(Indicator(
    code="median_days_to_decision",
    label=_("Median working days from report to decision"),
    formula=_("For reports decided (confirmed or dismissed) in the semester: working days from the report to the "
              "decision, skipping weekends and public holidays; the median. No decision: no value."),
    unit=_("working days"),
    compute=cases.median_working_days_to_decision,
    higher_is_better=False,
    steps=((Decimal(5), Decimal(1)), (Decimal(10), Decimal("0.75")), (Decimal(15), Decimal("0.5")),
           (Decimal(20), Decimal("0.25"))),
))

register(Indicator(
    code="open_cases_over_30_days",
    label=_("Open cases older than 30 days"),
    formula=_("Reports still undecided on the last day of the semester that were filed more than 30 days earlier."),
    unit=_("cases"),
    compute=lambda ids, start, end: cases.open_cases_older_than(ids, start, end, days=30),
    higher_is_better=False,
    steps=((Decimal(0), Decimal(1)), (Decimal(1), Decimal("0.75")), (Decimal(3), Decimal("0.5")),
           (Decimal(5), Decimal("0.25"))),
))

register(Indicator(
    code="violations_per_100_staff",
    label=_("Confirmed violations per 100 staff"),
    formula=_("Reports confirmed in the semester ÷ staff on the list on its last day × 100."),
    unit=_("per 100 staff"),
    compute=cases.confirmed_violations_per_100_staff,
    higher_is_better=False,
    steps=((Decimal(1), Decimal(1)), (Decimal(3), Decimal("0.75")), (Decimal(5), Decimal("0.5")),
           (Decimal(10), Decimal("0.25"))),
))


def removals_on_time(institution_ids: list[int], start: datetime.date, end: datetime.date) -> dict:
    shares = cases.removals_on_time_share(institution_ids, start, end)
    return {pk: (None if share is None else Decimal(str(share)) * 100) for pk, share in shares.items()}


register(Indicator(
    code="removals_on_time",
    label=_("Removals carried out on time"),
    formula=_("Removals from a group confirmed by their due date ÷ removals due in the semester × 100; a removal "
              "still open counts as late. None due: no value."),
    unit="%",
    compute=removals_on_time,
    steps=PERCENT_STEPS,
))
