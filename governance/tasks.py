from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.utils.translation import override

from .models import Notification
from .tenancy import TenantTask


@shared_task(base=TenantTask, bind=True, max_retries=3, default_retry_delay=60)
def send_notification_email(self, institution, notification_id: int):
    notification = Notification.objects.select_related("recipient").get(pk=notification_id)
    user = notification.recipient
    with override(user.language):
        link = f"{settings.SANTUN_SITE_URL}{notification.url}" if notification.url else settings.SANTUN_SITE_URL
        body = f"{notification.body}\n\n{link}".strip()
        send_mail(f"[Santun] {notification.title}", body, None, [user.email])
    return notification_id


@shared_task
def send_election_reminders():
    """Daily (beat): start one reminder task per institution that is inside an active election period."""
    from .models import Institution
    from .selectors import active_election_periods

    queued = 0
    for institution in Institution.objects.filter(is_active=True).order_by("pk"):
        if active_election_periods(institution):
            send_election_reminder.delay_on_commit(institution_id=institution.pk)
            queued += 1
    return queued


@shared_task(base=TenantTask, bind=True)
def send_election_reminder(self, institution):
    """Remind the institution's staff once per active election period (recorded, never repeated)."""
    from .services import election_reminders_send

    return [reminder.pk for reminder in election_reminders_send(institution=institution)]


@shared_task
def anchor_audit_chains():
    """Daily (beat): write each chain head into the chain above it and the platform head outside the database."""
    from .audit import anchor_chains

    return anchor_chains()
