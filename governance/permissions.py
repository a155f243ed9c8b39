"""Who may do what. Roles grant permissions at their own institution; some roles also grant
permissions below it (the parent's head decides cases about a head; assessors score the subtree).

A tenant view declares the permission it needs (``permission = "app.codename"`` on the class, or
``@requires("app.codename")`` on a function); ``governance.tenancy.TenantMiddleware`` checks it
before the view runs. A tenant view that declares nothing is refused as a programming error.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .models import Institution, Role

ALL_MEMBERS = {Role.KEPALA, Role.HUMAS, Role.OPERATOR, Role.PEGAWAI}

# Permissions a role grants at the institution where it is held.
ROLE_PERMISSIONS: dict[str, set[str]] = {
    Role.KEPALA: {
        "institution.view",
        "governance.view_channels",
        "governance.view_code",
        "governance.publish_code",
        "governance.view_acknowledgements",
        "governance.view_publications",
        "governance.view_audit",
        "members.view_directory",
        "members.manage_roles",
        "sanctions.file_report",
        "sanctions.view_own",
        "sanctions.view_cases",
        "sanctions.decide",
        "sanctions.view_chat",
        "reports.view_report_card",
    },
    Role.HUMAS: {
        "institution.view",
        "governance.view_channels",
        "governance.manage_channels",
        "governance.view_code",
        "governance.edit_code",
        "governance.view_acknowledgements",
        "governance.view_publications",
        "governance.manage_publications",
        "members.view_directory",
        "members.manage_groups",
        "members.record_acknowledgements",
        "sanctions.file_report",
        "sanctions.view_own",
        "sanctions.view_cases",
        "sanctions.triage",
        "sanctions.view_chat",
        "sanctions.triage_chat",
        "reports.view_report_card",
        "reports.self_assess",
    },
    Role.OPERATOR: {
        "institution.view",
        "governance.view_channels",
        "governance.view_code",
        "members.view_directory",
        "members.manage_staff",
        "members.manage_roles",
        "members.import",
        "members.onboard",
        "members.manage_groups",
        "sanctions.file_report",
        "sanctions.view_own",
    },
    Role.PEGAWAI: {
        "institution.view",
        "governance.view_code",
        "sanctions.file_report",
        "sanctions.view_own",
    },
    Role.PENILAI: {
        "institution.view",
        "governance.view_code",
        "reports.manage_periods",
        "reports.assess",
        "reports.view_rankings",
    },
}

# Permissions a role held at the direct parent grants on a child institution.
PARENT_PERMISSIONS: dict[str, set[str]] = {
    Role.KEPALA: {"institution.view", "sanctions.decide_escalated", "members.grant_head"},
    Role.OPERATOR: {"members.grant_head"},
}

# Permissions a role held at any ancestor grants on a descendant (statistics, never case files).
ANCESTOR_PERMISSIONS: dict[str, set[str]] = {
    Role.PENILAI: {"institution.view", "reports.assess", "reports.view_report_card"},
}

# Roles whose holders must have TOTP before they may use any institution page.
MFA_ROLES = {Role.KEPALA, Role.PENILAI}


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
        permissions |= ROLE_PERMISSIONS.get(role, set())
    for role in parent_roles:
        permissions |= PARENT_PERMISSIONS.get(role, set())
    for role in ancestor_roles:
        permissions |= ANCESTOR_PERMISSIONS.get(role, set())
    if not permissions:
        return None
    return Access(
        institution=institution,
        roles=frozenset(roles),
        parent_roles=frozenset(parent_roles),
        ancestor_roles=frozenset(ancestor_roles),
        permissions=frozenset(permissions),
    )


def requires(permission: str):
    """Declare the permission a function-based tenant view needs."""

    def decorate(view):
        view.permission = permission
        return view

    return decorate


def public(view):
    """Declare a tenant view that anyone, signed in or not, may open (e.g. the public code page)."""
    view.public = True
    return view


class TenantViewMixin:
    """Base for class-based tenant views. Subclasses set ``permission`` (or ``public = True``)."""

    permission: str | None = None
    public: bool = False

    @property
    def institution(self) -> Institution:
        return self.request.institution

    @property
    def access(self) -> Access:
        return self.request.access
