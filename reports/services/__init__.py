"""Writes of the reports app. Each one validates everything first, then changes state and writes its
audit entry in the same transaction: a refused request changes nothing.

Who may call what is checked twice: the view declares its permission (the middleware checks it),
and the services that act for an assessor check that the actor is an assessor of the period's
institution and that the entry lies in its subtree.
"""

from ._common import (
    MAX_EVIDENCE_BYTES,
    MAX_EVIDENCE_PER_CRITERION,
    MAX_LINKS,
    MAX_TEXT,
    STALE_EXPORT_AFTER,
    UPDATE_BATCH,
    State,
    logger,
)
from .exports import (
    ExportBusy,
    export_key,
    export_request,
    export_retry,
    export_run,
    exports_purge_due,
)
from .periods import (
    EDITABLE_AFTER_OPENING,
    PERIOD_FIELDS,
    compute_period,
    period_create,
    period_finalize,
    period_open,
    period_recompute,
    period_revise,
    period_start_scoring,
    period_update,
    refresh_results,
    scope_institutions,
)
from .rubrics import (
    rubric_copy,
    rubric_create_default,
    rubric_update,
)
from .scores import (
    scores_record,
)
from .self_assessment import (
    OFFICE_MAX_ENTRIES,
    OFFICE_MAX_UNPACKED,
    OFFICE_PARTS,
    OFFICE_TYPES,
    answer_save,
    evidence_add,
    evidence_remove,
    self_assessment_submit,
    sniff_evidence,
)

__all__ = [
    "EDITABLE_AFTER_OPENING",
    "ExportBusy",
    "MAX_EVIDENCE_BYTES",
    "MAX_EVIDENCE_PER_CRITERION",
    "MAX_LINKS",
    "MAX_TEXT",
    "OFFICE_MAX_ENTRIES",
    "OFFICE_MAX_UNPACKED",
    "OFFICE_PARTS",
    "OFFICE_TYPES",
    "PERIOD_FIELDS",
    "STALE_EXPORT_AFTER",
    "State",
    "UPDATE_BATCH",
    "answer_save",
    "compute_period",
    "evidence_add",
    "evidence_remove",
    "export_key",
    "export_request",
    "export_retry",
    "export_run",
    "exports_purge_due",
    "logger",
    "period_create",
    "period_finalize",
    "period_open",
    "period_recompute",
    "period_revise",
    "period_start_scoring",
    "period_update",
    "refresh_results",
    "rubric_copy",
    "rubric_create_default",
    "rubric_update",
    "scope_institutions",
    "scores_record",
    "self_assessment_submit",
    "sniff_evidence",
]
