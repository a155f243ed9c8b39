"""Reads of the reports app. Every function runs a fixed number of queries however many
institutions a period covers; the tests count them.

Assessor pages call these inside ``governance.tenancy.subtree_scope(assessor)``. An assessed
institution reads its assessor's rubric with ``with_scope`` limited to its own ancestors
(``lineage_ids``): the tree is the only way data crosses institutions.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from functools import partial

from django.db.models import Avg, Count, F, Q
from django.shortcuts import get_object_or_404

from governance.models import Institution, Role, User
from governance.tenancy import descendants, rows_of, rows_of_ancestors, rows_of_lineage

from . import indicators, regions, rules, scoring
from .models import (
    Answer,
    AssessmentPeriod,
    AssessorScore,
    Criterion,
    Entry,
    Evidence,
    Export,
    IndicatorValue,
    Rubric,
    ScoreBand,
)

State = AssessmentPeriod.State


# --- what a visitor may do -------------------------------------------------------------------------
# Pages ask these for the buttons they show ({% if "finalize" in actions %}); each name is allowed
# exactly when the service behind it would accept the visitor (the same ``rules`` checks).

def _allowed(checks: dict) -> frozenset[str]:
    return frozenset(name for name, check in checks.items() if rules.allowed(check))


def _revisable(period: AssessmentPeriod) -> None:
    rules.check_revise(period)
    rules.check_latest_revision(period)


def _assessor_here(access, period: AssessmentPeriod) -> bool:
    return access is not None and access.institution.pk == period.institution_id and access.has_role(Role.ASSESSOR)


def scoring_actions(access, user: User, period: AssessmentPeriod) -> frozenset[str]:
    """score (``reports.assess``), for the assessors of the period's own institution: what the scoring
    pages ask (no query)."""
    if not _assessor_here(access, period) or not access.has("reports.assess"):
        return frozenset()
    return _allowed({"score": partial(rules.check_score, user, period, assessor=True)})


def period_actions(access, user: User, period: AssessmentPeriod) -> frozenset[str]:
    """edit, open, start_scoring, recompute, finalize, revise (``reports.manage_periods``) and score
    (``reports.assess``), for the assessors of the period's own institution (the assessor pages)."""
    if not _assessor_here(access, period):
        return frozenset()
    checks = {}
    if access.has("reports.manage_periods"):
        checks.update({
            "edit": partial(rules.check_edit, period),
            "open": partial(rules.check_open, period),
            "start_scoring": partial(rules.check_start_scoring, period),
            "recompute": partial(rules.check_recompute, period),
            "finalize": partial(rules.check_finalize, period),
            "revise": partial(_revisable, period),
        })
    return _allowed(checks) | scoring_actions(access, user, period)


def export_actions(access, export: Export) -> frozenset[str]:
    """retry (a failed or stuck export), for those who may see the results."""
    if access is None or not access.has("reports.view_rankings"):
        return frozenset()
    return _allowed({"retry": partial(rules.check_retry_export, export)})


def lineage_ids(institution: Institution) -> list[int]:
    """The institution and its ancestors: whose rubrics and periods it may read."""
    return [institution.pk, *institution.ancestor_ids()]


def criteria_for(period: AssessmentPeriod, reader: Institution | None = None) -> list[Criterion]:
    reader = reader or period.institution
    return list(rows_of_lineage(Criterion, reader).filter(rubric_id=period.rubric_id))


def bands_for(period: AssessmentPeriod, reader: Institution | None = None) -> list[ScoreBand]:
    reader = reader or period.institution
    return list(rows_of_lineage(ScoreBand, reader).filter(rubric_id=period.rubric_id)
                .order_by("-min_total"))


def _band_specs(bands) -> list[scoring.BandSpec]:
    return [scoring.BandSpec(b.label, b.min_total) for b in bands]


def _criterion_specs(criteria) -> list[scoring.CriterionSpec]:
    return [scoring.CriterionSpec(c.pk, c.code, c.weight, c.indicator) for c in criteria]


def previous_finalized_period(period: AssessmentPeriod) -> AssessmentPeriod | None:
    year, semester = period.previous_semester()
    return (rows_of(AssessmentPeriod, period.institution)
            .filter(institution=period.institution, year=year, semester=semester, state=State.FINALIZED)
            .order_by("-revision").first())


