"""Writes of the reports app. Each one validates everything first, then changes state and writes its
audit entry in the same transaction: a refused request changes nothing.

Who may call what is checked twice: the view declares its permission (the middleware checks it),
and the services that act for an assessor check that the actor is an assessor of the period's
institution and that the entry lies in its subtree.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import logging
import time
import uuid
import zipfile
from collections import defaultdict
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.db.models import CharField, F, Value
from django.db.models.functions import Cast, Concat
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, override

from governance.audit import log_action
from governance.models import Institution, Membership, Role, User
from governance.services import notify
from governance.tenancy import descendants, subtree_scope

from . import defaults, indicators, scoring
from .models import (
    SCALE_MAX_LIMIT,
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
from .selectors import (
    bands_for,
    criteria_for,
    indicator_values,
    lineage_ids,
    previous_finalized_period,
    results_matrix,
)

logger = logging.getLogger(__name__)

State = AssessmentPeriod.State
MAX_EVIDENCE_BYTES = 5 * 1024 * 1024
MAX_EVIDENCE_PER_CRITERION = 5
MAX_LINKS = 10
MAX_TEXT = 4000
# bulk_update writes one CASE per column over the batch: small batches keep it linear in institutions.
UPDATE_BATCH = 100
STALE_EXPORT_AFTER = datetime.timedelta(minutes=15)


def _date(value: datetime.date) -> str:
    return formats.date_format(value, "DATE_FORMAT")


def _frozen_message() -> str:
    return _("This period is finalized and nothing in it can change. To correct a result, open a correction "
             "(a new revision) from the period's page.")


def _require_state(period: AssessmentPeriod, *states: str) -> None:
    if period.state in states:
        return
    if period.state == State.FINALIZED:
        raise ValidationError(_frozen_message(), code="frozen")
    messages = {
        State.DRAFT: _("This period is still a draft; open it for self-assessment first."),
        State.SELF_ASSESSMENT: _("This period is open for self-assessment; start scoring first."),
        State.SCORING: _("This period is being scored; self-assessments can no longer change."),
    }
    raise ValidationError(messages[period.state], code="state")


def _is_assessor(user: User, institution: Institution) -> bool:
    return Membership.objects.with_scope(institution=institution).active(institution.local_today()).filter(
        user=user, role=Role.PENILAI).exists()


def _require_assessor(actor: User, period: AssessmentPeriod) -> None:
    if actor is None or not _is_assessor(actor, period.institution):
        raise ValidationError(_("Only an assessor of %(institution)s may do this.") % {"institution": period.institution.name},
                              code="not_assessor")


def _require_in_subtree(period: AssessmentPeriod, entry: Entry) -> None:
    if entry.period_id != period.pk or not entry.institution.is_descendant_of(period.institution):
        raise ValidationError(_("%(institution)s is not below %(assessor)s; an assessor scores only the institutions "
                                "below their own.") % {"institution": entry.institution.name,
                                                       "assessor": period.institution.name}, code="outside_subtree")


# --- Rubrics ------------------------------------------------------------------------------------


def _unique_rubric_name(institution: Institution, name: str) -> str:
    taken = set(Rubric.objects.with_scope(institution=institution).values_list("name", flat=True))
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
    source = lineage_ids(institution)
    Criterion.objects.bulk_create([
        Criterion(rubric=copy, position=c.position, code=c.code, title=c.title, guidance=c.guidance, weight=c.weight,
                  evidence_required=c.evidence_required, indicator=c.indicator)
        for c in Criterion.objects.with_scope(institution=source).filter(rubric=rubric)
    ])
    ScoreBand.objects.bulk_create([
        ScoreBand(rubric=copy, label=b.label, min_total=b.min_total)
        for b in ScoreBand.objects.with_scope(institution=source).filter(rubric=rubric)
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


# --- Periods ------------------------------------------------------------------------------------

EDITABLE_AFTER_OPENING = {"self_assessment_deadline", "scoring_deadline", "disagreement_threshold", "publish_ranks"}
PERIOD_FIELDS = {"year", "semester", "rubric", "kinds", *EDITABLE_AFTER_OPENING}


def _validate_period_fields(institution: Institution, fields: dict, *, exclude_pk: int | None = None) -> None:
    errors = []
    year, semester, rubric = fields["year"], fields["semester"], fields["rubric"]
    this_year = institution.local_today().year
    if not 2000 <= year <= this_year + 1:
        errors.append(_("The year must be between 2000 and %(year)s.") % {"year": this_year + 1})
    if semester not in (1, 2):
        errors.append(_("The semester is I (January–June) or II (July–December)."))
    if rubric.institution_id != institution.pk:
        errors.append(_("Choose one of your own rubrics (copy another institution's rubric first)."))
    else:
        weights = scoring.weights_total(rubric.criteria.values_list("weight", flat=True))
        if weights != Decimal(100):
            errors.append(_("The rubric's weights add up to %(total)s instead of 100; fix the rubric first.") % {
                "total": weights})
        if fields["disagreement_threshold"] > rubric.scale_max:
            errors.append(_("The disagreement threshold cannot exceed the rubric's highest score (%(max)s).") % {
                "max": rubric.scale_max})
    unknown = set(fields["kinds"]) - set(Institution.Kind.values)
    if unknown:
        errors.append(_("Unknown kind of institution."))
    if 2000 <= year <= 2100 and semester in (1, 2):
        starts = datetime.date(year, 1 if semester == 1 else 7, 1)
        if fields["self_assessment_deadline"] < starts:
            errors.append(_("The self-assessment deadline cannot be before the semester starts (%(date)s).") % {
                "date": _date(starts)})
        clash = AssessmentPeriod.objects.with_scope(institution=institution).filter(year=year, semester=semester)
        if exclude_pk:
            clash = clash.exclude(pk=exclude_pk)
        if clash.exists():
            errors.append(_("There is already an assessment for semester %(semester)s %(year)s.") % {
                "semester": "I" if semester == 1 else "II", "year": year})
    if fields["scoring_deadline"] < fields["self_assessment_deadline"]:
        errors.append(_("The scoring deadline cannot be before the self-assessment deadline."))
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def period_create(*, actor: User | None, institution: Institution, **fields) -> AssessmentPeriod:
    """A draft period. ``fields``: year, semester, rubric, kinds, self_assessment_deadline,
    scoring_deadline, disagreement_threshold, publish_ranks."""
    fields = {"kinds": [], "disagreement_threshold": 1, "publish_ranks": True, **fields}
    if set(fields) - PERIOD_FIELDS:
        raise TypeError(f"unknown fields {set(fields) - PERIOD_FIELDS}")
    _validate_period_fields(institution, fields)
    period = AssessmentPeriod.objects.create(institution=institution, created_by=actor, **fields)
    log_action(action="reports.period.created", institution=institution, actor=actor, target=period,
               data={"year": period.year, "semester": period.semester, "rubric": period.rubric_id, "kinds": period.kinds})
    return period


@transaction.atomic
def period_update(*, actor: User | None, period: AssessmentPeriod, **changes) -> AssessmentPeriod:
    """While a draft, everything may change; once open, only deadlines, the disagreement
    threshold and whether ranks are shown; once finalized, nothing."""
    period = AssessmentPeriod.objects.select_for_update().get(pk=period.pk)
    if period.is_frozen:
        raise ValidationError(_frozen_message(), code="frozen")
    if set(changes) - PERIOD_FIELDS:
        raise TypeError(f"unknown fields {set(changes) - PERIOD_FIELDS}")
    current = {name: getattr(period, name) for name in PERIOD_FIELDS}
    changed = {name for name, value in changes.items() if value != current[name]}
    if period.state != State.DRAFT and changed - EDITABLE_AFTER_OPENING:
        raise ValidationError(_("Once a period is open only its deadlines, the disagreement threshold and whether "
                                "ranks are shown can change."), code="locked_fields")
    fields = {**current, **changes}
    _validate_period_fields(period.institution, fields, exclude_pk=period.pk)
    for name in changed:
        setattr(period, name, fields[name])
    period.save()
    if "disagreement_threshold" in changed and period.state == State.SCORING:
        refresh_results(period)
    log_action(action="reports.period.updated", institution=period.institution, actor=actor, target=period,
               data={"changed": sorted(changed)})
    return period


def scope_institutions(period: AssessmentPeriod):
    qs = descendants(period.institution)
    return qs.filter(kind__in=period.kinds) if period.kinds else qs


def _member_users(institution_ids, roles) -> dict[int, list[User]]:
    out: dict[int, list[User]] = defaultdict(list)
    rows = (Membership.objects.with_scope(institution=list(institution_ids)).active()
            .filter(role__in=roles).select_related("user"))
    for membership in rows:
        out[membership.institution_id].append(membership.user)
    return out


@transaction.atomic
def period_open(
    *, actor: User | None, period: AssessmentPeriod, today: datetime.date | None = None, email: bool = True,
) -> AssessmentPeriod:
    """Draft → open for self-assessment: one entry per institution in scope, the rubric locked,
    each institution's Humas told (in the portal and, with ``email``, by e-mail)."""
    period = AssessmentPeriod.objects.select_for_update().get(pk=period.pk)
    _require_state(period, State.DRAFT)
    today = today or period.institution.local_today()
    if period.self_assessment_deadline < today:
        raise ValidationError(_("The self-assessment deadline (%(date)s) has already passed; set a later one first.") % {
            "date": _date(period.self_assessment_deadline)})
    targets = list(scope_institutions(period).only("pk", "slug", "name"))
    if not targets:
        raise ValidationError(_("There is no institution of the chosen kinds below yours; change the kinds first."))
    with subtree_scope(period.institution):
        Entry.objects.bulk_create([Entry(period=period, institution=target) for target in targets])
        entries = {e.institution_id: e for e in Entry.objects.filter(period=period)}
        period.state, period.opened_at = State.SELF_ASSESSMENT, timezone.now()
        period.save(update_fields=["state", "opened_at"])
        Rubric.objects.filter(pk=period.rubric_id, locked_at__isnull=True).update(locked_at=timezone.now())
        humas = _member_users([t.pk for t in targets], [Role.HUMAS])
        for target in targets:
            notify(
                recipients=humas.get(target.pk, []), institution=target, kind="reports.self_assessment_open",
                title=gettext_lazy("The semester Humas self-assessment is open"),
                body=format_lazy(gettext_lazy("{period} · assessed by {assessor} · fill it in by {deadline}."),
                                 period=period.label, assessor=period.institution.name,
                                 deadline=_date(period.self_assessment_deadline)),
                url=reverse("reports:self_assessment", kwargs={"institution": target.slug, "pk": entries[target.pk].pk}),
                email=email,
            )
    log_action(action="reports.period.opened", institution=period.institution, actor=actor, target=period,
               data={"entries": len(targets), "rubric": period.rubric_id})
    return period


