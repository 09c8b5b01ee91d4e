"""Production settings as they run behind the TLS proxy, less what needs TLS itself: the load
test (bench/load.py) speaks plain HTTP to gunicorn on 127.0.0.1, where a redirect to https and
cookies marked Secure would stop every request."""

from config.settings.production import *  # noqa: F403

SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