def published_periods(assessor: Institution, *, upto: AssessmentPeriod | None = None) -> list[AssessmentPeriod]:
    """The assessor's finalized periods, the latest revision of each semester, oldest first."""
    qs = rows_of(AssessmentPeriod, assessor).filter(institution=assessor, state=State.FINALIZED)
    if upto is not None:
        qs = qs.filter(Q(year__lt=upto.year) | Q(year=upto.year, semester__lte=upto.semester))
    latest: dict[tuple[int, int], AssessmentPeriod] = {}
    for period in qs.order_by("year", "semester", "revision"):
        latest[(period.year, period.semester)] = period
    return list(latest.values())


# --- Rubrics and periods (assessor) ---------------------------------------------------------------


def rubrics_for(assessor: Institution) -> dict:
    own = list(Rubric.objects.filter(institution=assessor).annotate(
        criterion_count=Count("criteria", distinct=True), period_count=Count("periods", distinct=True)).order_by("name"))
    above = list(rows_of_ancestors(Rubric, assessor).select_related("institution")
                 .annotate(criterion_count=Count("criteria")).order_by("institution__path", "name")) \
        if assessor.ancestor_ids() else []
    return {"own": own, "above": above}


def rubric_detail(rubric: Rubric, reader: Institution) -> dict:
    criteria = list(rows_of_lineage(Criterion, reader).filter(rubric=rubric))
    bands = list(rows_of_lineage(ScoreBand, reader).filter(rubric=rubric).order_by("-min_total"))
    return {
        "rubric": rubric, "criteria": criteria, "bands": bands,
        "weights_total": scoring.weights_total(c.weight for c in criteria),
        "indicators": {c.pk: indicators.get(c.indicator) for c in criteria if c.indicator},
        "scale": [(score, rubric.scale_label(score)) for score in range(rubric.scale_max + 1)],
    }


def periods_for(assessor: Institution, *, states=None) -> list[AssessmentPeriod]:
    qs = AssessmentPeriod.objects.filter(institution=assessor).select_related("rubric").annotate(
        entry_count=Count("entries"),
        submitted_count=Count("entries", filter=Q(entries__submitted_at__isnull=False)),
        complete_count=Count("entries", filter=Q(entries__complete=True)),
        disagreement_count=Count("entries", filter=Q(entries__disagreement_count__gt=0)),
    )
    if states:
        qs = qs.filter(state__in=states)
    return list(qs.order_by("-year", "-semester", "-revision"))


def period_progress(period: AssessmentPeriod) -> dict:
    return Entry.objects.filter(period=period).aggregate(
        entries=Count("pk"),
        submitted=Count("pk", filter=Q(submitted_at__isnull=False)),
        complete=Count("pk", filter=Q(complete=True)),
        disagreements=Count("pk", filter=Q(disagreement_count__gt=0)),
    )


def scope_preview(period: AssessmentPeriod) -> dict:
    """How many institutions a draft period would cover, by kind."""
    qs = descendants(period.institution)
    if period.kinds:
        qs = qs.filter(kind__in=period.kinds)
    by_kind = {row["kind"]: row["n"] for row in qs.values("kind").annotate(n=Count("pk"))}
    labels = dict(Institution.Kind.choices)
    return {"total": sum(by_kind.values()), "kinds": [(labels.get(k, k), n) for k, n in sorted(by_kind.items())]}


def subtree_kinds(assessor: Institution) -> list[tuple[str, str]]:
    present = set(descendants(assessor).values_list("kind", flat=True).distinct())
    return [(value, label) for value, label in Institution.Kind.choices if value in present]


# --- Scoring (assessor) ---------------------------------------------------------------------------

def scoring_entries(period: AssessmentPeriod, actor: User, *, criteria_count: int, show: str = "", kind: str = "",
                    query: str = ""):
    """Entries of a period with how many criteria the actor has scored, for the scoring list."""
    qs = Entry.objects.filter(period=period).select_related("institution").annotate(
        mine=Count("scores", filter=Q(scores__assessor=actor)),
        assessors=Count("scores__assessor", distinct=True),
    )
    if kind:
        qs = qs.filter(institution__kind=kind)
    if query:
        qs = qs.filter(institution__name__icontains=query.strip())
    if show == "disagreements":
        qs = qs.filter(disagreement_count__gt=0)
    elif show == "not_submitted":
        qs = qs.filter(submitted_at__isnull=True)
    elif show == "todo":
        qs = qs.filter(mine__lt=criteria_count)
    return qs.order_by("institution__name")


