"""Views of the sanctions app: each validates input, calls one service or selector, and renders."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from governance.accounts import session_used_mfa
from governance.cache import cached
from governance.cells import csv_bytes
from governance.http import private_download, private_file, refuse, refuse_on_form
from governance.models import User
from governance.pagecache import page_cache
from governance.permissions import requires

from . import access, deciders, exports, forms, retention, rules, selectors, services, visitor_actions
from .dossier import build_dossier_pdf
from .forms import (
    ERROR_FIELDS,
    AppealForm,
    AssignForm,
    BulkActionForm,
    DecisionForm,
    DeliveryForm,
    EvidenceForm,
    LadderChangeForm,
    LadderForm,
    LadderLevelFormSet,
    LadderPolicyForm,
    LadderProposalDecisionForm,
    NoteForm,
    ObjectionDecisionForm,
    ObjectionForm,
    ProposeForm,
    QueueFilterForm,
    ReferralForm,
    ReferralOutcomeForm,
    RemovalConfirmForm,
    ReportForm,
    TriageDecisionForm,
    read_uploads,
)
from .ladders import PRESETS
from .models import Appeal, LadderLevel, Measure, MeasureState, Objection, ObjectionState, WarningLetter


def _case_url(institution, pk) -> str:
    return reverse("sanctions:report_detail", kwargs={"institution": institution, "pk": pk})


# --- filing and the person's own page --------------------------------------------------------

@requires("sanctions.file_report")
def report_create(request, institution):
    humas = request.access.has("sanctions.triage")
    form = ReportForm(request.POST or None, request.FILES or None, institution=request.institution, humas=humas)
    code = selectors.current_code(request.institution)
    if request.method == "POST" and form.is_valid():
        try:
            uploads = read_uploads(form.cleaned_data.get("evidence"))
            report = services.report_submit(actor=request.user, institution=request.institution, evidence=uploads,
                                            **form.service_kwargs())
        except ValidationError as error:
            refuse_on_form(form, error, by_code=ERROR_FIELDS)
        else:
            messages.success(request, _("Thank you. Report #%(pk)s was filed; public relations will review it.")
                             % {"pk": report.pk})
            if request.access.has("sanctions.view_cases"):
                return redirect("sanctions:report_detail", institution=institution, pk=report.pk)
            return redirect("sanctions:my_cases", institution=institution)
    return render(request, "sanctions/report_form.html", {
        "form": form, "code": code, "title": _("Report a violation"),
    })


@requires("sanctions.view_own")
def my_cases(request, institution):
    return render(request, "sanctions/my_cases.html", {
        "reports": selectors.reports_filed_by(request.user, request.institution)[:50],
        "measures": visitor_actions.measures_about_with_actions(request.access, request.user, request.institution),
        "explanations": selectors.explanations_asked_of(request.user, request.institution),
        "title": _("My reports and measures"),
    })


@requires("sanctions.view_own")
def my_measure(request, institution, pk):
    measure = access.measure_for_subject(request, pk)
    letter = WarningLetter.objects.filter(measure=measure).first()
    objection = Objection.objects.filter(measure=measure).first()
    return render(request, "sanctions/my_measure.html", {
        "measure": measure, "letter": letter, "objection": objection,
        "actions": visitor_actions.measure_actions(request.access, request.user, measure, subject=True,
                                             has_objection=objection is not None),
        "letter_voided": letter is not None and selectors.letter_status(letter) == "voided",
        "deadline": services.objection_deadline(measure), "form": ObjectionForm(),
        **_appeal_context(objection),
        "title": measure.level_name,
    })


def _appeal_context(objection) -> dict:
    """What the measure pages say about the appeal: the appeal itself, or until when one may be
    filed, or that there is none (the acting head at the top kept the measure, or nobody above is free)."""
    if objection is None or objection.state != ObjectionState.REJECTED:
        return {}
    appeal = getattr(objection, "appeal", None)
    if appeal is None and deciders.appeal_ends_at_the_top(objection):
        no_appeal = rules.no_appeal_message()
    elif appeal is None and not deciders.for_appeal_of(objection).exists:
        no_appeal = rules.nobody_above_message()
    else:
        no_appeal = ""
    waiting = deciders.describe(deciders.for_appeal(appeal), objection.institution) \
        if appeal is not None and appeal.state == ObjectionState.FILED else ""
    return {"appeal": appeal, "appeal_deadline": services.appeal_deadline(objection), "no_appeal": no_appeal,
            "appeal_waiting": waiting, "appeal_form": AppealForm()}


@require_POST
@requires("sanctions.view_own")
def my_measure_acknowledge(request, institution, pk):
    measure = access.measure_for_subject(request, pk)
    try:
        services.measure_acknowledge(actor=request.user, measure=measure)
        messages.success(request, _("Thank you; your acknowledgement of receipt was recorded."))
    except ValidationError as error:
        refuse(request, error)
    return redirect("sanctions:my_measure", institution=institution, pk=pk)


@require_POST
@requires("sanctions.view_own")
def my_measure_object(request, institution, pk):
    measure = access.measure_for_subject(request, pk)
    form = ObjectionForm(request.POST)
    if form.is_valid():
        try:
            services.objection_file(actor=request.user, measure=measure, text=form.cleaned_data["text"])
            messages.success(request, _("Your objection was filed. You will be told the decision."))
        except ValidationError as error:
            refuse(request, error)
    else:
        messages.error(request, _("Write the grounds of your objection."))
    return redirect("sanctions:my_measure", institution=institution, pk=pk)


@never_cache
@requires("sanctions.view_own")
def my_letter_pdf(request, institution, pk):
    measure = access.measure_for_subject(request, pk)
    letter = get_object_or_404(WarningLetter, measure=measure)
    return _letter_response(letter)


def _letter_response(letter: WarningLetter):
    if not letter.pdf:
        letter = services.letter_render_pdf(letter=letter)
    safe_number = "".join(ch if ch.isalnum() else "-" for ch in letter.number)
    return private_file(letter.pdf, content_type="application/pdf", filename=f"surat-peringatan-{safe_number}.pdf",
                         inline=False)


# --- the Humas queue and the case file ---------------------------------------------------------

def _queue_filters(request) -> tuple[QueueFilterForm, selectors.QueueFilters]:
    form = QueueFilterForm(request.GET or None, institution=request.institution)
    form.is_valid()
    return form, form.filters()


def _queue_query(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@page_cache
@requires("sanctions.view_cases")
def queue(request, institution):
    form, filters = _queue_filters(request)
    # Cases about the visitor are not theirs to handle: the queue and its counts leave them out.
    page = Paginator(selectors.report_queue(request.institution, filters, visitor=request.user), 25).get_page(
        request.GET.get("page"))
    query = _queue_query(request)
    actions = visitor_actions.queue_actions(request.access, request.user, request.institution)
    return render(request, "sanctions/queue.html", {
        "form": form, "page": page, "counts": selectors.queue_counts(request.institution, visitor=request.user),
        "query": query, "actions": actions,
        "bulk_form": BulkActionForm(institution=request.institution, initial={"query": query})
        if "bulk" in actions else None,
        "title": _("Violation reports"),
    })


@never_cache
@requires("sanctions.view_cases")
def queue_export(request, institution, fmt):
    """The filtered queue as CSV or XLSX: no evidence, never the reporter; the NIP and number of the
    person reported only for those who may read the staff directory."""
    if fmt not in ("csv", "xlsx"):
        raise Http404("no such format")
    form, filters = _queue_filters(request)
    if form.is_bound and form.errors:
        messages.error(request, _("Correct the filter before downloading the list."))
        return redirect(f"{reverse('sanctions:queue', kwargs={'institution': institution})}?{_queue_query(request)}")
    reports = selectors.queue_export_rows(request.institution, filters, visitor=request.user)
    rows = list(reports[:exports.EXPORT_LIMIT + 1])
    if len(rows) > exports.EXPORT_LIMIT:
        messages.error(request, _("The list has more than %(n)d reports. Narrow the filter (for example by date) "
                                  "and download it again.") % {"n": exports.EXPORT_LIMIT})
        return redirect(f"{reverse('sanctions:queue', kwargs={'institution': institution})}?{_queue_query(request)}")
    headers, data = exports.queue_rows(rows, request.institution,
                                       personal=request.access.has("members.view_directory"))
    filename = f"pelanggaran-{request.institution.slug}-{request.institution.local_today():%Y%m%d}.{fmt}"
    if fmt == "csv":
        return private_download(csv_bytes(headers, data), filename=filename, content_type=exports.CSV_TYPE)
    return private_download(exports.to_xlsx(headers, data, title=_("Violation reports")), filename=filename,
                            content_type=exports.XLSX_TYPE)


@require_POST
@requires("sanctions.triage")
def queue_bulk(request, institution):
    """Assign, or start the review of, the cases ticked on the queue: each through its own service."""
    form = BulkActionForm(request.POST, institution=request.institution)
    back = reverse("sanctions:queue", kwargs={"institution": institution})
    query = QueryDict(request.POST.get("query", "")).urlencode()
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(f"{back}?{query}")
    data = form.cleaned_data
    try:
        done, refused = services.reports_bulk(actor=request.user, institution=request.institution,
                                              report_ids=data["cases"], action=data["action"],
                                              assignee=form.assignee_user())
    except ValidationError as error:
        refuse(request, error)
        return redirect(f"{back}?{query}")
    if done:
        numbers = ", ".join(f"#{report.pk}" for report in done)
        if data["action"] == "assign":
            messages.success(request, ngettext("Report %(numbers)s was assigned to %(name)s.",
                                               "Reports %(numbers)s were assigned to %(name)s.", len(done))
                             % {"numbers": numbers, "name": form.assignee_user()})
        else:
            messages.success(request, ngettext("The review of report %(numbers)s started.",
                                               "The review of reports %(numbers)s started.", len(done))
                             % {"numbers": numbers})
    for pk, reason in refused:
        messages.error(request, _("Report #%(pk)s was left as it was: %(reason)s") % {"pk": pk, "reason": reason})
    return redirect(f"{back}?{query}")


def _case_file(institution, pk) -> dict:
    report = selectors.case_file(institution, pk)
    measures = selectors.case_measures(report)
    ladder = selectors.ladder_for_reading(institution)
    evidence = list(selectors.evidence_of(report))
    notes = list(report.notes.select_related("author"))
    referrals = list(selectors.referrals_of(report))
    return {
        "report": report, "measures": measures,
        "live": next((m for m in measures if m.state in selectors.LIVE_MEASURE_STATES), None),
        "evidence": evidence, "notes": notes, "referrals": referrals,
        "explanation": selectors.explanation_of(report),
        "hold": retention.hold_of(report),
        "history": list(selectors.case_history(report, measures, evidence=evidence, notes=notes,
                                               referrals=referrals)[:200]),
        "suggestion": selectors.suggest_level(report, ladder=ladder) if ladder else None,
    }


@page_cache
@requires("sanctions.view_cases")
def report_detail(request, institution, pk):
    # The case file is the same for everyone who may open it: it is kept in the institution's
    # cache until its data changes (each note, piece of evidence, measure or decision moves it).
    inst = request.institution
    case = cached(inst, f"case_file:{int(pk)}", lambda: _case_file(inst, pk), day=inst.local_today())
    report = case["report"]
    access.case_handler(request, report)  # the person reported never opens their own case file
    visitor, user = request.access, request.user
    context = {
        **case,
        "actions": visitor_actions.case_actions(visitor, user, report, measures=case["measures"],
                                          evidence_count=len(case["evidence"]), explanation=case["explanation"],
                                          held=case["hold"] is not None),
        "measure_rows": visitor_actions.case_measure_actions(visitor, user, report, case["measures"]),
        "waiting": _waiting(report, case["measures"]),
        "referral_rows": visitor_actions.case_referral_actions(visitor, user, report, case["referrals"]),
        "documents": visitor_actions.case_documents(visitor, user, report),
        "title": _("Report #%(pk)s") % {"pk": report.pk},
    }
    if request.access.has("sanctions.triage"):
        context.update({
            "assign_form": AssignForm(institution=request.institution, report=report,
                                      initial={"assignee": report.assignee_id}),
            "note_form": NoteForm(), "decide_form": TriageDecisionForm(), "evidence_form": EvidenceForm(),
            "delivery_form": DeliveryForm(initial={"delivered_on": request.institution.local_today()}),
            "objection_form": ObjectionForm(), "appeal_form": AppealForm(),
            "explanation_form": forms.ExplanationRecordForm(prefix="hearing"),
            "explanation_skip_form": forms.ExplanationSkipForm(prefix="hearing"),
        })
    if "hold" in context["actions"]:
        context["hold_form"] = forms.LegalHoldForm()
    return render(request, "sanctions/case_detail.html", context)


@never_cache
@requires("sanctions.view_cases")
def case_dossier(request, institution, pk):
    """The printable case dossier (PDF) for a referral to an ethics body: for those who may open the
    full case file, never its subject."""
    report = access.case_file_for(request, pk)
    rules.check_view_dossier(request.user, report, access=request.access)
    pdf = build_dossier_pdf(report, printed_by=request.user)
    return private_download(pdf, filename=f"berkas-perkara-{report.pk}.pdf", content_type="application/pdf")


def _waiting(report, measures) -> dict[int, str]:
    """For each measure with a step waiting for a decision (the proposal, an objection or an appeal):
    who must decide it, and since when."""
    institution = report.institution
    seats = deciders.SeatIndex([institution, institution.parent if institution.parent_id else None])
    waiting = {}
    for measure in measures:
        measure.institution = institution
        objection = getattr(measure, "objection", None) if measure.state != MeasureState.PROPOSED else None
        appeal = getattr(objection, "appeal", None) if objection is not None else None
        if measure.state == MeasureState.PROPOSED:
            decision = deciders.for_measure(measure, seats)
        elif objection is not None and objection.state == ObjectionState.FILED:
            objection.institution, objection.measure = institution, measure
            decision = deciders.for_objection(objection, seats)
        elif appeal is not None and appeal.state == ObjectionState.FILED:
            objection.institution, objection.measure = institution, measure
            appeal.institution, appeal.objection = institution, objection
            decision = deciders.for_appeal(appeal, seats)
        else:
            continue
        waiting[measure.pk] = deciders.describe(decision, institution)
    return waiting


# --- the right to be heard (klarifikasi) ----------------------------------------------------------

def _upload(form) -> tuple[str, bytes] | None:
    upload = form.cleaned_data.get("file")
    return read_uploads([upload])[0] if upload else None


@requires("sanctions.view_own")
def my_explanation(request, institution, pk):
    """The person reported reads what the report says they did (never who reported it) and explains."""
    report = access.report_for_subject(request, pk)
    explanation = selectors.explanation_of(report)
    may_give = rules.allowed(rules.check_give_explanation, request.user, report, explanation)
    form = forms.ExplanationForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and may_give and form.is_valid():
        try:
            services.explanation_give(actor=request.user, report=report, text=form.cleaned_data["text"],
                                      upload=_upload(form))
        except ValidationError as error:
            refuse_on_form(form, error)
        else:
            messages.success(request, _("Thank you. Your explanation was sent to the people who decide."))
            return redirect("sanctions:my_explanation", institution=institution, pk=pk)
    return render(request, "sanctions/my_explanation.html", {
        "report": report, "explanation": explanation, "form": form if may_give else None,
        "rules": list(report.rules.all()), "title": _("Your explanation"),
    }, status=400 if request.method == "POST" and form.errors else 200)


@require_POST
@requires("sanctions.triage")
def explanation_record(request, institution, pk):
    report = access.report_for(request, pk)
    form = forms.ExplanationRecordForm(request.POST, request.FILES, prefix="hearing")
    if form.is_valid():
        try:
            services.explanation_record(actor=request.user, report=report, text=form.cleaned_data["text"],
                                        how=form.cleaned_data["how"], upload=_upload(form))
        except ValidationError as error:
            refuse(request, error)
        else:
            messages.success(request, _("The explanation was recorded."))
    else:
        messages.error(request, _("Write what the person said."))
    return redirect("sanctions:report_detail", institution=institution, pk=pk)


@require_POST
@requires("sanctions.triage")
def explanation_skip(request, institution, pk):
    report = access.report_for(request, pk)
    try:
        services.explanation_skip(actor=request.user, report=report, reason=request.POST.get("hearing-reason", ""))
    except ValidationError as error:
        refuse(request, error)
    else:
        messages.success(request, _("The reason was recorded; the decision no longer waits for an explanation."))
    return redirect("sanctions:report_detail", institution=institution, pk=pk)


@requires("sanctions.open_evidence")
def explanation_file(request, institution, pk):
    """The file attached to an explanation: for the person themself, those who handle the case, and
    the official above who decides it (``access.explanation_for``)."""
    explanation = access.explanation_for(request, pk)
    extension = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp"}.get(explanation.file_type, "pdf")
    return private_file(explanation.file, content_type=explanation.file_type,
                        filename=f"klarifikasi-{explanation.report_id}.{extension}",
                        inline=explanation.file_type.startswith("image/"))


@requires("sanctions.open_evidence")
def evidence_file(request, institution, pk):
    """Evidence for the people who handle the case, and for the parent's head deciding an escalated one."""
    item = access.evidence_for(request, pk)
    extension = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp"}.get(item.content_type, "pdf")
    return private_file(item.file, content_type=item.content_type, filename=f"bukti-{item.pk}.{extension}",
                         inline=item.is_image)


