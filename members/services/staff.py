"""Staff records: created, changed, ended (the person left) and moved to another institution."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from governance.audit import log_action
from governance.models import Institution, Membership, Role, User
from governance.services import membership_end, membership_grant, notify
from governance.tenancy import institution_scope

from .. import selectors
from ..models import GroupMembership, Invitation, StaffMember
from ..validators import normalize_phone, parse_nip
from ._common import STAFF_FIELDS


def _clean_staff(institution: Institution, fields: dict, *, exclude_pk: int | None = None) -> dict:
    """Normalise and check a staff member's fields; ValidationError names the field at fault."""
    errors: dict[str, list[str]] = {}
    cleaned = dict(fields)
    cleaned["full_name"] = " ".join((fields.get("full_name") or "").split())
    if not cleaned["full_name"]:
        errors["full_name"] = [_("Write the name with academic titles as they are written, e.g. Muslim Ansori, S.Ag., M.Pd.I.")]
    nip = "".join((fields.get("nip") or "").split())
    cleaned["nip"] = nip
    if nip:
        try:
            parse_nip(nip)
        except ValidationError as error:
            errors["nip"] = error.messages
    if cleaned.get("status") not in StaffMember.Status.values:
        errors["status"] = [_("Choose an employment status.")]
    try:
        cleaned["phone"] = normalize_phone(fields.get("phone") or "")
    except ValidationError:
        errors["phone"] = [_("Write an Indonesian mobile number, e.g. 0812 3456 7890 or +62 812 3456 7890.")]
    email = (fields.get("email") or "").strip().lower()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = [_("Write a valid e-mail address.")]
    cleaned["email"] = email
    for name in ("position", "unit"):
        cleaned[name] = " ".join((fields.get(name) or "").split())
    if not errors:
        others = StaffMember.objects.filter(institution=institution, left_on__isnull=True)
        if exclude_pk:
            others = others.exclude(pk=exclude_pk)
        if nip and others.filter(nip=nip).exists():
            errors["nip"] = [_("Someone on your staff list already has this NIP.")]
        elif nip and selectors.nips_current_elsewhere(institution, {nip}):
            errors["nip"] = [_("This NIP belongs to a current staff member of another institution. Their operator "
                               "must first record the move or departure there.")]
        if cleaned["phone"] and others.filter(phone=cleaned["phone"]).exists():
            errors["phone"] = [_("Someone on your staff list already has this number.")]
    if errors:
        raise ValidationError(errors)
    return cleaned


@transaction.atomic
def staff_create(
    *, actor: User | None, institution: Institution, full_name: str, status: str = StaffMember.Status.PNS,
    nip: str = "", position: str = "", unit: str = "", phone: str = "", email: str = "",
    joined_on: datetime.date | None = None, user: User | None = None,
) -> StaffMember:
    with institution_scope(institution):
        fields = _clean_staff(institution, {"full_name": full_name, "nip": nip, "status": status, "position": position,
                                            "unit": unit, "phone": phone, "email": email})
        staff = StaffMember(institution=institution, joined_on=joined_on or institution.local_today(), user=user, **fields)
        staff.save()
        log_action(action="members.staff.created", institution=institution, actor=actor, target=staff,
                   data={"staff": staff.pk, "status": staff.status, "account": bool(user)})
    return staff


@transaction.atomic
def staff_update(*, actor: User | None, staff: StaffMember, **fields) -> StaffMember:
    if not staff.is_current:
        raise ValidationError(_("This person has left the institution; their record can no longer be changed."))
    current = {name: getattr(staff, name) for name in STAFF_FIELDS}
    current.update({k: v for k, v in fields.items() if k in STAFF_FIELDS})
    with institution_scope(staff.institution):
        cleaned = _clean_staff(staff.institution, current, exclude_pk=staff.pk)
    changed = [name for name in STAFF_FIELDS if name in cleaned and getattr(staff, name) != cleaned[name]]
    if not changed:
        return staff
    for name in changed:
        setattr(staff, name, cleaned[name])
    staff.save()
    log_action(action="members.staff.updated", institution=staff.institution, actor=actor, target=staff,
               data={"staff": staff.pk, "fields": sorted(changed)})
    return staff


