"""Periodic tasks of chat-export triage (merged into Celery beat by config/celery_app.py)."""

from celery.schedules import crontab

BEAT_SCHEDULE = {
    # 01:10 WIB: chat text past the triage window (SANTUN_CHAT_TRIAGE_DAYS) and unconfirmed uploads go.
    "sanctions-chat-retention": {
        "task": "sanctions.tasks.expire_chat_imports_everywhere",
        "schedule": crontab(hour=1, minute=10),
    },
}
