"""Periodic tasks of the members app (plain data; merged by config/celery_app.py)."""

from celery.schedules import crontab

BEAT_SCHEDULE = {
    "members-expire-import-files": {
        "task": "members.tasks.expire_import_files",
        "schedule": crontab(hour=2, minute=15),
    },
}