@transaction.atomic
def period_start_scoring(*, actor: User | None, period: AssessmentPeriod) -> AssessmentPeriod:
    """Open for self-assessment → scoring. Self-assessments become read-only; indicators are computed."""
    period = AssessmentPeriod.objects.select_for_update().get(pk=period.pk)
    _require_state(period, State.SELF_ASSESSMENT)
    period.state, period.scoring_started_at = State.SCORING, timezone.now()
    period.save(update_fields=["state", "scoring_started_at"])
    counts = compute_period(period)
    log_action(action="reports.period.scoring_started", institution=period.institution, actor=actor, target=period,
               data=counts)
    return period


@transaction.atomic
def period_recompute(*, actor: User | None, period: AssessmentPeriod) -> dict:
    """Recompute the indicators and totals of a period being scored."""
    period = AssessmentPeriod.objects.select_for_update().get(pk=period.pk)
    _require_state(period, State.SCORING)
    counts = compute_period(period)
    log_action(action="reports.period.computed", institution=period.institution, actor=actor, target=period, data=counts)
    return counts


def compute_period(period: AssessmentPeriod) -> dict:
    """Indicators from the data, then every entry's total and band. A fixed number of queries
    however many institutions are in scope; the caller holds the transaction."""
    with subtree_scope(period.institution):
        entries = list(Entry.objects.filter(period=period).only("pk", "institution_id", "period_id"))
        by_institution = {e.institution_id: e for e in entries}
        values = indicators.compute_all(list(by_institution), period.starts_on, period.ends_on)
        now = timezone.now()
        IndicatorValue.objects.filter(entry__period=period).delete()
        IndicatorValue.objects.bulk_create([
            IndicatorValue(entry=by_institution[institution_id], code=code, value=value, computed_at=now)
            for code, per_institution in values.items() for institution_id, value in per_institution.items()
        ], batch_size=1000)
        AssessmentPeriod.objects.filter(pk=period.pk).update(indicators_computed_at=now)
        period.indicators_computed_at = now
        refresh_results(period)
    return {"entries": len(entries), "indicators": len(values)}


