"""Import a staff list from the shell, for bulk onboarding:

    python manage.py import_staff <institution-slug> FILE [--dry-run] [--groups]

Prints the preview (counts of new, changed, unchanged and refused rows, and each refusal) and
exits with status 1 — saving nothing — when any row is refused. Without --dry-run a clean file
is imported in one transaction with one audit entry, exactly as through the web page.
"""

from __future__ import annotations

from pathlib import Path

from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from governance.models import Institution
from governance.tenancy import institution_scope
from members import services
from members.models import ImportJob


class Command(BaseCommand):
    help = "Preview and import a staff list (XLSX or CSV) into one institution."

    def add_arguments(self, parser):
        parser.add_argument("institution", help="the institution's short address (slug)")
        parser.add_argument("file", help="an XLSX or CSV file")
        parser.add_argument("--dry-run", action="store_true", help="only show the preview; save nothing")
        parser.add_argument("--groups", action="store_true", help="the file holds group memberships, not staff")
        parser.add_argument("--language", default="id", help="language of the messages (id or en)")

    def handle(self, *args, institution, file, dry_run=False, groups=False, language="id", **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"File not found: {file}")
        target = Institution.objects.filter(slug=institution, is_active=True).first()
        if target is None:
            raise CommandError(f"Unknown institution: {institution}")
        translation.activate(language)
        kind = ImportJob.Kind.GROUPS if groups else ImportJob.Kind.STAFF
        with institution_scope(target):
            upload = ContentFile(path.read_bytes(), name=path.name)
            job = services.import_job_create(actor=None, institution=target, kind=kind, upload=upload, enqueue=False)
            job = services.import_job_preview(job=job)
            self._summary(job)
            if job.state != ImportJob.State.READY:
                services.import_job_cancel(actor=None, job=job)
                raise CommandError(translation.gettext("Nothing was saved."), returncode=1)
            if dry_run:
                services.import_job_cancel(actor=None, job=job)
                self.stdout.write(translation.gettext("Dry run: nothing was saved."))
                return
            job = services.import_job_confirm(actor=None, job=job, enqueue=False)
            job = services.import_job_apply(job=job, actor=None)
            if job.state != ImportJob.State.DONE:
                self.stderr.write(job.problem)
                raise CommandError(translation.gettext("Nothing was saved."), returncode=1)
            self.stdout.write(self.style.SUCCESS(translation.gettext("Imported: %(new)d new, %(changed)d changed, %(unchanged)d unchanged.") % {
                "new": job.counts["new"], "changed": job.counts["changed"], "unchanged": job.counts["unchanged"]}))

    def _summary(self, job: ImportJob) -> None:
        _ = translation.gettext
        if job.problem and not job.counts:
            self.stderr.write(job.problem)
            return
        counts = job.counts
        self.stdout.write(_("Rows: %(rows)d · new: %(new)d · changed: %(changed)d · unchanged: %(unchanged)d · refused: %(error)d") % counts)
        for number, status, _label, details in job.rows:
            if status == "error":
                for detail in details:
                    self.stderr.write(_("Row %(row)d, %(detail)s") % {"row": number, "detail": detail})
