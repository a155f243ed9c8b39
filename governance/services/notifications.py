"""In-app notices with an e-mail copy. The task that sends the copy sits here, beside ``notify``
(registered under its old name, ``governance.tasks.send_notification_email``)."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext, ngettext, override

from ..models import Institution, Notification, User
from ..tenancy import TenantTask, own_records_scope, rows_for_platform_task


def notify(
    *, recipients, institution: Institution, kind: str, title, body="", url: str = "", email: bool = True,
    urgent: bool = False,
) -> list[Notification]:
    """In-app notice for each recipient and, after commit, an e-mail copy as the recipient chose:
    at once, in the daily digest, or none. ``urgent`` notices (a decision waiting for the recipient,
    a deadline running) are e-mailed at once whatever was chosen.

    ``title`` and ``body`` may be lazy translations: each copy is rendered in the recipient's
    language. Titles become e-mail subjects, so they must not contain personal data.
    """
    created = []
    for user in {u.pk: u for u in recipients if u is not None and u.is_active}.values():
        mode = User.NotificationMode.IMMEDIATE if urgent else user.notification_mode
        digest = bool(email and user.email and mode == User.NotificationMode.DIGEST)
        with override(user.language):
            notification = Notification.objects.create(
                recipient=user, institution=institution, kind=kind, title=str(title), body=str(body), url=url,
                digest_pending=digest,
            )
        created.append(notification)
        if email and user.email and mode == User.NotificationMode.IMMEDIATE:
            send_notification_email.delay_on_commit(institution_id=institution.pk, notification_id=notification.pk)
    return created


def notification_digest_send(*, user: User) -> int:
    """One e-mail with every notice waiting for the recipient's digest; returns how many it held."""
    with transaction.atomic(), own_records_scope(user):
        pending = list(Notification.objects.select_for_update(skip_locked=True)
                       .filter(recipient=user, digest_pending=True).order_by("created_at"))
        if not pending:
            return 0
        Notification.objects.filter(pk__in=[n.pk for n in pending]).update(digest_pending=False)
        unread = [n for n in pending if n.read_at is None]
        if unread and user.email and user.is_active:
            with override(user.language):
                lines = []
                for notification in unread:
                    link = f"{settings.SANTUN_SITE_URL}{notification.url}" if notification.url else ""
                    lines.append(f"• {notification.title}\n  {link}".rstrip())
                subject = ngettext("[Santun] %(count)d new notice today", "[Santun] %(count)d new notices today",
                                   len(unread)) % {"count": len(unread)}
                body = "\n\n".join(lines) + "\n\n" + gettext(
                    "You receive one e-mail a day; change this under My account → My settings.")
            transaction.on_commit(lambda: send_mail(subject, body, None, [user.email]))
    return len(pending)


def users_with_digest_waiting() -> list[int]:
    return sorted(set(rows_for_platform_task(Notification).filter(digest_pending=True)
                      .values_list("recipient_id", flat=True)))


def notification_mark_read(*, user: User, notification: Notification) -> None:
    if notification.recipient_id == user.pk and notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])


@shared_task(base=TenantTask, bind=True, max_retries=3, default_retry_delay=60,
             name="governance.tasks.send_notification_email")
def send_notification_email(self, institution: Institution, notification_id: int) -> int:
    notification = Notification.objects.select_related("recipient").get(pk=notification_id)
    user = notification.recipient
    with override(user.language):
        link = f"{settings.SANTUN_SITE_URL}{notification.url}" if notification.url else settings.SANTUN_SITE_URL
        body = f"{notification.body}\n\n{link}".strip()
        send_mail(f"[Santun] {notification.title}", body, None, [user.email])
    return notification_id
