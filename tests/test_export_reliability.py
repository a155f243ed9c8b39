"""A Celery worker killed (SIGKILL) in the middle of a province export: once a worker runs again,
the export finishes, exactly once.

The workers are separate processes (`celery -A config.celery_app worker --pool=solo`), as in
production, talking to Redis and to this test's PostgreSQL database. The first one is made to
pause while the export is marked running (SANTUN_TEST_EXPORT_PAUSE, test settings only) and is
killed there; the second one, started with a short visibility timeout, gets the task again.
"""

import io
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection, transaction
from django_scopes import scopes_disabled
from openpyxl import load_workbook

from conftest import need, uses_postgres
from governance.models import AuditEntry, Institution, Notification, Role
from governance.tests.factories import InstitutionFactory, make_member
from reports import services
from reports.models import AssessmentPeriod, Export
from reports.tests.factories import make_period, small_rubric
from tests.test_celery_worker import _forget_connections

BASE_DIR = Path(settings.BASE_DIR)


def _redis_url() -> str:
    redis_url = os.environ.get("REDIS_URL", "")
    need(bool(redis_url), "Redis (REDIS_URL)")
    index = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0")[2:] or 0)
    if index:  # one Redis database per parallel test process, as in test_celery_worker
        base, _, db = redis_url.rpartition("/")
        redis_url = f"{base}/{(int(db or 0) + index) % 16}"
    return redis_url


@pytest.fixture
def redis_broker():
    """Tasks queued by this test go to Redis (not run in-process); no worker runs in this process."""
    redis_url = _redis_url()
    need(uses_postgres(), "PostgreSQL (DATABASE_URL): the worker process must see the test database")
    import redis

    from config.celery_app import app

    redis.Redis.from_url(redis_url).flushdb()
    saved = {key: app.conf[key] for key in ("task_always_eager", "broker_url", "result_backend")}
    app.conf.update(task_always_eager=False, broker_url=redis_url, result_backend=redis_url)
    _forget_connections(app)
    try:
        yield redis_url
    finally:
        app.conf.update(saved)
        _forget_connections(app)


def _database_url() -> str:
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


class Worker:
    """`celery worker --pool=solo` in its own process, with this test's database and files."""

    def __init__(self, name: str, redis_url: str, log: Path, **env):
        self.log = log
        environment = {
            **os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test", "DATABASE_URL": _database_url(),
            "REDIS_URL": redis_url, "SANTUN_TEST_PRIVATE_MEDIA_ROOT": settings.STORAGES["default"]["OPTIONS"]["location"],
            **{key: str(value) for key, value in env.items()},
        }
        self.process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "config.celery_app", "worker", "--pool=solo", "-n", f"{name}@%h",
             "--without-gossip", "--without-mingle", "--without-heartbeat", "--loglevel=INFO"],
            cwd=BASE_DIR, env=environment, stdout=log.open("w"), stderr=subprocess.STDOUT,
        )

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(10)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.kill()


def _wait_for(export: Export, states: set, seconds: float, worker: Worker) -> Export:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with scopes_disabled():
            export.refresh_from_db()
        if export.state in states:
            return export
        assert worker.process.poll() is None, f"the worker stopped:\n{worker.log.read_text()[-3000:]}"
        time.sleep(0.1)
    raise AssertionError(f"export still {export.state} after {seconds}s; worker log:\n{worker.log.read_text()[-3000:]}")


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_export_leaves_it_to_the_next_worker_which_finishes_it_once(redis_broker, tmp_path):
    with scopes_disabled():
        kanwil = InstitutionFactory(slug="kanwil-reliabel", kind=Institution.Kind.REGIONAL_OFFICE)
        for name in ("MTs Tahan Banting", "MAN Tangguh"):
            InstitutionFactory(parent=kanwil, name=name)
        penilai = make_member(kanwil, Role.ASSESSOR)
        period = make_period(kanwil, rubric=small_rubric(kanwil), state=AssessmentPeriod.State.FINALIZED,
                             scorer=penilai)
        with transaction.atomic():
            export = services.export_request(actor=penilai, period=period, fmt="xlsx", params={"language": "id"})

    first = Worker("first", redis_broker, tmp_path / "first.log", SANTUN_TEST_EXPORT_PAUSE=60)
    second = None
    try:
        _wait_for(export, {Export.State.RUNNING}, 40, first)
        first.kill()
        with scopes_disabled():
            export.refresh_from_db()
        assert export.state == Export.State.RUNNING and not export.file  # left behind by the dead worker

        # A new worker gets the unacknowledged task again once the visibility timeout has passed,
        # and takes over the export because its first worker stopped reporting progress. It starts
        # once the 2-second timeout is over, as a restarted machine would, and sweeps every second.
        second = Worker("second", redis_broker, tmp_path / "second.log",
                        CELERY_VISIBILITY_TIMEOUT=2, CELERY_RESTORE_SWEEP=1, SANTUN_EXPORT_LEASE=2)
        _wait_for(export, {Export.State.DONE, Export.State.FAILED}, 45, second)
    finally:
        for worker in (first, second):
            if worker is not None:
                worker.stop()

    with scopes_disabled():
        export.refresh_from_db()
        assert (export.state, export.progress, export.attempts) == (Export.State.DONE, 100, 1)
        assert Export.objects.count() == 1
        book = load_workbook(io.BytesIO(export.file.read()))
        names = sorted(row[1] for row in book["Peringkat"].iter_rows(min_row=2, values_only=True))
        assert names == ["MAN Tangguh", "MTs Tahan Banting"]
        folder = Path(export.file.storage.path(f"reports/exports/{kanwil.pk}"))
        assert [p.name for p in folder.iterdir()] == [f"{export.pk}.xlsx"]
        actions = list(AuditEntry.objects.filter(target_type="reports.export").order_by("pk")
                       .values_list("action", flat=True))
        assert actions == ["reports.export.requested", "reports.export.completed"]
        notices = Notification.objects.filter(recipient=penilai, kind="reports.export_ready")
        assert [n.url for n in notices] == [f"/instansi/kanwil-reliabel/penilaian/{period.pk}/ekspor/{export.pk}/"]
