"""Writes of the governance app. Each one changes state and logs it in the same transaction."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from .audit import log_action
from .models import Institution, Membership, Notification, Role, User
from .tenancy import institution_scope


@transaction.atomic
def institution_create(*, actor: User | None, parent: Institution | None, **fields) -> Institution:
    institution = Institution(parent=parent, **fields)
    institution.full_clean()
    institution.save()
    log_action(
        action="governance.institution.created",
        institution=institution,
        actor=actor,
        target=institution,
        data={"slug": institution.slug, "kind": institution.kind, "parent": parent.pk if parent else None},
    )
    return institution


@transaction.atomic
def membership_grant(
    *, actor: User | None, user: User, institution: Institution, role: str,
    starts_on: datetime.date | None = None,
) -> Membership:
    """Give ``user`` a role at ``institution``. Who may grant which role is checked by the caller's
    permission (``members.manage_roles`` below head, ``members.grant_head`` for heads)."""
    if role not in Role.values:
        raise ValidationError(_("Unknown role."))
    with institution_scope(institution):
        existing = Membership.objects.active().filter(user=user, role=role).first()
        if existing:
            return existing
        membership = Membership.objects.create(
            user=user, institution=institution, role=role,
            starts_on=starts_on or institution.local_today(), granted_by=actor,
        )
        log_action(
            action="governance.membership.granted", institution=institution, actor=actor,
            target=membership, data={"user": user.pk, "role": role},
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


def notify(
    *, recipients, institution: Institution, kind: str, title, body="", url: str = "", email: bool = True,
) -> list[Notification]:
    """In-app notice for each recipient and, after commit, an e-mail copy.

    ``title`` and ``body`` may be lazy translations: each copy is rendered in the recipient's
    language. Titles become e-mail subjects, so they must not contain personal data.
    """
    from .tasks import send_notification_email

    created = []
    for user in {u.pk: u for u in recipients if u is not None and u.is_active}.values():
        with override(user.language):
            notification = Notification.objects.create(
                recipient=user, institution=institution, kind=kind, title=str(title), body=str(body), url=url,
            )
        created.append(notification)
        if email and user.email:
            send_notification_email.delay_on_commit(institution_id=institution.pk, notification_id=notification.pk)
    return created


def notification_mark_read(*, user: User, notification: Notification) -> None:
    if notification.recipient_id == user.pk and notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
