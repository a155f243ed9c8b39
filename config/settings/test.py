"""Settings for the test suite. Tasks run eagerly unless a test starts a real worker."""

import os

from .base import *  # noqa: F403

# Playwright's sync API runs an event loop in the test thread; the live server is synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
CELERY_TASK_ALWAYS_EAGER = True
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
ALLOWED_HOSTS = ["*"]
# A worker process started by a test shares the test's folder through SANTUN_TEST_PRIVATE_MEDIA_ROOT.
PRIVATE_MEDIA_ROOT = env.path("SANTUN_TEST_PRIVATE_MEDIA_ROOT",  # noqa: F405
                              default=BASE_DIR / "var" / "test-private" / str(os.getpid()))  # noqa: F405
STORAGES["default"]["OPTIONS"]["location"] = str(PRIVATE_MEDIA_ROOT)  # noqa: F405
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# Only for tests that kill a worker in the middle of an export: seconds the export waits, once
# marked running, before it builds its file.
SANTUN_EXPORT_PAUSE = env.float("SANTUN_TEST_EXPORT_PAUSE", default=0)  # noqa: F405
# One fixed audit key, shared with worker processes a test starts.
SANTUN_AUDIT_KEY = env("SANTUN_AUDIT_KEY", default="santun-test-audit-key")  # noqa: F405
SANTUN_AUDIT_KEY_ID = "test"
SANTUN_AUDIT_ANCHOR_FILE = os.path.join(str(PRIVATE_MEDIA_ROOT), "audit-anchors.jsonl")
