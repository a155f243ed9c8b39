"""Periodic tasks of the sanctions app (merged into Celery beat by config/celery_app.py)."""

from celery.schedules import crontab

BEAT_SCHEDULE = {
    # 00:20 WIB = 01:20 WITA = 02:20 WIT: after midnight in every Indonesian zone.
    "sanctions-expire-measures": {
        "task": "sanctions.tasks.expire_measures_everywhere",
        "schedule": crontab(hour=0, minute=20),
    },
    # 07:30 WIB, Monday to Friday: reminders arrive at the start of the working day.
    "sanctions-daily-reminders": {
        "task": "sanctions.tasks.send_reminders_everywhere",
        "schedule": crontab(hour=7, minute=30, day_of_week="mon-fri"),
    },
}
