"""What the application shell needs on every page: navigation, park switcher, roles."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.http import HttpRequest
from django.urls import reverse

from core.registry import parkops_apps

__all__ = ["shell"]


def shell(request: HttpRequest) -> dict[str, Any]:
    user = request.user
    if not user.is_authenticated:
        return {}
    sections, account_items = [], []
    for config in parkops_apps():
        for item in config.account_nav:
            url = reverse(item["url"])
            account_items.append(
                {"label": item["label"], "url": url, "active": request.path == url}
            )
        items = []
        if not config.nav_visible(user):
            continue
        for item in getattr(config, "nav", ()):
            model = apps.get_model(item["model"])
            if model.policy.allows_role(user, item.get("action", "view")):  # type: ignore[attr-defined]
                url = reverse(item["url"])
                items.append(
                    {
                        "label": item["label"],
                        "url": url,
                        "icon": item.get("icon", ""),
                        "active": request.path.startswith(url),
                    }
                )
        if items:
            sections.append({"label": config.verbose_name, "items": items})
    from core.notifications import open_count
    from core.selectors import switchable_parks

    return {
        "nav_sections": sections,
        "account_items": account_items,
        "switch_parks": switchable_parks(user),
        "current_park": request.session.get("park", ""),
        "unread_notifications": open_count(user),
    }
