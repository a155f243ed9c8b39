"""Writes of the members app. Each function checks its rules, changes state and writes its audit
entry in the same transaction. ``data`` in the audit holds ids and short codes only."""

from __future__ import annotations

import datetime
import hashlib
import secrets

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, override

from governance.audit import log_action
from governance.cache import bump
from governance.models import Channel, CodeVersion, Institution, Membership, Role, User
from governance.selectors import current_code_version
from governance.services import code_adopt_parent, institution_create, membership_end, membership_grant, notify
from governance.tenancy import institution_scope

from . import selectors
from .models import Acknowledgement, GroupMembership, ImportJob, Invitation, StaffMember
from .validators import normalize_phone, parse_nip, validate_nsm, validate_region

STAFF_FIELDS = ("full_name", "nip", "status", "position", "unit", "phone", "email", "joined_on")
# Offices at the bottom of a chain of command: nothing is onboarded below them.
LEAF_KINDS = {Institution.Kind.MADRASAH, Institution.Kind.CORRECTIONAL_UNIT, Institution.Kind.TREASURY_OFFICE,
              Institution.Kind.AGENCY}


# Staff ---------------------------------------------------------------------------------------

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


def _derive_from_nip(staff: StaffMember) -> None:
    if staff.nip:
        parts = parse_nip(staff.nip)
        staff.birth_date, staff.sex = parts.birth_date, parts.sex
    else:
        staff.birth_date, staff.sex = None, ""


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
        _derive_from_nip(staff)
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
    _derive_from_nip(staff)
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
        _derive_from_nip(moved)
        moved.save()
        log_action(action="members.staff.moved_in", institution=to, actor=actor, target=moved,
                   data={"staff": moved.pk, "from": source.pk})
        if staff.user_id:
            membership_grant(actor=actor, user=staff.user, institution=to, role=Role.PEGAWAI, starts_on=on)
        operators = [m.user for m in Membership.objects.active(to.local_today()).filter(
            institution=to, role=Role.OPERATOR).select_related("user")]
        notify(recipients=operators, institution=to, kind="members.staff_moved_in",
               title=gettext_lazy("A staff member has been moved to your institution"),
               body=gettext_lazy("Check their position and unit on the staff list."),
               url=reverse("members:staff_detail", kwargs={"institution": to.slug, "pk": moved.pk}))
    return moved


# Roles and invitations -----------------------------------------------------------------------

def _require_grant(actor: User | None, institution: Institution, role: str) -> None:
    if role not in Role.values:
        raise ValidationError(_("Unknown role."))
    if not selectors.can_grant(actor, institution, role):
        raise PermissionDenied(_("You may not give or take this role."))


@transaction.atomic
def role_grant(*, actor: User | None, staff: StaffMember, role: str) -> Membership:
    """Give a role to a staff member who has an account (operators below the head; the head
    by the parent institution). governance.membership_grant writes the audit entry."""
    _require_grant(actor, staff.institution, role)
    if staff.user_id is None:
        raise ValidationError(_("This person has no account yet. Send an invitation first."))
    if not staff.is_current:
        raise ValidationError(_("This person has left the institution."))
    return membership_grant(actor=actor, user=staff.user, institution=staff.institution, role=role)


@transaction.atomic
def role_revoke(*, actor: User | None, membership: Membership) -> Membership:
    _require_grant(actor, membership.institution, membership.role)
    if actor is not None and membership.user_id == actor.pk:
        raise ValidationError(_("You cannot take away your own role; ask another operator or the head."))
    if membership.ends_on is not None:
        return membership
    return membership_end(actor=actor, membership=membership)


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invitation_link(token: str) -> str:
    return f"{settings.SANTUN_SITE_URL}{reverse('invitation_accept', kwargs={'token': token})}"


def _send_invitation(invitation: Invitation, token: str) -> None:
    with override("id"):
        context = {"invitation": invitation, "institution": invitation.institution, "link": invitation_link(token),
                   "role": invitation.get_role_display(), "valid_until": invitation.expires_at}
        body = render_to_string("members/email/invitation.txt", context)
        send_mail(f"[Santun] {_('Invitation to Santun')}", body, None, [invitation.email])


