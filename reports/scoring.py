"""How scores become totals, bands, ranks and disagreements. Pure functions over plain values,
so that services, selectors, exports and the benchmark share one definition.

- A criterion's score is the mean of the assessors' scores; without any, the score its automatic
  indicator maps to; without that, it is unscored.
- The total is Σ weight × score ÷ highest score, over all criteria (0–100, two decimals); an
  unscored criterion counts 0 and leaves the total incomplete.
- The band is the one with the highest lower bound the total reaches.
- Assessors disagree on a criterion when their highest and lowest scores differ by more than the
  period's threshold.
- Ranks are competition ranks: equal totals share a rank, the next rank skips (1, 2, 2, 4).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from . import indicators

TWO = Decimal("0.01")


@dataclass(frozen=True)
class CriterionSpec:
    id: int
    code: str
    weight: Decimal
    indicator: str = ""


@dataclass(frozen=True)
class BandSpec:
    label: str
    min_total: Decimal


@dataclass
class CriterionResult:
    criterion_id: int
    score: Decimal | None
    source: str  # "assessors", "indicator" or ""
    points: Decimal
    assessor_scores: dict[int, int] = field(default_factory=dict)
    indicator_score: Decimal | None = None
    disagreement: bool = False

    @property
    def from_indicator(self) -> bool:
        return self.source == "indicator"


@dataclass
class EntryResult:
    total: Decimal
    complete: bool
    scored_count: int
    disagreement_count: int
    band_label: str
    band_index: int | None
    criteria: dict[int, CriterionResult]


def quantize(value: Decimal) -> Decimal:
    return value.quantize(TWO, rounding=ROUND_HALF_UP)


def criterion_result(
    spec: CriterionSpec, assessor_scores: dict[int, int], indicator_value: Decimal | None, scale_max: int, threshold: int,
) -> CriterionResult:
    indicator = indicators.get(spec.indicator) if spec.indicator else None
    indicator_score = indicator.score(indicator_value, scale_max) if indicator else None
    if assessor_scores:
        score = quantize(Decimal(sum(assessor_scores.values())) / len(assessor_scores))
        source = "assessors"
    elif indicator_score is not None:
        score, source = indicator_score, "indicator"
    else:
        score, source = None, ""
    points = quantize(spec.weight * score / scale_max) if score is not None else Decimal("0.00")
    values = list(assessor_scores.values())
    disagreement = len(values) > 1 and max(values) - min(values) > threshold
    return CriterionResult(spec.id, score, source, points, dict(assessor_scores), indicator_score, disagreement)


def band_for(total: Decimal | None, bands: Sequence[BandSpec]) -> tuple[str, int | None]:
    """``bands`` ordered from the highest lower bound down."""
    if total is None:
        return "", None
    for index, band in enumerate(bands):
        if total >= band.min_total:
            return band.label, index
    return "", None


def entry_result(
    criteria: Sequence[CriterionSpec], scores: dict[int, dict[int, int]], indicator_values: dict[str, Decimal | None],
    bands: Sequence[BandSpec], scale_max: int, threshold: int,
) -> EntryResult:
    """``scores`` is {criterion_id: {assessor_id: score}}; ``indicator_values`` is {code: value}."""
    results = {
        spec.id: criterion_result(spec, scores.get(spec.id, {}), indicator_values.get(spec.indicator), scale_max, threshold)
        for spec in criteria
    }
    total = quantize(sum((r.points for r in results.values()), Decimal(0)))
    scored = sum(1 for r in results.values() if r.score is not None)
    complete = scored == len(criteria)
    label, index = band_for(total, bands)
    return EntryResult(
        total=total, complete=complete, scored_count=scored,
        disagreement_count=sum(1 for r in results.values() if r.disagreement),
        band_label=label, band_index=index, criteria=results,
    )


def competition_ranks(totals: Iterable[Decimal | None]) -> list[int | None]:
    """Rank for each total in the given order (None: not ranked)."""
    values = list(totals)
    ordered = sorted((v for v in values if v is not None), reverse=True)
    first_position = {}
    for position, value in enumerate(ordered, start=1):
        first_position.setdefault(value, position)
    return [first_position[v] if v is not None else None for v in values]


def weights_total(weights: Iterable[Decimal]) -> Decimal:
    return quantize(sum((Decimal(w) for w in weights), Decimal(0)))
