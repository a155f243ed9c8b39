"""Settings shared by every environment, read from the environment (12-factor).

Embedded default: SQLite, in-process tasks, console e-mail. Set DATABASE_URL and
REDIS_URL to use PostgreSQL and Redis; the code is the same.
"""

from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
env = environ.Env()

DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env("DJANGO_SECRET_KEY", default="santun-development-key-not-for-production")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])

# The embedded database and private files live in var/ (ignored by git), created on first use.
(BASE_DIR / "var").mkdir(exist_ok=True)
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'var' / 'santun.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=0))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Santun apps, in their dependency order: each imports only those above it.
SANTUN_APPS = ["governance", "members", "sanctions", "triage", "reports"]
INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django_htmx",
    "import_export",
    *SANTUN_APPS,
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "governance.i18n.IndonesianFirstLocaleMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Must stay last: it resolves the institution, checks access and renders inside the scope.
    "governance.tenancy.TenantMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "governance.context_processors.santun",
            ],
            "builtins": ["governance.templatetags.santun"],
        },
    }
]

AUTH_USER_MODEL = "governance.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"

# django-allauth: login by e-mail, no open sign-up, TOTP for heads and assessors.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_ADAPTER = "governance.accounts.AccountAdapter"
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Santun] "
ACCOUNT_PREVENT_ENUMERATION = True
# allauth's defaults are on; spelled out so that a reader sees them.
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "change_password": "5/m/user",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Santun"
# Accept the code of the neighbouring 30-second window too: phones drift.
MFA_TOTP_TOLERANCE = 1

LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
# The project's catalog, then each Santun app's: listed here, they win over the libraries' catalogs
# (Django admin, allauth, import-export) for a text both translate.
LOCALE_PATHS = [BASE_DIR / "locale", *(BASE_DIR / app / "locale" for app in SANTUN_APPS)]
USE_I18N = True
FORMAT_MODULE_PATH = ["config.formats"]  # Indonesian dates with the month in full, as on letters
TIME_ZONE = "Asia/Jakarta"
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploaded evidence, letters and exports are private: never served by URL, only through
# permission-checked views. MEDIA_URL is deliberately unset.
PRIVATE_MEDIA_ROOT = env.path("SANTUN_PRIVATE_MEDIA_ROOT", default=BASE_DIR / "var" / "private")
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(PRIVATE_MEDIA_ROOT), "base_url": "/-/"},
    },
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "governance.redis_cache.SantunRedisCache", "LOCATION": REDIS_URL}}
    CELERY_BROKER_URL = REDIS_URL
    CELERY_RESULT_BACKEND = REDIS_URL
    CELERY_TASK_ALWAYS_EAGER = False
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CELERY_BROKER_URL = "memory://"
    CELERY_RESULT_BACKEND = "cache+memory://"
    CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "Asia/Jakarta"
