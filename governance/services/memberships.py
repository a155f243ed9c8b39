"""Role memberships: a user holds a role at an institution from one day until another."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ..audit import log_action
from ..models import Institution, Membership, Role, User
from ..tenancy import institution_scope


@transaction.atomic
def membership_grant(
    *, actor: User | None, user: User, institution: Institution, role: str,
    starts_on: datetime.date | None = None, ends_on: datetime.date | None = None,
) -> Membership:
    """Give ``user`` a role at ``institution``. Who may grant which role is checked by the caller's
    permission (``members.manage_roles`` below head, ``members.grant_head`` for heads)."""
    if role not in Role.values:
        raise ValidationError(_("Unknown role."))
    with institution_scope(institution):
        existing = Membership.objects.active().filter(user=user, role=role).first()
        if existing:
            return existing
        starts_on = starts_on or institution.local_today()
        if ends_on is not None and ends_on <= starts_on:
            raise ValidationError({"ends_on": _("The end date must come after the start (%(date)s).") % {
                "date": f"{starts_on:%d-%m-%Y}"}})
        membership = Membership.objects.create(
            user=user, institution=institution, role=role, starts_on=starts_on, ends_on=ends_on, granted_by=actor,
        )
        data = {"user": user.pk, "role": role}
        if ends_on is not None:
            data["ends_on"] = ends_on.isoformat()
        log_action(
            action="governance.membership.granted", institution=institution, actor=actor,
            target=membership, data=data,
        )
    return membership


@transaction.atomic
def membership_end(*, actor: User | None, membership: Membership, ends_on: datetime.date | None = None) -> Membership:
    institution = membership.institution
    membership.ends_on = ends_on or institution.local_today()
    membership.save(update_fields=["ends_on"])
    log_action(
        action="governance.membership.ended", institution=institution, actor=actor,
        target=membership, data={"user": membership.user_id, "role": membership.role},
    )
    return membership


@transaction.atomic
def membership_change_end(*, actor: User | None, membership: Membership, ends_on: datetime.date | None) -> Membership:
    """Set or clear the end date of a membership (platform operators, in the admin)."""
    institution = membership.institution
    with institution_scope(institution):
        stored = Membership.objects.select_for_update().get(pk=membership.pk)
        if ends_on is not None and ends_on <= stored.starts_on:
            raise ValidationError({"ends_on": _("The end date must come after the start (%(date)s).") % {
                "date": f"{stored.starts_on:%d-%m-%Y}"}})
        if stored.ends_on == ends_on:
            return stored
        before = stored.ends_on
        stored.ends_on = ends_on
        stored.save(update_fields=["ends_on"])
        log_action(action="governance.membership.end_changed", institution=institution, actor=actor, target=stored,
                   data={"user": stored.user_id, "role": stored.role,
                         "from": before.isoformat() if before else None, "to": ends_on.isoformat() if ends_on else None})
    return stored