@transaction.atomic
def invitation_create(
    *, actor: User | None, staff: StaffMember, role: str, email: str = "", _checked: bool = False,
) -> Invitation:
    """Invite a staff member to an account with ``role``. An earlier open invitation of the same
    person is withdrawn, so only the newest link works. The e-mail goes out after commit."""
    institution = staff.institution
    if not _checked:
        _require_grant(actor, institution, role)
    if not staff.is_current:
        raise ValidationError(_("This person has left the institution."))
    email = (email or staff.email).strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError({"email": _("Write the person's e-mail address; the invitation link is sent there.")}) from None
    existing_user = User.objects.filter(email__iexact=email).first()
    if staff.user_id and existing_user and existing_user.pk != staff.user_id:
        raise ValidationError({"email": _("This person already has an account with another e-mail address.")})
    holder = existing_user or staff.user
    if holder is not None and Membership.objects.active(institution.local_today()).filter(
            institution=institution, user=holder, role=role).exists():
        raise ValidationError(_("This person already holds this role."))
    now = timezone.now()
    Invitation.objects.filter(staff=staff, accepted_at__isnull=True, revoked_at__isnull=True).update(revoked_at=now)
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        institution=institution, staff=staff, email=email, role=role, token_hash=_token_hash(token), created_by=actor,
    )
    log_action(action="members.invitation.created", institution=institution, actor=actor, target=invitation,
               data={"invitation": invitation.pk, "staff": staff.pk, "role": role})
    transaction.on_commit(lambda: _send_invitation(invitation, token))
    return invitation


@transaction.atomic
def invitation_revoke(*, actor: User | None, invitation: Invitation) -> Invitation:
    _require_grant(actor, invitation.institution, invitation.role)
    if not invitation.is_pending:
        raise ValidationError(_("This invitation is no longer open."))
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    log_action(action="members.invitation.withdrawn", institution=invitation.institution, actor=actor,
               target=invitation, data={"invitation": invitation.pk})
    return invitation


@transaction.atomic
def invitation_resend(*, actor: User | None, invitation: Invitation) -> Invitation:
    """A fresh link (and a fresh week) for an invitation that expired or got lost."""
    if invitation.accepted_at:
        raise ValidationError(_("This invitation has already been accepted."))
    return invitation_create(actor=actor, staff=invitation.staff, role=invitation.role, email=invitation.email)


def invitation_for_token(token: str) -> Invitation | None:
    return selectors.invitation_by_token_hash(_token_hash(token or ""))


@transaction.atomic
def invitation_accept(*, invitation: Invitation, password: str | None = None, user: User | None = None) -> User:
    """Accept: set a password on a new account (or use the signed-in existing one), link the
    staff record and give the role. The role counts as given by whoever sent the invitation."""
    institution = invitation.institution
    with institution_scope(institution):
        invitation = Invitation.objects.select_for_update().select_related("staff").get(pk=invitation.pk)
        if not invitation.is_pending:
            raise ValidationError(_("This invitation link is no longer valid. Ask your operator for a new one."))
        account = User.objects.filter(email__iexact=invitation.email).first()
        if user is not None:
            if user.email.lower() != invitation.email.lower():
                raise PermissionDenied
            account = user
        elif account is not None and account.has_usable_password():
            raise ValidationError(_("You already have an account. Sign in first, then open the link again."))
        else:
            if not password:
                raise ValidationError(_("Choose a password."))
            if account is None:
                account = User.objects.create_user(invitation.email, password, full_name=invitation.staff.full_name)
            else:
                account.set_password(password)
                account.save(update_fields=["password"])
        staff = invitation.staff
        if staff.user_id and staff.user_id != account.pk:
            raise ValidationError(_("This staff record is linked to another account. Ask your operator."))
        staff.user = account
        if not staff.email:
            staff.email = invitation.email
        staff.save(update_fields=["user", "email", "updated_at"])
        if not account.full_name:
            account.full_name = staff.full_name
            account.save(update_fields=["full_name"])
        membership_grant(actor=invitation.created_by, user=account, institution=institution, role=invitation.role)
        if invitation.role != Role.PEGAWAI:
            # Everyone on the staff list also reads and acknowledges the code as staff.
            membership_grant(actor=invitation.created_by, user=account, institution=institution, role=Role.PEGAWAI)
        invitation.accepted_at, invitation.user = timezone.now(), account
        invitation.save(update_fields=["accepted_at", "user"])
        log_action(action="members.invitation.accepted", institution=institution, actor=account, target=invitation,
                   data={"invitation": invitation.pk, "staff": staff.pk, "role": invitation.role})
    return account


