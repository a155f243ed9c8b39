"""Province-wide exports of a period: requested, built once by a worker (even when delivered twice), retried."""

from __future__ import annotations

import datetime
import hashlib
import json
import time
import uuid

from celery import shared_task
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, override

from governance.audit import log_action
from governance.models import User
from governance.retention import SweepResult
from governance.services import notify
from governance.tenancy import TenantTask, subtree_scope
from sanctions.retention import policy_of

from .. import rules
from ..models import (
    AssessmentPeriod,
    Export,
)
from ._common import STALE_EXPORT_AFTER, logger


def export_key(period: AssessmentPeriod, fmt: str, params: dict) -> str:
    raw = json.dumps({"period": period.pk, "format": fmt, "params": params}, sort_keys=True)
    return hashlib.sha256(raw.encode()).hexdigest()


def _enqueue(export: Export) -> None:
    build_export.delay_on_commit(institution_id=export.institution_id, export_id=export.pk)


@transaction.atomic
def export_request(*, actor: User | None, period: AssessmentPeriod, fmt: str, params: dict | None = None) -> Export:
    """Ask for a province-wide export. The same period, format and filters always give the same
    record: a fresh file is reused, a running one is waited for, a stale or failed one is rebuilt."""
    if fmt not in Export.Format.values:
        raise ValidationError(_("Unknown export format."))
    params = {k: v for k, v in (params or {}).items() if v}
    key = export_key(period, fmt, params)
    try:
        with transaction.atomic():
            export, created = Export.objects.get_or_create(
                institution=period.institution, key=key,
                defaults={"period": period, "format": fmt, "params": params, "requested_by": actor},
            )
    except IntegrityError:
        export, created = Export.objects.get(institution=period.institution, key=key), False
    export = Export.objects.select_for_update().get(pk=export.pk)
    period.refresh_from_db(fields=["results_stamp"])
    if not created:
        if export.is_active and timezone.now() - export.updated_at < STALE_EXPORT_AFTER:
            return export
        if export.state == Export.State.DONE and export.stamp == period.results_stamp and export.file:
            return export
    _queue(export, actor)
    log_action(action="reports.export.requested", institution=period.institution, actor=actor, target=export,
               data={"period": period.pk, "format": fmt, "attempt": export.attempts})
    return export


def _queue(export: Export, actor: User | None) -> None:
    export.state, export.progress, export.error, export.attempts = Export.State.QUEUED, 0, "", export.attempts + 1
    export.requested_by, export.runner = actor, ""  # a build still under way for it is superseded
    export.save(update_fields=["state", "progress", "error", "attempts", "requested_by", "runner", "updated_at"])
    _enqueue(export)


@transaction.atomic
def export_retry(*, actor: User | None, export: Export) -> Export:
    """Run a failed (or stuck) export again, on the same record."""
    export = Export.objects.select_for_update().get(pk=export.pk)
    rules.check_retry_export(export)
    _queue(export, actor)
    log_action(action="reports.export.retried", institution=export.institution, actor=actor, target=export,
               data={"attempt": export.attempts})
    return export


class ExportBusy(Exception):
    """Another worker is building this export right now: look again in ``retry_in`` seconds."""

    def __init__(self, retry_in: float):
        super().__init__(retry_in)
        self.retry_in = retry_in


class _Superseded(Exception):
    """This build was taken over by another delivery of the task (or asked for again): it stops."""


