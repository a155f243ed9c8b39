from django.core.management.base import BaseCommand, CommandError

from governance.models import Institution
from governance.retention import apply_retention
from governance.tenancy import institution_scope


class Command(BaseCommand):
    help = ("Delete what is past its retention period (closed cases, exports), as the nightly task does. "
            "--dry-run lists what would be deleted (counts and case numbers) and changes nothing.")

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="list what would be deleted; delete nothing")
        parser.add_argument("--institution", metavar="SLUG", help="only this institution")

    def handle(self, *args, dry_run=False, institution=None, **options):
        institutions = Institution.objects.filter(is_active=True).order_by("pk")
        if institution:
            institutions = institutions.filter(slug=institution)
            if not institutions.exists():
                raise CommandError(f"No active institution {institution!r}.")
        verb = "would delete" if dry_run else "deleted"
        total = 0
        for inst in institutions:
            with institution_scope(inst):
                results = apply_retention(inst, dry_run=dry_run)
            for key, result in results.items():
                if not result.total:
                    continue
                total += result.total
                counts = ", ".join(f"{name}={number}" for name, number in result.counts.items())
                self.stdout.write(f"{inst.slug} {key}: {verb} {counts}")
                if result.items:
                    self.stdout.write(f"  {' '.join(result.items)}")
        self.stdout.write(f"{'Dry run' if dry_run else 'Done'}: {total} item(s) {verb}.")