def _triage_action(request, institution, pk, action):
    report = access.report_for(request, pk)
    try:
        message = action(report)
        if message:
            messages.success(request, message)
    except ValidationError as error:
        refuse(request, error)
    return redirect(_case_url(institution, report.pk))


@require_POST
@requires("sanctions.triage")
def report_start_review(request, institution, pk):
    return _triage_action(request, institution, pk, lambda report: (
        services.report_start_review(actor=request.user, report=report) and _("Review started.")))


@require_POST
@requires("sanctions.triage")
def report_assign(request, institution, pk):
    form = AssignForm(request.POST, institution=request.institution)

    def act(report):
        if not form.is_valid():
            raise ValidationError(_("Choose a colleague to assign the case to."))
        assignee = get_object_or_404(User, pk=form.cleaned_data["assignee"])
        services.report_assign(actor=request.user, report=report, assignee=assignee)
        return _("The case was assigned to %(name)s.") % {"name": assignee}

    return _triage_action(request, institution, pk, act)


@require_POST
@requires("sanctions.triage")
def report_note(request, institution, pk):
    form = NoteForm(request.POST)

    def act(report):
        if not form.is_valid():
            raise ValidationError(_("Write the note first."))
        services.report_add_note(actor=request.user, report=report, text=form.cleaned_data["text"])
        return _("Note added.")

    return _triage_action(request, institution, pk, act)


