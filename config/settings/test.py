"""Settings for the test suite: fast hashing, tasks run at once, same database choice as base."""

from .base import *  # noqa: F403
from .base import DATABASES

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
AXES_FAILURE_LIMIT = 3
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# live-server threads close their connection after each request, so the test database can
# be dropped at the end (a persistent one is left open in a finished thread)
DATABASES["default"]["CONN_MAX_AGE"] = 0
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["TEST"] = {"NAME": ""}  # in memory
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "loggers": {"django.request": {"level": "ERROR"}, "django.security": {"level": "ERROR"}},
}
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    # one process: threads (live server, worker) and the test share it
    "progress": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "p"},
}
