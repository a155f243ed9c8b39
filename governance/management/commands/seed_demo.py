"""Build the demo world from the seed articles. Each app registers its ``seed(ctx)`` function
(``governance.seeding``); they run in the apps' dependency order inside one transaction."""

from __future__ import annotations

from types import SimpleNamespace

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test.utils import override_settings

from governance.demo import demo_email, roles_for
from governance.seeding import demo_seeders


class Command(BaseCommand):
    help = "Create the demo institutions, people, logins and histories (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Run even with DEBUG off.")
        parser.add_argument("--quiet", action="store_true", help="Do not print the demo logins.")

    def handle(self, *args, force=False, quiet=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError("seed_demo adds demo accounts with a known password; refusing with DEBUG off. Use --force.")
        ctx = SimpleNamespace(institutions={}, users={}, notes=[], stdout=self.stdout)
        # The demo's own notifications go nowhere: nobody reads the fictional people's mail, and
        # the console would drown the logins printed below.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"), transaction.atomic():
            for seed in demo_seeders():
                seed(ctx)
        if quiet:
            return
        self.stdout.write(self.style.SUCCESS("Demo data ready."))
        self.stdout.write(f"Password for every demo login: {settings.SANTUN_DEMO_PASSWORD}")
        for slug in ctx.institutions:
            logins = ", ".join(demo_email(role, slug) for role in roles_for(slug))
            self.stdout.write(f"  {slug}: {logins}")
        for note in ctx.notes:
            self.stdout.write(note)