# Institutions --------------------------------------------------------------------------------

def _check_institution_fields(*, kind: str, province_code: str, regency_code: str, timezone_name: str, nsm: str) -> None:
    errors = {}
    try:
        validate_region(province_code, regency_code, timezone_name)
    except ValidationError as error:
        errors.update(error.message_dict)
    if kind == Institution.Kind.MADRASAH:
        if not nsm:
            errors["nsm"] = [_("A madrasah needs its NSM (12 digits).")]
        else:
            try:
                validate_nsm(nsm, province_code=province_code, regency_code=regency_code)
            except ValidationError as error:
                errors["nsm"] = error.messages
    elif nsm:
        errors["nsm"] = [_("Only madrasahs have an NSM; leave it empty.")]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def institution_onboard(
    *, actor: User | None, parent: Institution, name: str, slug: str, kind: str, province_code: str = "",
    regency_code: str = "", timezone_name: str = "Asia/Jakarta", nsm: str = "", letter_unit_code: str = "",
    head_name: str, head_email: str, operator_name: str, operator_email: str,
) -> Institution:
    """Add a child institution under ``parent`` and invite its first head and operator."""
    if not selectors.may_onboard_at(actor, parent):
        raise PermissionDenied
    if parent.kind in LEAF_KINDS:
        raise ValidationError(_("No institution can be added below a %(kind)s.") % {"kind": parent.get_kind_display().lower()})
    nsm = "".join(nsm.split())
    _check_institution_fields(kind=kind, province_code=province_code, regency_code=regency_code,
                              timezone_name=timezone_name, nsm=nsm)
    if Institution.objects.filter(slug=slug).exists():
        raise ValidationError({"slug": _("This short address is already taken; choose another.")})
    if head_email.strip().lower() == operator_email.strip().lower():
        raise ValidationError({"operator_email": _("The head and the operator need different e-mail addresses.")})
    institution = institution_create(
        actor=actor, parent=parent, name=" ".join(name.split()), slug=slug, kind=kind, province_code=province_code,
        regency_code=regency_code, timezone=timezone_name, nsm=nsm, letter_unit_code=letter_unit_code.strip(),
    )
    invitations = []
    for role, person_name, email in ((Role.KEPALA, head_name, head_email), (Role.OPERATOR, operator_name, operator_email)):
        try:
            staff = staff_create(actor=actor, institution=institution, full_name=person_name, email=email)
        except ValidationError as error:
            prefix = "head" if role == Role.KEPALA else "operator"
            raise ValidationError({f"{prefix}_name" if "full_name" in error.message_dict else f"{prefix}_email":
                                   error.messages}) from None
        try:
            invitations.append(invitation_create(actor=actor, staff=staff, role=role, email=email, _checked=True))
        except ValidationError as error:
            prefix = "head" if role == Role.KEPALA else "operator"
            raise ValidationError({f"{prefix}_email": error.messages}) from None
    log_action(action="members.institution.onboarded", institution=parent, actor=actor, target=institution,
               data={"institution": institution.pk, "kind": kind, "invitations": [i.pk for i in invitations]})
    # The new institution starts from its parent's code in force: a draft holding the parent's
    # rules, which its own head publishes (only a head puts a code in force).
    with institution_scope(institution.parent):
        parent_has_code = current_code_version(institution.parent) is not None
    if parent_has_code:
        code_adopt_parent(actor=actor, institution=institution)
    return institution


