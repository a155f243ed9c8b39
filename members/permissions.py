"""Who holds the members app's permissions (registered in ``MembersConfig.ready``)."""

from governance.models import Role
from governance.permissions import grant


def register() -> None:
    K, H, OP = Role.HEAD, Role.PUBLIC_RELATIONS, Role.OPERATOR
    grant("members.view_directory", roles=(K, H, OP))
    grant("members.manage_staff", roles=(OP,))
    grant("members.manage_roles", roles=(K, OP))
    grant("members.import", roles=(OP,))
    grant("members.onboard", roles=(OP,))
    grant("members.manage_groups", roles=(H, OP))
    grant("members.record_acknowledgements", roles=(H,))
    # Heads of an institution are appointed from its parent.
    grant("members.grant_head", parent_roles=(K, OP))
