"""Background work of the reports app: province-wide exports."""

from celery import shared_task
from django.conf import settings
from django.utils.translation import override

from governance.tenancy import TenantTask

from . import services


@shared_task(base=TenantTask, bind=True)
def build_export(self, institution, export_id: int):
    """Build an export's file. Idempotent: a second delivery of the same task finds the file done."""
    with override(settings.LANGUAGE_CODE):
        export = services.export_run(export_id=export_id)
    return export.state
