"""Helpers and constants shared by the service modules of the members app (private)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from governance.models import Institution, Role, User

from .. import selectors

STAFF_FIELDS = ("full_name", "nip", "status", "position", "unit", "phone", "email", "joined_on")


# Offices at the bottom of a chain of command: nothing is onboarded below them.
LEAF_KINDS = {Institution.Kind.MADRASAH, Institution.Kind.CORRECTIONAL_UNIT, Institution.Kind.TREASURY_OFFICE,
              Institution.Kind.AGENCY}


def require_grant(actor: User | None, institution: Institution, role: str) -> None:
    if role not in Role.values:
        raise ValidationError(_("Unknown role."))
    if not selectors.can_grant(actor, institution, role):
        raise PermissionDenied(_("You may not give or take this role."))
