"""Production: PostgreSQL, Redis, SMTP, HTTPS. Everything comes from the environment."""

from .base import *  # noqa: F403
from .base import env

DEBUG = False
SECRET_KEY = env("DJANGO_SECRET_KEY")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
DATABASES = {"default": env.db("DATABASE_URL")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Santun runs behind nginx (or another load balancer): the client's address, which the sign-in
# rate limits count by, is the one the proxy appends to X-Forwarded-For, not the proxy's own.
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("SANTUN_TRUSTED_PROXY_COUNT", default=1)
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env.bool("DJANGO_SECURE_HSTS_PRELOAD", default=True)

EMAIL_CONFIG = env.email_url("EMAIL_URL")
vars().update(EMAIL_CONFIG)

# Private files (evidence, letters, imports, exports) on S3-compatible storage when several app
# servers run behind a load balancer; the local folder (SANTUN_PRIVATE_MEDIA_ROOT) otherwise.
# Files are never public: the bucket is private and Santun streams them through checked views.
if env("SANTUN_S3_BUCKET", default=""):
    STORAGES["default"] = {  # noqa: F405
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env("SANTUN_S3_BUCKET"),
            "endpoint_url": env("SANTUN_S3_ENDPOINT_URL", default=None),
            "region_name": env("SANTUN_S3_REGION", default=None),
            "access_key": env("SANTUN_S3_ACCESS_KEY", default=None),
            "secret_key": env("SANTUN_S3_SECRET_KEY", default=None),
            "location": env("SANTUN_S3_PREFIX", default="private"),
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }

# CELERY_VISIBILITY_TIMEOUT (redelivery of a task lost with its worker) is read in base.py.

# The audit key must come from the environment or a secret file, never from a file generated on the fly.
if env("SANTUN_AUDIT_KEY_SECRET_FILE", default=""):
    with open(env("SANTUN_AUDIT_KEY_SECRET_FILE")) as key_file:
        SANTUN_AUDIT_KEY = key_file.read().strip()
if not SANTUN_AUDIT_KEY:  # noqa: F405
    raise RuntimeError("Set SANTUN_AUDIT_KEY or SANTUN_AUDIT_KEY_SECRET_FILE: the audit trail's HMAC key.")
