"""A real Celery worker, talking to Redis, runs a tenant task and the e-mail goes out."""

import os
import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.core import mail
from django.db import transaction

from conftest import need
from governance.models import Role
from governance.services import notify
from governance.tests.factories import InstitutionFactory, make_member


@pytest.fixture
def redis_worker():
    redis_url = os.environ.get("REDIS_URL", "")
    need(bool(redis_url), "Redis (REDIS_URL)")
    # Parallel test processes each get their own Redis database, so that one process's worker
    # never takes a task another process queued for its own test database.
    index = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0")[2:] or 0)
    if index:
        base, _, db = redis_url.rpartition("/")
        redis_url = f"{base}/{(int(db or 0) + index) % 16}"
    import redis

    from config.celery_app import app

    # Start from an empty queue: nothing left over from an earlier run is delivered to this worker.
    redis.Redis.from_url(redis_url).flushdb()
    saved = {key: app.conf[key] for key in ("task_always_eager", "broker_url", "result_backend")}
    app.conf.update(task_always_eager=False, broker_url=redis_url, result_backend=redis_url)
    _forget_connections(app)
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
            yield app
    finally:
        app.conf.update(saved)
        _forget_connections(app)


def _forget_connections(app):
    """Drop the cached broker connection and producer pools so the next publish uses broker_url."""
    app._pool = None
    app.amqp._producer_pool = None


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_notification_email_is_sent_by_a_real_worker(redis_worker):
    institution = InstitutionFactory(name="Rutan Kelas IIB Contoh")
    humas = make_member(institution, Role.PUBLIC_RELATIONS, email="humas@rutan.test")
    with transaction.atomic():
        notify(recipients=[humas], institution=institution, kind="test", title="Laporan baru menunggu telaah")
    deadline = time.monotonic() + 20
    while not mail.outbox and time.monotonic() < deadline:
        time.sleep(0.1)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["humas@rutan.test"]
    assert mail.outbox[0].subject == "[Santun] Laporan baru menunggu telaah"
