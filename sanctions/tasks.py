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


# --- chat-export triage ------------------------------------------------------------------------------

def chat_progress_key(chat_import_id: int) -> str:
    return f"sanctions:chat:{chat_import_id}:progress"


def read_chat_progress(chat_import_id: int) -> int:
    from django.core.cache import cache

    return cache.get(chat_progress_key(chat_import_id)) or 0


@shared_task(base=TenantTask, bind=True)
def parse_chat_import(self, institution, chat_import_id: int):
    """Read an uploaded export (progress: messages read so far, for the polling page)."""
    from django.core.cache import cache

    from . import chat_services
    from .chat_models import ChatImport

    def progress(done: int) -> None:
        cache.set(chat_progress_key(chat_import_id), done, timeout=3600)

    chat_import = ChatImport.objects.get(pk=chat_import_id)
    return chat_services.chat_import_parse(chat_import=chat_import, progress=progress).state


@shared_task(base=TenantTask, bind=True)
def expire_chat_imports(self, institution):
    from . import chat_services

    return chat_services.chat_imports_expire(institution=institution)


@shared_task
def expire_chat_imports_everywhere():
    """Beat: daily, delete chat text whose triage window is over and uploads nobody confirmed."""
    for institution_id in _active_institution_ids():
        expire_chat_imports.delay(institution_id=institution_id)
