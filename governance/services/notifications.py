"""In-app notices with an e-mail copy. The task that sends the copy sits here, beside ``notify``
(registered under its old name, ``governance.tasks.send_notification_email``)."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone
from django.utils.translation import override

from ..models import Institution, Notification, User
from ..tenancy import TenantTask


def notify(
    *, recipients, institution: Institution, kind: str, title, body="", url: str = "", email: bool = True,
) -> list[Notification]:
    """In-app notice for each recipient and, after commit, an e-mail copy.

    ``title`` and ``body`` may be lazy translations: each copy is rendered in the recipient's
    language. Titles become e-mail subjects, so they must not contain personal data.
    """
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