@require_POST
@requires("sanctions.triage")
def report_decide(request, institution, pk):
    form = TriageDecisionForm(request.POST)

    def act(report):
        if not form.is_valid():
            raise ValidationError(_("Choose confirm or dismiss and write the reason."))
        data = form.cleaned_data
        if data["outcome"] == "confirm":
            services.report_confirm(actor=request.user, report=report, reason=data["reason"])
            return _("The report was confirmed. The reporter has been told; propose a measure or refer the case.")
        services.report_dismiss(actor=request.user, report=report, reason=data["reason"])
        return _("The report was dismissed. The reporter has been told.")

    return _triage_action(request, institution, pk, act)


@require_POST
@requires("sanctions.triage")
def evidence_add(request, institution, pk):
    form = EvidenceForm(request.POST, request.FILES)

    def act(report):
        if not form.is_valid():
            raise ValidationError(_("Choose a screenshot or PDF to add."))
        uploads = read_uploads(form.cleaned_data["evidence"])
        for name, data in uploads:
            services.evidence_add(actor=request.user, report=report, name=name, data=data)
        return _("Evidence added.")

    return _triage_action(request, institution, pk, act)


# --- measures ----------------------------------------------------------------------------------

@requires("sanctions.triage")
def measure_propose(request, institution, pk):
    report = access.case_file_for(request, pk)
    ladder = selectors.current_ladder(request.institution)
    if ladder is None:
        ladder = services.ladder_ensure(actor=request.user, institution=request.institution)
    suggestion = selectors.suggest_level(report, ladder=ladder)
    levels = LadderLevel.objects.filter(ladder=ladder).order_by("position")
    form = ProposeForm(request.POST or None, levels=levels,
                       initial={"level": suggestion.level.pk if suggestion.level else None})
    if request.method == "POST" and form.is_valid():
        try:
            services.measure_propose(actor=request.user, report=report, level=form.cleaned_data["level"],
                                     reason=form.cleaned_data["reason"], note=form.cleaned_data["note"])
        except ValidationError as error:
            refuse_on_form(form, error, by_code={"deviation": "reason"})
        else:
            messages.success(request, _("The measure was proposed; the head has been asked to decide."))
            return redirect(_case_url(institution, report.pk))
    return render(request, "sanctions/propose.html", {
        "report": report, "form": form, "suggestion": suggestion, "levels": levels,
        "title": _("Propose a measure"),
    })


