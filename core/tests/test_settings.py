"""Settings: production passes Django's deployment checks; DEBUG is off unless asked for."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys

from django.conf import settings


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "SECRET_KEY")}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_settings_pass_check_deploy():
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_SETTINGS_MODULE="config.settings.production",
        SECRET_KEY=secrets.token_urlsafe(64),
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_debug_is_off_unless_asked_for():
    code = "from django.conf import settings; print(settings.DEBUG)"
    off = _manage("shell", "-c", code, DJANGO_SETTINGS_MODULE="config.settings.dev")
    on = _manage("shell", "-c", code, DJANGO_SETTINGS_MODULE="config.settings.dev", DEBUG="1")
    last = [r.stdout.strip().splitlines()[-1] for r in (off, on)]
    assert last == ["False", "True"]
