"""Who holds chat-export triage's permissions (registered in ``TriageConfig.ready``). The names
keep the ``sanctions.`` prefix they had before triage became its own app, so existing
declarations and the audit trail read the same."""

from governance.models import Role
from governance.permissions import grant


def register() -> None:
    grant("sanctions.view_chat", roles=(Role.HEAD, Role.PUBLIC_RELATIONS))
    grant("sanctions.triage_chat", roles=(Role.PUBLIC_RELATIONS,))