@dataclass
class CriterionView:
    criterion: Criterion
    result: scoring.CriterionResult
    answer: Answer | None = None
    evidence: list[Evidence] = field(default_factory=list)
    scores: list[AssessorScore] = field(default_factory=list)
    indicator: indicators.Indicator | None = None
    indicator_value: Decimal | None = None
    peer_average: float | None = None

    @property
    def percent(self) -> float | None:
        return None if self.result.score is None else float(self.result.score)


def entry_detail(entry: Entry, *, reader: Institution, with_names: bool = False) -> dict:
    """Everything about one institution's entry: criteria with answers, evidence, scores, indicators
    and the computed result. ``with_names``: show assessors' names (for assessors); otherwise they
    are numbered (for the assessed institution)."""
    period = entry.period
    criteria = criteria_for(period, reader)
    bands = bands_for(period, reader)
    answers = {a.criterion_id: a for a in Answer.objects.filter(entry=entry)}
    evidence: dict[int, list[Evidence]] = defaultdict(list)
    for item in Evidence.objects.filter(entry=entry):
        evidence[item.criterion_id].append(item)
    scores: dict[int, list[AssessorScore]] = defaultdict(list)
    by_criterion: dict[int, dict[int, int]] = defaultdict(dict)
    assessor_numbers: dict[int, int] = {}
    for score in AssessorScore.objects.filter(entry=entry).select_related("assessor").order_by("assessor_id", "criterion_id"):
        assessor_numbers.setdefault(score.assessor_id, len(assessor_numbers) + 1)
        score.assessor_number = assessor_numbers[score.assessor_id]
        score.assessor_name = score.assessor.get_full_name() if with_names else ""
        scores[score.criterion_id].append(score)
        by_criterion[score.criterion_id][score.assessor_id] = score.score
    values = dict(IndicatorValue.objects.filter(entry=entry).values_list("code", "value"))
    result = scoring.entry_result(_criterion_specs(criteria), by_criterion, values, _band_specs(bands),
                                  period.rubric.scale_max, period.disagreement_threshold)
    averages = period.summary.get("criteria", {}) if period.is_frozen else {}
    rows = [
        CriterionView(
            criterion=c, result=result.criteria[c.pk], answer=answers.get(c.pk), evidence=evidence.get(c.pk, []),
            scores=scores.get(c.pk, []), indicator=indicators.get(c.indicator) if c.indicator else None,
            indicator_value=values.get(c.indicator), peer_average=averages.get(str(c.pk)),
        )
        for c in criteria
    ]
    indicator_averages = period.summary.get("indicators", {}) if period.is_frozen else {}
    indicator_rows = [
        {"indicator": indicator, "value": values.get(code), "display": indicator.display(values.get(code)),
         "peer_average": indicator_averages.get(code),
         "criteria": [c.code for c in criteria if c.indicator == code]}
        for code, indicator in indicators.REGISTRY.items() if code in values
    ]
    return {
        "entry": entry, "period": period, "criteria": rows, "bands": bands, "result": result,
        "indicator_rows": indicator_rows, "scale_max": period.rubric.scale_max,
        "assessor_count": len(assessor_numbers),
        "answered": sum(1 for c in criteria if answers.get(c.pk) and answers[c.pk].answer),
    }


# --- Results (assessor) ---------------------------------------------------------------------------


def indicator_values(period: AssessmentPeriod) -> dict[int, dict[str, Decimal | None]]:
    """{entry_id: {indicator code: value}} for a whole period, in one query."""
    values: dict[int, dict[str, Decimal | None]] = defaultdict(dict)
    for entry_id, code, value in IndicatorValue.objects.filter(entry__period=period).values_list("entry_id", "code", "value"):
        values[entry_id][code] = value
    return values