def _close_record(*, actor: User | None, staff: StaffMember, on: datetime.date, reason: str) -> None:
    """End the record, the person's group memberships and their roles here."""
    staff.left_on, staff.leave_reason = on, reason
    staff.save(update_fields=["left_on", "leave_reason", "updated_at"])
    for membership in GroupMembership.objects.filter(staff=staff, until__isnull=True):
        membership.until, membership.removed_by = on, actor
        membership.save(update_fields=["until", "removed_by"])
    for role in selectors.roles_of(staff):
        membership_end(actor=actor, membership=role)
    Invitation.objects.filter(staff=staff, accepted_at__isnull=True, revoked_at__isnull=True).update(revoked_at=timezone.now())


@transaction.atomic
def staff_end(*, actor: User | None, staff: StaffMember, reason: str, left_on: datetime.date | None = None) -> StaffMember:
    """Record that a person left (retired, resigned...). Nothing is deleted."""
    if not staff.is_current:
        raise ValidationError(_("This person has already left the institution."))
    if reason not in StaffMember.LeaveReason.values or reason == StaffMember.LeaveReason.MOVED:
        raise ValidationError({"reason": _("Choose why the person left. To move someone, use “Move to another institution”.")})
    if actor is not None and staff.user_id == actor.pk:
        raise ValidationError(_("You cannot end your own record; ask another operator."))
    on = left_on or staff.institution.local_today()
    _close_record(actor=actor, staff=staff, on=on, reason=reason)
    log_action(action="members.staff.left", institution=staff.institution, actor=actor, target=staff,
               data={"staff": staff.pk, "reason": reason})
    return staff


@transaction.atomic
def staff_move(*, actor: User | None, staff: StaffMember, to: Institution, on: datetime.date | None = None) -> StaffMember:
    """End the person's record here and start one at ``to``; each institution keeps its own history.

    Allowed destinations are ``selectors.move_destinations``; the destination's operators are told."""
    if not staff.is_current:
        raise ValidationError(_("This person has already left the institution."))
    source = staff.institution
    if actor is not None and to.pk not in {i.pk for i in selectors.move_destinations(actor, source)}:
        raise PermissionDenied
    on = on or source.local_today()
    _close_record(actor=actor, staff=staff, on=on, reason=StaffMember.LeaveReason.MOVED)
    log_action(action="members.staff.moved_out", institution=source, actor=actor, target=staff,
               data={"staff": staff.pk, "to": to.pk})
    with institution_scope(to):
        if StaffMember.objects.filter(institution=to, left_on__isnull=True).filter(
                **({"nip": staff.nip} if staff.nip else {"phone": staff.phone or "-"})).exists():
            raise ValidationError(_("The destination already has a current record for this person."))
        moved = StaffMember(
            institution=to, full_name=staff.full_name, nip=staff.nip, status=staff.status, position=staff.position,
            unit="", phone=staff.phone, email=staff.email, user=staff.user, joined_on=on,
        )
        moved.save()
        log_action(action="members.staff.moved_in", institution=to, actor=actor, target=moved,
                   data={"staff": moved.pk, "from": source.pk})
        if staff.user_id:
            membership_grant(actor=actor, user=staff.user, institution=to, role=Role.STAFF, starts_on=on)
        operators = [m.user for m in Membership.objects.active(to.local_today()).filter(
            institution=to, role=Role.OPERATOR).select_related("user")]
        notify(recipients=operators, institution=to, kind="members.staff_moved_in",
               title=gettext_lazy("A staff member has been moved to your institution"),
               body=gettext_lazy("Check their position and unit on the staff list."),
               url=reverse("members:staff_detail", kwargs={"institution": to.slug, "pk": moved.pk}))
    return moved
