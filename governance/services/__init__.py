"""Writes of the governance app, one module per aggregate. Each one changes state and logs it in
the same transaction. Callers write ``from governance import services`` and ``services.code_publish(...)``."""

from .account_settings import ACCOUNT_FIELDS, account_settings_update
from .channels import channel_archive, channel_register, channel_restore, channel_update
from .codes import (
    RULE_FIELDS,
    code_adopt_parent,
    code_draft_discard,
    code_publish,
    code_start_from_template,
    code_version_start,
    code_version_update,
    may_publish,
    rule_add,
    rule_remove,
    rule_update,
)
from .elections import ELECTION_FIELDS, election_period_delete, election_period_save, election_reminders_send
from .institutions import (
    institution_create,
    institution_move,
    institution_rename,
    may_arrange,
    register_arranging_permission,
)
from .memberships import membership_change_end, membership_end, membership_grant
from .notifications import notification_digest_send, notification_mark_read, notify, users_with_digest_waiting
from .publications import (
    PUBLICATION_FIELDS,
    publication_create,
    publication_delete,
    publication_errors,
    publication_import,
    publication_update,
)
from .settings import (
    EDITABLE_FIELDS,
    LETTER_FIELDS,
    PROFILE_FIELDS,
    institution_settings_update,
    logo_checked,
    may_configure,
    settings_errors,
)

__all__ = [
    "ACCOUNT_FIELDS",
    "account_settings_update",
    "ELECTION_FIELDS",
    "election_period_delete",
    "election_period_save",
    "EDITABLE_FIELDS",
    "LETTER_FIELDS",
    "PROFILE_FIELDS",
    "PUBLICATION_FIELDS",
    "RULE_FIELDS",
    "channel_archive",
    "channel_register",
    "channel_restore",
    "channel_update",
    "code_adopt_parent",
    "code_draft_discard",
    "code_publish",
    "code_start_from_template",
    "code_version_start",
    "code_version_update",
    "election_reminders_send",
    "institution_create",
    "institution_move",
    "institution_rename",
    "institution_settings_update",
    "logo_checked",
    "may_arrange",
    "may_configure",
    "may_publish",
    "membership_change_end",
    "membership_end",
    "membership_grant",
    "notification_digest_send",
    "notification_mark_read",
    "notify",
    "users_with_digest_waiting",
    "publication_create",
    "publication_delete",
    "publication_errors",
    "publication_import",
    "publication_update",
    "register_arranging_permission",
    "rule_add",
    "rule_remove",
    "rule_update",
    "settings_errors",
]
