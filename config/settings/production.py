"""Production: PostgreSQL through DATABASE_URL, HTTPS only, static files through WhiteNoise.

Passes `manage.py check --deploy` with no warning when SECRET_KEY is set to a long random value.
"""

import os

from django.core.exceptions import ImproperlyConfigured

# Production never falls back to the embedded default: no SQLite file, no key generated into
# var/ — a missing setting stops the start with what to set.
for _name, _what in (
    ("DATABASE_URL", "the PostgreSQL database, e.g. postgres://parkops@db:5432/parkops"),
    (
        "SECRET_KEY",
        "a long random secret, e.g. from `python -c 'import secrets; print(secrets.token_urlsafe(64))'`",
    ),
):
    if not os.environ.get(_name):
        raise ImproperlyConfigured(f"Set {_name} in production: {_what}.")

from .base import *  # noqa: E402, F403
from .base import STORAGES  # noqa: E402

DEBUG = False
SECURE_SSL_REDIRECT = True
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = 31536000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = False