def results_matrix(period: AssessmentPeriod, entries: list[Entry]) -> dict[int, scoring.EntryResult]:
    """Every entry's per-criterion result, from all scores and indicator values in three queries."""
    criteria, bands = criteria_for(period), bands_for(period)
    scores: dict[int, dict[int, dict[int, int]]] = defaultdict(lambda: defaultdict(dict))
    for entry_id, criterion_id, assessor_id, score in AssessorScore.objects.filter(entry__period=period).values_list(
            "entry_id", "criterion_id", "assessor_id", "score"):
        scores[entry_id][criterion_id][assessor_id] = score
    values = indicator_values(period)
    specs, band_specs = _criterion_specs(criteria), _band_specs(bands)
    return {
        entry.pk: scoring.entry_result(specs, scores.get(entry.pk, {}), values.get(entry.pk, {}), band_specs,
                                       period.rubric.scale_max, period.disagreement_threshold)
        for entry in entries
    }


@dataclass
class RankingRow:
    entry: Entry
    rank: int | None
    change: Decimal | None
    previous_total: Decimal | None


def _regions(entries: list[Entry]) -> list[tuple[str, str]]:
    provinces = sorted({e.institution.province_code for e in entries if e.institution.province_code})
    regencies: dict[str, Institution] = {}
    for entry in entries:
        institution = entry.institution
        code = institution.regency_code
        if code and (code not in regencies or institution.depth < regencies[code].depth):
            regencies[code] = institution
    out = [(code, regions.province_name(code)) for code in provinces] if len(provinces) > 1 else []
    out += [(code, f"{code} · {regencies[code].name}") for code in sorted(regencies)]
    return out


def _matches(entry: Entry, kind: str, region: str) -> bool:
    if kind and entry.institution.kind != kind:
        return False
    if region:
        code = entry.institution.regency_code if "." in region else entry.institution.province_code
        if code != region:
            return False
    return True


def ranking(period: AssessmentPeriod, *, kind: str = "", region: str = "") -> dict:
    """The period's institutions ranked by total within the chosen kind and region, with the
    change from the previous semester, the band distribution, the trend and indicator values."""
    all_entries = list(Entry.objects.filter(period=period).select_related("institution")
                       .order_by(F("total").desc(nulls_last=True), "institution__name"))
    entries = [e for e in all_entries if _matches(e, kind, region)]
    previous = previous_finalized_period(period)
    previous_totals = (dict(Entry.objects.filter(period=previous).values_list("institution_id", "total"))
                       if previous else {})
    ranks = scoring.competition_ranks(e.total for e in entries)
    rows = []
    for entry, rank in zip(entries, ranks, strict=True):
        before = previous_totals.get(entry.institution_id)
        change = entry.total - before if entry.total is not None and before is not None else None
        rows.append(RankingRow(entry=entry, rank=rank, change=change, previous_total=before))
    bands = bands_for(period)
    distribution = [{"label": b.label, "count": sum(1 for e in entries if e.band_label == b.label), "index": i}
                    for i, b in enumerate(bands)]
    totals = [e.total for e in entries if e.total is not None]
    kinds_present = {e.institution.kind for e in all_entries}
    return {
        "period": period, "rows": rows, "previous": previous, "bands": bands, "distribution": distribution,
        "count": len(entries), "complete": sum(1 for e in entries if e.complete),
        "average": scoring.quantize(sum(totals, Decimal(0)) / len(totals)) if totals else None,
        "kind_choices": [(v, label) for v, label in Institution.Kind.choices if v in kinds_present],
        "region_choices": _regions(all_entries),
        "trend": trend(period, [e.institution_id for e in entries]),
        "indicator_chart": indicator_comparison(period, entries),
    }


def trend(period: AssessmentPeriod, institution_ids: list[int]) -> dict:
    """Average total per semester over the assessor's published semesters up to ``period`` (and
    ``period`` itself while it is being scored), for the given institutions."""
    periods = published_periods(period.institution, upto=period)
    if period.pk not in {p.pk for p in periods}:
        periods.append(period)
    averages = dict(Entry.objects.filter(period__in=periods, institution_id__in=institution_ids)
                    .values("period_id").annotate(avg=Avg("total")).values_list("period_id", "avg"))
    return {
        "labels": [p.label for p in periods],
        "average": [round(float(averages[p.pk]), 2) if averages.get(p.pk) is not None else None for p in periods],
    }


