"""Background work of the reports app: province-wide exports."""

from celery import shared_task
from django.conf import settings
from django.utils.translation import override

from governance.tenancy import TenantTask

from . import services


@shared_task(base=TenantTask, bind=True)
def build_export(self, institution, export_id: int):
    """Build an export's file. Safe to deliver twice (acks_late: a task lost with its worker comes
    back after the broker's visibility timeout): a second delivery finds the file done, takes over
    an export whose worker stopped reporting progress, or comes back later while it still does."""
    with override(settings.LANGUAGE_CODE):
        try:
            # Run in-process (no broker), nothing else can be building it: never wait.
            export = services.export_run(export_id=export_id, take_over=bool(self.request.is_eager))
        except services.ExportBusy as busy:
            raise self.retry(countdown=busy.retry_in, max_retries=None) from None
    return export.state
