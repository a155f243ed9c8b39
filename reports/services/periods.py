"""Assessment periods: creation, opening, scoring, recomputation, finalization and revision."""

from __future__ import annotations

import datetime
from collections import defaultdict
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from governance.audit import log_action
from governance.models import Institution, Membership, Role, User
from governance.services import notify
from governance.tenancy import descendants, rows_of, rows_of_lineage, rows_of_subtree, subtree_scope

from .. import indicators, rules, scoring
from ..models import (
    Answer,
    AssessmentPeriod,
    AssessorScore,
    Entry,
    Evidence,
    IndicatorValue,
    Rubric,
    ScoreBand,
)
from ..selectors import (
    bands_for,
    criteria_for,
    indicator_values,
    previous_finalized_period,
    results_matrix,
)
from ._common import MAX_TEXT, UPDATE_BATCH, State, _date

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
        clash = rows_of(AssessmentPeriod, institution).filter(year=year, semester=semester)
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
    rules.check_edit(period)
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


def _member_users(period: AssessmentPeriod, institution_ids, roles) -> dict[int, list[User]]:
    out: dict[int, list[User]] = defaultdict(list)
    rows = (rows_of_subtree(Membership, period.institution).active()
            .filter(institution_id__in=list(institution_ids), role__in=roles).select_related("user"))
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
    rules.check_open(period)
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
        humas = _member_users(period, [t.pk for t in targets], [Role.PUBLIC_RELATIONS])
        for target in targets:
            notify(
                recipients=humas.get(target.pk, []), institution=target, kind="reports.self_assessment_open",
                title=gettext_lazy("The semester Humas self-assessment is open"),
                body=format_lazy(gettext_lazy("{period} · assessed by {assessor} · fill it in by {deadline}."),
                                 period=period.label, assessor=period.institution.name,
                                 deadline=_date(period.self_assessment_deadline)),
                url=reverse("reports:self_assessment", kwargs={"institution": target.slug, "pk": entries[target.pk].pk}),
                email=email, urgent=True,  # a deadline: by e-mail at once, whatever the person chose
            )
    log_action(action="reports.period.opened", institution=period.institution, actor=actor, target=period,
               data={"entries": len(targets), "rubric": period.rubric_id})
    return period


@transaction.atomic
def period_start_scoring(*, actor: User | None, period: AssessmentPeriod) -> AssessmentPeriod:
    """Open for self-assessment → scoring. Self-assessments become read-only; indicators are computed."""
    period = AssessmentPeriod.objects.select_for_update().get(pk=period.pk)
    rules.check_start_scoring(period)
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
    rules.check_recompute(period)
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
             for b in rows_of_lineage(ScoreBand, period.institution).filter(rubric_id=period.rubric_id)]
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
    rules.check_finalize(period)
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
        people = _member_users(period, [e.institution_id for e in entries], [Role.HEAD, Role.PUBLIC_RELATIONS])
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
    rules.check_revise(period)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Say why the result needs a correction."))
    with subtree_scope(period.institution):
        rules.check_latest_revision(period)
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