# With Redis as broker, a task whose worker died (acks_late: never acknowledged) is delivered
# again after this many seconds. Keep it longer than the longest export: a task still running
# when it expires is delivered a second time (harmless, see SANTUN_EXPORT_LEASE, but wasted work).
# Workers look for such tasks every CELERY_RESTORE_SWEEP seconds (kombu's default is a scan every
# 10 s × 10 calls, so a lost task could wait 100 s more than its timeout).
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600),
    "unacked_restore_interval": env.int("CELERY_RESTORE_SWEEP", default=60),
    "unacked_restore_throttle": 1,
}
# A running export whose worker has not reported progress for this many seconds is taken over by
# the next delivery of its task; a younger one is left to its worker and checked again later.
SANTUN_EXPORT_LEASE = env.int("SANTUN_EXPORT_LEASE", default=300)

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Santun <noreply@santun.test>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Sessions are read from the cache (Redis in production) and written through to the database.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
# The core pages are kept per visitor until their data changes (governance/pagecache.py).
SANTUN_PAGE_CACHE = env.bool("SANTUN_PAGE_CACHE", default=True)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "governance.views.csrf_failure"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# Strict Content-Security-Policy: no inline scripts or styles anywhere; every script is a
# vendored or project file under /static/.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# Santun's own settings.
SANTUN_DEMO_PASSWORD = "santun-demo"
SANTUN_SITE_URL = env("SANTUN_SITE_URL", default="http://127.0.0.1:8000")
# Where people report a vulnerability of this deployment (/.well-known/security.txt).
SANTUN_SECURITY_CONTACT = env("SANTUN_SECURITY_CONTACT", default="mailto:security@santun.test")
# Largest evidence file accepted (images or PDF, checked by content).
SANTUN_EVIDENCE_MAX_BYTES = env.int("SANTUN_EVIDENCE_MAX_BYTES", default=5 * 1024 * 1024)
# Days the text of a triaged chat export is kept after it was read (UU 27/2022).
SANTUN_CHAT_TRIAGE_DAYS = env.int("SANTUN_CHAT_TRIAGE_DAYS", default=30)
# Retention (UU 27/2022): each institution chooses how long it keeps records within these bounds.
# Closed cases (with their evidence, explanations, notes, letters and referrals), in years after closing.
SANTUN_RETENTION_CASE_YEARS = env.int("SANTUN_RETENTION_CASE_YEARS", default=5)
SANTUN_RETENTION_CASE_YEARS_MIN = env.int("SANTUN_RETENTION_CASE_YEARS_MIN", default=2)
SANTUN_RETENTION_CASE_YEARS_MAX = env.int("SANTUN_RETENTION_CASE_YEARS_MAX", default=10)
# Finished exports (XLSX/PDF files of the assessment), in days after they were built.
SANTUN_RETENTION_EXPORT_DAYS = env.int("SANTUN_RETENTION_EXPORT_DAYS", default=30)
SANTUN_RETENTION_EXPORT_DAYS_MIN = env.int("SANTUN_RETENTION_EXPORT_DAYS_MIN", default=1)
SANTUN_RETENTION_EXPORT_DAYS_MAX = env.int("SANTUN_RETENTION_EXPORT_DAYS_MAX", default=365)
# Invitations never accepted (expired or withdrawn) hold an e-mail address: deleted this many days later.
SANTUN_RETENTION_INVITATION_DAYS = env.int("SANTUN_RETENTION_INVITATION_DAYS", default=90)
# Largest chat export accepted for upload (.txt or .zip, media included).
SANTUN_CHAT_UPLOAD_MAX_BYTES = env.int("SANTUN_CHAT_UPLOAD_MAX_BYTES", default=100 * 1024 * 1024)

# The audit trail's key (HMAC-SHA256 over each entry). It is never stored in the database, so that
# someone who can write to the database cannot recompute the chain. SANTUN_AUDIT_KEY (hex or any
# string) with SANTUN_AUDIT_KEY_ID names the current key; SANTUN_AUDIT_OLD_KEYS ("id=secret,id=secret")
# keeps retired keys so older entries still verify. Without SANTUN_AUDIT_KEY, a key is generated
# once into SANTUN_AUDIT_KEY_FILE (outside the database; production refuses to start without one).
SANTUN_AUDIT_KEY = env("SANTUN_AUDIT_KEY", default="")
SANTUN_AUDIT_KEY_ID = env("SANTUN_AUDIT_KEY_ID", default="k1")
SANTUN_AUDIT_OLD_KEYS = env("SANTUN_AUDIT_OLD_KEYS", default="")
SANTUN_AUDIT_KEY_FILE = env.path("SANTUN_AUDIT_KEY_FILE", default=BASE_DIR / "var" / "audit.key")
# Every day the platform chain's head is appended here (one JSON line) and mailed to the operators.
SANTUN_AUDIT_ANCHOR_FILE = env.path("SANTUN_AUDIT_ANCHOR_FILE", default=BASE_DIR / "var" / "audit-anchors.jsonl")
