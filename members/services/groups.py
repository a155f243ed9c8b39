"""Group memberships: who is in which of the institution's groups, as member or admin, since when and until when."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from governance.audit import log_action
from governance.models import Channel, User

from ..models import GroupMembership, StaffMember


def _check_channel(channel: Channel) -> None:
    if not channel.is_active or channel.archived_at is not None:
        raise ValidationError(_("This group or account is archived; its members can no longer be changed."))


@transaction.atomic
def group_membership_add(
    *, actor: User | None, channel: Channel, staff: StaffMember, role: str = GroupMembership.Role.MEMBER,
    since: datetime.date | None = None,
) -> GroupMembership:
    _check_channel(channel)
    if staff.institution_id != channel.institution_id or not staff.is_current:
        raise ValidationError({"staff": _("Choose someone on the current staff list.")})
    if role not in GroupMembership.Role.values:
        raise ValidationError({"role": _("Choose member or admin.")})
    today = channel.institution.local_today()
    since = since or today
    if since > today:
        raise ValidationError({"since": _("The date cannot lie in the future.")})
    if GroupMembership.objects.filter(channel=channel, staff=staff, until__isnull=True).exists():
        raise ValidationError({"staff": _("This person is already in the group.")})
    membership = GroupMembership.objects.create(channel=channel, staff=staff, role=role, since=since, added_by=actor)
    log_action(action="members.group_membership.added", institution=channel.institution, actor=actor,
               target=membership, data={"channel": channel.pk, "staff": staff.pk, "role": role})
    return membership


@transaction.atomic
def group_membership_change_role(*, actor: User | None, membership: GroupMembership, role: str) -> GroupMembership:
    _check_channel(membership.channel)
    if membership.until is not None:
        raise ValidationError(_("This membership has ended."))
    if role not in GroupMembership.Role.values:
        raise ValidationError({"role": _("Choose member or admin.")})
    if role != membership.role:
        old = membership.role
        membership.role = role
        membership.save(update_fields=["role"])
        log_action(action="members.group_membership.role_changed", institution=membership.channel.institution,
                   actor=actor, target=membership, data={"from": old, "to": role})
    return membership


@transaction.atomic
def group_membership_end(*, actor: User | None, membership: GroupMembership, until: datetime.date | None = None) -> GroupMembership:
    """End a membership (who and when are kept); nothing is deleted."""
    if membership.until is not None:
        raise ValidationError(_("This membership has already ended."))
    until = until or membership.channel.institution.local_today()
    if until < membership.since:
        raise ValidationError({"until": _("The end date lies before the start date.")})
    membership.until, membership.removed_by = until, actor
    membership.save(update_fields=["until", "removed_by"])
    log_action(action="members.group_membership.ended", institution=membership.channel.institution, actor=actor,
               target=membership, data={"channel": membership.channel_id, "staff": membership.staff_id})
    return membership
