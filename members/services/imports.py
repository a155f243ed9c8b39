"""Staff and group imports: a job is created from an uploaded file, previewed by a worker,
confirmed, applied and cancelled; each step is audited. The tasks that preview and apply sit here."""

from __future__ import annotations

import datetime

from celery import shared_task
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from governance.audit import log_action
from governance.models import Institution, User
from governance.retention import SweepResult
from governance.tenancy import TenantTask

from .. import imports, rules, selectors
from ..imports import CHANGED, NEW, staff_changes
from ..models import GroupMembership, ImportJob, StaffMember
from ..spreadsheets import FileRefused, read_table


@transaction.atomic
def import_job_create(*, actor: User | None, institution: Institution, kind: str, upload,
                      enqueue: bool = True) -> ImportJob:
    """Store the uploaded file privately and start the preview (a task; ``enqueue=False`` when the
    caller, the ``import_staff`` command, previews it itself)."""
    if kind not in ImportJob.Kind.values:
        raise ValidationError({"kind": _("Choose what the file contains.")})
    job = ImportJob(institution=institution, kind=kind, created_by=actor, original_name=(upload.name or "")[:200])
    job.save()
    job.file.save(upload.name or "upload", upload, save=True)
    # The file's name may carry personal data: the entry holds the job's id and kind only.
    log_action(action="members.import.created", institution=institution, actor=actor, target=job,
               data={"job": job.pk, "kind": kind})
    if enqueue:
        preview_import.delay_on_commit(institution_id=institution.pk, job_id=job.pk)
    return job


def _plan(job: ImportJob, progress=None):
    with job.file.open("rb") as handle:
        data = handle.read()
    table = read_table(data)
    if job.kind == ImportJob.Kind.STAFF:
        return imports.plan_staff(
            table, job.institution, progress=progress,
            nips_elsewhere=lambda nips: selectors.nips_current_elsewhere(job.institution, nips))
    return imports.plan_groups(table, job.institution, progress=progress)


def _discard_file(job: ImportJob) -> None:
    if job.file:
        name = job.file.name
        job.file.storage.delete(name)
        job.file = ""


def import_job_preview(*, job: ImportJob, progress=None) -> ImportJob:
    """Plan the whole file and keep the result for the preview page. A refused file or a file
    with any refused row is removed at once: it can never be confirmed."""
    try:
        plan = _plan(job, progress)
    except FileRefused as refusal:
        job.state, job.problem, job.counts, job.rows = ImportJob.State.REFUSED, refusal.message, {}, []
        _discard_file(job)
    else:
        job.counts = plan.counts
        job.total_rows = len(plan.rows)
        job.rows = [row.as_preview() for row in plan.rows]
        job.problem = ""
        if plan.ok:
            job.state = ImportJob.State.READY
        else:
            job.state = ImportJob.State.REFUSED
            _discard_file(job)
    job.save()
    return job


@transaction.atomic
def import_job_confirm(*, actor: User | None, job: ImportJob, enqueue: bool = True) -> ImportJob:
    job = ImportJob.objects.select_for_update().get(pk=job.pk)
    rules.check_confirm_import(job)
    job.state = ImportJob.State.IMPORTING
    job.save(update_fields=["state"])
    log_action(action="members.import.confirmed", institution=job.institution, actor=actor, target=job,
               data={"job": job.pk, "kind": job.kind})
    if enqueue:
        apply_import.delay_on_commit(institution_id=job.institution_id, job_id=job.pk,
                                     actor_id=actor.pk if actor else None)
    return job


def import_job_apply(*, job: ImportJob, actor: User | None, progress=None) -> ImportJob:
    """Plan again and write everything in one transaction with one audit entry — or nothing."""
    try:
        with transaction.atomic():
            plan = _plan(job, progress)
            if not plan.ok:
                raise _Refused(plan)
            written = _write_staff(plan, job, actor) if job.kind == ImportJob.Kind.STAFF else _write_groups(plan, job, actor)
            counts = plan.counts
            log_action(action=f"members.import.{job.kind}", institution=job.institution, actor=actor, target=job,
                       data={"job": job.pk, "kind": job.kind, "new": counts["new"], "changed": counts["changed"],
                             "unchanged": counts["unchanged"], "rows": counts["rows"], "written": written})
    except _Refused as refused:
        job.state, job.counts = ImportJob.State.REFUSED, refused.plan.counts
        job.rows = [row.as_preview() for row in refused.plan.rows]
        job.problem = _("The staff list changed since the preview and some rows are now refused. Nothing was imported.")
    except FileRefused as refusal:
        job.state, job.problem = ImportJob.State.REFUSED, refusal.message
    except IntegrityError:
        job.state = ImportJob.State.REFUSED
        job.problem = _("Someone changed the same records at the same time. Nothing was imported; upload the file again.")
    else:
        job.state, job.counts, job.rows = ImportJob.State.DONE, counts, []
    job.finished_at = timezone.now()
    _discard_file(job)
    job.save()
    return job


