"""Who holds the sanctions app's permissions (registered in ``SanctionsConfig.ready``)."""

from governance.models import Role
from governance.permissions import grant


def register() -> None:
    K, H, OP, P, PLT = Role.HEAD, Role.PUBLIC_RELATIONS, Role.OPERATOR, Role.STAFF, Role.ACTING
    grant("sanctions.file_report", roles=(K, H, OP, P, PLT))
    grant("sanctions.view_own", roles=(K, H, OP, P, PLT))
    grant("sanctions.view_cases", roles=(K, H, PLT))
    grant("sanctions.triage", roles=(H,))
    # Who of them decides a given case is sanctions.deciders' answer; these only open the pages.
    grant("sanctions.decide", roles=(K, PLT))
    # Retention: the institution's periods and legal holds on cases.
    grant("sanctions.retention", roles=(K, PLT))
    # The parent's head (or acting head) decides what nobody at the institution may decide.
    grant("sanctions.decide_escalated", parent_roles=(K, PLT))
