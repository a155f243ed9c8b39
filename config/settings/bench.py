"""Settings for `make bench`: production-like, served on loopback.

DEBUG off, cached templates (Django's default without DEBUG), the Redis cache from REDIS_URL,
PostgreSQL from DATABASE_URL, persistent connections — but no HTTPS redirect and no secure-only
cookies, so that gunicorn can be measured over plain http://127.0.0.1. It adds one URL,
``/__bench__/minimal/``: a tiny view behind the same middleware stack, the yardstick the core pages
are divided by (see config/bench_urls.py and docs/benchmarks.md). Never used in production.
"""

from .base import *  # noqa: F403
from .base import env

DEBUG = False
SECRET_KEY = env("DJANGO_SECRET_KEY", default="santun-bench-key-not-for-production")
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
DATABASES = {"default": env.db("DATABASE_URL", default="postgres://postgres@127.0.0.1:5432/santun_bench")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["ATOMIC_REQUESTS"] = False
REDIS_URL = env("REDIS_URL", default="redis://127.0.0.1:6379/10")
CACHES = {"default": {"BACKEND": "governance.redis_cache.SantunRedisCache", "LOCATION": REDIS_URL}}
CELERY_BROKER_URL = CELERY_RESULT_BACKEND = REDIS_URL
CELERY_TASK_ALWAYS_EAGER = False
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
# Static files from the source folders: the benchmark measures pages, not collectstatic.
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
WHITENOISE_USE_FINDERS = True
ROOT_URLCONF = "config.bench_urls"
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
