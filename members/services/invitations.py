"""Invitations to an account: created (the e-mail goes out after commit), withdrawn, sent again,
looked up by their token and accepted."""

from __future__ import annotations

import datetime
import hashlib
import secrets

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from governance.audit import log_action
from governance.models import Membership, Role, User
from governance.retention import SweepResult
from governance.services import membership_grant
from governance.tenancy import institution_scope

from .. import selectors
from ..models import Invitation, StaffMember
from ._common import require_grant


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
        require_grant(actor, institution, role)
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
    require_grant(actor, invitation.institution, invitation.role)
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
        if invitation.role != Role.STAFF:
            # Everyone on the staff list also reads and acknowledges the code as staff.
            membership_grant(actor=invitation.created_by, user=account, institution=institution, role=Role.STAFF)
        invitation.accepted_at, invitation.user = timezone.now(), account
        invitation.save(update_fields=["accepted_at", "user"])
        log_action(action="members.invitation.accepted", institution=institution, actor=account, target=invitation,
                   data={"invitation": invitation.pk, "staff": staff.pk, "role": invitation.role})
    return account


def invitations_purge_due(institution, *, dry_run: bool = False):
    """The retention sweep of stale invitations (registered with ``governance.retention``): one never
    accepted that expired or was withdrawn more than ``SANTUN_RETENTION_INVITATION_DAYS`` ago goes,
    with the e-mail address it holds. Accepted ones stay: they record who invited whom."""
    cutoff = timezone.now() - datetime.timedelta(days=settings.SANTUN_RETENTION_INVITATION_DAYS)
    due = Invitation.objects.filter(institution=institution, accepted_at__isnull=True).filter(
        Q(revoked_at__lt=cutoff) | Q(revoked_at__isnull=True, expires_at__lt=cutoff))
    if dry_run:
        return SweepResult(counts={"invitations": due.count()})
    deleted, _by_model = due.delete()
    return SweepResult(counts={"invitations": deleted})