@require_POST
@requires("sanctions.triage")
def measure_withdraw(request, institution, pk):
    measure = access.measure_for(request, pk)
    try:
        services.measure_withdraw(actor=request.user, measure=measure,
                                  reason=request.POST.get("reason", "") or _("Withdrawn by public relations."))
        messages.success(request, _("The proposal was withdrawn."))
    except ValidationError as error:
        refuse(request, error)
    return redirect(_case_url(institution, measure.report_id))


@require_POST
@requires("sanctions.triage")
def measure_delivery(request, institution, pk):
    measure = access.measure_for(request, pk)
    form = DeliveryForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Choose how it was delivered and the date."))
        services.measure_record_delivery(actor=request.user, measure=measure, method=form.cleaned_data["method"],
                                         delivered_on=form.cleaned_data["delivered_on"])
        messages.success(request, _("Delivery recorded. The objection period runs from this date."))
    except ValidationError as error:
        refuse(request, error)
    return redirect(_case_url(institution, measure.report_id))


@require_POST
@requires("sanctions.view_own")
def my_measure_appeal(request, institution, pk):
    measure = access.measure_for_subject(request, pk)
    _file_appeal(request, measure, _("Your appeal was filed. You will be told the decision."))
    return redirect("sanctions:my_measure", institution=institution, pk=pk)


