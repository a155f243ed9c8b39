"""Celery wiring. With REDIS_URL unset, tasks run in-process (see settings)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

app = Celery("santun")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
