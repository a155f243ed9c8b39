"""Who holds the sanctions app's permissions (registered in ``SanctionsConfig.ready``)."""

from governance.models import Role
from governance.permissions import grant


def register() -> None:
    K, H, OP, P = Role.HEAD, Role.PUBLIC_RELATIONS, Role.OPERATOR, Role.STAFF
    grant("sanctions.file_report", roles=(K, H, OP, P))
    grant("sanctions.view_own", roles=(K, H, OP, P))
    grant("sanctions.view_cases", roles=(K, H))
    grant("sanctions.triage", roles=(H,))
    grant("sanctions.decide", roles=(K,))
    # The parent's head decides what the head may not decide alone (a case about the head, ...).
    grant("sanctions.decide_escalated", parent_roles=(K,))
