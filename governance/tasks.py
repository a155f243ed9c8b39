"""Background work of the governance app. A task that a service enqueues sits beside that service
(``services/notifications.py``: the e-mail copy of a notice); importing it here lets Celery's
autodiscovery register it. The daily tasks are defined here and call services."""

from celery import shared_task

from . import services
from .audit import anchor_chains
from .models import Institution, User
from .retention import apply_retention
from .selectors import active_election_periods
from .services.notifications import send_notification_email
from .tenancy import TenantTask

__all__ = ["anchor_audit_chains", "apply_retention_everywhere", "apply_retention_of", "send_election_reminder",
           "send_election_reminders", "send_notification_digest", "send_notification_digests", "send_notification_email"]


@shared_task
def send_election_reminders():
    """Daily (beat): start one reminder task per institution that is inside an active election period."""
    queued = 0
    for institution in Institution.objects.filter(is_active=True).order_by("pk"):
        if active_election_periods(institution):
            send_election_reminder.delay_on_commit(institution_id=institution.pk)
            queued += 1
    return queued


@shared_task(base=TenantTask, bind=True)
def send_election_reminder(self, institution):
    """Remind the institution's staff once per active election period (recorded, never repeated)."""
    return [reminder.pk for reminder in services.election_reminders_send(institution=institution)]


@shared_task
def anchor_audit_chains():
    """Daily (beat): write each chain head into the chain above it and the platform head outside the database."""
    return anchor_chains()


@shared_task
def send_notification_digests():
    """Daily (beat): one digest task per person with notices waiting for their daily e-mail."""
    user_ids = services.users_with_digest_waiting()
    for user_id in user_ids:
        send_notification_digest.delay_on_commit(user_id=user_id)
    return len(user_ids)


@shared_task(max_retries=3, default_retry_delay=300)
def send_notification_digest(user_id: int) -> int:
    user = User.objects.filter(pk=user_id).first()
    return services.notification_digest_send(user=user) if user is not None else 0


@shared_task
def apply_retention_everywhere():
    """Daily (beat): one retention run per active institution (what is due is deleted, see retention.py)."""
    ids = list(Institution.objects.filter(is_active=True).order_by("pk").values_list("pk", flat=True))
    for institution_id in ids:
        apply_retention_of.delay(institution_id=institution_id)
    return len(ids)


@shared_task(base=TenantTask, bind=True)
def apply_retention_of(self, institution):
    """One institution's retention run: idempotent, and safe to deliver again after a killed worker."""
    return {key: result.counts for key, result in apply_retention(institution).items()}
