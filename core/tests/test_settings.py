"""Settings: production passes Django's deployment checks; DEBUG is off unless asked for."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys

import pytest
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
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/postgres",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_its_database_or_key():
    environment = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=settings.BASE_DIR,
        env={
            **environment,
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "SECRET_KEY": "x" * 60,
        },
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0 and "Set DATABASE_URL in production" in result.stderr
    no_key = _manage(
        "check",
        DJANGO_SETTINGS_MODULE="config.settings.production",
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/postgres",
    )
    assert no_key.returncode != 0 and "Set SECRET_KEY in production" in no_key.stderr


@pytest.mark.django_db
def test_api_docs_load_their_assets_from_the_product_not_a_cdn(client):
    from core.models import User

    # a tenant user: on a fresh installation an admin sets up two-factor sign-in first
    client.force_login(User.objects.create_user(username="d", password="x", role="tenant"))
    html = client.get("/api/v1/docs").content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in html
    assert "cdn" not in html.lower() and "https://" not in html


def test_debug_is_off_unless_asked_for():
    code = "from django.conf import settings; print(settings.DEBUG)"
    off = _manage("shell", "-c", code, DJANGO_SETTINGS_MODULE="config.settings.dev")
    on = _manage("shell", "-c", code, DJANGO_SETTINGS_MODULE="config.settings.dev", DEBUG="1")
    last = [r.stdout.strip().splitlines()[-1] for r in (off, on)]
    assert last == ["False", "True"]
