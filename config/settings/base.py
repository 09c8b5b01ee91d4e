"""Settings shared by every environment, read from the environment.

The embedded default is a SQLite file under ``var/``; ``DATABASE_URL`` selects PostgreSQL.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("PARKOPS_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def _secret_key() -> str:
    """The key from the environment, or one generated once into var/ for the embedded default."""
    if key := os.environ.get("SECRET_KEY"):
        return key
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(64))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = env_bool("DEBUG")
ALLOWED_HOSTS = [h for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o]

# Progress of long work (imports) is written here, outside the work's own transaction, so
# that the page polling it sees it at once. A folder under var/ serves the worker and the web
# server of one machine; app servers on several machines point PARKOPS_PROGRESS_CACHE at a
# shared folder.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "progress": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": os.environ.get("PARKOPS_PROGRESS_CACHE", str(VAR_DIR / "progress")),
    },
}

# The project's own apps, lowest layer first (CONVENTIONS.md); the demo loader, the test
# harnesses and the navigation walk them in this order.
PARKOPS_APPS = [
    "core",
    "security",
    "enterprises",
    "spaces",
    "leasing",
    "admissions",
    "fund",
    "utilities",
    "programs",
    "analytics",
]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "django_filters",
    "ninja",  # the API docs' Swagger UI from the package's own static files, not a CDN
    "django_tasks",
    "django_tasks_db",
    "axes",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    *PARKOPS_APPS,
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "security.middleware.SessionPolicyMiddleware",
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
                "core.context_processors.shell",
            ],
        },
    }
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'parkops.sqlite3'}", conn_max_age=60
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE: a check-then-write transaction takes the write lock first, so two writers
    # serialise instead of both passing the check (see FIELD-NOTES, overlapping leases).
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA cache_size=-65536;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
elif "postgresql" in DATABASES["default"]["ENGINE"]:
    # no JIT compilation: ParkOps' queries are short, and PostgreSQL's estimate for a report
    # over a park of 2,000 leases made it compile one for longer than the query ran
    # (bench/scale.py at scale 1: 0.6 s of 0.7 s); the aging paid 13 ms a call for it
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "core.User"
LOGIN_URL = "core:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "core:login"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "security.validators.CharacterClassesValidator", "OPTIONS": {"min_classes": 3}},
    {"NAME": "security.validators.PasswordHistoryValidator", "OPTIONS": {"keep": 5}},
]


def env_per_role(name: str, default: str) -> dict[str, int]:
    """A number per role from e.g. ``"admin=30,gov=30,*=120"`` ("*": every other role;
    0: no limit)."""
    pairs = (item.split("=", 1) for item in os.environ.get(name, default).split(",") if item)
    return {role.strip(): int(value) for role, value in pairs}


# Security controls (the security app; 等保 2.0 level 3), each shown on the 安全合规 page.
# Minutes without a request before a signed-in session ends:
PARKOPS_IDLE_MINUTES = env_per_role("PARKOPS_IDLE_MINUTES", "admin=30,gov=30,auditor=30,*=120")
# Hours a session lasts from sign-in, however active:
# API lists whose rows only copy columns are read with .values() and written without a schema
# object per row (core.api.rows); off, every list goes through validation (the same answer)
PARKOPS_API_PLAIN_ROWS = os.environ.get("PARKOPS_API_PLAIN_ROWS", "1") != "0"
PARKOPS_SESSION_HOURS = int(os.environ.get("PARKOPS_SESSION_HOURS", "12"))
SESSION_COOKIE_AGE = PARKOPS_SESSION_HOURS * 3600
# Days a password is good for, per role (0: no expiry):
PARKOPS_PASSWORD_MAX_AGE = env_per_role(
    "PARKOPS_PASSWORD_MAX_AGE", "admin=90,gov=90,auditor=90,*=0"
)
# Two-factor sign-in (django-otp): the name authenticator apps show; which roles must use it
# is the platform admin's to set on the 安全合规 page (security.SecuritySettings).
OTP_TOTP_ISSUER = "ParkOps"
# Personal fields encrypted at rest (django-fernet-encrypted-fields): the key is derived from
# SECRET_KEY (from the environment) and this salt; a rotated SECRET_KEY stays readable while
# the old one is listed in SECRET_KEY_FALLBACKS.
SALT_KEY = [os.environ.get("PARKOPS_FIELD_SALT", "parkops-personal-fields")]
# Days the audit log keeps an entry at least (never under 180: `manage.py audit_prune`):
PARKOPS_AUDIT_RETENTION_DAYS = int(os.environ.get("PARKOPS_AUDIT_RETENTION_DAYS", "365"))

# Login throttling (django-axes): lock a username+IP pair after 5 failures for 15 minutes;
# the default cool-off of None would lock an account for ever.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.25
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "core/locked_out.html"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
FORMAT_MODULE_PATH = ["config.formats"]  # amounts grouped by thousands in Chinese too
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATIC_ROOT.mkdir(exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = VAR_DIR / "media"
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

# Background work: django-tasks with its database backend, so the embedded default needs no
# broker; `make worker` runs `manage.py db_worker`.
TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

# Content Security Policy (django-csp): every asset is served from this origin.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "style-src": ["'self'"],
        "script-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

NINJA_PAGINATION_PER_PAGE = 50

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

APP_NAME = _("ParkOps")
PARKOPS_PARK_MODEL = "spaces.Park"  # the scope record the top-bar switcher lists
WHITENOISE_USE_FINDERS = True  # serve app static files without collectstatic (embedded default)

# An empty choice in a filter bar means "any": it reads 全部, not Django's "---------".
FILTERS_EMPTY_CHOICE_LABEL = _("All")