def indicator_comparison(period: AssessmentPeriod, entries: list[Entry]) -> dict:
    """Each indicator's value per institution (for the chart and its table)."""
    values: dict[str, dict[int, Decimal | None]] = defaultdict(dict)
    for entry_id, code, value in IndicatorValue.objects.filter(entry__period=period).values_list("entry_id", "code", "value"):
        values[code][entry_id] = value
    out = []
    for code, indicator in indicators.REGISTRY.items():
        if code not in values:
            continue
        points = [(e.institution.name, values[code].get(e.pk)) for e in entries]
        known = [v for _name, v in points if v is not None]
        out.append({
            "code": code, "label": str(indicator.label), "unit": str(indicator.unit), "formula": str(indicator.formula),
            "labels": [name for name, _v in points], "values": [float(v) if v is not None else None for _n, v in points],
            "average": float(scoring.quantize(sum(known, Decimal(0)) / len(known))) if known else None,
            "missing": len(points) - len(known),
        })
    return {"indicators": out}


def institution_trend(entry: Entry) -> dict:
    """The institution's own total in each published semester of the same assessor, beside the
    average of all institutions assessed then (frozen with each period)."""
    period = entry.period
    own = (Entry.objects.filter(institution=entry.institution, period__institution=period.institution,
                                period__state=State.FINALIZED)
           .filter(Q(period__year__lt=period.year) | Q(period__year=period.year, period__semester__lte=period.semester))
           .select_related("period").order_by("period__year", "period__semester", "period__revision"))
    latest: dict[tuple[int, int], Entry] = {}
    for item in own:
        latest[(item.period.year, item.period.semester)] = item
    if entry.period.state != State.FINALIZED:
        latest[(period.year, period.semester)] = entry
    points = list(latest.values())
    return {
        "labels": [p.period.label for p in points],
        "own": [float(p.total) if p.total is not None else None for p in points],
        "average": [p.period.summary.get("average_total") for p in points],
    }


# --- The assessed institution ---------------------------------------------------------------------


def cards_for(institution: Institution) -> dict:
    """The institution's entries: open self-assessments, those being scored, and published
    results (the latest finalized revision of each semester)."""
    entries = list(Entry.objects.filter(institution=institution)
                   .select_related("period", "period__institution")
                   .order_by("-period__year", "-period__semester", "-period__revision"))
    groups: dict[tuple[int, int, int], list[Entry]] = defaultdict(list)
    for entry in entries:
        groups[(entry.period.institution_id, entry.period.year, entry.period.semester)].append(entry)
    open_, scoring_, published = [], [], []
    for group in groups.values():
        finalized = next((e for e in group if e.period.state == State.FINALIZED), None)
        current = group[0]
        if finalized is not None:
            finalized.correction_in_progress = current.period.revision > finalized.period.revision
            published.append(finalized)
        elif current.period.state == State.SELF_ASSESSMENT:
            open_.append(current)
        elif current.period.state == State.SCORING:
            scoring_.append(current)
    return {"open": open_, "scoring": scoring_, "published": published}


def entry_for_institution(institution: Institution, pk: int) -> Entry:
    return get_object_or_404(
        Entry.objects.select_related("period", "period__rubric", "period__institution", "institution"),
        pk=pk, institution=institution,
    )


def self_assessment(entry: Entry) -> dict:
    period = entry.period
    criteria = criteria_for(period, entry.institution)
    answers = {a.criterion_id: a for a in Answer.objects.filter(entry=entry)}
    counts = dict(Evidence.objects.filter(entry=entry).values("criterion_id").annotate(n=Count("pk"))
                  .values_list("criterion_id", "n"))
    rows = [{"criterion": c, "answer": answers.get(c.pk), "files": counts.get(c.pk, 0),
             "done": bool(answers.get(c.pk) and answers[c.pk].answer),
             "evidence_missing": c.evidence_required and not counts.get(c.pk)
             and not (answers.get(c.pk) and answers[c.pk].links)}
            for c in criteria]
    return {"entry": entry, "period": period, "rows": rows, "done": sum(1 for r in rows if r["done"]),
            "total": len(rows)}


# --- Dashboard panels -----------------------------------------------------------------------------


def card_panel(institution: Institution) -> dict:
    cards = cards_for(institution)
    return {"latest": cards["published"][0] if cards["published"] else None, "open": cards["open"],
            "scoring": cards["scoring"]}


def assessing_panel(assessor: Institution) -> list[AssessmentPeriod]:
    return periods_for(assessor, states=[State.DRAFT, State.SELF_ASSESSMENT, State.SCORING])


def exports_for(period: AssessmentPeriod) -> list[Export]:
    return list(Export.objects.filter(period=period).order_by("-updated_at")[:10])
