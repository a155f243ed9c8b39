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