def _specs(period: AssessmentPeriod):
    criteria = criteria_for(period)
    bands = [scoring.BandSpec(b.label, b.min_total)
             for b in ScoreBand.objects.with_scope(institution=lineage_ids(period.institution)).filter(rubric_id=period.rubric_id)]
    specs = [scoring.CriterionSpec(c.pk, c.code, c.weight, c.indicator) for c in criteria]
    return specs, sorted(bands, key=lambda b: b.min_total, reverse=True)


def refresh_results(period: AssessmentPeriod, entries: list[Entry] | None = None) -> None:
    """Recompute and store the total, band and counts of ``entries`` (default: all of the period)."""
    with subtree_scope(period.institution):
        specs, bands = _specs(period)
        if entries is None:
            entries = list(Entry.objects.filter(period=period))
            score_rows = AssessorScore.objects.filter(entry__period=period)
            value_rows = IndicatorValue.objects.filter(entry__period=period)
        else:
            ids = [e.pk for e in entries]
            score_rows = AssessorScore.objects.filter(entry_id__in=ids)
            value_rows = IndicatorValue.objects.filter(entry_id__in=ids)
        scores: dict[int, dict[int, dict[int, int]]] = defaultdict(lambda: defaultdict(dict))
        for entry_id, criterion_id, assessor_id, score in score_rows.values_list("entry_id", "criterion_id", "assessor_id", "score"):
            scores[entry_id][criterion_id][assessor_id] = score
        values: dict[int, dict[str, Decimal | None]] = defaultdict(dict)
        for entry_id, code, value in value_rows.values_list("entry_id", "code", "value"):
            values[entry_id][code] = value
        for entry in entries:
            result = scoring.entry_result(specs, scores.get(entry.pk, {}), values.get(entry.pk, {}), bands,
                                          period.rubric.scale_max, period.disagreement_threshold)
            entry.total, entry.band_label, entry.band_index = result.total, result.band_label, result.band_index
            entry.scored_count, entry.complete = result.scored_count, result.complete
            entry.disagreement_count = result.disagreement_count
        Entry.objects.bulk_update(entries, ["total", "band_label", "band_index", "scored_count", "complete",
                                            "disagreement_count"], batch_size=UPDATE_BATCH)
        AssessmentPeriod.objects.filter(pk=period.pk).update(results_stamp=F("results_stamp") + 1)