@require_POST
@requires("sanctions.triage")
def appeal_file_for(request, institution, pk):
    measure = access.measure_for(request, pk)
    _file_appeal(request, measure, _("The appeal was filed on the person's behalf."))
    return redirect(_case_url(institution, measure.report_id))


def _file_appeal(request, measure, done: str) -> None:
    form = AppealForm(request.POST)
    objection = Objection.objects.filter(measure=measure).first()
    try:
        if objection is None:
            raise ValidationError(_("An appeal is possible only once the objection was rejected and while the measure "
                                    "is in force."))
        if not form.is_valid():
            raise ValidationError(_("Write the grounds of your appeal."))
        services.appeal_file(actor=request.user, objection=objection, text=form.cleaned_data["text"])
        messages.success(request, done)
    except ValidationError as error:
        refuse(request, error)


@require_POST
@requires("sanctions.triage")
def objection_file_for(request, institution, pk):
    measure = access.measure_for(request, pk)
    form = ObjectionForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Write the grounds of the objection."))
        services.objection_file(actor=request.user, measure=measure, text=form.cleaned_data["text"])
        messages.success(request, _("The objection was filed on the person's behalf."))
    except ValidationError as error:
        refuse(request, error)
    return redirect(_case_url(institution, measure.report_id))


@never_cache
@requires("sanctions.view_cases")
def letter_pdf(request, institution, pk):
    return _letter_response(access.letter_for(request, pk))


# --- decisions by the head (and the parent's head) -----------------------------------------------

def _decisions(request, escalated: bool):
    measures, objections, appeals = deciders.waiting_for(request.user, request.institution, above=escalated)
    return render(request, "sanctions/decisions.html", {
        "measures": measures, "objections": objections, "appeals": appeals, "escalated": escalated,
        "leave_cover": [] if escalated else deciders.covering_leave_of(request.user, request.institution),
        "title": _("Decisions for the parent's head") if escalated else _("Awaiting my decision"),
    })


@requires("sanctions.decide")
def decisions(request, institution):
    return _decisions(request, escalated=False)


@requires("sanctions.decide_appeal_above")
def decisions_escalated(request, institution):
    return _decisions(request, escalated=True)


def _mfa_url(request) -> str:
    return f"{reverse('mfa_reauthenticate')}?next={request.path}"


def _decision_page(request, institution, pk, *, as_parent: bool, url_name: str, queryset, form_class,
                   template: str, decide, context, decider):
    """The head's decision on a measure or an objection: the same page flow for both. ``decide(item,
    data)`` calls the service and returns the message to show; ``context(item)`` is what the page shows."""
    item = access.decision_for(request, queryset, pk)
    decision = decider(item)
    if decision.above != as_parent:
        # The other address is the right one; go there rather than refuse silently.
        name = f"sanctions:{url_name}_escalated" if decision.above else f"sanctions:{url_name}"
        return redirect(name, institution=institution, pk=pk)
    mfa = session_used_mfa(request)
    form = form_class(request.POST or None)
    if request.method == "POST":
        if not mfa:
            messages.warning(request, _("Deciding a sanction needs your authenticator code. Enter it to continue."))
            return redirect(_mfa_url(request))
        if form.is_valid():
            try:
                message = decide(item, form.cleaned_data)
            except ValidationError as error:
                refuse_on_form(form, error)
            else:
                messages.success(request, message)
                return redirect(request.path)
    return render(request, template, {
        **context(item), "form": form, "mfa": mfa, "mfa_url": _mfa_url(request), "as_parent": as_parent,
        "decider": decision,
    })


def _decide_measure(request, institution, pk, as_parent: bool):
    def decide(measure, data):
        if data["decision"] == "approve":
            services.measure_approve(actor=request.user, measure=measure, reason=data["reason"], as_parent=as_parent)
            return _("Approved. The letter has been numbered and the people concerned told.")
        services.measure_reject(actor=request.user, measure=measure, reason=data["reason"], as_parent=as_parent)
        return _("Rejected. Public relations has been told.")

    def context(measure):
        report = measure.report
        return {
            "measure": measure, "report": report, "evidence": selectors.evidence_of(report),
            "active": list(selectors.active_measures_of(report, request.institution.local_today()).exclude(pk=measure.pk)),
            "letter": WarningLetter.objects.filter(measure=measure).first(),
            "explanation": selectors.explanation_of(report),
            "actions": visitor_actions.measure_decision_actions(request.user, measure, as_parent=as_parent),
            "title": _("Decide: %(level)s") % {"level": measure.level_code},
        }

    return _decision_page(
        request, institution, pk, as_parent=as_parent, url_name="measure_decide",
        queryset=Measure.objects.select_related("report", "proposed_by", "decided_by"), form_class=DecisionForm,
        template="sanctions/measure_decide.html", decide=decide, context=context, decider=deciders.for_measure)


