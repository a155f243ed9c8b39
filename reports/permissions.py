"""Who holds the reports app's permissions (registered in ``ReportsConfig.ready``)."""

from governance.models import Role
from governance.permissions import grant


def register() -> None:
    K, H, A = Role.HEAD, Role.PUBLIC_RELATIONS, Role.ASSESSOR
    grant("reports.view_report_card", roles=(K, H), ancestor_roles=(A,))
    grant("reports.self_assess", roles=(H,))
    grant("reports.manage_periods", roles=(A,))
    # Assessors score their whole subtree, never reading case files.
    grant("reports.assess", roles=(A,), ancestor_roles=(A,))
    grant("reports.view_rankings", roles=(A,))
    # Moderation statistics: numbers only, never a name or a case text; from above, small counts hidden.
    grant("reports.view_statistics", roles=(K, Role.ACTING, H, A), ancestor_roles=(A,))
