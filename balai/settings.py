"""Balai's one settings module, read from the environment.

Every value has a safe default; see docs/configuration.md for the list.
"""

from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from balai.lib.env import env_bool, env_int, env_list, env_secret, env_str
from balai.regions.codes import regency_names, time_zone_for

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(env_str("BALAI_DATA_DIR", "var")).resolve()

DEBUG = env_bool("BALAI_DEBUG", False)
SECRET_KEY = env_secret("BALAI_SECRET_KEY", DATA_DIR)
ALLOWED_HOSTS = env_list("BALAI_ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
# Domains under which the regency admin may map a host name to a village
# (e.g. ".lumajangkab.go.id": a leading dot admits every subdomain). They are
# allowed hosts; one that maps to no village gets the regency portal.
BALAI_VILLAGE_HOST_DOMAINS = env_list("BALAI_VILLAGE_HOST_DOMAINS", [])
ALLOWED_HOSTS += BALAI_VILLAGE_HOST_DOMAINS
CSRF_TRUSTED_ORIGINS = env_list("BALAI_CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env_str("BALAI_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

BALAI_REGENCY = env_str("BALAI_REGENCY", "35.08")
if BALAI_REGENCY not in regency_names():
    raise ImproperlyConfigured(
        f"BALAI_REGENCY {BALAI_REGENCY!r} is not a regency code (expected e.g. 35.08)"
    )
TIME_ZONE = time_zone_for(BALAI_REGENCY)
USE_TZ = True

INSTALLED_APPS = [
    "balai.accounts.admin_site.BalaiAdminConfig",  # django.contrib.admin, regency admins only
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_tasks",
    "django_tasks_db",
    "ninja",
    "csp",
    "balai.core",
    "balai.regions",
    "balai.agencies",
    "balai.accounts",
    "balai.notifications",
    "balai.residents",
    "balai.letters",
    "balai.complaints",
    "balai.portal",
    "balai.cctv",
    "balai.hub",
    "balai.webhooks",
    "balai.dashboards",
    "balai.opendata",
]

MIDDLEWARE = [
    # Outermost: times and logs every request, refused ones too (docs/observability.md).
    "balai.core.observability.ObserveRequestsMiddleware",
    # Before anything reads the body (balai/core/limits.py).
    "balai.core.limits.RequestSizeLimitMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "balai.portal.hosts.VillageHostMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "balai.core.middleware.RefuseNulMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "balai.accounts.middleware.StaffSessionMiddleware",
    "balai.accounts.audit.AuditContextMiddleware",
    "balai.accounts.middleware.ApiCallLogMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "balai.urls"
WSGI_APPLICATION = "balai.wsgi.application"
ASGI_APPLICATION = "balai.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "balai.core.context_processors.balai",
            ],
            # rupiah, angka, telepon: money, numbers and phones the one way (balai/lib/filters.py)
            "builtins": ["balai.lib.filters"],
        },
    },
]


def _database(url: str) -> dj_database_url.DBConfig:
    try:
        # No persistent connections: under ASGI (`balai serve`) each request runs
        # in a thread of its own, and kept connections would pile up (Django's
        # "Persistent connections" notes).
        config = dj_database_url.parse(url, conn_max_age=0)
    except ValueError as exc:
        raise ImproperlyConfigured(f"DATABASE_URL is not a database address: {exc}") from None
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # WAL lets readers work beside the one writer; IMMEDIATE takes the
        # write lock at BEGIN so concurrent writers wait (busy timeout) instead
        # of failing with "database is locked" half-way through.
        # Tests use a file too (not shared-cache memory, whose table locks fail
        # at once), so tests with concurrent threads see SQLite as production does.
        db_path = Path(config["NAME"])
        config["TEST"] = {"NAME": str(db_path.with_name(f"test_{db_path.name}"))}
        config["OPTIONS"] = {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
            ),
        }
    elif config["ENGINE"] != "django.db.backends.postgresql":
        raise ImproperlyConfigured("DATABASE_URL must be sqlite:// or postgres://")
    return config


DATABASES = {
    "default": _database(env_str("DATABASE_URL", f"sqlite:///{DATA_DIR / 'balai.sqlite3'}"))
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

_redis_url = env_str("BALAI_REDIS_URL")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": _redis_url}
        if _redis_url
        # Shared by every worker process, unlike the local-memory cache.
        # (Rate limits are counted apart: balai.accounts.ratelimit.)
        else {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "balai_cache",
        }
    )
}
# With Redis, sessions are read from it (every request reads one) and written
# through to the database (sign-ins are rare): a Redis restart or eviction
# signs nobody out (docs/scale-out.md). Without it, the database alone.
SESSION_ENGINE = (
    "django.contrib.sessions.backends.cached_db"
    if _redis_url
    else "django.contrib.sessions.backends.db"
)

