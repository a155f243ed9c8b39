"""The demo world behind a live server, built once for a whole browser-test module, and one
signed-in browser context per demo role.

The pages are checked with real-looking content (the demo's cases, letters, periods and staff), plus
what the demo does not leave open: a proposal waiting for the head and an import waiting for its
preview to be confirmed. The data is committed so that the server thread sees it on every
database, and the database is emptied again when the module ends, as after a transactional test.
The modules mark their tests ``django_db``: whatever a test changes through the pages is rolled back
with it on SQLite (where the server shares the test's connection), so every test sees the same world.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test.utils import override_settings
from django_scopes import scopes_disabled

from governance.demo import DEMO_TOTP_SECRET

DEMO_PASSWORD = "santun-demo"
INSTITUTION = "mtsn-1-muara-enim"
ASSESSOR = "kanwil-kemenag-sumsel"
# Whose landing page each role's journey starts from.
LOGINS = {
    "kepala": f"kepala.{INSTITUTION}@santun.test",
    "humas": f"humas.{INSTITUTION}@santun.test",
    "operator": f"operator.{INSTITUTION}@santun.test",
    "pegawai": f"pegawai.{INSTITUTION}@santun.test",
    "penilai": f"penilai.{ASSESSOR}@santun.test",
}
HOMES = {role: f"/instansi/{ASSESSOR if role == 'penilai' else INSTITUTION}/" for role in LOGINS}
NEEDS_TOTP = {"kepala", "penilai"}


@dataclass
class World:
    url: str
    ids: dict = field(default_factory=dict)


def current_code() -> str:
    return format_hotp_value(hotp_value(DEMO_TOTP_SECRET, int(time.time()) // 30))


def _extra_data() -> dict:
    """What the demo leaves closed: a proposal for the head and an import preview for the operator."""
    from governance.models import Institution, User
    from members import services as member_services
    from members.models import Acknowledgement, StaffMember
    from members.selectors import current_code_version
    from reports.models import AssessmentPeriod, Entry
    from sanctions.models import ViolationReport, WarningLetter
    from sanctions.tests.factories import proposed_measure

    with scopes_disabled():
        institution = Institution.objects.get(slug=INSTITUTION)
        humas = User.objects.get(email=LOGINS["humas"])
        operator = User.objects.get(email=LOGINS["operator"])
        subject = StaffMember.objects.filter(institution=institution, user__isnull=True).order_by("pk").first()
        waiting = proposed_measure(institution, humas=humas, subject_staff=subject, position=1)  # SP1
        sheet = Path(settings.BASE_DIR, "members", "demo_data", "pegawai-mtsn-1-muara-enim.xlsx")
        job = member_services.import_job_create(
            actor=operator, institution=institution, kind="staff",
            upload=SimpleUploadedFile(sheet.name, sheet.read_bytes()))
        # The staff member has yet to acknowledge the code in force, so the page shows its button.
        pegawai = StaffMember.objects.get(institution=institution, user__email=LOGINS["pegawai"])
        Acknowledgement.objects.filter(staff=pegawai, version=current_code_version(institution)).delete()
        scoring = AssessmentPeriod.objects.get(institution__slug=ASSESSOR, state="scoring")
        finalized = AssessmentPeriod.objects.filter(institution__slug=ASSESSOR, state="finalized").latest("pk")
        return {
            "waiting": waiting.pk,
            "case": ViolationReport.objects.filter(institution=institution, state="submitted").order_by("pk").first().pk,
            "import": job.pk,
            "channel": institution.channels.order_by("pk").first().pk,
            "letter": WarningLetter.objects.filter(measure__institution=institution).order_by("pk").first().verification_code,
            "scoring": scoring.pk,
            "scoring_entry": Entry.objects.get(period=scoring, institution=institution).pk,
            "finalized": finalized.pk,
        }


def demo_world(django_db_setup, django_db_blocker, tmp_path_factory):
    """Generator behind the modules' ``world`` fixture."""
    from pytest_django.live_server_helper import LiveServer

    media = tmp_path_factory.mktemp("browser-private")
    storages = {**settings.STORAGES, "default": {**settings.STORAGES["default"],
                                                 "OPTIONS": {"location": str(media), "base_url": "/-/"}}}
    with override_settings(STORAGES=storages, PRIVATE_MEDIA_ROOT=media), django_db_blocker.unblock():
        try:
            call_command("seed_demo", quiet=True, force=True)
            ids = _extra_data()
            server = LiveServer("localhost")
            try:
                yield World(url=server.url, ids=ids)
            finally:
                server.stop()
        finally:
            call_command("flush", verbosity=0, interactive=False)


def sign_in(page, base: str, role: str) -> None:
    page.goto(f"{base}/akun/login/")
    page.get_by_label("Email").fill(LOGINS[role])
    page.get_by_label("Sandi").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Masuk", exact=True).click()
    if role in NEEDS_TOTP:
        page.get_by_label("Kode").fill(current_code())
        page.get_by_role("button", name="Masuk").click()
    page.wait_for_url(f"{base}{HOMES[role]}")


class Contexts:
    """One browser context per role (None: a visitor), all signed in before the first test, so
    that the sessions outlive each test's own rolled-back changes."""

    def __init__(self, browser, args: dict, world: World):
        self.browser, self.args, self.world, self.open = browser, args, world, {}
        for role in (None, *LOGINS):
            context = self.browser.new_context(**self.args)
            self.open[role] = context
            if role is not None:
                page = context.new_page()
                sign_in(page, self.world.url, role)
                page.close()

    def __call__(self, role: str | None):
        return self.open[role]

    def close(self):
        for context in self.open.values():
            context.close()


def role_contexts(browser, browser_context_args, world):
    """Generator behind the modules' ``contexts`` fixture."""
    contexts = Contexts(browser, browser_context_args, world)
    try:
        yield contexts
    finally:
        contexts.close()


world_fixture = pytest.fixture(scope="module", name="world")(demo_world)
contexts_fixture = pytest.fixture(scope="module", name="contexts")(role_contexts)
