"""One registry: an app is listed once (settings.PARKOPS_APPS) and core finds the rest."""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings
from django.urls import reverse

from core.registry import ParkOpsApp, api_routers, app_modules, parkops_apps


def test_every_listed_app_declares_its_contributions():
    assert [a.label for a in parkops_apps()] == settings.PARKOPS_APPS
    assert all(isinstance(a, ParkOpsApp) for a in parkops_apps())
    for app in parkops_apps():
        for item in app.nav:
            assert reverse(item["url"]).startswith("/")


def test_config_names_no_app():
    """URLs, the API and the type check come from the list; nothing else names an app."""
    apps = [a for a in settings.PARKOPS_APPS if a != "core"]
    for name in ("config/urls.py", "config/api.py", "Makefile"):
        lines = (Path(settings.BASE_DIR) / name).read_text().splitlines()
        # benchmark scripts, and what `make` says to people (the demo user "fund")
        text = "\n".join(line for line in lines if "bench/" not in line and "@echo" not in line)
        assert not [a for a in apps if re.search(rf"\b{a}\b", text)], name


def test_routers_demo_and_samples_are_found():
    prefixes = [prefix for prefix, _router in api_routers()]
    assert prefixes == ["/", *(f"/{a}/" for a in settings.PARKOPS_APPS[1:])]
    assert {a.label for a, _m in app_modules("demo")} == set(settings.PARKOPS_APPS)
    assert {a.label for a, _m in app_modules("testing")} == set(settings.PARKOPS_APPS)
