"""Pages of the reports app: each institution's report card and
self-assessment, and — at an assessor institution — rubrics, periods, scoring, results and exports.

Assessor pages run inside ``subtree_scope`` of the assessor institution, so every entry they can
fetch lies below it; another tree's objects are simply not found (404).
"""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from governance.cache import cached, data_version
from governance.http import private_download, private_file, refuse
from governance.models import Role
from governance.pagecache import page_cache
from governance.permissions import requires
from governance.tenancy import rows_of_lineage

from . import exports, moderation, rules, selectors, services
from .forms import (
    AnswerForm,
    BandFormSet,
    CriterionFormSet,
    EvidenceForm,
    ExportForm,
    PeriodForm,
    ResultsFilterForm,
    ReviseForm,
    RubricForm,
    ScoringFilterForm,
    ScoringForm,
    StatisticsForm,
)
from .models import AssessmentPeriod, Entry, Evidence, Export, Rubric

State = AssessmentPeriod.State


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# --- The assessed institution: report cards and self-assessment ------------------------------------


@requires("reports.view_report_card")
def card_list(request, institution):
    return render(request, "reports/card_list.html", {"cards": selectors.cards_for(request.institution),
                                                      "title": _("Humas assessment")})


def _chart_card(detail: dict, trend: dict) -> dict:
    return {
        "trend": {"labels": trend["labels"], "series": [
            {"label": _("This institution"), "data": trend["own"]},
            {"label": _("Average of all assessed"), "data": trend["average"]},
        ]},
        "criteria": {"labels": [row.criterion.code for row in detail["criteria"]], "max": detail["scale_max"], "series": [
            {"label": _("This institution"), "data": [row.percent for row in detail["criteria"]]},
            {"label": _("Average of all assessed"), "data": [row.peer_average for row in detail["criteria"]]},
        ]},
    }


@requires("reports.view_report_card")
def card_detail(request, institution, pk):
    entry = selectors.entry_for_institution(request.institution, pk)
    context = {"entry": entry, "period": entry.period, "title": _("Report card")}
    if entry.period.is_frozen:
        detail = selectors.entry_detail(entry, reader=request.institution)
        trend = selectors.institution_trend(entry)
        context.update(detail=detail, charts=_chart_card(detail, trend))
    else:
        context["progress"] = selectors.self_assessment(entry)
    return render(request, "reports/card_detail.html", context)


def _finalized_entry(request, pk) -> Entry:
    entry = selectors.entry_for_institution(request.institution, pk)
    if not entry.period.is_frozen:
        raise Http404("not published yet")
    return entry


def _card_filename(entry: Entry, extension: str) -> str:
    period = entry.period
    return f"rapor-humas-{entry.institution.slug}-{period.year}-{period.semester_roman}-r{period.revision}.{extension}"


@requires("reports.view_report_card")
def card_xlsx(request, institution, pk):
    entry = _finalized_entry(request, pk)
    return private_download(exports.card_workbook(entry, request.institution), filename=_card_filename(entry, "xlsx"), content_type=XLSX)


@requires("reports.view_report_card")
def card_pdf(request, institution, pk):
    entry = _finalized_entry(request, pk)
    return private_download(exports.card_pdf(entry, request.institution), filename=_card_filename(entry, "pdf"), content_type="application/pdf")


@requires("reports.view_report_card")
def card_evidence(request, institution, pk, evidence):
    entry = selectors.entry_for_institution(request.institution, pk)
    item = get_object_or_404(Evidence, pk=evidence, entry=entry)
    return private_file(item.file, filename=item.original_name, content_type=item.content_type)


def _can_edit(entry: Entry) -> bool:
    return (entry.period.state == State.SELF_ASSESSMENT and not entry.is_submitted
            and entry.institution.local_today() <= entry.period.self_assessment_deadline)


@requires("reports.self_assess")
def self_assessment(request, institution, pk):
    entry = selectors.entry_for_institution(request.institution, pk)
    data = selectors.self_assessment(entry)
    return render(request, "reports/self_assessment.html", {**data, "can_edit": _can_edit(entry),
                                                            "title": _("Self-assessment")})


