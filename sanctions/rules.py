"""Who may take which step on a case, and in which state: the guards of the sanctions services.

Each ``check_*`` function raises the refusal its service raises — ``PermissionDenied`` for a
missing right, ``ValidationError`` with the message that tells the person what to do instead — and
returns nothing when the step may be taken. The services call them on the row they locked; the
selectors (``case_actions``, ``measure_actions``…) call them through ``allowed`` to list the steps a
page offers, so a page shows a button exactly when the service would accept it.

The keyword arguments after ``*`` let a page pass what it already holds (the visitor's access,
whether the visitor is the case's subject, how many files the case has) instead of asking the
database again; the services leave them out.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from governance.models import Institution, User
from governance.permissions import Access
from governance.tenancy import access_for

from . import deciders, selectors
from .deadlines import appeal_deadline, objection_deadline
from .evidence import MAX_FILES_PER_REPORT
from .models import (
    Appeal,
    LadderProposal,
    LadderProposalState,
    LegalHold,
    Measure,
    MeasureState,
    Objection,
    ObjectionState,
    Referral,
    ReferralState,
    RemovalState,
    RemovalTask,
    ReportState,
    ViolationReport,
)

REFUSALS = (PermissionDenied, ValidationError)


def allowed(check, *args, **kwargs) -> bool:
    """Whether ``check(*args, **kwargs)`` lets the step through."""
    try:
        check(*args, **kwargs)
    except REFUSALS:
        return False
    return True


def access_of(actor: User | None, owner, access: Access | None = None) -> Access | None:
    """The visitor's access (when the page passes it), or the actor's at ``owner`` (an institution,
    or an object that belongs to one: it is read only when needed)."""
    if access is not None:
        return access
    if actor is None:
        return None
    return access_for(actor, owner if isinstance(owner, Institution) else owner.institution)


def has(actor: User | None, owner, permission: str, *, access: Access | None = None) -> bool:
    access = access_of(actor, owner, access)
    return access is not None and access.has(permission)


def require(actor: User | None, owner, *permissions: str, access: Access | None = None) -> None:
    access = access_of(actor, owner, access)
    if access is None or not any(access.has(p) for p in permissions):
        raise PermissionDenied


def _subject(actor: User | None, report: ViolationReport, subject: bool | None) -> bool:
    return selectors.is_subject(actor, report) if subject is None else subject


def not_the_subject(actor: User | None, report: ViolationReport, *, subject: bool | None = None) -> None:
    if _subject(actor, report, subject):
        raise ValidationError(
            _("This case is about you, so you cannot handle it. Ask a colleague or the head to take it over."),
            code="recusal",
        )


# --- the violation report ---------------------------------------------------------------------

def check_start_review(actor, report: ViolationReport, *, access=None, subject=None) -> None:
    require(actor, report, "sanctions.triage", access=access)
    not_the_subject(actor, report, subject=subject)
    if report.state != ReportState.SUBMITTED:
        raise ValidationError(_("This report is already past the first review."), code="state")


def check_assign(actor, report: ViolationReport, *, access=None, subject=None) -> None:
    require(actor, report, "sanctions.triage", access=access)
    not_the_subject(actor, report, subject=subject)
    if not report.is_open:
        raise ValidationError(_("This case is closed; it cannot be assigned any more."), code="state")


def check_add_note(actor, report: ViolationReport, *, access=None, subject=None) -> None:
    require(actor, report, "sanctions.triage", access=access)
    not_the_subject(actor, report, subject=subject)


def check_view_dossier(actor, report: ViolationReport, *, access=None, subject=None) -> None:
    """The printable case dossier (for a referral to an ethics body): for those who may open the
    full case file here, never its subject."""
    require(actor, report, "sanctions.view_cases", access=access)
    if _subject(actor, report, subject):
        raise PermissionDenied


def check_bulk_triage(actor, institution: Institution, *, access=None) -> None:
    """Bulk steps on the queue (each case is then checked by its own service)."""
    require(actor, institution, "sanctions.triage", access=access)


def check_add_evidence(actor, report: ViolationReport, *, access=None, subject=None,
                       evidence_count: int | None = None) -> None:
    require(actor, report, "sanctions.triage", access=access)
    not_the_subject(actor, report, subject=subject)
    if not report.is_open:
        raise ValidationError(_("Evidence can only be added while the case is open."), code="closed")
    count = report.evidence.count() if evidence_count is None else evidence_count
    if count >= MAX_FILES_PER_REPORT:
        raise ValidationError(
            _("A report holds at most %(n)d files.") % {"n": MAX_FILES_PER_REPORT}, code="too_many")


def check_decide_report(actor, report: ViolationReport, *, access=None, subject=None) -> None:
    """Confirming and dismissing share this guard."""
    require(actor, report, "sanctions.triage", access=access)
    not_the_subject(actor, report, subject=subject)
    if report.state in (ReportState.CONFIRMED, ReportState.DISMISSED):
        raise ValidationError(
            _("This report was already decided (%(state)s). Open the case to see the decision.")
            % {"state": report.get_state_display()}, code="decided")
    if report.state != ReportState.IN_REVIEW:
        raise ValidationError(_("Start the review (or assign the case) before deciding it."), code="state")


def check_propose(actor, report: ViolationReport, *, access=None, subject=None,
                  has_live_measure: bool | None = None, referral_only: bool | None = None) -> None:
    require(actor, report, "sanctions.triage", access=access)
    not_the_subject(actor, report, subject=subject)
    if report.state != ReportState.CONFIRMED:
        raise ValidationError(_("Confirm the report before proposing a measure."), code="state")
    if has_live_measure is None:
        has_live_measure = Measure.objects.filter(report=report, state__in=selectors.LIVE_MEASURE_STATES).exists()
    if has_live_measure:
        raise ValidationError(_("This case already has a measure. Open the case to follow it."), code="duplicate")
    if referral_only is None:
        ladder = selectors.current_ladder(report.institution)
        referral_only = bool(ladder and ladder.referral_only)
    if referral_only:
        raise ValidationError(
            _("This institution's policy sends confirmed cases to the formal process instead of the group ladder: "
              "follow the referral on the case file."), code="referral_only")


def check_refer(actor, report: ViolationReport, *, access=None, subject=None) -> None:
    require(actor, report, "sanctions.triage", "sanctions.decide", access=access)
    not_the_subject(actor, report, subject=subject)
    if report.state != ReportState.CONFIRMED:
        raise ValidationError(_("Confirm the report before referring it."), code="state")


def check_record_outcome(actor, referral: Referral, *, access=None, subject=None) -> None:
    require(actor, referral, "sanctions.triage", "sanctions.decide", access=access)
    not_the_subject(actor, referral.report, subject=subject)
    if referral.state != ReferralState.REFERRED:
        raise ValidationError(_("The outcome of this referral was already recorded."), code="state")


def check_hold(actor, report: ViolationReport, *, access=None, subject=None, held: bool | None = None) -> None:
    """The head keeps a case from deletion under the retention rule."""
    require(actor, report, "sanctions.retention", access=access)
    not_the_subject(actor, report, subject=subject)
    if held is None:
        held = LegalHold.objects.filter(report=report).exists()
    if held:
        raise ValidationError(_("This case is already on legal hold."), code="held")


def check_release_hold(actor, report: ViolationReport, *, access=None, subject=None, held: bool | None = None) -> None:
    require(actor, report, "sanctions.retention", access=access)
    not_the_subject(actor, report, subject=subject)
    if held is None:
        held = LegalHold.objects.filter(report=report).exists()
    if not held:
        raise ValidationError(_("This case is not on legal hold."), code="not_held")


# --- measures -----------------------------------------------------------------------------------

def already_decided(measure: Measure) -> ValidationError:
    when = timezone.localtime(measure.decided_at, measure.institution.tzinfo) if measure.decided_at else None
    return ValidationError(
        _("This proposal was already decided (%(state)s%(when)s); nothing was changed and no new letter was made.")
        % {"state": measure.get_state_display(), "when": f", {when:%d-%m-%Y %H.%M}" if when else ""},
        code="decided")


def check_withdraw(actor, measure: Measure, *, access=None, subject=None) -> None:
    require(actor, measure, "sanctions.triage", access=access)
    not_the_subject(actor, measure.report, subject=subject)
    if measure.state != MeasureState.PROPOSED:
        raise already_decided(measure)


def check_record_delivery(actor, measure: Measure, *, access=None, subject=None) -> None:
    require(actor, measure, "sanctions.triage", access=access)
    not_the_subject(actor, measure.report, subject=subject)
    if measure.state not in (MeasureState.ACTIVE, MeasureState.EXPIRED):
        raise ValidationError(_("Only an approved measure can be delivered."), code="state")
    if measure.delivered_on:
        raise ValidationError(
            _("Delivery was already recorded on %(day)s.") % {"day": f"{measure.delivered_on:%d-%m-%Y}"}, code="delivered")


def check_acknowledge(actor, measure: Measure, *, subject=None) -> None:
    """The person acknowledges receipt (acknowledging again changes nothing and is not refused)."""
    if not _subject(actor, measure.report, subject):
        raise PermissionDenied
    if measure.state not in (MeasureState.ACTIVE, MeasureState.EXPIRED):
        raise ValidationError(_("This measure is no longer in force."), code="state")


def check_object(actor, measure: Measure, *, access=None, subject=None, has_objection: bool | None = None,
                 today: datetime.date | None = None) -> None:
    """The person objects, or Humas files the objection for them."""
    if not _subject(actor, measure.report, subject) and not has(actor, measure, "sanctions.triage", access=access):
        raise PermissionDenied
    if measure.state != MeasureState.ACTIVE:
        raise ValidationError(_("An objection can only be filed against a measure in force."), code="state")
    if has_objection is None:
        has_objection = Objection.objects.filter(measure=measure).exists()
    if has_objection:
        raise ValidationError(_("An objection to this measure was already filed. Open it to follow the decision."),
                              code="duplicate")
    deadline = objection_deadline(measure)
    if deadline and (today or measure.institution.local_today()) > deadline:
        raise ValidationError(
            _("The time to object ended on %(day)s (14 working days after delivery). The measure stays in force "
              "until %(until)s.") % {"day": f"{deadline:%d-%m-%Y}", "until": f"{measure.active_until:%d-%m-%Y}"},
            code="late")


def check_appeal(actor, objection: Objection, *, access=None, subject=None, has_appeal: bool | None = None,
                 today: datetime.date | None = None) -> None:
    """After the official who decided the measure kept it, the person (or Humas for them) appeals to
    the next official up, within 14 working days. When the acting head at the top kept it, there is none."""
    measure = objection.measure
    if not _subject(actor, measure.report, subject) and not has(actor, measure, "sanctions.triage", access=access):
        raise PermissionDenied
    if objection.state != ObjectionState.REJECTED or measure.state != MeasureState.ACTIVE:
        raise ValidationError(_("An appeal is possible only once the objection was rejected and while the measure is "
                                "in force."), code="state")
    if deciders.appeal_ends_at_the_top(objection):
        raise ValidationError(no_appeal_message(), code="no_appeal")
    if not deciders.for_appeal_of(objection, appellant=actor).exists:
        raise ValidationError(nobody_above_message(), code="no_appeal")
    if has_appeal is None:
        has_appeal = Appeal.objects.filter(objection=objection).exists()
    if has_appeal:
        raise ValidationError(_("An appeal was already filed. Open the measure to follow the decision."),
                              code="duplicate")
    deadline = appeal_deadline(objection)
    if deadline and (today or measure.institution.local_today()) > deadline:
        raise ValidationError(
            _("The time to appeal ended on %(day)s (14 working days after the objection was decided).")
            % {"day": f"{deadline:%d-%m-%Y}"}, code="late")


def nobody_above_message() -> str:
    return _("There is no appeal: no official who may hear it is free — every head and acting head (Plh/Plt) "
             "above, and the acting head at the top, is absent or took part in this case. The decision on the "
             "objection is final within Santun.")


def no_appeal_message() -> str:
    return _("There is no appeal: the objection was decided by the acting head (Plh/Plt) at the top of the tree, "
             "and nobody is above them. The decision on the objection is final within Santun.")


# --- the right to be heard (klarifikasi) ------------------------------------------------------------

def _open_explanation(report: ViolationReport, explanation) -> None:
    if explanation is None:
        raise ValidationError(_("The person reported has not been invited to explain: the report is not confirmed."),
                              code="no_invitation")
    if explanation.given_at or explanation.skipped_at:
        raise ValidationError(_("The explanation was already given or recorded; nothing was changed."), code="done")
    if Measure.objects.filter(report=report).exclude(state__in=[MeasureState.PROPOSED, MeasureState.WITHDRAWN,
                                                                  MeasureState.REJECTED]).exists():
        raise ValidationError(_("A measure was already decided on this case."), code="decided")


def check_give_explanation(actor, report: ViolationReport, explanation, *, today=None) -> None:
    """The person reported answers in Santun, until the deadline."""
    if not selectors.is_subject(actor, report):
        raise PermissionDenied
    _open_explanation(report, explanation)
    if (today or report.institution.local_today()) > explanation.due_on:
        raise ValidationError(
            _("The time to explain ended on %(day)s. Tell public relations if you still want to be heard; they can "
              "record what you say.") % {"day": f"{explanation.due_on:%d-%m-%Y}"}, code="late")


def check_record_explanation(actor, report: ViolationReport, explanation, *, access=None, subject=None) -> None:
    """Humas records what the person said orally or on paper, or why they were not heard."""
    require(actor, report, "sanctions.triage", access=access)
    not_the_subject(actor, report, subject=subject)
    _open_explanation(report, explanation)


def check_heard(measure: Measure, *, today=None) -> None:
    """No measure is decided while the person reported may still explain."""
    explanation = getattr(measure.report, "explanation", None)  # a missing one reads as None
    if explanation is None or explanation.status(today) != "waiting":
        return
    raise ValidationError(
        _("The person reported may still give their explanation until %(day)s. Decide after that day, or once public "
          "relations has recorded their explanation or written why they are not heard.")
        % {"day": f"{explanation.due_on:%d-%m-%Y}"}, code="not_heard")


def check_decider(*, actor: User, decision, as_parent: bool, report: ViolationReport,
                  proposer: User | None = None) -> None:
    """``decision`` is ``sanctions.deciders``' answer for the case: only those it names decide, from
    the address it names (the case's institution, or the parent's pages for it)."""
    if not (decision.includes(actor) and decision.above == as_parent):
        _refuse_decider(decision)
    # Never reached by those two, who are left out of every decider; kept as the last word.
    if proposer is not None and proposer.pk == actor.pk:
        raise ValidationError(
            _("You proposed this measure, so someone else must decide it (four-eyes rule)."), code="four_eyes")
    if selectors.is_subject(actor, report):
        raise ValidationError(_("You cannot decide a case about yourself; it goes to the parent institution's head."),
                              code="recusal")


def _refuse_decider(decision) -> None:
    if not decision.exists:
        raise ValidationError(deciders.nobody_decides_message(decision), code="nobody")
    who = ", ".join(u.full_name or u.email for u in decision.users)
    if decision.above:
        message = _("This case is decided by the acting head of the parent institution (%(who)s, %(institution)s), "
                    "because nobody at this institution may decide it.") if decision.acting else \
            _("This case is decided by the head of the parent institution (%(who)s, %(institution)s), because "
              "nobody at this institution may decide it.")
        raise ValidationError(message % {"who": who, "institution": decision.institution.name}, code="escalated")
    if decision.acting:
        raise ValidationError(_("This case is decided by the acting head (%(who)s).") % {"who": who}, code="acting")
    raise ValidationError(_("This case is decided by the head of this institution."), code="not_escalated")


def check_decide_measure(actor, measure: Measure, *, as_parent: bool = False, approving: bool = False) -> None:
    """Approving and rejecting a proposal share this guard; approving also waits for the hearing."""
    if measure.state != MeasureState.PROPOSED:
        raise already_decided(measure)
    if approving:
        check_heard(measure)
    check_decider(actor=actor, decision=deciders.for_measure(measure), as_parent=as_parent,
                  report=measure.report, proposer=measure.proposed_by)


def check_decide_objection(actor, objection: Objection, *, as_parent: bool = False) -> None:
    """Upholding and rejecting an objection share this guard."""
    if objection.state != ObjectionState.FILED:
        raise ValidationError(_("This objection was already decided; nothing was changed."), code="decided")
    check_decider(actor=actor, decision=deciders.for_objection(objection), as_parent=as_parent,
                  report=objection.measure.report)


def check_decide_appeal(actor, appeal: Appeal, *, as_parent: bool = False) -> None:
    """Upholding and rejecting an appeal share this guard; whoever kept the measure on objection does
    not hear the appeal."""
    if appeal.state != ObjectionState.FILED:
        raise ValidationError(_("This appeal was already decided; nothing was changed."), code="decided")
    check_decider(actor=actor, decision=deciders.for_appeal(appeal), as_parent=as_parent,
                  report=appeal.objection.measure.report, proposer=appeal.objection.decided_by)


# --- removals from a group ------------------------------------------------------------------------

def may_confirm_removal(actor, task: RemovalTask, *, access=None, is_admin: bool | None = None) -> bool:
    """Humas and the group's admins, never the person removed (not even as Humas or admin)."""
    if selectors.is_subject(actor, task.measure.report):
        return False
    if has(actor, task, "sanctions.triage", access=access):
        return True
    return selectors.is_group_admin(actor, task.channel) if is_admin is None else is_admin


