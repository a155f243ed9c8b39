"""Celery wiring. With REDIS_URL unset, tasks run in-process (see settings).

Periodic tasks: each app may define ``BEAT_SCHEDULE`` in ``<app>/schedule.py`` (plain data, no
model imports); they are merged here. Run exactly one ``celery -A config beat``.
"""

import importlib
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

SANTUN_APPS = ["governance", "members", "sanctions", "triage", "reports"]

app = Celery("santun")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def collect_beat_schedule() -> dict:
    schedule: dict = {}
    for label in SANTUN_APPS:
        try:
            module = importlib.import_module(f"{label}.schedule")
        except ModuleNotFoundError as error:
            if error.name != f"{label}.schedule":
                raise
            continue
        schedule.update(module.BEAT_SCHEDULE)
    return schedule


app.conf.beat_schedule = collect_beat_schedule()
