"""The embedded default for `make run`: SQLite, in-process tasks, console e-mail."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DJANGO_DEBUG", default=True)
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# Tasks run in-process here: their routine trace lines would bury the server's own output.
LOGGING["loggers"].update({"celery.app.trace": {"level": "WARNING"}, "kombu": {"level": "ERROR"}})  # noqa: F405
