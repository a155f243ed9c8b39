"""Periodic tasks of the governance app (merged into Celery beat by config/celery_app.py)."""

from celery.schedules import crontab

BEAT_SCHEDULE = {
    # 06.00 WIB (07.00 WITA, 08.00 WIT): staff of institutions inside an election period get their
    # one reminder at the start of the working day.
    "governance-election-reminders": {
        "task": "governance.tasks.send_election_reminders",
        "schedule": crontab(hour=6, minute=0),
    },
    # 15.00 WIB, the end of the office day: the daily digest for those who chose one.
    "governance-notification-digests": {
        "task": "governance.tasks.send_notification_digests",
        "schedule": crontab(hour=15, minute=0),
    },
    # 00.05 WIB: every chain head into the chain above it, the platform head into the anchor file.
    "governance-audit-anchors": {
        "task": "governance.tasks.anchor_audit_chains",
        "schedule": crontab(hour=0, minute=5),
    },
    # 03.00 WIB, a quiet hour: closed cases and exports past their retention period are deleted.
    "governance-retention": {
        "task": "governance.tasks.apply_retention_everywhere",
        "schedule": crontab(hour=3, minute=0),
    },
}