@requires("sanctions.decide")
def measure_decide(request, institution, pk):
    return _decide_measure(request, institution, pk, as_parent=False)


@requires("sanctions.decide_appeal_above")  # which official above decides is access.decision_for's answer
def measure_decide_escalated(request, institution, pk):
    return _decide_measure(request, institution, pk, as_parent=True)


def _decide_objection(request, institution, pk, as_parent: bool):
    def decide(objection, data):
        services.objection_decide(actor=request.user, objection=objection, upheld=data["decision"] == "uphold",
                                  reason=data["reason"], as_parent=as_parent)
        return _("The objection was decided and the people concerned told.")

    def context(objection):
        measure = objection.measure
        return {
            "objection": objection, "measure": measure, "report": measure.report,
            "evidence": selectors.evidence_of(measure.report),
            "letter": WarningLetter.objects.filter(measure=measure).first(),
            "decided": objection.state != ObjectionState.FILED,
            "actions": visitor_actions.objection_decision_actions(request.user, objection, as_parent=as_parent),
            "title": _("Decide an objection"),
        }

    return _decision_page(
        request, institution, pk, as_parent=as_parent, url_name="objection_decide",
        queryset=Objection.objects.select_related("measure", "measure__report"), form_class=ObjectionDecisionForm,
        template="sanctions/objection_decide.html", decide=decide, context=context, decider=deciders.for_objection)


@requires("sanctions.decide")
def objection_decide(request, institution, pk):
    return _decide_objection(request, institution, pk, as_parent=False)


@requires("sanctions.decide_appeal_above")  # which official above decides is access.decision_for's answer
def objection_decide_escalated(request, institution, pk):
    return _decide_objection(request, institution, pk, as_parent=True)


def _decide_appeal(request, institution, pk, as_parent: bool):
    def decide(appeal, data):
        services.appeal_decide(actor=request.user, appeal=appeal, upheld=data["decision"] == "uphold",
                               reason=data["reason"], as_parent=as_parent)
        return _("The appeal was decided and the people concerned told.")

    def context(appeal):
        measure = appeal.objection.measure
        return {
            "appeal": appeal, "objection": appeal.objection, "measure": measure, "report": measure.report,
            "evidence": selectors.evidence_of(measure.report),
            "letter": WarningLetter.objects.filter(measure=measure).first(),
            "explanation": selectors.explanation_of(measure.report),
            "actions": visitor_actions.appeal_decision_actions(request.user, appeal, as_parent=as_parent),
            "title": _("Decide an appeal"),
        }

    return _decision_page(
        request, institution, pk, as_parent=as_parent, url_name="appeal_decide",
        queryset=Appeal.objects.select_related("objection", "objection__decided_by", "objection__measure",
                                               "objection__measure__report", "objection__measure__decided_by"),
        form_class=ObjectionDecisionForm, template="sanctions/appeal_decide.html", decide=decide, context=context,
        decider=deciders.for_appeal)


@requires("sanctions.decide")
def appeal_decide(request, institution, pk):
    return _decide_appeal(request, institution, pk, as_parent=False)


@requires("sanctions.decide_appeal_above")
def appeal_decide_escalated(request, institution, pk):
    return _decide_appeal(request, institution, pk, as_parent=True)


# --- removals ------------------------------------------------------------------------------------

@requires("sanctions.view_own")
def removals(request, institution):
    everything = request.access.has("sanctions.triage")
    tasks = selectors.removal_tasks_for(request.user, request.institution, everything=everything)
    return render(request, "sanctions/removals.html", {
        # Without the triage right the list holds only the groups the visitor administers.
        "tasks": [(task, visitor_actions.removal_actions(request.access, request.user, task, is_admin=None if everything else True))
                  for task in tasks],
        "title": _("Removals from groups"),
    })


@requires("sanctions.view_own")
def removal_confirm(request, institution, pk):
    task = access.removal_for(request, pk)
    form = RemovalConfirmForm(request.POST or None, initial={"carried_out_on": request.institution.local_today()})
    if request.method == "POST" and form.is_valid():
        try:
            services.removal_confirm(actor=request.user, task=task, carried_out_on=form.cleaned_data["carried_out_on"])
            messages.success(request, _("Thank you. The removal is recorded and the group membership ended."))
            return redirect("sanctions:removals", institution=institution)
        except ValidationError as error:
            refuse_on_form(form, error)
    return render(request, "sanctions/removal_confirm.html", {
        "task": task, "form": form, "actions": visitor_actions.removal_actions(request.access, request.user, task),
        "title": _("Confirm a removal"),
    })


# --- referrals to the formal process ---------------------------------------------------------

