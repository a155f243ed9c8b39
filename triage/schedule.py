"""Periodic tasks of chat-export triage (merged into Celery beat by config/celery_app.py)."""


# Chat text past the triage window (SANTUN_CHAT_TRIAGE_DAYS) and unconfirmed uploads go in the one
# nightly retention run (governance-retention), through ``services.chat_retention_sweep``.
BEAT_SCHEDULE = {}
