"""Who may open which object of the sanctions app: one helper per kind of object (healthchecks'
``_get_check_for_user``). Each returns the object or raises ``Http404`` (it does not exist at this
institution: the scope hides every other institution's rows) or ``PermissionDenied`` (it exists,
but this visitor may not open it).

The tenancy middleware has already checked the permission the view declares; these helpers add the
rules that depend on the object. Views call them and never decide who may see what themselves.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from . import deciders, selectors, services
from .models import (
    Appeal,
    CaseEvidence,
    Explanation,
    LadderProposal,
    Measure,
    MeasureState,
    Objection,
    ObjectionState,
    Referral,
    RemovalTask,
    ViolationReport,
    WarningLetter,
)


def not_about_visitor(request, report: ViolationReport) -> None:
    """Recusal: a head, Humas or operator never opens, as a handler, a case about themselves; they
    follow it only as its subject (``my_cases``, their measure pages, ``my_explanation``)."""
    if selectors.is_subject(request.user, report):
        raise PermissionDenied


def _case_handler(request, report: ViolationReport) -> None:
    if not request.access.has("sanctions.view_cases"):
        raise PermissionDenied
    not_about_visitor(request, report)


def report_for(request, pk) -> ViolationReport:
    """A case, for the people who handle cases here (the head and Humas), never its subject."""
    report = get_object_or_404(ViolationReport.objects.select_related("subject_staff"), pk=pk)
    _case_handler(request, report)
    return report


def case_file_for(request, pk) -> ViolationReport:
    """The case file (``selectors.case_file``), for the people who handle cases here, never its subject."""
    report = selectors.case_file(request.institution, pk)
    _case_handler(request, report)
    return report


def case_handler(request, report: ViolationReport) -> None:
    """The same check on a case the view already holds (the cached case file)."""
    _case_handler(request, report)


def report_for_subject(request, pk) -> ViolationReport:
    """A confirmed case, for the person it is about (to explain): never anyone else's."""
    report = get_object_or_404(ViolationReport, pk=pk)
    if not selectors.is_subject(request.user, report):
        raise PermissionDenied
    if selectors.explanation_of(report) is None:
        raise Http404("not asked to explain")
    return report


def explanation_for(request, pk) -> Explanation:
    """The file of an explanation: for the person themself, and for whoever may open the case's
    evidence (those who handle the case, the official above who decides it)."""
    report = get_object_or_404(ViolationReport.objects.select_related("subject_staff"), pk=pk)
    explanation = selectors.explanation_of(report)
    if explanation is None or not explanation.file:
        raise Http404("no file")
    if not selectors.is_subject(request.user, report):
        _opens_case_files(request, report)
    return explanation


def measure_for(request, pk) -> Measure:
    """A measure, for the people who handle cases here."""
    measure = get_object_or_404(Measure.objects.select_related("report", "report__subject_staff"), pk=pk)
    _case_handler(request, measure.report)
    return measure


def letter_for(request, pk) -> WarningLetter:
    """A warning letter, for the people who handle cases here."""
    letter = get_object_or_404(WarningLetter.objects.select_related("measure__report__subject_staff"), pk=pk)
    _case_handler(request, letter.measure.report)
    return letter


def referral_for(request, pk) -> Referral:
    """A referral to the formal process, for the people who handle cases here."""
    referral = get_object_or_404(Referral.objects.select_related("report", "report__subject_staff"), pk=pk)
    _case_handler(request, referral.report)
    return referral


def evidence_for(request, pk) -> CaseEvidence:
    """Evidence, for the people who handle the case, and for the parent's head deciding an escalated
    measure or objection of that case. Never for the reported person, whatever their role."""
    item = get_object_or_404(CaseEvidence.objects.select_related("report", "report__subject_staff"), pk=pk)
    _opens_case_files(request, item.report)
    return item


def _opens_case_files(request, report: ViolationReport) -> None:
    """Those who handle the case, and the official above deciding an escalated measure, objection or
    appeal of it, open its files; never the reported person, whatever their role."""
    not_about_visitor(request, report)
    access = request.access
    allowed = access.has("sanctions.view_cases") or (
        access.has("sanctions.decide_escalated") and (
            Measure.objects.filter(report=report, escalated=True).exists()
            or Objection.objects.filter(measure__report=report, escalated=True).exists())) or (
        access.has("sanctions.decide_appeal_above") and _decides_from_above(request.user, report))
    if not allowed:
        raise PermissionDenied