@requires("sanctions.view_cases")
def referral_create(request, institution, pk):
    report = access.case_file_for(request, pk)
    form = ReferralForm(request.POST or None, initial={"referred_on": request.institution.local_today()})
    if request.method == "POST" and form.is_valid():
        try:
            services.referral_create(actor=request.user, report=report, **form.cleaned_data)
            messages.success(request, _("The referral was recorded."))
            return redirect(_case_url(institution, report.pk))
        except ValidationError as error:
            refuse_on_form(form, error)
    return render(request, "sanctions/referral_form.html", {
        "report": report, "form": form, "title": _("Refer to the formal process"),
    })


@requires("sanctions.view_cases")
def referral_outcome(request, institution, pk):
    referral = access.referral_for(request, pk)
    form = ReferralOutcomeForm(request.POST or None, initial={"outcome_on": request.institution.local_today()})
    if request.method == "POST" and form.is_valid():
        try:
            services.referral_record_outcome(actor=request.user, referral=referral, **form.cleaned_data)
            messages.success(request, _("The outcome was recorded."))
            return redirect(_case_url(institution, referral.report_id))
        except ValidationError as error:
            refuse_on_form(form, error)
    return render(request, "sanctions/referral_outcome.html", {
        "referral": referral, "report": referral.report, "form": form,
        "actions": visitor_actions.referral_actions(request.access, request.user, referral), "title": _("Record the outcome"),
    })


# --- the ladder --------------------------------------------------------------------------------

@requires("sanctions.view_cases")
def ladder(request, institution):
    current = selectors.current_ladder(request.institution)
    form = LadderForm(request.POST or None, initial={"preset": "sp"})
    if request.method == "POST":
        if not request.access.has("sanctions.decide"):
            raise PermissionDenied
        if form.is_valid():
            count = len(PRESETS[form.cleaned_data["preset"]]["levels"])
            services.ladder_configure(actor=request.user, institution=request.institution,
                                      preset=form.cleaned_data["preset"],
                                      months=dict.fromkeys(range(1, count + 1), form.cleaned_data["months"]))
            messages.success(request, _("The ladder was changed. Measures already decided keep their level."))
            return redirect("sanctions:ladder", institution=institution)
    return _ladder_page(request, current, form=form)


def _ladder_page(request, current, *, form=None, levels_formset=None, change_form=None, policy_form=None,
                 open_part="", status=200, decision_forms=None):
    levels = selectors.ladder_levels(current)
    if levels_formset is None:
        initial = [{key: getattr(level, key) for key in services.LADDER_LEVEL_FIELDS} for level in levels]
        levels_formset = LadderLevelFormSet(prefix="rung", initial=initial + [{}] * (6 - len(initial)))
    open_proposals, decided = selectors.ladder_proposals(request.institution)
    current_id = current.pk if current else None
    proposals = [
        {"proposal": proposal, "changes": selectors.proposal_changes(proposal, current),
         "outdated": proposal.based_on_id != current_id,
         "actions": visitor_actions.ladder_proposal_actions(request.access, request.user, proposal,
                                                            current_id=current_id),
         "form": (decision_forms or {}).get(proposal.pk)
         or LadderProposalDecisionForm(prefix=f"p{proposal.pk}", initial={"decision": "accept"})}
        for proposal in open_proposals]
    return render(request, "sanctions/ladder.html", {
        "ladder": current, "levels": levels, "form": form or LadderForm(initial={"preset": "sp"}),
        "levels_formset": levels_formset, "change_form": change_form or LadderChangeForm(),
        "policy_form": policy_form or _policy_form(current, levels), "open_part": open_part,
        "history": selectors.ladder_history(request.institution), "title": _("Sanction ladder"),
        "ladder_actions": visitor_actions.ladder_actions(request.access, request.user, request.institution),
        "proposals": proposals, "decided_proposals": decided,
    }, status=status)


def _posted_rungs(request):
    """The rung formset and the change note as posted, and the rungs when both are valid (else None)."""
    levels_formset = LadderLevelFormSet(request.POST, prefix="rung")
    change_form = LadderChangeForm(request.POST)
    if levels_formset.is_valid() and change_form.is_valid():
        return levels_formset, change_form, [row for row in levels_formset.cleaned_data if row]
    return levels_formset, change_form, None


@require_POST
@requires("sanctions.triage")
def ladder_propose(request, institution):
    """Humas fills the same rungs and proposes them, with a reason, to the head."""
    current = selectors.current_ladder(request.institution)
    levels_formset, change_form, rungs = _posted_rungs(request)
    if rungs is not None:
        try:
            services.ladder_propose(actor=request.user, institution=request.institution, levels=rungs,
                                    note=change_form.cleaned_data["change_note"])
        except ValidationError as error:
            refuse_on_form(change_form, error)
        else:
            messages.success(request, _("Your proposal was sent to the head. The ladder changes only when the head "
                                        "accepts it."))
            return redirect("sanctions:ladder", institution=institution)
    return _ladder_page(request, current, levels_formset=levels_formset, change_form=change_form,
                        open_part="rungs", status=400)