def _summary(period: AssessmentPeriod, entries: list[Entry]) -> dict:
    """Aggregates frozen with a finalized period, for each institution's report card."""
    bands = bands_for(period)
    matrix = results_matrix(period, entries)
    values = indicator_values(period)
    totals = [e.total for e in entries if e.total is not None]
    criterion_scores: dict[int, list[Decimal]] = defaultdict(list)
    indicator_scores: dict[str, list[Decimal]] = defaultdict(list)
    for entry in entries:
        for criterion_id, criterion in matrix[entry.pk].criteria.items():
            if criterion.score is not None:
                criterion_scores[criterion_id].append(criterion.score)
        for code, value in values.get(entry.pk, {}).items():
            if value is not None:
                indicator_scores[code].append(value)

    def mean(items):
        return float(scoring.quantize(sum(items, Decimal(0)) / len(items))) if items else None

    return {
        "count": len(entries),
        "average_total": mean(totals),
        "highest_total": float(max(totals)) if totals else None,
        "bands": [{"label": b.label, "count": sum(1 for e in entries if e.band_label == b.label)} for b in bands],
        "criteria": {str(k): mean(v) for k, v in criterion_scores.items()},
        "indicators": {k: mean(v) for k, v in indicator_scores.items()},
    }


@transaction.atomic
def period_finalize(*, actor: User | None, period: AssessmentPeriod, email: bool = True) -> AssessmentPeriod:
    """Scoring → finalized: every institution must have a score for every criterion. Ranks among
    institutions of the same kind and the change from the previous semester are frozen with it."""
    period = AssessmentPeriod.objects.select_for_update().get(pk=period.pk)
    _require_state(period, State.SCORING)
    with subtree_scope(period.institution):
        refresh_results(period)
        entries = list(Entry.objects.filter(period=period).select_related("institution"))
        incomplete = [e for e in entries if not e.complete]
        if incomplete:
            names = ", ".join(e.institution.name for e in incomplete[:3])
            raise ValidationError(
                _("%(count)s institution(s) still have criteria without a score (%(names)s%(more)s). Score them, "
                  "then finalize.") % {"count": len(incomplete), "names": names, "more": "…" if len(incomplete) > 3 else ""},
                code="incomplete",
            )
        by_kind: dict[str, list[Entry]] = defaultdict(list)
        for entry in entries:
            by_kind[entry.institution.kind].append(entry)
        for group in by_kind.values():
            for entry, rank in zip(group, scoring.competition_ranks(e.total for e in group), strict=True):
                entry.peer_rank, entry.peer_count = rank, len(group)
        previous = previous_finalized_period(period)
        previous_totals = dict(Entry.objects.filter(period=previous).values_list("institution_id", "total")) if previous else {}
        for entry in entries:
            entry.previous_total = previous_totals.get(entry.institution_id)
        Entry.objects.bulk_update(entries, ["peer_rank", "peer_count", "previous_total"], batch_size=UPDATE_BATCH)
        period.summary = _summary(period, entries)
        period.state, period.finalized_at, period.finalized_by = State.FINALIZED, timezone.now(), actor
        period.save(update_fields=["summary", "state", "finalized_at", "finalized_by"])
        AssessmentPeriod.objects.filter(pk=period.pk).update(results_stamp=F("results_stamp") + 1)
        people = _member_users([e.institution_id for e in entries], [Role.KEPALA, Role.HUMAS])
        for entry in entries:
            notify(
                recipients=people.get(entry.institution_id, []), institution=entry.institution,
                kind="reports.results_published", title=gettext_lazy("Your Humas assessment result is published"),
                body=format_lazy(gettext_lazy("{period} · assessed by {assessor}."), period=period.label,
                                 assessor=period.institution.name),
                url=reverse("reports:card_detail", kwargs={"institution": entry.institution.slug, "pk": entry.pk}),
                email=email,
            )
    log_action(action="reports.period.finalized", institution=period.institution, actor=actor, target=period,
               data={"entries": len(entries), "revision": period.revision})
    return period


