"""Periodic tasks of the members app (plain data; merged by config/celery_app.py)."""

from celery.schedules import crontab

# Import files and previews nobody confirmed go in the one nightly retention run (governance-retention),
# through ``services.import_files_sweep``.
BEAT_SCHEDULE = {
    # 07.00 WIB on working mornings: staff who have not acknowledged the code in force are reminded a
    # week after it was published and weekly after that, at most four times (counted per person).
    "members-acknowledgement-reminders": {
        "task": "members.tasks.remind_acknowledgements_everywhere",
        "schedule": crontab(hour=7, minute=0),
    },
}
