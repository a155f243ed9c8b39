"""When a step on a staff import or an acknowledgement of the code may be taken: the guards of the
members services.

Each ``check_*`` function raises the ``ValidationError`` its service raises, with the same message,
and returns nothing when the step may be taken. The services call them on the row they locked;
``selectors.import_actions`` and ``selectors.acknowledgement_actions`` call them through ``allowed``
to list the steps a page offers, so a page shows a button exactly when the service would accept it.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from governance.models import CodeVersion

from .models import ImportJob, StaffMember


def allowed(check, *args, **kwargs) -> bool:
    """Whether ``check(*args, **kwargs)`` lets the step through."""
    try:
        check(*args, **kwargs)
    except (PermissionDenied, ValidationError):
        return False
    return True


# --- imports ---------------------------------------------------------------------------------------

def check_confirm_import(job: ImportJob) -> None:
    if job.state != ImportJob.State.READY:
        raise ValidationError(_("This import cannot be confirmed any more. Upload the file again."))


def check_cancel_import(job: ImportJob) -> None:
    if job.state not in (ImportJob.State.READY, ImportJob.State.REFUSED):
        raise ValidationError(_("This import can no longer be cancelled."))


# --- acknowledgements of the code of conduct --------------------------------------------------------

def check_acknowledgeable(version: CodeVersion, staff: StaffMember | None = None) -> None:
    """A published version of the person's own institution, by someone still on the staff list."""
    if version.state == CodeVersion.State.DRAFT or (staff is not None and version.institution_id != staff.institution_id):
        raise ValidationError(_("Only a published code of your own institution can be acknowledged."))
    if staff is not None and not staff.is_current:
        raise ValidationError(_("This person has left the institution."))


def check_remind(version: CodeVersion) -> None:
    if version.state == CodeVersion.State.DRAFT:
        raise ValidationError(_("A draft cannot be acknowledged."))
