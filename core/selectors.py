"""Reads the shell needs without importing a domain app (parks are found through apps)."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.conf import settings

__all__ = ["switchable_parks"]


def switchable_parks(user: Any) -> list[tuple[str, str]]:
    """(code, name) of the parks the user may see, for the top-bar park switcher."""
    park = apps.get_model(settings.PARKOPS_PARK_MODEL)
    return list(park.objects.restrict(user, "view").values_list("code", "name"))
