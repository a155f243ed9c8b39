"""Who may do what. Roles grant permissions at their own institution; some roles also grant
permissions below it (the parent's head decides cases about a head; assessors score the subtree).

A tenant view declares the permission it needs (``permission = "app.codename"`` on the class, or
``@requires("app.codename")`` on a function); ``governance.tenancy.TenantMiddleware`` checks it
before the view runs. A tenant view that declares nothing is refused as a programming error.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from .models import Institution, Role

# Who holds which permission, filled by each app from its ``AppConfig.ready`` through ``grant``:
# at the role's own institution, on a direct child (held at the parent), or anywhere below (held at
# an ancestor: statistics and scores, never case files).
ROLE_PERMISSIONS: dict[str, set[str]] = defaultdict(set)
PARENT_PERMISSIONS: dict[str, set[str]] = defaultdict(set)
ANCESTOR_PERMISSIONS: dict[str, set[str]] = defaultdict(set)


def grant(permission: str, *, roles=(), parent_roles=(), ancestor_roles=()) -> None:
    """Declare who holds ``permission`` (``"app.codename"``). Called by the app that owns it."""
    for table, holders in ((ROLE_PERMISSIONS, roles), (PARENT_PERMISSIONS, parent_roles),
                           (ANCESTOR_PERMISSIONS, ancestor_roles)):
        for role in holders:
            table[role].add(permission)


def known_permissions() -> set[str]:
    return set().union(*ROLE_PERMISSIONS.values(), *PARENT_PERMISSIONS.values(), *ANCESTOR_PERMISSIONS.values())


def register() -> None:
    K, H, OP, P, A, PLT = Role.HEAD, Role.PUBLIC_RELATIONS, Role.OPERATOR, Role.STAFF, Role.ASSESSOR, Role.ACTING
    grant("institution.view", roles=(K, H, OP, P, A, PLT), parent_roles=(K, PLT), ancestor_roles=(A,))
    grant("governance.view_channels", roles=(K, H, OP))
    grant("governance.manage_channels", roles=(H,))
    grant("governance.view_code", roles=(K, H, OP, P, A, PLT))
    grant("governance.edit_code", roles=(H,))
    grant("governance.publish_code", roles=(K,))
    grant("governance.view_acknowledgements", roles=(K, H))
    grant("governance.view_publications", roles=(K, H))
    grant("governance.manage_publications", roles=(H,))
    grant("governance.view_audit", roles=(K,))
    grant("governance.view_elections", roles=(K, H, OP))
    grant("governance.manage_elections", roles=(OP,))
    grant("governance.manage_settings", roles=(K, OP))


# Roles whose holders must have TOTP before they may use any institution page.
MFA_ROLES = {Role.HEAD, Role.ACTING, Role.ASSESSOR}


@dataclass(frozen=True)
class Access:
    """What the current user may do at the current institution, computed once per request."""

    institution: Institution
    roles: frozenset[str] = frozenset()
    parent_roles: frozenset[str] = frozenset()
    ancestor_roles: frozenset[str] = frozenset()
    permissions: frozenset[str] = field(default_factory=frozenset)

    def has(self, permission: str) -> bool:
        return permission in self.permissions

    @property
    def is_member(self) -> bool:
        return bool(self.roles)

    @property
    def requires_mfa(self) -> bool:
        return bool((self.roles | self.parent_roles | self.ancestor_roles) & MFA_ROLES)

    def has_role(self, role: str) -> bool:
        return role in self.roles

    def has_here(self, permission: str) -> bool:
        """Granted by a role held at this institution itself."""
        return any(permission in ROLE_PERMISSIONS.get(role, ()) for role in self.roles)


def compute_access(institution: Institution, held: list[tuple[int, str]]) -> Access | None:
    """``held`` is (institution_id, role) for the user's active memberships on the institution's path."""
    roles, parent_roles, ancestor_roles = set(), set(), set()
    for institution_id, role in held:
        if institution_id == institution.pk:
            roles.add(role)
        else:
            ancestor_roles.add(role)
            if institution_id == institution.parent_id:
                parent_roles.add(role)
    permissions: set[str] = set()
    for role in roles:
        permissions |= ROLE_PERMISSIONS.get(role, frozenset())
    for role in parent_roles:
        permissions |= PARENT_PERMISSIONS.get(role, frozenset())
    for role in ancestor_roles:
        permissions |= ANCESTOR_PERMISSIONS.get(role, frozenset())
    if not permissions:
        return None
    return Access(
        institution=institution,
        roles=frozenset(roles),
        parent_roles=frozenset(parent_roles),
        ancestor_roles=frozenset(ancestor_roles),
        permissions=frozenset(permissions),
    )


def requires(permission: str, *, held_here: bool = False, subtree: bool = False):
    """Declare the permission a function-based tenant view needs. ``held_here``: only a role held at
    this institution grants it (not one inherited from an ancestor). ``subtree``: the view reads the
    institution's whole subtree (an assessor's pages), so the middleware enters ``subtree_scope``
    instead of the institution's own scope. Both are checked by ``TenantMiddleware``, nowhere else."""

    def decorate(view):
        view.permission = permission
        view.held_here = held_here
        view.subtree = subtree
        return view

    return decorate


def public(view):
    """Declare a tenant view that anyone, signed in or not, may open (e.g. the public code page)."""
    view.public = True
    return view
