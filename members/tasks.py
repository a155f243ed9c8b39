"""Background work of the members app. Each task takes ids and runs in its institution's scope."""

from __future__ import annotations

from celery import shared_task
from django.core.cache import cache
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from governance.models import CodeVersion, Institution, User
from governance.services import notify
from governance.tenancy import TenantTask, platform_scope

from . import selectors, services
from .models import ImportJob


def progress_key(job_id: int) -> str:
    return f"members:import:{job_id}:progress"


def _progress_reporter(job_id: int):
    def report(done: int, total: int) -> None:
        cache.set(progress_key(job_id), [done, total], timeout=3600)

    return report


def read_progress(job_id: int) -> tuple[int, int]:
    done, total = cache.get(progress_key(job_id)) or (0, 0)
    return done, total


@shared_task(base=TenantTask, bind=True)
def preview_import(self, institution: Institution, job_id: int):
    job = ImportJob.objects.get(pk=job_id)
    services.import_job_preview(job=job, progress=_progress_reporter(job_id))
    return job.state


@shared_task(base=TenantTask, bind=True)
def apply_import(self, institution: Institution, job_id: int, actor_id: int | None = None):
    job = ImportJob.objects.get(pk=job_id)
    actor = User.objects.filter(pk=actor_id).first() if actor_id else None
    services.import_job_apply(job=job, actor=actor, progress=_progress_reporter(job_id))
    return job.state


def _acknowledge_url(institution: Institution) -> str:
    return reverse("members:acknowledge", kwargs={"institution": institution.slug})


@shared_task(base=TenantTask, bind=True)
def request_acknowledgements(self, institution: Institution, version_id: int) -> int:
    """A new code version was published: ask each staff member with an account to acknowledge it."""
    version = CodeVersion.objects.get(pk=version_id)
    recipients = [staff.user for staff in selectors.pending_staff_with_accounts(version)]
    notify(
        recipients=recipients, institution=institution, kind="members.acknowledgement_requested",
        title=_("A new code of conduct has been published"),
        body=_("Please read the code of conduct and confirm that you have read it."),
        url=_acknowledge_url(institution),
    )
    return len(recipients)


@shared_task(base=TenantTask, bind=True)
def send_acknowledgement_reminders(self, institution: Institution, version_id: int) -> int:
    """Remind only those with an account who have not acknowledged ``version`` yet."""
    version = CodeVersion.objects.get(pk=version_id)
    recipients = [staff.user for staff in selectors.pending_staff_with_accounts(version)]
    notify(
        recipients=recipients, institution=institution, kind="members.acknowledgement_reminder",
        title=_("Reminder: please acknowledge the code of conduct"),
        body=_("You have not yet confirmed that you have read the current code of conduct."),
        url=_acknowledge_url(institution),
    )
    return len(recipients)


@shared_task(bind=True)
def expire_import_files(self) -> int:
    """Daily: remove uploaded files of previews nobody confirmed within a day."""
    with platform_scope():
        institution_ids = list(ImportJob.objects.filter(state__in=[ImportJob.State.READY, ImportJob.State.REFUSED])
                               .values_list("institution_id", flat=True).distinct())
    for institution_id in institution_ids:
        expire_import_files_of.delay(institution_id=institution_id)
    return len(institution_ids)


@shared_task(base=TenantTask, bind=True)
def expire_import_files_of(self, institution: Institution) -> int:
    return services.import_jobs_expire(institution=institution)