@transaction.atomic
def period_revise(*, actor: User | None, period: AssessmentPeriod, reason: str) -> AssessmentPeriod:
    """A correction of a finalized period: a new revision, in scoring, with everything copied. The
    finalized one stays as it was; the new one replaces it once finalized."""
    period = AssessmentPeriod.objects.select_for_update().get(pk=period.pk)
    if period.state != State.FINALIZED:
        raise ValidationError(_("Only a finalized period can be corrected; this one can still be changed directly."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Say why the result needs a correction."))
    with subtree_scope(period.institution):
        latest = AssessmentPeriod.objects.filter(institution=period.institution, year=period.year,
                                                 semester=period.semester).order_by("-revision").first()
        if latest.pk != period.pk:
            raise ValidationError(_("This result already has a newer revision (%(label)s); correct that one.") % {
                "label": latest.label})
        revision = AssessmentPeriod.objects.create(
            institution=period.institution, year=period.year, semester=period.semester, revision=period.revision + 1,
            revises=period, correction_reason=reason[:MAX_TEXT], rubric=period.rubric, kinds=period.kinds,
            self_assessment_deadline=period.self_assessment_deadline, scoring_deadline=period.scoring_deadline,
            disagreement_threshold=period.disagreement_threshold, publish_ranks=period.publish_ranks,
            state=State.SCORING, created_by=actor, opened_at=period.opened_at, scoring_started_at=timezone.now(),
            indicators_computed_at=period.indicators_computed_at,
        )
        old_entries = list(Entry.objects.filter(period=period))
        Entry.objects.bulk_create([
            Entry(period=revision, institution_id=e.institution_id, submitted_at=e.submitted_at, submitted_by_id=e.submitted_by_id)
            for e in old_entries
        ])
        new_by_old = {}
        new_entries = {e.institution_id: e for e in Entry.objects.filter(period=revision)}
        for e in old_entries:
            new_by_old[e.pk] = new_entries[e.institution_id]
        Answer.objects.bulk_create([
            Answer(entry=new_by_old[a.entry_id], criterion_id=a.criterion_id, answer=a.answer, links=a.links, notes=a.notes,
                   updated_by_id=a.updated_by_id)
            for a in Answer.objects.filter(entry__period=period)
        ])
        Evidence.objects.bulk_create([
            Evidence(entry=new_by_old[x.entry_id], criterion_id=x.criterion_id, file=x.file.name,
                     original_name=x.original_name, content_type=x.content_type, size=x.size,
                     uploaded_by_id=x.uploaded_by_id)
            for x in Evidence.objects.filter(entry__period=period)
        ])
        AssessorScore.objects.bulk_create([
            AssessorScore(entry=new_by_old[s.entry_id], criterion_id=s.criterion_id, assessor_id=s.assessor_id,
                          score=s.score, note=s.note)
            for s in AssessorScore.objects.filter(entry__period=period)
        ])
        IndicatorValue.objects.bulk_create([
            IndicatorValue(entry=new_by_old[v.entry_id], code=v.code, value=v.value, computed_at=v.computed_at)
            for v in IndicatorValue.objects.filter(entry__period=period)
        ])
        refresh_results(revision)
    log_action(action="reports.period.revised", institution=period.institution, actor=actor, target=revision,
               data={"revises": period.pk, "revision": revision.revision})
    return revision


# --- Self-assessment ------------------------------------------------------------------------------


def _require_self_assessment_open(entry: Entry, today: datetime.date | None) -> None:
    period = entry.period
    if period.state != State.SELF_ASSESSMENT:
        if period.state == State.DRAFT:
            raise ValidationError(_("This self-assessment has not opened yet."))
        raise ValidationError(_("The self-assessment is closed: the assessors are scoring or have finished."), code="closed")
    today = today or entry.institution.local_today()
    if today > period.self_assessment_deadline:
        raise ValidationError(_("The self-assessment deadline (%(date)s) has passed, so it can no longer change. Ask "
                                "your assessor at %(assessor)s to extend the deadline if you need more time.") % {
            "date": _date(period.self_assessment_deadline), "assessor": period.institution.name}, code="deadline")
    if entry.is_submitted:
        raise ValidationError(_("This self-assessment was submitted and can no longer change."), code="submitted")


def _require_criterion(entry: Entry, criterion: Criterion) -> None:
    if criterion.rubric_id != entry.period.rubric_id:
        raise ValidationError(_("This criterion is not part of the period's rubric."))


def _clean_links(links: str) -> str:
    lines = [line.strip() for line in (links or "").splitlines() if line.strip()]
    if len(lines) > MAX_LINKS:
        raise ValidationError(_("Give at most %(count)s links.") % {"count": MAX_LINKS})
    validate = URLValidator(schemes=["http", "https"])
    for line in lines:
        try:
            validate(line)
        except ValidationError:
            raise ValidationError(_("%(link)s is not a web address; each line must start with https:// or http://.") % {
                "link": line[:80]}) from None
    return "\n".join(lines)


@transaction.atomic
def answer_save(
    *, actor: User | None, entry: Entry, criterion: Criterion, answer: str, links: str = "", notes: str = "",
    today: datetime.date | None = None,
) -> Answer:
    entry = Entry.objects.select_for_update().select_related("period", "institution").get(pk=entry.pk)
    _require_self_assessment_open(entry, today)
    _require_criterion(entry, criterion)
    links = _clean_links(links)
    if len(answer or "") > MAX_TEXT or len(notes or "") > MAX_TEXT:
        raise ValidationError(_("Keep the answer and the notes under %(count)s characters each.") % {"count": MAX_TEXT})
    saved, created = Answer.objects.update_or_create(
        entry=entry, criterion=criterion,
        defaults={"answer": (answer or "").strip(), "links": links, "notes": (notes or "").strip(), "updated_by": actor},
    )
    log_action(action="reports.self_assessment.saved", institution=entry.institution, actor=actor, target=entry,
               data={"criterion": criterion.code, "created": created})
    return saved


OFFICE_MAX_UNPACKED = 50 * 1024 * 1024
OFFICE_MAX_ENTRIES = 2000
OFFICE_PARTS = {"xlsx": "xl/workbook.xml", "docx": "word/document.xml"}
OFFICE_TYPES = {"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}


def _office_kind(upload) -> tuple[str, str] | None:
    """An XLSX or DOCX that really is one: a sound zip (no bomb, no macros) holding its main part."""
    try:
        upload.seek(0)
        with zipfile.ZipFile(upload) as archive:
            infos = archive.infolist()
            names = {info.filename for info in infos}
            if (len(infos) > OFFICE_MAX_ENTRIES or sum(info.file_size for info in infos) > OFFICE_MAX_UNPACKED
                    or "[Content_Types].xml" not in names or any(n.lower().endswith("vbaproject.bin") for n in names)):
                return None
            for extension, part in OFFICE_PARTS.items():
                if part in names:
                    if archive.testzip() is not None or not archive.read(part).lstrip().startswith(b"<"):
                        return None
                    return OFFICE_TYPES[extension], extension
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError, RuntimeError):
        return None
    finally:
        upload.seek(0)
    return None


def sniff_evidence(head: bytes, upload) -> tuple[str, str] | None:
    """(content type, extension) from the file's content, never from its name. Images and PDFs are
    checked as violation evidence is (decoded in full; no scripts in a PDF); office files must be
    sound and free of macros. A refusal of an image or PDF raises its own ``ValidationError``."""
    from sanctions.evidence import inspect_evidence

    if head.startswith(b"PK\x03\x04"):
        return _office_kind(upload)
    upload.seek(0)
    try:
        found = inspect_evidence(upload.read(), name=upload.name or "")
    except ValidationError as refusal:
        if refusal.code == "not_evidence":
            return None  # the caller names every kind this form takes
        raise
    finally:
        upload.seek(0)
    return found.content_type, found.extension


@transaction.atomic
def evidence_add(*, actor: User | None, entry: Entry, criterion: Criterion, upload, today: datetime.date | None = None) -> Evidence:
    entry = Entry.objects.select_for_update().select_related("period", "institution").get(pk=entry.pk)
    _require_self_assessment_open(entry, today)
    _require_criterion(entry, criterion)
    if upload is None:
        raise ValidationError(_("Choose a file to upload."))
    if upload.size > MAX_EVIDENCE_BYTES:
        raise ValidationError(_("The file is larger than %(size)s MB; upload a smaller one or give a link instead.") % {
            "size": MAX_EVIDENCE_BYTES // (1024 * 1024)})
    upload.seek(0)
    kind = sniff_evidence(upload.read(16), upload)
    upload.seek(0)
    if kind is None:
        raise ValidationError(_("Upload a PDF, an image (JPEG, PNG, WebP) or a Word or Excel file; this file is none of "
                                "those."))
    if Evidence.objects.filter(entry=entry, criterion=criterion).count() >= MAX_EVIDENCE_PER_CRITERION:
        raise ValidationError(_("A criterion takes at most %(count)s files; remove one first or give a link.") % {
            "count": MAX_EVIDENCE_PER_CRITERION})
    content_type, extension = kind
    evidence = Evidence(entry=entry, criterion=criterion, original_name=(upload.name or "bukti")[-200:],
                        content_type=content_type, size=upload.size, uploaded_by=actor)
    evidence.file.save(f"bukti.{extension}", upload, save=False)
    try:
        evidence.save()
        log_action(action="reports.evidence.added", institution=entry.institution, actor=actor, target=evidence,
                   data={"entry": entry.pk, "criterion": criterion.code, "type": extension, "size": upload.size})
    except Exception:
        evidence.file.delete(save=False)
        raise
    return evidence


@transaction.atomic
def evidence_remove(*, actor: User | None, evidence: Evidence, today: datetime.date | None = None) -> None:
    entry = Entry.objects.select_for_update().select_related("period", "institution").get(pk=evidence.entry_id)
    _require_self_assessment_open(entry, today)
    name, pk = evidence.file.name, evidence.pk
    evidence.delete()
    log_action(action="reports.evidence.removed", institution=entry.institution, actor=actor, target=entry,
               data={"evidence": pk})
    # The file goes only once the removal is committed; a file shared with a correction stays.
    transaction.on_commit(lambda: default_storage.delete(name))


@transaction.atomic
def self_assessment_submit(
    *, actor: User | None, entry: Entry, today: datetime.date | None = None, email: bool = True,
) -> Entry:
    """Submit the self-assessment: every criterion answered, evidence where the rubric requires it.
    After this it is read-only."""
    entry = Entry.objects.select_for_update().select_related("period", "institution").get(pk=entry.pk)
    _require_self_assessment_open(entry, today)
    criteria = criteria_for(entry.period, reader=entry.institution)
    answers = {a.criterion_id: a for a in Answer.objects.filter(entry=entry)}
    files = set(Evidence.objects.filter(entry=entry).values_list("criterion_id", flat=True))
    unanswered = [c.code for c in criteria if not (answers.get(c.pk) and answers[c.pk].answer)]
    no_evidence = [c.code for c in criteria if c.evidence_required and c.pk not in files
                   and not (answers.get(c.pk) and answers[c.pk].links)]
    errors = []
    if unanswered:
        errors.append(_("Answer every criterion first; still empty: %(codes)s.") % {"codes": ", ".join(unanswered)})
    if no_evidence:
        errors.append(_("These criteria need evidence (a file or a link): %(codes)s.") % {"codes": ", ".join(no_evidence)})
    if errors:
        raise ValidationError(errors)
    entry.submitted_at, entry.submitted_by = timezone.now(), actor
    entry.save(update_fields=["submitted_at", "submitted_by"])
    log_action(action="reports.self_assessment.submitted", institution=entry.institution, actor=actor, target=entry,
               data={"period": entry.period_id})
    period = entry.period
    assessors = _member_users([period.institution_id], [Role.PENILAI]).get(period.institution_id, [])
    notify(
        recipients=assessors, institution=period.institution, kind="reports.self_assessment_submitted",
        title=gettext_lazy("A self-assessment was submitted"),
        body=format_lazy("{institution} · {period}", institution=entry.institution.name, period=period.label),
        url=reverse("reports:period_detail", kwargs={"institution": period.institution.slug, "pk": period.pk}),
        email=email,
    )
    return entry


# --- Scoring --------------------------------------------------------------------------------------


@transaction.atomic
def scores_record(*, actor: User, entry: Entry, values: dict[int, tuple[int | None, str]]) -> Entry:
    """The actor's scores for one institution: ``{criterion_id: (score or None, note)}``. A None
    score clears the actor's earlier score for that criterion. All or nothing."""
    entry = Entry.objects.select_for_update().select_related("period", "period__rubric", "period__institution",
                                                             "institution").get(pk=entry.pk)
    period = entry.period
    _require_in_subtree(period, entry)
    _require_state(period, State.SCORING)
    _require_assessor(actor, period)
    criteria = {c.pk: c for c in criteria_for(period)}
    scale_max = period.rubric.scale_max
    errors, clean = [], {}
    for criterion_id, (score, note) in values.items():
        criterion = criteria.get(criterion_id)
        if criterion is None:
            errors.append(_("A score was given for a criterion that is not in this rubric."))
            continue
        note = (note or "").strip()
        if len(note) > MAX_TEXT:
            errors.append(_("%(code)s: keep the note under %(count)s characters.") % {"code": criterion.code, "count": MAX_TEXT})
        if score is None or score == "":
            if note:
                errors.append(_("%(code)s: give a score with your note, or clear the note.") % {"code": criterion.code})
            clean[criterion_id] = (None, "")
            continue
        try:
            number = int(str(score))
            if str(number) != str(score).strip():
                raise ValueError
        except ValueError:
            number = None
        if number is None or not 0 <= number <= scale_max:
            errors.append(_("%(code)s: a score must be a whole number from 0 to %(max)s.") % {
                "code": criterion.code, "max": scale_max})
            continue
        clean[criterion_id] = (number, note)
    if errors:
        raise ValidationError(errors)
    existing = {s.criterion_id: s for s in AssessorScore.objects.filter(entry=entry, assessor=actor)}
    scored = cleared = 0
    for criterion_id, (number, note) in clean.items():
        current = existing.get(criterion_id)
        if number is None:
            if current:
                current.delete()
                cleared += 1
        elif current:
            if (current.score, current.note) != (number, note):
                current.score, current.note = number, note
                current.save(update_fields=["score", "note", "updated_at"])
            scored += 1
        else:
            AssessorScore.objects.create(entry=entry, criterion_id=criterion_id, assessor=actor, score=number, note=note)
            scored += 1
    refresh_results(period, [entry])
    log_action(action="reports.scores.recorded", institution=period.institution, actor=actor, target=entry,
               data={"institution": entry.institution_id, "scored": scored, "cleared": cleared})
    return entry


# --- Exports --------------------------------------------------------------------------------------


def export_key(period: AssessmentPeriod, fmt: str, params: dict) -> str:
    raw = json.dumps({"period": period.pk, "format": fmt, "params": params}, sort_keys=True)
    return hashlib.sha256(raw.encode()).hexdigest()


def _enqueue(export: Export) -> None:
    from .tasks import build_export

    build_export.delay_on_commit(institution_id=export.institution_id, export_id=export.pk)


@transaction.atomic
def export_request(*, actor: User | None, period: AssessmentPeriod, fmt: str, params: dict | None = None) -> Export:
    """Ask for a province-wide export. The same period, format and filters always give the same
    record: a fresh file is reused, a running one is waited for, a stale or failed one is rebuilt."""
    if fmt not in Export.Format.values:
        raise ValidationError(_("Unknown export format."))
    params = {k: v for k, v in (params or {}).items() if v}
    key = export_key(period, fmt, params)
    try:
        with transaction.atomic():
            export, created = Export.objects.get_or_create(
                institution=period.institution, key=key,
                defaults={"period": period, "format": fmt, "params": params, "requested_by": actor},
            )
    except IntegrityError:
        export, created = Export.objects.get(institution=period.institution, key=key), False
    export = Export.objects.select_for_update().get(pk=export.pk)
    period.refresh_from_db(fields=["results_stamp"])
    if not created:
        if export.is_active and timezone.now() - export.updated_at < STALE_EXPORT_AFTER:
            return export
        if export.state == Export.State.DONE and export.stamp == period.results_stamp and export.file:
            return export
    _queue(export, actor)
    log_action(action="reports.export.requested", institution=period.institution, actor=actor, target=export,
               data={"period": period.pk, "format": fmt, "attempt": export.attempts})
    return export


def _queue(export: Export, actor: User | None) -> None:
    export.state, export.progress, export.error, export.attempts = Export.State.QUEUED, 0, "", export.attempts + 1
    export.requested_by, export.runner = actor, ""  # a build still under way for it is superseded
    export.save(update_fields=["state", "progress", "error", "attempts", "requested_by", "runner", "updated_at"])
    _enqueue(export)


@transaction.atomic
def export_retry(*, actor: User | None, export: Export) -> Export:
    """Run a failed (or stuck) export again, on the same record."""
    export = Export.objects.select_for_update().get(pk=export.pk)
    stuck = export.is_active and timezone.now() - export.updated_at >= STALE_EXPORT_AFTER
    if export.state != Export.State.FAILED and not stuck:
        raise ValidationError(_("Only a failed export can be retried."))
    _queue(export, actor)
    log_action(action="reports.export.retried", institution=export.institution, actor=actor, target=export,
               data={"attempt": export.attempts})
    return export


class ExportBusy(Exception):
    """Another worker is building this export right now: look again in ``retry_in`` seconds."""

    def __init__(self, retry_in: float):
        super().__init__(retry_in)
        self.retry_in = retry_in


class _Superseded(Exception):
    """This build was taken over by another delivery of the task (or asked for again): it stops."""


def export_run(*, export_id: int, take_over: bool = False) -> Export:
    """Build the file of an export (called by the task, inside the assessor's scope).

    Safe when the task is delivered more than once (a worker killed mid-build, a redelivery after
    the broker's visibility timeout): each delivery claims the export under a row lock with a fresh
    token, and only the holder of the current token may finish it, so the file is written, the
    "completed" entry logged and the requester notified exactly once. A delivery that finds
    another worker building it (progress reported within SANTUN_EXPORT_LEASE seconds) raises
    ExportBusy unless ``take_over``; a finished, current export is left as it is. A failure is
    recorded, never raised."""
    from . import exports

    lease = datetime.timedelta(seconds=settings.SANTUN_EXPORT_LEASE)
    token = uuid.uuid4().hex
    with transaction.atomic():
        export = (Export.objects.select_for_update(of=("self",))
                  .select_related("period", "period__rubric", "period__institution", "requested_by").get(pk=export_id))
        period = export.period
        if export.state == Export.State.DONE and export.stamp == period.results_stamp and export.file:
            return export
        quiet_for = timezone.now() - export.updated_at
        if export.state == Export.State.RUNNING and export.runner and quiet_for < lease and not take_over:
            raise ExportBusy(retry_in=(lease - quiet_for).total_seconds() + 1)
        Export.objects.filter(pk=export.pk).update(state=Export.State.RUNNING, progress=1, runner=token,
                                                   updated_at=timezone.now())
    pause = getattr(settings, "SANTUN_EXPORT_PAUSE", 0)
    if pause:  # only under the test settings, so that a test can kill the worker mid-export
        time.sleep(pause)

    def progress(percent: int) -> None:
        if not Export.objects.filter(pk=export.pk, runner=token).update(
                progress=max(1, min(99, int(percent))), updated_at=timezone.now()):
            raise _Superseded

    try:
        with subtree_scope(period.institution):
            stamp = AssessmentPeriod.objects.values_list("results_stamp", flat=True).get(pk=period.pk)
            content = exports.build_period_export(period, export.format, export.params, progress=progress)
        with transaction.atomic():
            if not Export.objects.select_for_update().filter(pk=export.pk, runner=token,
                                                             state=Export.State.RUNNING).exists():
                raise _Superseded
            name = f"reports/exports/{export.institution_id}/{export.pk}.{export.format}"
            if default_storage.exists(name):
                default_storage.delete(name)
            saved = default_storage.save(name, ContentFile(content))
            Export.objects.filter(pk=export.pk).update(
                state=Export.State.DONE, progress=100, file=saved, stamp=stamp, error="", runner="",
                finished_at=timezone.now(), updated_at=timezone.now(),
            )
            log_action(action="reports.export.completed", institution=export.institution, target=export,
                       data={"format": export.format, "bytes": len(content)})
            notify(
                recipients=[export.requested_by], institution=export.institution, kind="reports.export_ready",
                title=gettext_lazy("Your province export is ready"),
                body=format_lazy("{period} · {format}", period=period.label,
                                 format=Export.Format(export.format).label),
                url=reverse("reports:export_status", kwargs={"institution": period.institution.slug,
                                                             "pk": period.pk, "export": export.pk}),
            )
    except _Superseded:
        logger.info("export %s: another delivery of its task took it over; this one stops", export.pk)
    except Exception as error:  # any failure is shown to the user, who may retry
        logger.exception("export %s failed", export.pk)
        with transaction.atomic():
            if Export.objects.filter(pk=export.pk, runner=token).update(
                    state=Export.State.FAILED, error=type(error).__name__[:200], runner="", updated_at=timezone.now()):
                log_action(action="reports.export.failed", institution=export.institution, target=export,
                           data={"format": export.format, "error": type(error).__name__[:60]})
    export.refresh_from_db()
    return export
