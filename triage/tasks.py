"""Background work of chat-export triage. The daily sweep fans out one task per active institution;
each runs inside that institution's scope (TenantTask) and calls a service.

The parse of an upload is queued by ``services.chat_import_start`` and is defined beside it
(``services.parse_chat_import``); it is imported here so that Celery's autodiscovery registers it.
Services never import this module. Task names are the ones they had when chat triage lived in the
sanctions app, so queued tasks and the beat entry still resolve."""

from celery import shared_task

from governance.models import Institution
from governance.tenancy import TenantTask

from . import services
from .services import parse_chat_import  # noqa: F401  (registered as "sanctions.tasks.parse_chat_import")


@shared_task(base=TenantTask, bind=True, name="sanctions.tasks.expire_chat_imports")
def expire_chat_imports(self, institution):
    return services.chat_imports_expire(institution=institution)


@shared_task(name="sanctions.tasks.expire_chat_imports_everywhere")
def expire_chat_imports_everywhere():
    """Beat: daily, delete chat text whose triage window is over and uploads nobody confirmed."""
    for institution_id in Institution.objects.filter(is_active=True).values_list("pk", flat=True):
        expire_chat_imports.delay(institution_id=institution_id)