@require_POST
@requires("sanctions.decide")
def ladder_proposal_decide(request, institution, pk):
    proposal = access.ladder_proposal_for(request, pk)
    form = LadderProposalDecisionForm(request.POST, prefix=f"p{proposal.pk}")
    if form.is_valid():
        try:
            if form.cleaned_data["decision"] == "accept":
                ladder = services.ladder_proposal_accept(actor=request.user, proposal=proposal,
                                                         reason=form.cleaned_data["reason"])
                messages.success(request, _("Version %(n)d of the ladder is in force. Measures already decided keep "
                                            "the version they were decided under.") % {"n": ladder.version})
            else:
                services.ladder_proposal_reject(actor=request.user, proposal=proposal,
                                                reason=form.cleaned_data["reason"])
                messages.success(request, _("The proposal was rejected; the proposer is told why."))
        except ValidationError as error:
            refuse_on_form(form, error)
        else:
            return redirect("sanctions:ladder", institution=institution)
    return _ladder_page(request, selectors.current_ladder(request.institution), decision_forms={proposal.pk: form},
                        status=400)


@require_POST
@requires("sanctions.view_cases")
def ladder_proposal_withdraw(request, institution, pk):
    proposal = access.ladder_proposal_for(request, pk)
    try:
        services.ladder_proposal_withdraw(actor=request.user, proposal=proposal)
    except ValidationError as error:
        refuse(request, error)
    else:
        messages.success(request, _("Your proposal was withdrawn."))
    return redirect("sanctions:ladder", institution=institution)


@require_POST
@requires("sanctions.decide")
def ladder_edit(request, institution):
    """The head's own rungs, saved as a new version of the ladder."""
    current = selectors.current_ladder(request.institution)
    levels_formset, change_form, rungs = _posted_rungs(request)
    if rungs is not None:
        try:
            ladder = services.ladder_save(actor=request.user, institution=request.institution, levels=rungs,
                                          change_note=change_form.cleaned_data["change_note"])
        except ValidationError as error:
            refuse_on_form(change_form, error)
        else:
            messages.success(request, _("Version %(n)d of the ladder is in force. Measures already decided keep "
                                        "the version they were decided under.") % {"n": ladder.version})
            return redirect("sanctions:ladder", institution=institution)
    return _ladder_page(request, current, levels_formset=levels_formset, change_form=change_form,
                        open_part="rungs", status=400)


def _policy_form(ladder, levels, data=None) -> LadderPolicyForm:
    initial = {"informal": [level.position for level in levels if level.informal]}
    if ladder is not None:
        initial |= {name: getattr(ladder, name) for name in services.LADDER_POLICY_FIELDS}
    return LadderPolicyForm(data, initial=initial, levels=levels)


@require_POST
@requires("sanctions.decide")
def ladder_policy(request, institution):
    ladder = services.ladder_ensure(actor=request.user, institution=request.institution)
    levels = selectors.ladder_levels(selectors.current_ladder(request.institution))
    form = _policy_form(ladder, levels, request.POST)
    if form.is_valid():
        try:
            services.ladder_set_policy(actor=request.user, institution=request.institution,
                                       informal_positions=set(form.cleaned_data["informal"]),
                                       **{name: form.cleaned_data[name] for name in services.LADDER_POLICY_FIELDS})
        except ValidationError as error:
            refuse_on_form(form, error)
        else:
            messages.success(request, _("The policy was saved. It applies to cases confirmed from now on."))
            return redirect("sanctions:ladder", institution=institution)
    return _ladder_page(request, ladder, policy_form=form, open_part="policy", status=400)


# --- retention: the head's periods and legal holds ---------------------------------------------

@requires("sanctions.retention")
def retention_policy(request, institution):
    inst = request.institution
    policy = retention.policy_of(inst)
    if request.method == "POST":
        form = forms.RetentionPolicyForm(request.POST, case_bounds=retention.case_year_bounds(),
                                         export_bounds=retention.export_day_bounds())
        if form.is_valid():
            try:
                services.retention_policy_set(actor=request.user, institution=inst, **form.cleaned_data)
            except ValidationError as error:
                refuse_on_form(form, error)
            else:
                messages.success(request, _("The retention periods were saved."))
                return redirect("sanctions:retention_policy", institution=institution)
    else:
        form = forms.RetentionPolicyForm(case_bounds=retention.case_year_bounds(),
                                         export_bounds=retention.export_day_bounds(),
                                         initial={"case_years": policy.case_years, "export_days": policy.export_days})
    return render(request, "sanctions/retention.html", {
        "form": form, "policy": policy, "held": selectors.held_cases(inst),
        "due": retention.due_cases(inst, limit=100), "deleted": selectors.deleted_case_count(inst),
        "title": _("Retention of records"),
    }, status=400 if form.is_bound else 200)


@require_POST
@requires("sanctions.retention")
def report_hold(request, institution, pk):
    form = forms.LegalHoldForm(request.POST)

    def act(report):
        if not form.is_valid():
            raise ValidationError(_("Write why the case must be kept (for example the court case or inspection)."))
        services.legal_hold_set(actor=request.user, report=report, reason=form.cleaned_data["reason"])
        return _("The case is on legal hold: it will not be deleted until the hold is lifted.")

    return _triage_action(request, institution, pk, act)


@require_POST
@requires("sanctions.retention")
def report_release_hold(request, institution, pk):
    def act(report):
        services.legal_hold_clear(actor=request.user, report=report)
        return _("The legal hold was lifted. The case follows the retention rule again.")

    return _triage_action(request, institution, pk, act)


# --- the public verification page (not a tenant page) -------------------------------------------

@never_cache
def verify_letter(request, code):
    result = selectors.verify_letter_code(code)
    response = render(request, "sanctions/verify.html", {"result": result, "code": code,
                                                          "title": _("Verify a warning letter")},
                      status=200 if result else 404)
    response["X-Robots-Tag"] = "noindex"
    return response

