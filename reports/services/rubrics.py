"""Rubrics: the default rubric, copies for an institution, and edits of criteria and bands."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import CharField, Value
from django.db.models.functions import Cast, Concat
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import override

from governance.audit import log_action
from governance.models import Institution, User
from governance.tenancy import rows_of, rows_of_lineage

from .. import defaults, indicators, scoring
from ..models import (
    SCALE_MAX_LIMIT,
    Criterion,
    Rubric,
    ScoreBand,
)
from ..selectors import (
    lineage_ids,
)
from ._common import MAX_TEXT


def _unique_rubric_name(institution: Institution, name: str) -> str:
    taken = set(rows_of(Rubric, institution).values_list("name", flat=True))
    candidate, number = name[:190], 2
    while candidate in taken:
        candidate = f"{name[:185]} ({number})"
        number += 1
    return candidate


@transaction.atomic
def rubric_create_default(*, actor: User | None, institution: Institution) -> Rubric:
    """A new rubric at ``institution`` from Santun's default, written in the site's language."""
    with override(settings.LANGUAGE_CODE):
        rubric = Rubric.objects.create(
            institution=institution, name=_unique_rubric_name(institution, str(defaults.NAME)),
            description=str(defaults.DESCRIPTION), scale_max=defaults.SCALE_MAX,
            scale_labels=[str(label) for label in defaults.SCALE_LABELS], created_by=actor,
        )
        Criterion.objects.bulk_create([
            Criterion(rubric=rubric, position=position, code=code, title=str(title), guidance=str(guidance),
                      weight=weight, evidence_required=evidence, indicator=indicator if indicators.get(indicator) else "")
            for position, (code, title, guidance, weight, evidence, indicator) in enumerate(defaults.CRITERIA, start=1)
        ])
        ScoreBand.objects.bulk_create([ScoreBand(rubric=rubric, label=str(label), min_total=bound)
                                       for label, bound in defaults.BANDS])
    log_action(action="reports.rubric.created", institution=institution, actor=actor, target=rubric,
               data={"from": "default"})
    return rubric


@transaction.atomic
def rubric_copy(*, actor: User | None, rubric: Rubric, institution: Institution) -> Rubric:
    """A copy of ``rubric`` (the institution's own or one of its ancestors') to adapt."""
    if rubric.institution_id not in lineage_ids(institution):
        raise ValidationError(_("You can copy only your own rubrics and those of the institutions above you."))
    copy = Rubric.objects.create(
        institution=institution,
        name=_unique_rubric_name(institution, _("Copy of %(name)s") % {"name": rubric.name}),
        description=rubric.description, scale_max=rubric.scale_max, scale_labels=list(rubric.scale_labels),
        copied_from=rubric, created_by=actor,
    )
    Criterion.objects.bulk_create([
        Criterion(rubric=copy, position=c.position, code=c.code, title=c.title, guidance=c.guidance, weight=c.weight,
                  evidence_required=c.evidence_required, indicator=c.indicator)
        for c in rows_of_lineage(Criterion, institution).filter(rubric=rubric)
    ])
    ScoreBand.objects.bulk_create([
        ScoreBand(rubric=copy, label=b.label, min_total=b.min_total)
        for b in rows_of_lineage(ScoreBand, institution).filter(rubric=rubric)
    ])
    log_action(action="reports.rubric.copied", institution=institution, actor=actor, target=copy,
               data={"from": rubric.pk})
    return copy


def _decimal(value, field: str, row: int) -> Decimal:
    try:
        return Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, TypeError, ValueError):
        raise ValidationError(_("Row %(row)s: %(field)s must be a number.") % {"row": row, "field": field}) from None


def _clean_criteria(criteria: list[dict], existing_ids: set[int]) -> list[dict]:
    errors, cleaned, codes = [], [], set()
    for row, item in enumerate(criteria, start=1):
        code = (item.get("code") or "").strip()
        title = (item.get("title") or "").strip()
        if not code or not title:
            errors.append(_("Criterion %(row)s needs a code and a title.") % {"row": row})
            continue
        if code in codes:
            errors.append(_("The code %(code)s is used twice; each criterion needs its own code.") % {"code": code})
        codes.add(code)
        try:
            weight = _decimal(item.get("weight"), _("the weight"), row)
        except ValidationError as error:
            errors.extend(error.messages)
            continue
        if weight <= 0 or weight > 100:
            errors.append(_("%(code)s: a weight must be more than 0 and at most 100.") % {"code": code})
        indicator = item.get("indicator") or ""
        if indicator and indicators.get(indicator) is None:
            errors.append(_("%(code)s: unknown indicator.") % {"code": code})
        pk = item.get("id")
        if pk and pk not in existing_ids:
            errors.append(_("Criterion %(row)s does not belong to this rubric.") % {"row": row})
        cleaned.append({"id": pk or None, "code": code[:10], "title": title[:200],
                        "guidance": (item.get("guidance") or "").strip()[:MAX_TEXT], "weight": weight,
                        "evidence_required": bool(item.get("evidence_required")), "indicator": indicator})
    if not cleaned and not errors:
        errors.append(_("A rubric needs at least one criterion."))
    total = scoring.weights_total(c["weight"] for c in cleaned)
    if cleaned and total != Decimal(100):
        errors.append(_("The weights add up to %(total)s; they must add up to exactly 100.") % {
            "total": formats.number_format(total, decimal_pos=2)})
    if errors:
        raise ValidationError(errors)
    return cleaned


def _clean_bands(bands: list[dict]) -> list[dict]:
    errors, cleaned, bounds = [], [], set()
    for row, item in enumerate(bands, start=1):
        label = (item.get("label") or "").strip()
        if not label:
            errors.append(_("Band %(row)s needs a name.") % {"row": row})
            continue
        try:
            bound = _decimal(item.get("min_total"), _("the lowest total"), row)
        except ValidationError as error:
            errors.extend(error.messages)
            continue
        if not Decimal(0) <= bound <= Decimal(100):
            errors.append(_("%(label)s: the lowest total must be between 0 and 100.") % {"label": label})
        if bound in bounds:
            errors.append(_("Two bands start at %(bound)s; each band needs its own lowest total.") % {"bound": bound})
        bounds.add(bound)
        cleaned.append({"label": label[:80], "min_total": bound})
    if not cleaned and not errors:
        errors.append(_("A rubric needs at least one band."))
    if cleaned and Decimal(0) not in bounds:
        errors.append(_("One band must start at 0, so that every total has a category."))
    if errors:
        raise ValidationError(errors)
    return sorted(cleaned, key=lambda b: b["min_total"], reverse=True)


@transaction.atomic
def rubric_update(
    *, actor: User | None, rubric: Rubric, name: str, description: str, scale_max: int, scale_labels: list[str],
    criteria: list[dict], bands: list[dict],
) -> Rubric:
    """Replace a rubric's settings, criteria and bands. Refused whole when anything is wrong."""
    if rubric.is_locked:
        raise ValidationError(_("This rubric is used by a period that has opened, so it can no longer change. Copy it "
                                "and adapt the copy."), code="locked")
    errors = []
    name = (name or "").strip()
    if not name:
        errors.append(_("The rubric needs a name."))
    elif Rubric.objects.filter(institution=rubric.institution, name=name).exclude(pk=rubric.pk).exists():
        errors.append(_("Another rubric already has this name."))
    if not isinstance(scale_max, int) or not 1 <= scale_max <= SCALE_MAX_LIMIT:
        errors.append(_("The highest score must be a whole number from 1 to %(limit)s.") % {"limit": SCALE_MAX_LIMIT})
    labels = [label.strip() for label in scale_labels if label.strip()]
    if labels and isinstance(scale_max, int) and len(labels) != scale_max + 1:
        errors.append(_("Give one meaning per score from 0 to %(max)s (%(count)s lines), or none.") % {
            "max": scale_max, "count": scale_max + 1})
    existing = {c.pk: c for c in rubric.criteria.all()}
    for clean in (lambda: _clean_criteria(criteria, set(existing)), lambda: _clean_bands(bands)):
        try:
            clean()
        except ValidationError as error:
            errors.extend(error.messages)
    if errors:
        raise ValidationError(errors)
    criteria, bands = _clean_criteria(criteria, set(existing)), _clean_bands(bands)

    rubric.name, rubric.description = name[:200], (description or "").strip()[:MAX_TEXT]
    rubric.scale_max, rubric.scale_labels = scale_max, labels
    rubric.save()
    kept = {c["id"] for c in criteria if c["id"]}
    rubric.criteria.exclude(pk__in=kept).delete()
    # Codes are unique per rubric: park the kept ones first so that swapping two codes works.
    rubric.criteria.filter(pk__in=kept).update(code=Concat(Value("~"), Cast("pk", output_field=CharField())))
    for position, item in enumerate(criteria, start=1):
        fields = {k: v for k, v in item.items() if k != "id"}
        if item["id"]:
            rubric.criteria.filter(pk=item["id"]).update(position=position, **fields)
        else:
            Criterion.objects.create(rubric=rubric, position=position, **fields)
    rubric.bands.all().delete()
    ScoreBand.objects.bulk_create([ScoreBand(rubric=rubric, **band) for band in bands])
    log_action(action="reports.rubric.updated", institution=rubric.institution, actor=actor, target=rubric,
               data={"criteria": len(criteria), "bands": len(bands), "scale_max": scale_max})
    return rubric
