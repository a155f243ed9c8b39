"""What a visitor may do on a case, a measure, an objection, a referral or a removal.

Pages ask these for the buttons they show (``{% if "start_review" in actions %}``); each name is
allowed exactly when the service behind it would accept the visitor, because both ask the same
``rules`` checks. ``tests/test_template_actions.py`` holds the two to each other.
"""

from __future__ import annotations

from functools import partial

from governance.models import Institution, User

from . import rules
from .models import Appeal, LadderProposal, Measure, Objection, ObjectionState, Referral, RemovalTask, ViolationReport
from .selectors import LIVE_MEASURE_STATES, explanation_of, is_subject, measures_about


def _allowed(checks: dict) -> frozenset[str]:
    return frozenset(name for name, check in checks.items() if rules.allowed(check))


def case_actions(access, user: User, report: ViolationReport, *, measures: list[Measure] | None = None,
                 evidence_count: int | None = None, explanation=False, held: bool | None = None) -> frozenset[str]:
    """start_review, assign, confirm, dismiss, add_evidence, add_note, propose_measure, refer,
    record_explanation, hold and release_hold (the head's legal hold). Pass the case's measures,
    number of files, explanation and whether it is held when the page holds them (no query then)."""
    known = {"access": access, "subject": is_subject(user, report)}
    live = None if measures is None else any(m.state in LIVE_MEASURE_STATES for m in measures)
    if explanation is False:
        explanation = explanation_of(report)
    decide = partial(rules.check_decide_report, user, report, **known)
    return _allowed({
        "start_review": partial(rules.check_start_review, user, report, **known),
        "assign": partial(rules.check_assign, user, report, **known),
        "confirm": decide,
        "dismiss": decide,
        "add_evidence": partial(rules.check_add_evidence, user, report, evidence_count=evidence_count, **known),
        "add_note": partial(rules.check_add_note, user, report, **known),
        "propose_measure": partial(rules.check_propose, user, report, has_live_measure=live, **known),
        "refer": partial(rules.check_refer, user, report, **known),
        "record_explanation": partial(rules.check_record_explanation, user, report, explanation, **known),
        "hold": partial(rules.check_hold, user, report, held=held, **known),
        "release_hold": partial(rules.check_release_hold, user, report, held=held, **known),
    })


def case_documents(access, user: User, report: ViolationReport) -> frozenset[str]:
    """dossier: the printable case file for a referral to an ethics body."""
    return _allowed({"dossier": partial(rules.check_view_dossier, user, report, access=access,
                                        subject=is_subject(user, report))})


def queue_actions(access, user: User, institution: Institution) -> frozenset[str]:
    """bulk (assign or start the review of the selected cases) and export (the filtered queue as CSV/XLSX)."""
    return _allowed({
        "bulk": partial(rules.check_bulk_triage, user, institution, access=access),
        "export": partial(rules.require, user, institution, "sanctions.view_cases", access=access),
    })


def measure_actions(access, user: User, measure: Measure, *, subject: bool | None = None,
                    has_objection: bool | None = None) -> frozenset[str]:
    """withdraw, record_delivery, acknowledge, object (the person) and object_for (Humas for them),
    appeal and appeal_for once the objection was kept.
    The head's decision is ``measure_decision_actions``."""
    if subject is None:
        subject = is_subject(user, measure.report)
    if has_objection is None:
        has_objection = hasattr(measure, "objection")
    known = {"access": access, "subject": subject}
    objection = partial(rules.check_object, user, measure, has_objection=has_objection, **known)
    actions = _allowed({
        "withdraw": partial(rules.check_withdraw, user, measure, **known),
        "record_delivery": partial(rules.check_record_delivery, user, measure, **known),
        "object" if subject else "object_for": objection,
    })
    if not measure.acknowledged_at and rules.allowed(rules.check_acknowledge, user, measure, subject=subject):
        actions |= {"acknowledge"}
    kept = getattr(measure, "objection", None) if has_objection else None
    if kept is not None and kept.state == ObjectionState.REJECTED:
        kept.measure = measure
        actions |= _allowed({"appeal" if subject else "appeal_for": partial(
            rules.check_appeal, user, kept, has_appeal=hasattr(kept, "appeal"), **known)})
    return actions


