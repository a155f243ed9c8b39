"""Writes of the members app, one module per aggregate. Each function checks its rules, changes
state and writes its audit entry in the same transaction; ``data`` in the audit holds ids and short
codes only. Callers write ``from members import services`` and ``services.staff_create(...)``."""

from ._common import LEAF_KINDS
from .acknowledgements import (
    acknowledgement_notices_send,
    acknowledgement_record,
    acknowledgement_remind,
    acknowledgement_reminders_send_due,
    acknowledgement_request,
)
from .corrections import open_corrections, staff_correction_request, staff_correction_resolve
from .groups import group_membership_add, group_membership_change_role, group_membership_end
from .imports import (
    import_files_sweep,
    import_job_apply,
    import_job_cancel,
    import_job_confirm,
    import_job_create,
    import_job_preview,
    import_jobs_expire,
    read_progress,
)
from .invitations import (
    invitation_accept,
    invitation_create,
    invitation_for_token,
    invitation_link,
    invitation_resend,
    invitation_revoke,
    invitations_purge_due,
)
from .onboarding import institution_onboard
from .roles import acting_appoint, role_grant, role_revoke
from .staff import staff_create, staff_end, staff_move, staff_update

__all__ = [
    "LEAF_KINDS",
    "acknowledgement_notices_send",
    "acknowledgement_record",
    "acknowledgement_remind",
    "acknowledgement_reminders_send_due",
    "acknowledgement_request",
    "group_membership_add",
    "group_membership_change_role",
    "group_membership_end",
    "import_job_apply",
    "import_job_cancel",
    "import_job_confirm",
    "import_job_create",
    "import_job_preview",
    "import_files_sweep",
    "import_jobs_expire",
    "institution_onboard",
    "invitation_accept",
    "invitation_create",
    "invitation_for_token",
    "invitation_link",
    "invitation_resend",
    "invitation_revoke",
    "invitations_purge_due",
    "open_corrections",
    "read_progress",
    "acting_appoint",
    "role_grant",
    "role_revoke",
    "staff_correction_request",
    "staff_correction_resolve",
    "staff_create",
    "staff_end",
    "staff_move",
    "staff_update",
]