def export_run(*, export_id: int, take_over: bool = False) -> Export:
    """Build the file of an export (called by the task, inside the assessor's scope).

    Safe when the task is delivered more than once (a worker killed mid-build, a redelivery after
    the broker's visibility timeout): each delivery claims the export under a row lock with a fresh
    token, and only the holder of the current token may finish it, so the file is written, the
    "completed" entry logged and the requester notified exactly once. A delivery that finds
    another worker building it (progress reported within SANTUN_EXPORT_LEASE seconds) raises
    ExportBusy unless ``take_over``; a finished, current export is left as it is. A failure is
    recorded, never raised."""
    from .. import exports

    lease = datetime.timedelta(seconds=settings.SANTUN_EXPORT_LEASE)
    token = uuid.uuid4().hex
    with transaction.atomic():
        export = (Export.objects.select_for_update(of=("self",))
                  .select_related("period", "period__rubric", "period__institution", "requested_by").get(pk=export_id))
        period = export.period
        if export.state == Export.State.DONE and export.stamp == period.results_stamp and export.file:
            return export
        quiet_for = timezone.now() - export.updated_at
        if export.state == Export.State.RUNNING and export.runner and quiet_for < lease and not take_over:
            raise ExportBusy(retry_in=(lease - quiet_for).total_seconds() + 1)
        Export.objects.filter(pk=export.pk).update(state=Export.State.RUNNING, progress=1, runner=token,
                                                   updated_at=timezone.now())
    pause = getattr(settings, "SANTUN_EXPORT_PAUSE", 0)
    if pause:  # only under the test settings, so that a test can kill the worker mid-export
        time.sleep(pause)

    def progress(percent: int) -> None:
        if not Export.objects.filter(pk=export.pk, runner=token).update(
                progress=max(1, min(99, int(percent))), updated_at=timezone.now()):
            raise _Superseded

    try:
        with subtree_scope(period.institution):
            stamp = AssessmentPeriod.objects.values_list("results_stamp", flat=True).get(pk=period.pk)
            content = exports.build_period_export(period, export.format, export.params, progress=progress)
        with transaction.atomic():
            if not Export.objects.select_for_update().filter(pk=export.pk, runner=token,
                                                             state=Export.State.RUNNING).exists():
                raise _Superseded
            name = f"reports/exports/{export.institution_id}/{export.pk}.{export.format}"
            if default_storage.exists(name):
                default_storage.delete(name)
            saved = default_storage.save(name, ContentFile(content))
            Export.objects.filter(pk=export.pk).update(
                state=Export.State.DONE, progress=100, file=saved, stamp=stamp, error="", runner="",
                finished_at=timezone.now(), updated_at=timezone.now(),
            )
            log_action(action="reports.export.completed", institution=export.institution, target=export,
                       data={"format": export.format, "bytes": len(content)})
            notify(
                recipients=[export.requested_by], institution=export.institution, kind="reports.export_ready",
                title=gettext_lazy("Your province export is ready"),
                body=format_lazy("{period} · {format}", period=period.label,
                                 format=Export.Format(export.format).label),
                url=reverse("reports:export_status", kwargs={"institution": period.institution.slug,
                                                             "pk": period.pk, "export": export.pk}),
            )
    except _Superseded:
        logger.info("export %s: another delivery of its task took it over; this one stops", export.pk)
    except Exception as error:  # any failure is shown to the user, who may retry
        logger.exception("export %s failed", export.pk)
        with transaction.atomic():
            if Export.objects.filter(pk=export.pk, runner=token).update(
                    state=Export.State.FAILED, error=type(error).__name__[:200], runner="", updated_at=timezone.now()):
                log_action(action="reports.export.failed", institution=export.institution, target=export,
                           data={"format": export.format, "error": type(error).__name__[:60]})
    export.refresh_from_db()
    return export


# The task that builds an export, beside the service it runs (registered under its first name, so
# queued tasks and the reliability tests keep finding it).
@shared_task(base=TenantTask, bind=True, name="reports.tasks.build_export")
def build_export(self, institution, export_id: int):
    """Build an export's file. Safe to deliver twice (acks_late: a task lost with its worker comes
    back after the broker's visibility timeout): a second delivery finds the file done, takes over
    an export whose worker stopped reporting progress, or comes back later while it still does."""
    with override(settings.LANGUAGE_CODE):
        try:
            # Run in-process (no broker), nothing else can be building it: never wait.
            export = export_run(export_id=export_id, take_over=bool(self.request.is_eager))
        except ExportBusy as busy:
            raise self.retry(countdown=busy.retry_in, max_retries=None) from None
    return export.state


# --- retention: finished exports are deleted after the institution's period ----------------------

def exports_purge_due(institution, *, dry_run: bool = False) -> SweepResult:
    """The retention sweep of exports (registered with ``governance.retention``): finished or failed
    exports older than the institution's period (``sanctions.retention.policy_of``) go, one per
    transaction, their file removed from storage after the commit (removing it twice is harmless)."""
    cutoff = timezone.now() - datetime.timedelta(days=policy_of(institution).export_days)
    due = (Export.objects.filter(institution=institution, state__in=(Export.State.DONE, Export.State.FAILED),
                                 updated_at__lt=cutoff).order_by("pk"))
    if dry_run:
        return SweepResult(counts={"exports": due.count()})
    deleted = 0
    for pk in list(due.values_list("pk", flat=True)):
        with transaction.atomic():
            export = Export.objects.select_for_update().filter(pk=pk, updated_at__lt=cutoff,
                                                               state__in=(Export.State.DONE, Export.State.FAILED)).first()
            if export is None:
                continue
            name = export.file.name if export.file else ""
            export.delete()
            if name:
                transaction.on_commit(lambda name=name: default_storage.delete(name))
            deleted += 1
    return SweepResult(counts={"exports": deleted})