def _criterion(entry: Entry, criterion_pk: int):
    criteria = selectors.criteria_for(entry.period, entry.institution)
    for index, criterion in enumerate(criteria):
        if criterion.pk == criterion_pk:
            following = criteria[index + 1] if index + 1 < len(criteria) else None
            return criterion, following, index + 1, len(criteria)
    raise Http404("criterion not in this rubric")


@requires("reports.self_assess")
def answer_edit(request, institution, pk, criterion):
    entry = selectors.entry_for_institution(request.institution, pk)
    criterion, following, number, count = _criterion(entry, criterion)
    existing = entry.answers.filter(criterion=criterion).first()
    initial = {"answer": existing.answer, "links": existing.links, "notes": existing.notes} if existing else {}
    form = AnswerForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.answer_save(actor=request.user, entry=entry, criterion=criterion, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Saved %(code)s.") % {"code": criterion.code})
            if "next" in request.POST and following is not None:
                return redirect("reports:answer_edit", institution=institution, pk=entry.pk, criterion=following.pk)
            return redirect("reports:self_assessment", institution=institution, pk=entry.pk)
    return render(request, "reports/answer_edit.html", {
        "entry": entry, "period": entry.period, "criterion": criterion, "following": following, "number": number,
        "count": count, "form": form, "evidence": list(entry.evidence.filter(criterion=criterion)),
        "evidence_form": EvidenceForm(), "can_edit": _can_edit(entry), "title": criterion.title,
    })


@require_POST
@requires("reports.self_assess")
def evidence_upload(request, institution, pk, criterion):
    entry = selectors.entry_for_institution(request.institution, pk)
    criterion, *_rest = _criterion(entry, criterion)
    form = EvidenceForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose a file to upload."))
    else:
        try:
            services.evidence_add(actor=request.user, entry=entry, criterion=criterion, upload=form.cleaned_data["file"])
        except ValidationError as error:
            refuse(request, error)
        else:
            messages.success(request, _("The file was added."))
    return redirect("reports:answer_edit", institution=institution, pk=entry.pk, criterion=criterion.pk)


@require_POST
@requires("reports.self_assess")
def evidence_delete(request, institution, pk, evidence):
    entry = selectors.entry_for_institution(request.institution, pk)
    item = get_object_or_404(Evidence, pk=evidence, entry=entry)
    criterion_pk = item.criterion_id
    try:
        services.evidence_remove(actor=request.user, evidence=item)
    except ValidationError as error:
        refuse(request, error)
    else:
        messages.success(request, _("The file was removed."))
    return redirect("reports:answer_edit", institution=institution, pk=entry.pk, criterion=criterion_pk)


@require_POST
@requires("reports.self_assess")
def self_assessment_submit(request, institution, pk):
    entry = selectors.entry_for_institution(request.institution, pk)
    try:
        services.self_assessment_submit(actor=request.user, entry=entry)
    except ValidationError as error:
        refuse(request, error)
    else:
        messages.success(request, _("Your self-assessment was submitted to %(assessor)s.") % {
            "assessor": entry.period.institution.name})
    return redirect("reports:self_assessment", institution=institution, pk=entry.pk)


# --- The assessor institution ----------------------------------------------------------------------


def assessor(permission: str):
    """An assessor institution's own page: only its own assessors (not one from further up the
    tree), every read inside its subtree (both enforced by ``TenantMiddleware``)."""
    return requires(permission, held_here=True, subtree=True)


def _period(request, pk) -> AssessmentPeriod:
    return get_object_or_404(AssessmentPeriod.objects.select_related("rubric", "institution", "revises"),
                             pk=pk, institution=request.institution)


def _entry(period: AssessmentPeriod, pk) -> Entry:
    return get_object_or_404(Entry.objects.select_related("institution", "period", "period__rubric",
                                                          "period__institution"), pk=pk, period=period)


def _own_rubrics(request):
    return Rubric.objects.filter(institution=request.institution).order_by("name")


@assessor("reports.manage_periods")
def period_list(request, institution):
    return render(request, "reports/period_list.html", {
        "periods": selectors.periods_for(request.institution), "rubric_count": _own_rubrics(request).count(),
        "title": _("Semester assessments"),
    })


def _default_semester(today: datetime.date) -> tuple[int, int]:
    """The semester that has just ended: semester I is scored in July–August, semester II in January."""
    return (today.year, 1) if today.month >= 7 else (today.year - 1, 2)


@assessor("reports.manage_periods")
def period_create(request, institution):
    today = request.institution.local_today()
    year, semester = _default_semester(today)
    rubrics = _own_rubrics(request)
    form = PeriodForm(request.POST or None, rubrics=rubrics, kinds=selectors.subtree_kinds(request.institution), initial={
        "year": year, "semester": semester, "rubric": rubrics.first(),
        "self_assessment_deadline": today + datetime.timedelta(days=21),
        "scoring_deadline": today + datetime.timedelta(days=42), "disagreement_threshold": 1, "publish_ranks": True,
    })
    if request.method == "POST" and form.is_valid():
        try:
            period = services.period_create(actor=request.user, institution=request.institution, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The period was created as a draft. Check who it covers, then open it."))
            return redirect("reports:period_detail", institution=institution, pk=period.pk)
    return render(request, "reports/period_form.html", {"form": form, "title": _("New assessment period"),
                                                        "has_rubrics": rubrics.exists()})


@assessor("reports.manage_periods")
def period_detail(request, institution, pk):
    period = _period(request, pk)
    context = {"period": period, "progress": selectors.period_progress(period), "title": period.label,
               "revisions": list(period.revisions.all()), "revise_form": ReviseForm(),
               "actions": selectors.period_actions(request.access, request.user, period)}
    if period.state == State.DRAFT:
        context["preview"] = selectors.scope_preview(period)
    return render(request, "reports/period_detail.html", context)


@assessor("reports.manage_periods")
def period_edit(request, institution, pk):
    period = _period(request, pk)
    if period.is_frozen:
        messages.error(request, _("This period is finalized and nothing in it can change. To correct a result, open a "
                                  "correction (a new revision) from the period's page."))
        return redirect("reports:period_detail", institution=institution, pk=period.pk)
    initial = {name: getattr(period, name) for name in services.PERIOD_FIELDS}
    form = PeriodForm(request.POST or None, rubrics=_own_rubrics(request), initial=initial,
                      kinds=selectors.subtree_kinds(request.institution), locked=period.state != State.DRAFT)
    if request.method == "POST" and form.is_valid():
        try:
            services.period_update(actor=request.user, period=period, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The period was saved."))
            return redirect("reports:period_detail", institution=institution, pk=period.pk)
    return render(request, "reports/period_form.html", {"form": form, "period": period, "has_rubrics": True,
                                                        "title": _("Change %(period)s") % {"period": period.label}})


def _transition(service, success: str):
    @require_POST
    @assessor("reports.manage_periods")
    def view(request, institution, pk):
        period = _period(request, pk)
        try:
            service(actor=request.user, period=period)
        except ValidationError as error:
            refuse(request, error)
        else:
            messages.success(request, str(success))
        return redirect("reports:period_detail", institution=institution, pk=period.pk)

    return view


period_open = _transition(services.period_open, gettext_lazy(
    "The period is open. Each institution's Humas was told and can now fill in the self-assessment."))
period_start_scoring = _transition(services.period_start_scoring, gettext_lazy(
    "Scoring has started. Self-assessments are now read-only and the indicators were computed."))
period_recompute = _transition(services.period_recompute, gettext_lazy("The indicators and totals were computed again."))
period_finalize = _transition(services.period_finalize, gettext_lazy(
    "The period is finalized and its results are published to each institution."))


@require_POST
@assessor("reports.manage_periods")
def period_revise(request, institution, pk):
    period = _period(request, pk)
    form = ReviseForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why the result needs a correction."))
        return redirect("reports:period_detail", institution=institution, pk=period.pk)
    try:
        revision = services.period_revise(actor=request.user, period=period, reason=form.cleaned_data["reason"])
    except ValidationError as error:
        refuse(request, error)
        return redirect("reports:period_detail", institution=institution, pk=period.pk)
    messages.success(request, _("A correction was opened as %(label)s. The published result stays until you finalize "
                                "the correction.") % {"label": revision.label})
    return redirect("reports:period_detail", institution=institution, pk=revision.pk)


# --- Scoring --------------------------------------------------------------------------------------


@assessor("reports.assess")
def scoring_list(request, institution, pk):
    period = _period(request, pk)
    criteria_count = len(selectors.criteria_for(period))
    filters = ScoringFilterForm(request.GET or None, kinds=selectors.subtree_kinds(request.institution))
    cleaned = filters.cleaned_data if filters.is_valid() else {}
    entries = selectors.scoring_entries(period, request.user, criteria_count=criteria_count, show=cleaned.get("show", ""),
                                        kind=cleaned.get("kind", ""), query=cleaned.get("q", ""))
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    query = urlencode({k: v for k, v in cleaned.items() if v})
    return render(request, "reports/scoring_list.html", {
        "period": period, "page": page, "filters": filters, "query": query, "criteria_count": criteria_count,
        "progress": selectors.period_progress(period), "title": _("Scoring · %(period)s") % {"period": period.label},
    })


@assessor("reports.assess")
def scoring_entry(request, institution, pk, entry):
    period = _period(request, pk)
    entry = _entry(period, entry)
    detail = selectors.entry_detail(entry, reader=request.institution, with_names=True)
    criteria = [row.criterion for row in detail["criteria"]]
    mine = {s.criterion_id: s for row in detail["criteria"] for s in row.scores if s.assessor_id == request.user.pk}
    initial = {}
    for criterion in criteria:
        if criterion.pk in mine:
            initial[f"score_{criterion.pk}"] = str(mine[criterion.pk].score)
            initial[f"note_{criterion.pk}"] = mine[criterion.pk].note
    form = ScoringForm(request.POST or None, initial=initial, criteria=criteria, scale_max=period.rubric.scale_max,
                       labels=period.rubric.scale_labels)
    if request.method == "POST" and form.is_valid():
        try:
            services.scores_record(actor=request.user, entry=entry, values=form.values())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your scores for %(institution)s were saved.") % {"institution": entry.institution.name})
            if "next" in request.POST:
                following = (Entry.objects.filter(period=period, institution__name__gt=entry.institution.name)
                             .order_by("institution__name").first())
                if following:
                    return redirect("reports:scoring_entry", institution=institution, pk=period.pk, entry=following.pk)
            return redirect("reports:scoring_list", institution=institution, pk=period.pk)
    rows = [(row, form[f"score_{row.criterion.pk}"], form[f"note_{row.criterion.pk}"]) for row in detail["criteria"]]
    return render(request, "reports/scoring_entry.html", {
        **detail, "rows": rows, "form": form,
        "can_score": "score" in selectors.scoring_actions(request.access, request.user, period),
        "title": entry.institution.name,
    })


@assessor("reports.assess")
def scoring_evidence(request, institution, pk, entry, evidence):
    period = _period(request, pk)
    entry = _entry(period, entry)
    item = get_object_or_404(Evidence, pk=evidence, entry=entry)
    return private_file(item.file, filename=item.original_name, content_type=item.content_type)


# --- Results and exports ----------------------------------------------------------------------------


@page_cache
@assessor("reports.view_rankings")
def results(request, institution, pk):
    period = _period(request, pk)
    if period.state in (State.DRAFT, State.SELF_ASSESSMENT):
        return render(request, "reports/results.html", {"period": period, "not_yet": True, "title": _("Results")})
    # The ranking is kept in the assessing institution's cache until data of its subtree changes;
    # only checked filter values become part of a cache key.
    data = _ranking(request, period, kind="", region="")
    form = ResultsFilterForm(request.GET or None, kinds=data["kind_choices"], regions=data["region_choices"])
    filters = form.cleaned_data if form.is_valid() else {"kind": "", "region": ""}
    if filters["kind"] or filters["region"]:
        data = _ranking(request, period, **filters)
    charts = {
        "bands": {"labels": [d["label"] for d in data["distribution"]], "data": [d["count"] for d in data["distribution"]]},
        "trend": {"labels": data["trend"]["labels"], "series": [{"label": _("Average total"), "data": data["trend"]["average"]}]},
        "indicators": data["indicator_chart"],
    }
    # The ranking table and the indicator chart of a whole province take most of the page's time to
    # render: their HTML is kept under the same data version as the ranking itself.
    fragment_key = (f"{request.institution.pk}:{data_version(request.institution.pk)}:{period.pk}:{period.state}:"
                    f"{filters['kind']}:{filters['region']}:{request.institution.local_today().isoformat()}")
    return render(request, "reports/results.html", {
        **data, "filters": form, "filter_values": filters, "charts": charts, "exports": selectors.exports_for(period),
        "fragment_key": fragment_key,
        "title": _("Results · %(period)s") % {"period": period.label},
    })


def _ranking(request, period, *, kind: str, region: str) -> dict:
    institution = request.institution
    return cached(institution, f"ranking:{period.pk}:{period.state}:{kind}:{region}",
                  lambda: selectors.ranking(period, kind=kind, region=region), day=institution.local_today())


@assessor("reports.view_rankings")
def result_entry(request, institution, pk, entry):
    period = _period(request, pk)
    entry = _entry(period, entry)
    detail = selectors.entry_detail(entry, reader=request.institution, with_names=True)
    trend = selectors.institution_trend(entry)
    return render(request, "reports/result_entry.html", {
        **detail, "charts": _chart_card(detail, trend), "title": entry.institution.name,
        "actions": selectors.scoring_actions(request.access, request.user, period),
    })


@require_POST
@assessor("reports.view_rankings")
def export_request(request, institution, pk):
    period = _period(request, pk)
    form = ExportForm(request.POST)
    if not form.is_valid() or period.state in (State.DRAFT, State.SELF_ASSESSMENT):
        messages.error(request, _("This export cannot be made; choose XLSX or PDF on the results page."))
        return redirect("reports:results", institution=institution, pk=period.pk)
    params = {"kind": form.cleaned_data["kind"], "region": form.cleaned_data["region"], "language": request.LANGUAGE_CODE}
    try:
        export = services.export_request(actor=request.user, period=period, fmt=form.cleaned_data["format"], params=params)
    except ValidationError as error:
        refuse(request, error)
        return redirect("reports:results", institution=institution, pk=period.pk)
    return redirect("reports:export_status", institution=institution, pk=period.pk, export=export.pk)


def _export(period, pk) -> Export:
    return get_object_or_404(Export.objects.select_related("period"), pk=pk, period=period)


@assessor("reports.view_rankings")
def export_status(request, institution, pk, export):
    period = _period(request, pk)
    export = _export(period, export)
    context = {"period": period, "export": export, "title": _("Export"),
               "actions": selectors.export_actions(request.access, export)}
    if getattr(request, "htmx", False):
        return render(request, "reports/_export_progress.html", context)
    return render(request, "reports/export_status.html", context)


@assessor("reports.view_rankings")
def export_download(request, institution, pk, export):
    period = _period(request, pk)
    export = _export(period, export)
    if export.state != Export.State.DONE or not export.file:
        raise Http404("not ready")
    content_type = XLSX if export.format == Export.Format.XLSX else "application/pdf"
    return private_file(export.file, filename=export.filename, content_type=content_type)


@require_POST
@assessor("reports.view_rankings")
def export_retry(request, institution, pk, export):
    period = _period(request, pk)
    export = _export(period, export)
    try:
        services.export_retry(actor=request.user, export=export)
    except ValidationError as error:
        refuse(request, error)
    return redirect("reports:export_status", institution=institution, pk=period.pk, export=export.pk)


# --- Rubrics ----------------------------------------------------------------------------------------


@assessor("reports.manage_periods")
def rubric_list(request, institution):
    return render(request, "reports/rubric_list.html", {**selectors.rubrics_for(request.institution),
                                                        "title": _("Rubrics")})


@require_POST
@assessor("reports.manage_periods")
def rubric_create(request, institution):
    rubric = services.rubric_create_default(actor=request.user, institution=request.institution)
    messages.success(request, _("A rubric was created from Santun's default. Adapt it to your region."))
    return redirect("reports:rubric_detail", institution=institution, pk=rubric.pk)


def _readable_rubric(request, pk) -> Rubric:
    return get_object_or_404(rows_of_lineage(Rubric, request.institution)
                             .select_related("institution"), pk=pk)


@assessor("reports.manage_periods")
def rubric_detail(request, institution, pk):
    rubric = _readable_rubric(request, pk)
    return render(request, "reports/rubric_detail.html", {
        **selectors.rubric_detail(rubric, request.institution), "own": rubric.institution_id == request.institution.pk,
        "title": rubric.name,
    })


def _rubric_rows(criteria_formset, band_formset) -> tuple[list[dict], list[dict]]:
    criteria = [f.cleaned_data for f in criteria_formset.forms
                if f.cleaned_data and not f.cleaned_data.get("DELETE") and not f.is_blank()]
    bands = [f.cleaned_data for f in band_formset.forms
             if f.cleaned_data and not f.cleaned_data.get("DELETE")
             and (f.cleaned_data.get("label") or f.cleaned_data.get("min_total") is not None)]
    return criteria, bands


@assessor("reports.manage_periods")
def rubric_edit(request, institution, pk):
    rubric = get_object_or_404(Rubric, pk=pk, institution=request.institution)
    if rubric.is_locked:
        messages.error(request, _("This rubric is used by a period that has opened, so it can no longer change. Copy it "
                                  "and adapt the copy."))
        return redirect("reports:rubric_detail", institution=institution, pk=rubric.pk)
    data = request.POST if request.method == "POST" else None
    form = RubricForm(data, initial={"name": rubric.name, "description": rubric.description,
                                     "scale_max": rubric.scale_max, "scale_labels": "\n".join(rubric.scale_labels)})
    criteria_formset = CriterionFormSet(data, prefix="criteria", initial=[
        {"id": c.pk, "code": c.code, "title": c.title, "guidance": c.guidance, "weight": c.weight,
         "evidence_required": c.evidence_required, "indicator": c.indicator} for c in rubric.criteria.all()])
    band_formset = BandFormSet(data, prefix="bands", initial=[
        {"label": b.label, "min_total": b.min_total} for b in rubric.bands.all()])
    problems: list[str] = []
    if data is not None:
        if form.is_valid() and criteria_formset.is_valid() and band_formset.is_valid():
            criteria, bands = _rubric_rows(criteria_formset, band_formset)
            try:
                services.rubric_update(
                    actor=request.user, rubric=rubric, name=form.cleaned_data["name"],
                    description=form.cleaned_data["description"], scale_max=form.cleaned_data["scale_max"],
                    scale_labels=form.cleaned_data["scale_labels"].splitlines(), criteria=criteria, bands=bands,
                )
            except ValidationError as error:
                problems = error.messages
            else:
                messages.success(request, _("The rubric was saved."))
                return redirect("reports:rubric_detail", institution=institution, pk=rubric.pk)
        else:
            problems = [_("Some fields need attention; see the messages below.")]
    return render(request, "reports/rubric_form.html", {
        "rubric": rubric, "form": form, "criteria_formset": criteria_formset, "band_formset": band_formset,
        "problems": problems, "title": _("Change %(rubric)s") % {"rubric": rubric.name},
    })


@require_POST
@assessor("reports.manage_periods")
def rubric_copy(request, institution, pk):
    rubric = _readable_rubric(request, pk)
    try:
        copy = services.rubric_copy(actor=request.user, rubric=rubric, institution=request.institution)
    except ValidationError as error:
        refuse(request, error)
        return redirect("reports:rubric_list", institution=institution)
    messages.success(request, _("The copy was created. Adapt it and use it for your next period."))
    return redirect(reverse("reports:rubric_edit", kwargs={"institution": institution, "pk": copy.pk}))


# --- Moderation statistics (an institution, or its whole subtree) ---------------------------------


def _statistics_request(request) -> dict:
    institution, access = request.institution, request.access
    tree_allowed = rules.statistics_subtree_allowed(access) and moderation.has_subtree(institution)
    default_start, default_end = moderation.default_range(institution.local_today())
    form = StatisticsForm(request.GET or None, default_start=default_start, default_end=default_end,
                          max_months=moderation.MAX_MONTHS, tree_allowed=tree_allowed)
    start, end, subtree = default_start, default_end, tree_allowed and access.has_role(Role.ASSESSOR)
    if form.is_bound and form.is_valid():
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
        if tree_allowed and form.cleaned_data.get("scope"):
            subtree = form.cleaned_data["scope"] == StatisticsForm.TREE
    numbers = moderation.numbers_for(institution, subtree=subtree, start=start, end=end)
    private = rules.statistics_private(access, subtree=subtree)
    query = {"start": start.isoformat(), "end": end.isoformat()}
    if tree_allowed:
        query["scope"] = StatisticsForm.TREE if subtree else StatisticsForm.OWN
    tree_query = urlencode({**query, "scope": StatisticsForm.TREE}) if tree_allowed and not subtree else None
    return {"form": form, "start": start, "end": end, "subtree": subtree, "tree_allowed": tree_allowed,
            "private": private, "tables": moderation.present(numbers, private=private), "query": urlencode(query),
            # nothing filed here in the range: the institutions below may have cases
            "tree_query": tree_query if not numbers["categories"] else None}


@page_cache
@requires("reports.view_statistics", subtree=True)
def statistics_page(request, institution):
    # Invalid dates: the form shows what was typed with its message, the tables the default range.
    context = _statistics_request(request)
    return render(request, "reports/statistics.html", {**context, "title": _("Moderation statistics")})


def _statistics_table(request) -> tuple[dict, str, list]:
    """The tables of one download: ``?table=<key>``, or every table (``semua``, the default)."""
    context = _statistics_request(request)
    table = request.GET.get("table") or moderation.ALL_TABLES
    if table == moderation.ALL_TABLES:
        return context, table, context["tables"]
    chosen = [t for t in context["tables"] if t.key == table]
    if not chosen:
        raise Http404("no such table")
    return context, table, chosen


def _statistics_filename(request, context: dict, table: str, extension: str) -> str:
    scope = "subtree" if context["subtree"] else "instansi"
    return (f"statistik-{request.institution.slug}-{scope}-{table}-{context['start'].isoformat()}-"
            f"{context['end'].isoformat()}.{extension}")


@requires("reports.view_statistics", subtree=True)
def statistics_csv(request, institution):
    context, table, tables = _statistics_table(request)
    return private_download(exports.statistics_csv(tables), filename=_statistics_filename(request, context, table, "csv"),
                            content_type="text/csv; charset=utf-8")


@requires("reports.view_statistics", subtree=True)
def statistics_xlsx(request, institution):
    context, table, tables = _statistics_table(request)
    return private_download(exports.statistics_workbook(tables, heading=_statistics_heading(request, context)),
                            filename=_statistics_filename(request, context, table, "xlsx"), content_type=XLSX)


def _statistics_heading(request, context: dict) -> str:
    what = _("%(institution)s and every institution below it") if context["subtree"] else "%(institution)s"
    return _("%(what)s · %(start)s – %(end)s") % {
        "what": what % {"institution": request.institution.name},
        "start": context["start"].isoformat(), "end": context["end"].isoformat()}
