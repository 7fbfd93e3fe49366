"""Murojaat settings: everything comes from the environment, with safe defaults for the demo.

Two modes. The embedded demo (default): SQLite, eager background tasks, console e-mail.
Production (DJANGO_PRODUCTION=1): a real SECRET_KEY and ALLOWED_HOSTS are required, HTTPS and
secure cookies are enforced, and `manage.py check --deploy` reports nothing.
"""

from __future__ import annotations

import re
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.conf import locale as django_locale
from django.core.exceptions import ImproperlyConfigured

from murojaat.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
PRODUCTION = env_bool("DJANGO_PRODUCTION", False)
DEBUG = env_bool("DJANGO_DEBUG", False)

_DEMO_KEY = "demo-only-secret-key-never-use-in-production-0123456789abcdefghijkl"
SECRET_KEY = env_str("DJANGO_SECRET_KEY", "" if PRODUCTION else _DEMO_KEY)
if PRODUCTION and (len(SECRET_KEY) < 50 or SECRET_KEY == _DEMO_KEY):
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY must be set to 50+ random characters in production"
    )

ALLOWED_HOSTS = env_list(
    "DJANGO_ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "testserver"]
)
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("DJANGO_ALLOWED_HOSTS must list the public host names in production")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])
# API clients' shared secrets are derived from this key and never stored (gateway/credentials.py).
# Its own variable, so that rotating DJANGO_SECRET_KEY does not change every client's secret; in
# the demo it is derived from SECRET_KEY. Changing it changes every client's secret.
MUROJAAT_API_SIGNING_KEY = env_str("MUROJAAT_API_SIGNING_KEY", "") or f"api:{SECRET_KEY}"
if PRODUCTION and len(MUROJAAT_API_SIGNING_KEY) < 50:
    raise ImproperlyConfigured(
        "MUROJAAT_API_SIGNING_KEY must be 50+ random characters (or unset, to derive it)"
    )

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "axes",
    "ninja",  # serves its bundled Swagger UI from static files: /api/docs works offline
    "murojaat.core",
    "murojaat.accounts",
    "murojaat.orgs",
    "murojaat.appeals",
    "murojaat.gateway",
    "murojaat.citizens",
    "murojaat.reports",
    "murojaat.receptions",
    "murojaat.control",
    "murojaat.documents",
    "murojaat.parties",
    "murojaat.assist",
    "murojaat.notifications",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # Before CSRF, which would read (and spool to disk) an oversized upload to find its token.
    "murojaat.appeals.bodylimits.BodySizeLimitMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "murojaat.core.middleware.UserLanguageMiddleware",
    "axes.middleware.AxesMiddleware",
    "murojaat.gateway.middleware.ApiProblemMiddleware",
    # Last, so that its process_view sees the resolved view (settings.REPLICA_ROUTES).
    "murojaat.core.replica.ReplicaReadsMiddleware",
]

# The admin's address (DJANGO_ADMIN_PATH, e.g. "office-7f3a/"): one path segment or more of
# letters, digits, ".", "_" and "-", without the leading slash.
ADMIN_PATH = env_str("DJANGO_ADMIN_PATH", "admin").strip("/") + "/"
if not re.fullmatch(r"[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)*/", ADMIN_PATH):
    raise ImproperlyConfigured(
        "DJANGO_ADMIN_PATH must be a path such as office-7f3a (letters, digits, . _ - and /)"
    )

ROOT_URLCONF = "murojaat.urls"
WSGI_APPLICATION = "murojaat.wsgi.application"
ASGI_APPLICATION = "murojaat.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "murojaat" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "murojaat.core.context_processors.navigation",
                "murojaat.notifications.context_processors.unread",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
# DATABASE_URL, e.g. postgres://user@127.0.0.1:5432/murojaat; default is the embedded SQLite file.
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # SQLite is the demo database: WAL + a busy timeout keep concurrent requests from failing.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
    DATABASES["default"]["CONN_MAX_AGE"] = 0