class _Refused(Exception):
    def __init__(self, plan):
        super().__init__("refused")
        self.plan = plan


def _write_staff(plan, job: ImportJob, actor: User | None) -> int:
    institution = job.institution
    today = institution.local_today()
    new, changed, fields = [], [], set()
    for line in plan.rows:
        values = staff_changes(line)
        if line.status == NEW:
            staff = StaffMember(institution=institution, joined_on=today, **values)
            staff.derive_from_nip()
            new.append(staff)
        elif line.status == CHANGED:
            staff = line.target
            for name, value in values.items():
                if getattr(staff, name) != value:
                    setattr(staff, name, value)
                    fields.add(name)
            staff.derive_from_nip()
            staff.updated_at = timezone.now()
            changed.append(staff)
    StaffMember.objects.bulk_create(new, batch_size=1000)
    if changed:
        StaffMember.objects.bulk_update(changed, sorted(fields | {"birth_date", "sex", "updated_at"}), batch_size=1000)
    return len(new) + len(changed)


def _write_groups(plan, job: ImportJob, actor: User | None) -> int:
    today = job.institution.local_today()
    new, changed = [], []
    for line in plan.rows:
        values = line.values
        if line.status == NEW:
            new.append(GroupMembership(channel=values["channel"], staff=values["staff"], role=values["role"],
                                       since=values["since"] or today, added_by=actor))
        elif line.status == CHANGED:
            membership = line.target
            membership.role = values["role"]
            membership.since = values["since"] or membership.since
            changed.append(membership)
    GroupMembership.objects.bulk_create(new, batch_size=1000)
    if changed:
        GroupMembership.objects.bulk_update(changed, ["role", "since"], batch_size=1000)
    return len(new) + len(changed)


@transaction.atomic
def import_job_cancel(*, actor: User | None, job: ImportJob) -> ImportJob:
    job = ImportJob.objects.select_for_update().get(pk=job.pk)
    rules.check_cancel_import(job)
    job.state = ImportJob.State.CANCELLED
    job.rows = []
    _discard_file(job)
    job.save()
    log_action(action="members.import.cancelled", institution=job.institution, actor=actor, target=job,
               data={"job": job.pk, "kind": job.kind})
    return job


# Previews nobody confirmed within this long lose their file (and refused ones their rows).
PREVIEW_KEPT = datetime.timedelta(days=1)


def import_jobs_expire(*, institution: Institution, older_than: datetime.timedelta = PREVIEW_KEPT) -> int:
    """Run daily: remove the files of previews nobody confirmed, and the per-row preview (names,
    NIPs) of refused imports; the counts stay."""
    ready, refused = _import_jobs_due(institution, timezone.now() - older_than)
    count = 0
    for job in ready:
        job.state, job.rows = ImportJob.State.CANCELLED, []
        _discard_file(job)
        job.save()
        count += 1
    return count + refused.update(rows=[])


def _import_jobs_due(institution: Institution, cutoff: datetime.datetime):
    """(previews nobody confirmed before ``cutoff``, refused imports of then that still hold their rows)."""
    ready = ImportJob.objects.filter(institution=institution, state=ImportJob.State.READY, created_at__lt=cutoff)
    refused = ImportJob.objects.filter(institution=institution, state=ImportJob.State.REFUSED,
                                       created_at__lt=cutoff).exclude(rows=[])
    return ready, refused


def import_files_sweep(institution: Institution, *, dry_run: bool = False) -> SweepResult:
    """The retention sweep of import files and previews (registered with ``governance.retention``)."""
    if not dry_run:
        return SweepResult(counts={"import_previews": import_jobs_expire(institution=institution)})
    ready, refused = _import_jobs_due(institution, timezone.now() - PREVIEW_KEPT)
    return SweepResult(counts={"import_previews": ready.count() + refused.count()})


def progress_key(job_id: int) -> str:
    return f"members:import:{job_id}:progress"


def _progress_reporter(job_id: int):
    def report(done: int, total: int) -> None:
        cache.set(progress_key(job_id), [done, total], timeout=3600)

    return report


def read_progress(job_id: int) -> tuple[int, int]:
    done, total = cache.get(progress_key(job_id)) or (0, 0)
    return done, total


@shared_task(base=TenantTask, bind=True, name="members.tasks.preview_import")
def preview_import(self, institution: Institution, job_id: int):
    job = ImportJob.objects.get(pk=job_id)
    import_job_preview(job=job, progress=_progress_reporter(job_id))
    return job.state


@shared_task(base=TenantTask, bind=True, name="members.tasks.apply_import")
def apply_import(self, institution: Institution, job_id: int, actor_id: int | None = None):
    job = ImportJob.objects.get(pk=job_id)
    actor = User.objects.filter(pk=actor_id).first() if actor_id else None
    import_job_apply(job=job, actor=actor, progress=_progress_reporter(job_id))
    return job.state
