"""Background work of the members app. Tasks that a service enqueues sit beside it (services/);
importing them here lets Celery's autodiscovery register them. The daily sweep is defined here and
calls services."""

from __future__ import annotations

from celery import shared_task

from governance.models import Institution
from governance.tenancy import TenantTask, platform_scope

from . import services
from .services.acknowledgements import request_acknowledgements, send_acknowledgement_reminders
from .services.imports import apply_import, preview_import

__all__ = ["apply_import", "preview_import",
           "remind_acknowledgements", "remind_acknowledgements_everywhere", "request_acknowledgements",
           "send_acknowledgement_reminders"]


@shared_task(bind=True)
def remind_acknowledgements_everywhere(self) -> int:
    """Daily: each active institution reminds its staff who have not acknowledged the code in force
    (weekly per person, at most four times; see ``services.acknowledgement_reminders_send_due``)."""
    with platform_scope():
        institution_ids = list(Institution.objects.filter(is_active=True).values_list("pk", flat=True))
    for institution_id in institution_ids:
        remind_acknowledgements.delay(institution_id=institution_id)
    return len(institution_ids)


@shared_task(base=TenantTask, bind=True)
def remind_acknowledgements(self, institution: Institution) -> int:
    return services.acknowledgement_reminders_send_due(institution=institution)
