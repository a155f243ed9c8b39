"""Background work of the sanctions app. Per-institution tasks run inside that institution's
scope (TenantTask); the daily dispatchers fan out one task per active institution."""

from celery import shared_task

from governance.models import Institution
from governance.tenancy import TenantTask

from . import services
from .models import WarningLetter
from .workdays import is_working_day


@shared_task(base=TenantTask, bind=True, max_retries=3, default_retry_delay=60)
def render_letter_pdf(self, institution, letter_id: int):
    letter = WarningLetter.objects.get(pk=letter_id)
    return services.letter_render_pdf(letter=letter).pdf_sha256


@shared_task(base=TenantTask, bind=True)
def expire_measures(self, institution):
    return services.measures_expire_due(institution=institution)


@shared_task(base=TenantTask, bind=True)
def send_reminders(self, institution):
    if not is_working_day(institution.local_today()):
        return None
    decisions = services.decisions_remind(institution=institution)
    removals = services.removals_remind(institution=institution)
    return {**decisions, "removals": removals}


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
