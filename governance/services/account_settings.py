"""A person's own settings: the name shown to colleagues, the language of pages, notices and
e-mails, and how notices reach them by e-mail."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ..audit import log_action
from ..models import User

ACCOUNT_FIELDS = ("full_name", "language", "notification_mode")


def account_settings_update(*, user: User, **fields) -> list[str]:
    """Save the person's own settings; returns the names of the fields that changed."""
    unknown = set(fields) - set(ACCOUNT_FIELDS)
    if unknown:
        raise TypeError(f"unknown account fields: {sorted(unknown)}")
    if "language" in fields and fields["language"] not in dict(settings.LANGUAGES):
        raise ValidationError({"language": _("Choose Bahasa Indonesia or English.")})
    if "notification_mode" in fields and fields["notification_mode"] not in User.NotificationMode.values:
        raise ValidationError({"notification_mode": _("Choose how notices reach you.")})
    if "full_name" in fields:
        fields["full_name"] = " ".join(str(fields["full_name"]).split())
        if not fields["full_name"]:
            raise ValidationError({"full_name": _("Write your name as colleagues know it.")})
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        changed = [name for name in ACCOUNT_FIELDS if name in fields and getattr(user, name) != fields[name]]
        if not changed:
            return []
        for name in changed:
            setattr(user, name, fields[name])
        user.save(update_fields=changed)
        # Which settings changed, never their values (a name is personal data).
        log_action(action="governance.account.settings_changed", institution=None, actor=user, target=user,
                   data={"fields": changed, **({"language": user.language} if "language" in changed else {}),
                         **({"notification_mode": user.notification_mode} if "notification_mode" in changed else {})})
    return changed