def case_measure_actions(access, user: User, report: ViolationReport,
                         measures: list[Measure]) -> list[tuple[Measure, frozenset[str]]]:
    """Each measure of the case page with what the visitor may do on it (no query: the measures
    come from ``case_measures`` and share the page's report)."""
    subject = is_subject(user, report)
    rows = []
    for measure in measures:
        measure.report, measure.institution = report, report.institution
        rows.append((measure, measure_actions(access, user, measure, subject=subject)))
    return rows


def case_referral_actions(access, user: User, report: ViolationReport,
                          referrals: list[Referral]) -> list[tuple[Referral, frozenset[str]]]:
    subject = is_subject(user, report)
    rows = []
    for referral in referrals:
        referral.report, referral.institution = report, report.institution
        rows.append((referral, referral_actions(access, user, referral, subject=subject)))
    return rows


def measure_decision_actions(user: User, measure: Measure, *, as_parent: bool = False) -> frozenset[str]:
    """approve and reject, for the head (or the parent's head) who decides the proposal."""
    decide = partial(rules.check_decide_measure, user, measure, as_parent=as_parent)
    return _allowed({"approve": partial(decide, approving=True), "reject": decide})


def objection_decision_actions(user: User, objection: Objection, *, as_parent: bool = False) -> frozenset[str]:
    """uphold and reject, for the head (or the parent's head) who decides the objection."""
    decide = partial(rules.check_decide_objection, user, objection, as_parent=as_parent)
    return _allowed({"uphold": decide, "reject": decide})


def appeal_decision_actions(user: User, appeal: Appeal, *, as_parent: bool = False) -> frozenset[str]:
    """uphold and reject, for the official next up who hears the appeal."""
    decide = partial(rules.check_decide_appeal, user, appeal, as_parent=as_parent)
    return _allowed({"uphold": decide, "reject": decide})


def referral_actions(access, user: User, referral: Referral, *, subject: bool | None = None) -> frozenset[str]:
    """record_outcome."""
    return _allowed({"record_outcome": partial(rules.check_record_outcome, user, referral, access=access,
                                               subject=subject)})


def removal_actions(access, user: User, task: RemovalTask, *, is_admin: bool | None = None) -> frozenset[str]:
    """confirm (a group admin, or Humas, confirms the person was removed)."""
    return _allowed({"confirm": partial(rules.check_confirm_removal, user, task, access=access, is_admin=is_admin)})


# --- the code of conduct in force -------------------------------------------------------------


def measures_about_with_actions(access, user: User, institution: Institution) -> list[tuple[Measure, frozenset[str]]]:
    """``measures_about``, each with what the person may do on it (acknowledge, object)."""
    rows = []
    for measure in measures_about(user, institution):
        measure.institution = institution
        rows.append((measure, measure_actions(access, user, measure, subject=True)))
    return rows


def ladder_actions(access, user: User, institution: Institution) -> frozenset[str]:
    """edit (the head saves new rungs) and propose (Humas proposes them to the head)."""
    return _allowed({"edit": partial(rules.check_edit_ladder, user, institution, access=access),
                     "propose": partial(rules.check_propose_ladder, user, institution, access=access)})


def ladder_proposal_actions(access, user: User, proposal: LadderProposal, *, current_id: int | None) -> frozenset[str]:
    """accept, reject (the head, never on their own proposal) and withdraw (the proposer)."""
    return _allowed({
        "accept": partial(rules.check_accept_ladder_proposal, user, proposal, access=access, current_id=current_id),
        "reject": partial(rules.check_reject_ladder_proposal, user, proposal, access=access),
        "withdraw": partial(rules.check_withdraw_ladder_proposal, user, proposal, access=access),
    })
