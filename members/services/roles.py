"""Roles of staff members who have an account (governance keeps the memberships themselves)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from governance.models import Membership, Role, User
from governance.services import membership_end, membership_grant

from ..models import StaffMember
from ._common import require_grant


@transaction.atomic
def role_grant(*, actor: User | None, staff: StaffMember, role: str) -> Membership:
    """Give a role to a staff member who has an account (operators below the head; the head
    by the parent institution). governance.membership_grant writes the audit entry."""
    require_grant(actor, staff.institution, role)
    if staff.user_id is None:
        raise ValidationError(_("This person has no account yet. Send an invitation first."))
    if not staff.is_current:
        raise ValidationError(_("This person has left the institution."))
    return membership_grant(actor=actor, user=staff.user, institution=staff.institution, role=role)


@transaction.atomic
def acting_appoint(*, actor: User | None, staff: StaffMember, starts_on=None, ends_on=None) -> Membership:
    """Appoint an acting head (Plh/Plt): by the parent's head or operator, or a platform operator
    for a top-level institution. With ``ends_on`` (the day the head is back) it covers the head's
    leave; without, it stands in while the seat is empty or the head may not decide a case."""
    require_grant(actor, staff.institution, Role.ACTING)
    if staff.user_id is None:
        raise ValidationError({"staff": _("This person has no account yet. Send an invitation first.")})
    if not staff.is_current:
        raise ValidationError({"staff": _("This person has left the institution.")})
    if starts_on is not None and starts_on < staff.institution.local_today():
        raise ValidationError({"starts_on": _("An appointment starts today or later, not in the past.")})
    if Membership.objects.active(staff.institution.local_today()).filter(
            institution=staff.institution, role=Role.HEAD, user=staff.user_id).exists():
        raise ValidationError({"staff": _("The head cannot also be the acting head of the same institution.")})
    return membership_grant(actor=actor, user=staff.user, institution=staff.institution, role=Role.ACTING,
                            starts_on=starts_on, ends_on=ends_on)


@transaction.atomic
def role_revoke(*, actor: User | None, membership: Membership) -> Membership:
    require_grant(actor, membership.institution, membership.role)
    if actor is not None and membership.user_id == actor.pk:
        raise ValidationError(_("You cannot take away your own role; ask another operator or the head."))
    if membership.ends_on is not None:
        return membership
    return membership_end(actor=actor, membership=membership)