def check_confirm_removal(actor, task: RemovalTask, *, access=None, is_admin: bool | None = None) -> None:
    not_the_subject(actor, task.measure.report)
    if not may_confirm_removal(actor, task, access=access, is_admin=is_admin):
        raise PermissionDenied
    if task.state != RemovalState.OPEN:
        raise ValidationError(
            _("This removal was already %(state)s.") % {"state": task.get_state_display().lower()}, code="state")


# --- the ladder: the head's own rungs and Humas' proposals -------------------------------------

def check_edit_ladder(actor, institution: Institution, *, access=None) -> None:
    require(actor, institution, "sanctions.decide", access=access)


def check_propose_ladder(actor, institution: Institution, *, access=None) -> None:
    require(actor, institution, "sanctions.triage", access=access)


def _open_proposal(proposal: LadderProposal) -> None:
    if proposal.state != LadderProposalState.PROPOSED:
        raise ValidationError(_("This proposal was already decided or withdrawn."), code="state")


def check_accept_ladder_proposal(actor, proposal: LadderProposal, *, access=None, current_id: int | None = None) -> None:
    """The head accepts a proposal made by someone else, based on the version in force."""
    require(actor, proposal, "sanctions.decide", access=access)
    _open_proposal(proposal)
    if actor is not None and proposal.proposed_by_id == actor.pk:
        raise ValidationError(_("You made this proposal yourself, so another head or acting head must decide it."),
                              code="four_eyes")
    if current_id is None:
        current = selectors.current_ladder(proposal.institution)
        current_id = current.pk if current else None
    if proposal.based_on_id != current_id:
        raise ValidationError(
            _("This proposal follows version %(n)d, but the ladder has changed since. Reject it with a reason, or ask "
              "for a new proposal from the current version.") % {"n": proposal.based_on.version}, code="outdated")


def check_reject_ladder_proposal(actor, proposal: LadderProposal, *, access=None) -> None:
    require(actor, proposal, "sanctions.decide", access=access)
    _open_proposal(proposal)
    if actor is not None and proposal.proposed_by_id == actor.pk:
        raise ValidationError(_("You made this proposal yourself: withdraw it instead."), code="four_eyes")


def check_withdraw_ladder_proposal(actor, proposal: LadderProposal, *, access=None) -> None:
    require(actor, proposal, "sanctions.triage", "sanctions.decide", access=access)
    _open_proposal(proposal)
    if actor is None or proposal.proposed_by_id != actor.pk:
        raise PermissionDenied
