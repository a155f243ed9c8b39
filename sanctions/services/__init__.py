"""Writes of the sanctions app, one module per thing they change. Each one checks the business
rules, changes state, writes its audit entry in the same transaction and queues its notifications
after commit.

Refusals raise ``ValidationError`` with a message that tells the person what to do instead;
missing rights raise ``PermissionDenied``. Views show both; nothing is half-saved.

Callers write ``from sanctions import services`` and ``services.measure_approve(...)``; this module
re-exports the public functions and nothing else. A Celery task that a service queues is defined
beside it (``letters.letter_pdf_task``); services never import ``sanctions.tasks``.
"""

from ..deadlines import appeal_deadline, objection_deadline
from .explanations import explanation_give, explanation_invite, explanation_record, explanation_skip
from .ladders import LEVEL_FIELDS as LADDER_LEVEL_FIELDS
from .ladders import POLICY_FIELDS as LADDER_POLICY_FIELDS
from .ladders import (
    ladder_configure,
    ladder_ensure,
    ladder_proposal_accept,
    ladder_proposal_reject,
    ladder_proposal_withdraw,
    ladder_propose,
    ladder_save,
    ladder_set_policy,
)
from .letters import VERIFICATION_ALPHABET, VERIFICATION_LENGTH, letter_render_pdf
from .measures import (
    measure_acknowledge,
    measure_approve,
    measure_propose,
    measure_record_delivery,
    measure_reject,
    measure_withdraw,
    measures_expire_due,
)
from .objections import appeal_decide, appeal_file, objection_decide, objection_file
from .referrals import referral_create, referral_record_outcome, referrals_remind
from .reminders import decisions_remind
from .removals import may_confirm_removal, removal_confirm, removals_remind
from .reports import (
    evidence_add,
    report_add_note,
    report_assign,
    report_confirm,
    report_dismiss,
    report_start_review,
    report_submit,
    reports_bulk,
)
from .retention import cases_purge_due, legal_hold_clear, legal_hold_set, retention_policy_set, retention_settle

__all__ = [
    "explanation_give",
    "explanation_invite",
    "explanation_record",
    "explanation_skip",
    # violation reports (reports.py)
    "report_submit", "evidence_add", "report_start_review", "report_assign", "report_add_note",
    "report_confirm", "report_dismiss", "reports_bulk",
    # the ladder (ladders.py)
    "ladder_ensure", "ladder_configure", "ladder_save", "ladder_set_policy", "ladder_propose",
    "ladder_proposal_accept", "ladder_proposal_reject", "ladder_proposal_withdraw", "LADDER_LEVEL_FIELDS", "LADDER_POLICY_FIELDS",
    # measures (measures.py)
    "measure_propose", "measure_withdraw", "measure_approve", "measure_reject", "measure_record_delivery",
    "measure_acknowledge", "measures_expire_due",
    # letters (letters.py); the code alphabet is shared with the province generator
    "letter_render_pdf", "VERIFICATION_ALPHABET", "VERIFICATION_LENGTH",
    # removals from groups (removals.py)
    "may_confirm_removal", "removal_confirm", "removals_remind",
    # objections and appeals (objections.py)
    "objection_deadline", "objection_file", "objection_decide", "appeal_deadline", "appeal_file", "appeal_decide",
    # retention: the head's periods and legal holds, the nightly deletion (retention.py)
    "retention_policy_set", "legal_hold_set", "legal_hold_clear", "cases_purge_due", "retention_settle",
    # reminders to deciders (reminders.py)
    "decisions_remind",
    # referrals to the formal process (referrals.py)
    "referral_create", "referrals_remind", "referral_record_outcome",
]