# The task queue: in the database (the default; `balai serve` runs its worker)
# or in Redis through RQ (docs/scale-out.md). Another django-tasks backend may be
# named by its dotted path.
TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "rq": "balai.lib.taskqueue.RQBackend",
}
_tasks_backend = env_str("BALAI_TASKS_BACKEND", "database")
TASKS = {"default": {"BACKEND": TASK_BACKENDS.get(_tasks_backend, _tasks_backend), "QUEUES": []}}
if TASKS["default"]["BACKEND"] == TASK_BACKENDS["rq"]:
    _tasks_redis_url = env_str("BALAI_TASKS_REDIS_URL") or _redis_url
    if not _tasks_redis_url:
        raise ImproperlyConfigured(
            "BALAI_TASKS_BACKEND=rq needs BALAI_TASKS_REDIS_URL (or BALAI_REDIS_URL)"
        )
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    TASKS["default"]["QUEUES"] = ["default"]
    RQ_QUEUES = {
        # A task may run this long before RQ stops it (a 40 MB registry import).
        "default": {"URL": _tasks_redis_url, "DEFAULT_TIMEOUT": 3600}
    }

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:staff-home"
LOGOUT_REDIRECT_URL = "core:home"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
OTP_TOTP_ISSUER = "Balai"

SESSION_COOKIE_AGE = env_int("BALAI_SESSION_SECONDS", 8 * 3600)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_COOKIES = env_bool("BALAI_SECURE_COOKIES", not DEBUG and SITE_URL.startswith("https"))
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
LANGUAGE_COOKIE_SECURE = SECURE_COOKIES
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BALAI_BEHIND_PROXY", False) else None
)
# HSTS once the site is https (sent on https requests only: behind a proxy that
# needs BALAI_BEHIND_PROXY). Not for subdomains: village host names under the
# regency's domain may not all have certificates yet.
SECURE_HSTS_SECONDS = 365 * 24 * 3600 if SITE_URL.startswith("https://") else 0
SILENCED_SYSTEM_CHECKS = [
    # HSTS for subdomains (and the preload list, which requires it): see above.
    "security.W005",
    "security.W021",
]
if SECURE_PROXY_SSL_HEADER:
    # The proxy redirects http to https (deploy/nginx/balai.conf); the web processes
    # themselves answer plain http on loopback (health checks, nginx).
    SILENCED_SYSTEM_CHECKS.append("security.W008")

# One strict policy for every response (django-csp): no inline script or style,
# no plugins, forms post only here, never framed. A view may set its own
# header (the village widget's frame-ancestors, staff documents' sandbox);
# the middleware leaves such a header alone.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        # data: for Leaflet's and Swagger UI's small images. Maps draw from Balai's own
        # boundaries (docs/maps.md): no tile server.
        "img-src": [SELF, "data:"],
        "connect-src": [SELF],
        "font-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# Source strings are Indonesian, the language nearly every user reads; the
# English catalogue translates them (docs/i18n.md).
LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
# Dates typed day first in both languages (balai/lib/fields.py).
FORMAT_MODULE_PATH = ["balai.lib.formats"]

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    # Whole files or none, flushed before their rows commit (balai/lib/storage.py).
    "default": {"BACKEND": "balai.lib.storage.DurableFileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG
MEDIA_ROOT = DATA_DIR / "media"
# Media on S3-compatible storage (MinIO, Ceph, a cloud's object store) instead of
# MEDIA_ROOT, so that processes on several machines share it (docs/scale-out.md).


def s3_storage(
    bucket: str,
    *,
    endpoint: str | None = None,
    prefix: str = "",
    region: str | None = None,
    access_key: str | None = None,
    secret_key: str | None = None,
) -> dict:
    """The STORAGES entry for media in an S3 bucket (the tests use it too)."""
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            "location": prefix,
            "endpoint_url": endpoint,
            "region_name": region,
            # Unset, boto3 looks further (AWS_* variables, an instance's role).
            "access_key": access_key,
            "secret_key": secret_key,
            # Servers other than Amazon's expect the bucket in the path.
            "addressing_style": "path" if endpoint else None,
            # As on a disk: a name already taken gets a suffix, never overwritten.
            "file_overwrite": False,
            # Private objects: every file is read through a view that checks access.
            "default_acl": None,
        },
    }


if env_str("BALAI_MEDIA_S3_BUCKET"):
    STORAGES["default"] = s3_storage(
        env_str("BALAI_MEDIA_S3_BUCKET"),
        endpoint=env_str("BALAI_MEDIA_S3_ENDPOINT") or None,
        prefix=env_str("BALAI_MEDIA_S3_PREFIX"),
        region=env_str("BALAI_MEDIA_S3_REGION") or None,
        access_key=env_str("BALAI_MEDIA_S3_ACCESS_KEY") or None,
        secret_key=env_str("BALAI_MEDIA_S3_SECRET_KEY") or None,
    )