@transaction.atomic
def institution_rename(*, actor: User | None, institution: Institution, name: str, letter_unit_code: str | None = None) -> Institution:
    if not selectors.may_arrange(actor, institution.parent):
        raise PermissionDenied
    name = " ".join(name.split())
    if not name:
        raise ValidationError({"name": _("Write the institution's name.")})
    changed = []
    if name != institution.name:
        institution.name = name
        changed.append("name")
    if letter_unit_code is not None and letter_unit_code.strip() != institution.letter_unit_code:
        institution.letter_unit_code = letter_unit_code.strip()
        changed.append("letter_unit_code")
    if changed:
        institution.save(update_fields=changed)
        log_action(action="members.institution.renamed", institution=institution, actor=actor, target=institution,
                   data={"institution": institution.pk, "fields": changed})
    return institution


@transaction.atomic
def institution_move(*, actor: User | None, institution: Institution, new_parent: Institution) -> Institution:
    """Put ``institution`` (and its whole subtree) under ``new_parent``. The actor must arrange
    institutions both where it comes from and where it goes."""
    if actor is not None and not (selectors.may_arrange(actor, institution.parent) and selectors.may_arrange(actor, new_parent)):
        raise PermissionDenied
    institution = Institution.objects.select_for_update().get(pk=institution.pk)
    if new_parent.pk == institution.pk or new_parent.path.startswith(institution.path):
        raise ValidationError({"parent": _("An institution cannot be moved under itself or one of its own units.")})
    if new_parent.pk == institution.parent_id:
        return institution
    old_parent_id, old_path = institution.parent_id, institution.path
    institution.parent = new_parent
    institution.save()
    new_path = institution.path
    moved = list(Institution.objects.select_for_update().filter(path__startswith=old_path).exclude(pk=institution.pk))
    for descendant in moved:
        descendant.path = new_path + descendant.path[len(old_path):]
        descendant.depth = descendant.path.count("/") - 2
    Institution.objects.bulk_update(moved, ["path", "depth"])
    data = {"institution": institution.pk, "from": old_parent_id, "to": new_parent.pk, "descendants": len(moved)}
    log_action(action="members.institution.moved", institution=institution, actor=actor, target=institution, data=data)
    log_action(action="members.institution.moved", institution=new_parent, actor=actor, target=institution, data=data)
    # Pages of the former parents and of the moved subtree no longer show what they cached.
    bump([int(part) for part in old_path.strip("/").split("/") if part] + [descendant.pk for descendant in moved])
    return institution


# Group memberships ---------------------------------------------------------------------------

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


# Acknowledgements ----------------------------------------------------------------------------

@transaction.atomic
def acknowledgement_record(
    *, actor: User | None, staff: StaffMember, version: CodeVersion, method: str = Acknowledgement.Method.ONLINE,
) -> Acknowledgement:
    """A staff member acknowledges a published version, online (themselves) or on paper
    (recorded by Humas). Acknowledging twice changes nothing."""
    if version.state == CodeVersion.State.DRAFT or version.institution_id != staff.institution_id:
        raise ValidationError(_("Only a published code of your own institution can be acknowledged."))
    if not staff.is_current:
        raise ValidationError(_("This person has left the institution."))
    if method == Acknowledgement.Method.ONLINE and (actor is None or staff.user_id != actor.pk):
        raise PermissionDenied
    if method not in Acknowledgement.Method.values:
        raise ValidationError(_("Unknown method."))
    existing = Acknowledgement.objects.filter(staff=staff, version=version).first()
    if existing:
        return existing
    acknowledgement = Acknowledgement.objects.create(
        staff=staff, version=version, method=method, recorded_by=actor if method == Acknowledgement.Method.PAPER else None,
    )
    log_action(action="members.acknowledgement.recorded", institution=staff.institution, actor=actor,
               target=acknowledgement, data={"staff": staff.pk, "version": version.pk, "method": method})
    return acknowledgement


def acknowledgement_request(*, version: CodeVersion, actor: User | None = None) -> None:
    """A new version was published: ask every staff member with an account to acknowledge it.
    The notices go out from a task after the publishing transaction commits."""
    from .tasks import request_acknowledgements

    request_acknowledgements.delay_on_commit(institution_id=version.institution_id, version_id=version.pk)


REMINDER_PAUSE = datetime.timedelta(hours=1)