def measure_for_subject(request, pk) -> Measure:
    """A decided measure, for the person it is about (their own page, letter, acknowledgement, objection)."""
    measure = get_object_or_404(Measure.objects.select_related("report", "report__channel"), pk=pk)
    if measure.state not in selectors.SUBJECT_VISIBLE_STATES or not selectors.is_subject(request.user, measure.report):
        raise PermissionDenied
    return measure


def decision_for(request, queryset: QuerySet, pk) -> Model:
    """A measure or an objection waiting for (or given) a decision, for the head who decides it: the
    institution's head, or the parent's head when it is escalated. The caller sends a decider who
    came by the other address (``escalated`` differs from the page's) on to the right one."""
    item = get_object_or_404(queryset, pk=pk)
    if isinstance(item, Appeal) and item.escalated:
        _appeal_hearer(request, item)
    elif item.escalated or not request.access.has("sanctions.decide"):
        _decider_above(request, item)
    measure = item if isinstance(item, Measure) else item.measure
    not_about_visitor(request, measure.report)
    return item


def _hears_an_appeal_of(user, report: ViolationReport) -> bool:
    """Whether ``user`` hears (or heard) an appeal of the case from above."""
    appeals = Appeal.objects.filter(objection__measure__report=report).select_related(
        "objection__measure__report", "objection__decided_by", "filed_by")
    return any(a.decided_by_id == user.pk or (a.state == ObjectionState.FILED and deciders.for_appeal(a).includes(user))
               for a in appeals)


def _decider_above(request, item) -> None:
    """A measure or objection decided above the case's institution: the parent's head or acting
    head opens it; someone further up only when it climbed to them, or they decided it."""
    access = request.access
    if access.has("sanctions.decide_escalated"):
        return
    if not access.has("sanctions.decide_appeal_above"):
        raise PermissionDenied
    decide = deciders.for_measure if isinstance(item, Measure) else deciders.for_objection
    if item.decided_by_id == request.user.pk or decide(item).includes(request.user):
        return
    raise PermissionDenied


def _decides_from_above(user, report: ViolationReport) -> bool:
    """Whether ``user``, from above the case's institution, decides (or decided) a measure or an
    objection of the case, or hears (or heard) an appeal of it."""
    measures = Measure.objects.filter(report=report).select_related("report", "proposed_by")
    objections = Objection.objects.filter(measure__report=report).select_related("measure__report")
    return (any(m.decided_by_id == user.pk or (m.state == MeasureState.PROPOSED and deciders.for_measure(m).includes(user))
                for m in measures)
            or any(o.decided_by_id == user.pk or (o.state == ObjectionState.FILED
                                                  and deciders.for_objection(o).includes(user)) for o in objections)
            or _hears_an_appeal_of(user, report))


def _appeal_hearer(request, appeal: Appeal) -> None:
    """An appeal heard above: the parent's head or acting head opens it, as any escalated decision;
    someone further up only when it is theirs to hear, or they heard it."""
    access = request.access
    if access.has("sanctions.decide_escalated"):
        return
    if not access.has("sanctions.decide_appeal_above"):
        raise PermissionDenied
    if appeal.decided_by_id == request.user.pk or deciders.for_appeal(appeal).includes(request.user):
        return
    raise PermissionDenied


def removal_for(request, pk) -> RemovalTask:
    """A removal task, for the group's admins and for Humas."""
    task = get_object_or_404(RemovalTask.objects.select_related(
        "channel", "measure", "measure__report", "measure__report__subject_staff"), pk=pk)
    if not services.may_confirm_removal(request.user, task):
        raise PermissionDenied
    return task


def ladder_proposal_for(request, pk) -> LadderProposal:
    """A proposed ladder change of this institution (another institution's is not found). Who may
    decide or withdraw it is the service's answer; the view's permission opens the page."""
    return get_object_or_404(LadderProposal.objects.select_related("based_on", "proposed_by"), pk=pk)