IS_POSTGRES = DATABASES["default"]["ENGINE"].endswith("postgresql")
# DATABASE_PREPARED=1: psycopg 3 binds parameters on the server and prepares a statement the
# connection has run DATABASE_PREPARE_THRESHOLD times (default 5), so PostgreSQL plans it once
# per connection instead of at every request (issue 9: the intake's indexed look-ups spent
# more time being planned than run). Off by default: a pooler in transaction mode (PgBouncer
# before 1.21, or without max_prepared_statements) hands a connection's prepared statements
# to other clients' sessions ("prepared statement ... does not exist"); use it with direct
# connections, PgBouncer in session mode, or PgBouncer >= 1.21 with max_prepared_statements.
if IS_POSTGRES and env_str("DATABASE_PREPARED", "") in ("1", "true", "yes"):
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "server_side_binding": True,
            "prepare_threshold": env_int("DATABASE_PREPARE_THRESHOLD", 5),
        }
    )
# The search's capped count ("more than 1,000") runs within this many milliseconds on PostgreSQL
# (statement_timeout in a savepoint); past it the page says there are more matches than shown,
# without a number, and pages by "next" (issue 9). 0: no budget. A rare word's count for a
# region takes 3-13 ms at 100k appeals and ~18 ms at 1M, a common word's ~48 ms at 1M
# (docs/performance.md "Ninth pass").
MUROJAAT_SEARCH_COUNT_BUDGET_MS = env_int("MUROJAAT_SEARCH_COUNT_BUDGET_MS", 30)
# A streaming replica (PostgreSQL hot standby) for the dashboards, reports, exports and search
# (murojaat.core.replica). Unset: everything reads the primary. In tests the replica alias
# mirrors the primary's test database name, which the standby receives by streaming.
DATABASE_REPLICA_URL = env_str("DATABASE_REPLICA_URL", "")
REPLICA_MAX_LAG_SECONDS = env_int("MUROJAAT_REPLICA_MAX_LAG_SECONDS", 10)
REPLICA_CHECK_SECONDS = env_int("MUROJAAT_REPLICA_CHECK_SECONDS", 5)
REPLICA_ROUTES = ["reports:", "appeals:search"]
if DATABASE_REPLICA_URL and IS_POSTGRES:
    DATABASES["replica"] = dj_database_url.parse(
        DATABASE_REPLICA_URL,
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
    DATABASES["replica"].setdefault("OPTIONS", {}).update({"connect_timeout": 2})
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["murojaat.core.replica.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Auth -----------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    # The administrator role holds every permission in the admin (is_staff follows the role).
    "murojaat.accounts.backends.AdministratorRoleBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"
# Lockout after repeated failed logins (django-axes): per user name and address.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_MINUTES", 15) / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
# Behind reverse proxies: how many append to X-Forwarded-For (0 = none, trust REMOTE_ADDR only).
# Lockouts and the gateway's rate limits read the client address through the same function.
MUROJAAT_TRUSTED_PROXY_COUNT = env_int("MUROJAAT_TRUSTED_PROXY_COUNT", 0)
MUROJAAT_FORWARDED_FOR_HEADER = "HTTP_X_FORWARDED_FOR"
AXES_CLIENT_IP_CALLABLE = "murojaat.gateway.throttle.client_ip"

# --- Languages ------------------------------------------------------------------------------
# Four interface languages. Uzbek Cyrillic is not one of Django's codes, so it is declared here;
# its catalogue lives in locale/uz_Cyrl.
django_locale.LANG_INFO.setdefault(
    "uz-cyrl",
    {"bidi": False, "code": "uz-cyrl", "name": "Uzbek (Cyrillic)", "name_local": "Ўзбекча"},
)
LANGUAGE_CODE = env_str("DJANGO_LANGUAGE_CODE", "uz")
LANGUAGES = [
    ("uz", "Oʻzbekcha"),
    ("uz-cyrl", "Ўзбекча"),
    ("ru", "Русский"),
    ("en", "English"),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
# Dates and numbers per language (murojaat/formats): Cyrillic Uzbek, ISO 8601 first among the
# input formats (what <input type="date"> sends), British day-month-year in English.
FORMAT_MODULE_PATH = "murojaat.formats"
USE_THOUSAND_SEPARATOR = True
USE_TZ = True
TIME_ZONE = "Asia/Tashkent"

# --- Static and media -----------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "murojaat" / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
STORAGES = {
    "default": {
        "BACKEND": env_str("DEFAULT_FILE_STORAGE", "django.core.files.storage.FileSystemStorage")
    },
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
MUROJAAT_MAX_ATTACHMENT_BYTES = env_int("MUROJAAT_MAX_ATTACHMENT_BYTES", 10 * 1024 * 1024)
# A signed API upload is read whole: leave room for the multipart envelope around the file.
DATA_UPLOAD_MAX_MEMORY_SIZE = MUROJAAT_MAX_ATTACHMENT_BYTES + 1024 * 1024
# Every page without files: the whole body, judged by its Content-Length before it is read
# (murojaat.appeals.bodylimits, which also gives the pages that take files their own limits).
MUROJAAT_MAX_FORM_BYTES = env_int("MUROJAAT_MAX_FORM_BYTES", 1024 * 1024)
# Each uploaded file is kept only up to the attachment limit; the rest is not stored.
FILE_UPLOAD_HANDLERS = [
    "murojaat.appeals.bodylimits.AttachmentCapUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

# --- Cache, tasks, e-mail -------------------------------------------------------------------
REDIS_URL = env_str("REDIS_URL", "")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}
# Sessions: with a shared cache, read from it and written through to the database
# ("cached_db"): a page's session costs a cache GET instead of an SQL query (issue 9); logout
# and expiry still delete both. A per-process cache would let one worker keep a session
# another logged out, so without REDIS_URL sessions stay in the database only.
SESSION_ENGINE = (
    "django.contrib.sessions.backends.cached_db"
    if REDIS_URL
    else "django.contrib.sessions.backends.db"
)
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", "")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_TIMEZONE = TIME_ZONE
REPORTS_SNAPSHOT_MINUTES = env_int("REPORTS_SNAPSHOT_MINUTES", 10)
# The dashboards' figures are counted at most this many seconds ago (reports.selectors.dashboard);
# 0 counts them on every view.
REPORTS_LIVE_SECONDS = env_int("REPORTS_LIVE_SECONDS", 60)
CELERY_BEAT_SCHEDULE = {
    "deliver-outbox": {"task": "murojaat.gateway.tasks.deliver_pending", "schedule": 30.0},
    "record-overdue": {"task": "murojaat.appeals.tasks.record_overdue", "schedule": 3600.0},
    # Notifications: the outbox sweep, the reminders and the escalation ladder (idempotent:
    # running them more often than their schedule tells nobody twice), the Telegram poll.
    "deliver-notifications": {
        "task": "murojaat.notifications.tasks.deliver_pending",
        "schedule": 30.0,
    },
    "send-reminders": {"task": "murojaat.notifications.tasks.send_reminders", "schedule": 3600.0},
    "escalate": {"task": "murojaat.notifications.tasks.escalate", "schedule": 3600.0},
    "poll-telegram": {"task": "murojaat.notifications.tasks.poll_telegram", "schedule": 15.0},
    # Safety net: the calendar signal already triggers this after each change.
    "recompute-deadlines": {
        "task": "murojaat.appeals.tasks.recompute_deadlines",
        "schedule": 6 * 3600.0,
    },
    # R-ORG-7: freeze the month-end figures of every month that has ended (idempotent).
    "close-months": {"task": "murojaat.reports.tasks.close_months", "schedule": 3600.0},
    # The running month's monthly report reads a provisional snapshot counted this often
    # (issue 9 item 3): deriving it from the events on every request took seconds.
    "refresh-running-month": {
        "task": "murojaat.reports.tasks.refresh_running_month",
        "schedule": REPORTS_SNAPSHOT_MINUTES * 60.0,
    },
    # The working group's assistants: the routing model learns the group's latest decisions
    # every night; surges are looked for every hour (weekly counts against their history).
    "assist-retrain-routing": {
        "task": "murojaat.assist.tasks.retrain_routing",
        "schedule": 24 * 3600.0,
    },
    "assist-detect-surges": {"task": "murojaat.assist.tasks.detect_surges", "schedule": 3600.0},
}

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "murojaat@localhost")
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20)

# --- Notifications (murojaat/notifications) -------------------------------------------------
# Absolute links in e-mails, SMS and Telegram messages.
MUROJAAT_SITE_URL = env_str("MUROJAAT_SITE_URL", "http://127.0.0.1:8000")
# An operator's SMS gateway over HTTP (Basic credentials, JSON body; see channels/sms.py).
MUROJAAT_SMS_URL = env_str("MUROJAAT_SMS_URL", "")
MUROJAAT_SMS_LOGIN = env_str("MUROJAAT_SMS_LOGIN", "")
MUROJAAT_SMS_PASSWORD = env_str("MUROJAAT_SMS_PASSWORD", "")
MUROJAAT_SMS_SENDER = env_str("MUROJAAT_SMS_SENDER", "Murojaat")
# The Telegram Bot API (a local telegram_simulator in the demo).
MUROJAAT_TELEGRAM_API_URL = env_str("MUROJAAT_TELEGRAM_API_URL", "https://api.telegram.org")
MUROJAAT_TELEGRAM_TOKEN = env_str("MUROJAAT_TELEGRAM_TOKEN", "")
MUROJAAT_TELEGRAM_BOT_NAME = env_str("MUROJAAT_TELEGRAM_BOT_NAME", "")
# Both outboxes (Virtual Reception and notifications): lease, attempts, backoff.
MUROJAAT_OUTBOX_LEASE_SECONDS = env_int("MUROJAAT_OUTBOX_LEASE_SECONDS", 120)
MUROJAAT_OUTBOX_MAX_ATTEMPTS = env_int("MUROJAAT_OUTBOX_MAX_ATTEMPTS", 10)
MUROJAAT_OUTBOX_BACKOFF_SECONDS = env_int("MUROJAAT_OUTBOX_BACKOFF_SECONDS", 30)

# --- Security -------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 3600)
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Content-Security-Policy (django-csp): scripts and styles only from our own static files, no
# inline <script>, no style="" attributes, no eval, nothing framed. Templates follow the rules in
# docs/architecture.md ("Content-Security-Policy"). data: images are Bootstrap's SVG icons.
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
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# Permissions-Policy (django-permissions-policy): no page uses these browser features.
PERMISSIONS_POLICY: dict[str, list[str]] = {
    "accelerometer": [],
    "autoplay": [],
    "camera": [],
    "display-capture": [],
    "geolocation": [],
    "gyroscope": [],
    "magnetometer": [],
    "microphone": [],
    "payment": [],
    "usb": [],
}
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

# --- Logging: one JSON object per line, ready for a log shipper -----------------------------
LOG_LEVEL = env_str("LOG_LEVEL", "INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": env_str("LOG_FORMAT", "json" if PRODUCTION else "plain"),
        }
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # django-axes announces itself at INFO on every start, on stderr of every command.
        "axes": {"level": "WARNING"},
        "murojaat": {"level": LOG_LEVEL, "propagate": True},
    },
}

# --- Murojaat policy ------------------------------------------------------------------------
# Business-day calendar for deadlines (R-P2-11, L-3): country for the `holidays` package.
MUROJAAT_HOLIDAY_COUNTRY = env_str("MUROJAAT_HOLIDAY_COUNTRY", "UZ")
MUROJAAT_DUE_SOON_WORKING_DAYS = env_int("MUROJAAT_DUE_SOON_WORKING_DAYS", 2)
DEMO_PASSWORD = env_str("MUROJAAT_DEMO_PASSWORD", "Murojaat-2017!")