@transaction.atomic
def acknowledgement_remind(*, actor: User | None, version: CodeVersion) -> int:
    """Remind, by e-mail and in the app, those with an account who have not acknowledged yet.
    Returns how many will be reminded. At most one reminder per version an hour."""
    from governance.models import AuditEntry

    from .tasks import send_acknowledgement_reminders

    if version.state == CodeVersion.State.DRAFT:
        raise ValidationError(_("A draft cannot be acknowledged."))
    recent = AuditEntry.objects.filter(
        institution_id=version.institution_id, action="members.acknowledgement.reminded",
        target_type=version._meta.label_lower, target_id=str(version.pk),
        created_at__gte=timezone.now() - REMINDER_PAUSE).exists()
    if recent:
        raise ValidationError(_("A reminder for this version went out less than an hour ago. Try again later."))
    pending = selectors.pending_staff_with_accounts(version)
    log_action(action="members.acknowledgement.reminded", institution=version.institution, actor=actor,
               target=version, data={"version": version.pk, "pending": len(pending)})
    if pending:
        send_acknowledgement_reminders.delay_on_commit(institution_id=version.institution_id, version_id=version.pk)
    return len(pending)


# Imports -------------------------------------------------------------------------------------

@transaction.atomic
def import_job_create(*, actor: User | None, institution: Institution, kind: str, upload) -> ImportJob:
    """Store the uploaded file privately and start the preview (a task)."""
    from .tasks import preview_import

    if kind not in ImportJob.Kind.values:
        raise ValidationError({"kind": _("Choose what the file contains.")})
    job = ImportJob(institution=institution, kind=kind, created_by=actor, original_name=(upload.name or "")[:200])
    job.save()
    job.file.save(upload.name or "upload", upload, save=True)
    preview_import.delay_on_commit(institution_id=institution.pk, job_id=job.pk)
    return job


def _plan(job: ImportJob, progress=None):
    from . import imports
    from .spreadsheets import read_table

    with job.file.open("rb") as handle:
        data = handle.read()
    table = read_table(data)
    if job.kind == ImportJob.Kind.STAFF:
        return imports.plan_staff(
            table, job.institution, progress=progress,
            nips_elsewhere=lambda nips: selectors.nips_current_elsewhere(job.institution, nips))
    return imports.plan_groups(table, job.institution, progress=progress)


def _discard_file(job: ImportJob) -> None:
    if job.file:
        name = job.file.name
        job.file.storage.delete(name)
        job.file = ""


def import_job_preview(*, job: ImportJob, progress=None) -> ImportJob:
    """Plan the whole file and keep the result for the preview page. A refused file or a file
    with any refused row is removed at once: it can never be confirmed."""
    from .spreadsheets import FileRefused

    try:
        plan = _plan(job, progress)
    except FileRefused as refusal:
        job.state, job.problem, job.counts, job.rows = ImportJob.State.REFUSED, refusal.message, {}, []
        _discard_file(job)
    else:
        job.counts = plan.counts
        job.total_rows = len(plan.rows)
        job.rows = [row.as_preview() for row in plan.rows]
        job.problem = ""
        if plan.ok:
            job.state = ImportJob.State.READY
        else:
            job.state = ImportJob.State.REFUSED
            _discard_file(job)
    job.save()
    return job


@transaction.atomic
def import_job_confirm(*, actor: User | None, job: ImportJob) -> ImportJob:
    from .tasks import apply_import

    job = ImportJob.objects.select_for_update().get(pk=job.pk)
    if job.state != ImportJob.State.READY:
        raise ValidationError(_("This import cannot be confirmed any more. Upload the file again."))
    job.state = ImportJob.State.IMPORTING
    job.save(update_fields=["state"])
    apply_import.delay_on_commit(institution_id=job.institution_id, job_id=job.pk, actor_id=actor.pk if actor else None)
    return job


