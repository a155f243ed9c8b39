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
    # An appeal climbs the tree while nobody above is free to hear it: the head (or acting head) of any
    # institution above opens its page; which one hears it is sanctions.deciders' answer, and only that
    # one (or whoever decided it) may open it from further up than the parent.
    grant("sanctions.decide_appeal_above", ancestor_roles=(K, PLT))
    # Opening one piece of evidence: who of these may is sanctions.access.evidence_for's answer.
    grant("sanctions.open_evidence", roles=(K, H, OP, P, PLT), ancestor_roles=(K, PLT))
