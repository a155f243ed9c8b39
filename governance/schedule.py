"""Periodic tasks of the governance app (merged into Celery beat by config/celery_app.py)."""

from celery.schedules import crontab

BEAT_SCHEDULE = {
    # 06.00 WIB (07.00 WITA, 08.00 WIT): staff of institutions inside an election period get their
    # one reminder at the start of the working day.
    "governance-election-reminders": {
        "task": "governance.tasks.send_election_reminders",
        "schedule": crontab(hour=6, minute=0),
    },
}