def import_job_apply(*, job: ImportJob, actor: User | None, progress=None) -> ImportJob:
    """Plan again and write everything in one transaction with one audit entry — or nothing."""
    from .spreadsheets import FileRefused

    try:
        with transaction.atomic():
            plan = _plan(job, progress)
            if not plan.ok:
                raise _Refused(plan)
            written = _write_staff(plan, job, actor) if job.kind == ImportJob.Kind.STAFF else _write_groups(plan, job, actor)
            counts = plan.counts
            log_action(action=f"members.import.{job.kind}", institution=job.institution, actor=actor, target=job,
                       data={"job": job.pk, "kind": job.kind, "new": counts["new"], "changed": counts["changed"],
                             "unchanged": counts["unchanged"], "rows": counts["rows"], "written": written})
    except _Refused as refused:
        job.state, job.counts = ImportJob.State.REFUSED, refused.plan.counts
        job.rows = [row.as_preview() for row in refused.plan.rows]
        job.problem = _("The staff list changed since the preview and some rows are now refused. Nothing was imported.")
    except FileRefused as refusal:
        job.state, job.problem = ImportJob.State.REFUSED, refusal.message
    except IntegrityError:
        job.state = ImportJob.State.REFUSED
        job.problem = _("Someone changed the same records at the same time. Nothing was imported; upload the file again.")
    else:
        job.state, job.counts, job.rows = ImportJob.State.DONE, counts, []
    job.finished_at = timezone.now()
    _discard_file(job)
    job.save()
    return job


class _Refused(Exception):
    def __init__(self, plan):
        super().__init__("refused")
        self.plan = plan


def _write_staff(plan, job: ImportJob, actor: User | None) -> int:
    from .imports import CHANGED, NEW, staff_changes

    institution = job.institution
    today = institution.local_today()
    new, changed, fields = [], [], set()
    for line in plan.rows:
        values = staff_changes(line)
        if line.status == NEW:
            staff = StaffMember(institution=institution, joined_on=today, **values)
            _derive_from_nip(staff)
            new.append(staff)
        elif line.status == CHANGED:
            staff = line.target
            for name, value in values.items():
                if getattr(staff, name) != value:
                    setattr(staff, name, value)
                    fields.add(name)
            _derive_from_nip(staff)
            staff.updated_at = timezone.now()
            changed.append(staff)
    StaffMember.objects.bulk_create(new, batch_size=1000)
    if changed:
        StaffMember.objects.bulk_update(changed, sorted(fields | {"birth_date", "sex", "updated_at"}), batch_size=1000)
    return len(new) + len(changed)


def _write_groups(plan, job: ImportJob, actor: User | None) -> int:
    from .imports import CHANGED, NEW

    today = job.institution.local_today()
    new, changed = [], []
    for line in plan.rows:
        values = line.values
        if line.status == NEW:
            new.append(GroupMembership(channel=values["channel"], staff=values["staff"], role=values["role"],
                                       since=values["since"] or today, added_by=actor))
        elif line.status == CHANGED:
            membership = line.target
            membership.role = values["role"]
            membership.since = values["since"] or membership.since
            changed.append(membership)
    GroupMembership.objects.bulk_create(new, batch_size=1000)
    if changed:
        GroupMembership.objects.bulk_update(changed, ["role", "since"], batch_size=1000)
    return len(new) + len(changed)


@transaction.atomic
def import_job_cancel(*, actor: User | None, job: ImportJob) -> ImportJob:
    job = ImportJob.objects.select_for_update().get(pk=job.pk)
    if job.state not in (ImportJob.State.READY, ImportJob.State.REFUSED):
        raise ValidationError(_("This import can no longer be cancelled."))
    job.state = ImportJob.State.CANCELLED
    job.rows = []
    _discard_file(job)
    job.save()
    return job


def import_jobs_expire(*, institution: Institution, older_than: datetime.timedelta = datetime.timedelta(days=1)) -> int:
    """Run daily: remove the files of previews nobody confirmed, and the per-row preview (names,
    NIPs) of refused imports; the counts stay."""
    cutoff = timezone.now() - older_than
    count = 0
    for job in ImportJob.objects.filter(institution=institution, state=ImportJob.State.READY, created_at__lt=cutoff):
        job.state, job.rows = ImportJob.State.CANCELLED, []
        _discard_file(job)
        job.save()
        count += 1
    count += ImportJob.objects.filter(institution=institution, state=ImportJob.State.REFUSED, created_at__lt=cutoff).exclude(
        rows=[]).update(rows=[])
    return count
