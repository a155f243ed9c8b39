"""Background work of the sanctions app. Per-institution tasks run inside that institution's
scope (TenantTask); the daily dispatchers fan out one task per active institution.

A task that a service queues is defined beside that service (``services/letters.py``); it is
imported here so that Celery's autodiscovery registers it. The scheduled sweeps below call services;
services never import this module."""

from celery import shared_task

from governance.models import Institution
from governance.tenancy import TenantTask

from . import services
from .services.letters import letter_pdf_task  # noqa: F401  (registered as "sanctions.tasks.render_letter_pdf")
from .workdays import is_working_day


@shared_task(base=TenantTask, bind=True)
def expire_measures(self, institution):
    return services.measures_expire_due(institution=institution)


@shared_task(base=TenantTask, bind=True)
def send_reminders(self, institution):
    if not is_working_day(institution.local_today()):
        return None
    decisions = services.decisions_remind(institution=institution)
    removals = services.removals_remind(institution=institution)
    referrals = services.referrals_remind(institution=institution)
    return {**decisions, "removals": removals, "referrals": referrals}


def _active_institution_ids() -> list[int]:
    return list(Institution.objects.filter(is_active=True).values_list("pk", flat=True))


@shared_task
def expire_measures_everywhere():
    """Beat: shortly after midnight (WIB), end every measure whose active window is over."""
    for institution_id in _active_institution_ids():
        expire_measures.delay(institution_id=institution_id)


@shared_task
def send_reminders_everywhere():
    """Beat: each working morning, remind deciders and group admins of what is waiting."""
    for institution_id in _active_institution_ids():
        send_reminders.delay(institution_id=institution_id)
