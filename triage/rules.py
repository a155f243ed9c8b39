"""When a step of chat-export triage may be taken: the guards of the triage services.

Each ``check_*`` function raises the refusal its service raises — ``PermissionDenied`` for a missing
right, ``ValidationError`` with the same message otherwise — and returns nothing when the step may
be taken. The services call them on the row they locked; ``selectors.chat_import_actions`` and
``selectors.flag_actions`` call them through ``allowed`` to list the steps a page offers, so a page
shows a button exactly when the service would accept it.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from governance.models import Institution, User
from governance.tenancy import access_for

from .models import ChatFlag, ChatFlagState, ChatImport, ChatImportState

# An upload still waiting to be confirmed (or dropped).
PENDING_STATES = (ChatImportState.PARSING, ChatImportState.NEEDS_ORDER, ChatImportState.PREVIEW)


def allowed(check, *args, **kwargs) -> bool:
    """Whether ``check(*args, **kwargs)`` lets the step through."""
    try:
        check(*args, **kwargs)
    except (PermissionDenied, ValidationError):
        return False
    return True


def require(actor: User | None, institution: Institution, permission: str = "sanctions.triage_chat", *,
            access=None) -> None:
    if access is None:
        access = access_for(actor, institution) if actor is not None else None
    if access is None or not access.has(permission):
        raise PermissionDenied


# --- the upload -------------------------------------------------------------------------------------

def check_choose_order(chat_import: ChatImport) -> None:
    if chat_import.state != ChatImportState.NEEDS_ORDER or not chat_import.file:
        raise ValidationError(_("This upload is not waiting for a date order any more."), code="state")


def check_confirm(chat_import: ChatImport) -> None:
    if chat_import.state != ChatImportState.PREVIEW:
        raise ValidationError(_("Only a checked upload waiting for confirmation can be confirmed."), code="state")


def check_cancel(chat_import: ChatImport) -> None:
    if chat_import.state not in PENDING_STATES:
        raise ValidationError(_("Only an upload that has not been confirmed can be cancelled."), code="state")


def check_purge(chat_import: ChatImport) -> None:
    if chat_import.state != ChatImportState.CONFIRMED or chat_import.purged_at is not None:
        raise ValidationError(_("The chat text of this import has already been deleted."), code="state")


def check_has_data(chat_import: ChatImport) -> None:
    if not chat_import.has_data:
        raise ValidationError(_("The chat text of this import is no longer kept."), code="state")


# --- flags ------------------------------------------------------------------------------------------

def check_in_triage(flag: ChatFlag, chat_import: ChatImport | None = None) -> None:
    """``chat_import``: the flag's import, when the page holds it already."""
    if not (chat_import or flag.chat_import).in_triage or flag.message_id is None:
        raise ValidationError(_("This import is not in triage: confirm it first, or its chat text has been deleted."),
                              code="state")


def check_not_own_message(actor: User | None, flag: ChatFlag) -> None:
    """Recusal: a person does not triage a flag on a message they wrote themselves."""
    message = flag.message
    author = message.author if message is not None else None
    staff = author.staff if author is not None and author.staff_id else None
    if actor is not None and staff is not None and staff.user_id == actor.pk:
        raise ValidationError(
            _("This message was written by you, so you cannot handle its flag. Ask a colleague to take it over."),
            code="recusal")


def check_open(flag: ChatFlag) -> None:
    if flag.state != ChatFlagState.OPEN:
        raise ValidationError(_("This flag has already been handled."), code="state")


def check_dismissed(flag: ChatFlag) -> None:
    if flag.state != ChatFlagState.DISMISSED:
        raise ValidationError(_("Only a dismissed flag can be reopened."), code="state")


def check_reportable(flag: ChatFlag) -> None:
    """A dismissed flag is reopened first (a reported one already has its report)."""
    if flag.state == ChatFlagState.DISMISSED:
        raise ValidationError(_("This flag was dismissed. Reopen it before reporting the message."),
                              code="dismissed")