# Uploads are read through views that check access; never served as static.
MEDIA_URL = "/media-not-served/"
# The largest request anyone may send (a 40 MB registry import and its form):
# refused from its Content-Length before it is read (balai/core/limits.py).
BALAI_MAX_REQUEST_BYTES = env_int("BALAI_MAX_REQUEST_MB", 45) * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

EMAIL_HOST = env_str("BALAI_SMTP_HOST", "127.0.0.1")
EMAIL_PORT = env_int("BALAI_SMTP_PORT", 25)
EMAIL_HOST_USER = env_str("BALAI_SMTP_USER")
EMAIL_HOST_PASSWORD = env_str("BALAI_SMTP_PASSWORD")
EMAIL_USE_TLS = env_bool("BALAI_SMTP_TLS", False)
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = env_str("BALAI_FROM_EMAIL", "balai@localhost")
EMAIL_BACKEND = env_str("BALAI_EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")

# One JSON object a line on stderr, with no personal data (balai/lib/logs.py,
# docs/observability.md): a line per request and per task at INFO.
_log_handler = {"class": "logging.StreamHandler", "formatter": "json"}
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "balai.lib.logs.JsonFormatter"}},
    "filters": {"drop_request_lines": {"()": "balai.lib.logs.DropRequestLines"}},
    "handlers": {
        "console": _log_handler,
        "django_requests": {**_log_handler, "filters": ["drop_request_lines"]},
    },
    "loggers": {
        "balai.requests": {"level": "INFO"},
        "balai.tasks": {"level": "INFO"},
        # Their lines quote paths and query strings: Balai's own request line replaces them.
        "django.request": {"handlers": ["django_requests"], "propagate": False},
        "django.server": {"handlers": ["django_requests"], "propagate": False},
        "uvicorn.access": {"handlers": [], "propagate": False},
        "uvicorn.error": {"handlers": ["console"], "propagate": False},
    },
    "root": {"handlers": ["console"], "level": env_str("BALAI_LOG_LEVEL", "WARNING")},
}
# The bearer token a Prometheus scraper sends for /metrics; unset, /metrics is a 404.
BALAI_METRICS_TOKEN = env_str("BALAI_METRICS_TOKEN")

# WhatsApp/SMS gateway (balai/notifications/channels.py): POST JSON, bearer token.
BALAI_MESSAGE_GATEWAY_URL = env_str("BALAI_MESSAGE_GATEWAY_URL")
BALAI_MESSAGE_GATEWAY_TOKEN = env_str("BALAI_MESSAGE_GATEWAY_TOKEN")

# --- CCTV (balai/cctv, docs/cctv.md) ------------------------------------------
# Fernet keys for camera credentials, comma-separated: the first encrypts, all
# decrypt (rotate with `balai rotate-camera-keys`). Unset, a key is derived from
# SECRET_KEY so the demo runs; `balai check` warns about that outside DEBUG.
BALAI_CCTV_KEYS = env_list("BALAI_CCTV_KEYS", [])
# A camera changes state only after this many consecutive results agree.
BALAI_CCTV_FLAP_COUNT = env_int("BALAI_CCTV_FLAP_COUNT", 2)
# Alert when a camera has not been seen working for this many minutes.
BALAI_CCTV_ALERT_MINUTES = env_int("BALAI_CCTV_ALERT_MINUTES", 1)
# Seconds between probe rounds, and cameras per task in a round.
BALAI_CCTV_ROUND_SECONDS = env_int("BALAI_CCTV_ROUND_SECONDS", 30)
BALAI_CCTV_SHARD_SIZE = env_int("BALAI_CCTV_SHARD_SIZE", 500)
# Hourly rollups are kept this many days (daily ones for good).
BALAI_CCTV_HOURLY_DAYS = env_int("BALAI_CCTV_HOURLY_DAYS", 35)
# A camera's last snapshot is replaced at most this often.
BALAI_CCTV_SNAPSHOT_MINUTES = env_int("BALAI_CCTV_SNAPSHOT_MINUTES", 5)
# A catalogue service's live status (probed each minute) changes only after this
# many consecutive results agree: one lost answer is not an outage.
BALAI_HUB_FLAP_COUNT = env_int("BALAI_HUB_FLAP_COUNT", 2)

# --- Webhooks (balai/webhooks) -------------------------------------------------
# Deliver to private, loopback and link-local addresses (and over plain http):
# only for a regency whose receivers are on its own network, and for tests.
BALAI_WEBHOOKS_ALLOW_PRIVATE = env_bool("BALAI_WEBHOOKS_ALLOW_PRIVATE", False)
# Seconds one delivery may take in all (connect, send, read the answer).
BALAI_WEBHOOKS_TIMEOUT = env_int("BALAI_WEBHOOKS_TIMEOUT", 10)
