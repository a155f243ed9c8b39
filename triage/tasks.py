"""Background work of chat-export triage.

The parse of an upload is queued by ``services.chat_import_start`` and is defined beside it
(``services.parse_chat_import``); it is imported here so that Celery's autodiscovery registers it.
Services never import this module. The task keeps the name it had when chat triage lived in the
sanctions app, so queued tasks still resolve. Chat text past its triage window goes in the nightly
retention run (``services.chat_retention_sweep``, registered in ``apps.py``)."""

from .services import parse_chat_import  # noqa: F401  (registered as "sanctions.tasks.parse_chat_import")
