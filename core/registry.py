"""What each app contributes to the platform, declared once on its AppConfig; core discovers it.

An app subclasses :class:`ParkOpsApp` and is listed once, in ``settings.PARKOPS_APPS``. From
that core finds its navigation, home cards, page URLs, API router, spreadsheet templates,
demo part (``<app>/demo.py``) and test samples (``<app>/testing.py``); the mypy run reads the
same list. Nothing in ``config`` or ``core`` names an app.
"""

from __future__ import annotations

from importlib import import_module
from importlib.util import find_spec
from typing import Any, ClassVar

from django.apps import AppConfig, apps
from django.conf import settings

__all__ = ["ParkOpsApp", "api_routers", "app_modules", "parkops_apps", "url_patterns"]


class ParkOpsApp(AppConfig):
    """An app of the platform and what it adds to it.

    - ``nav``: left-navigation items ``{"label", "url" (name), "model", "action"?}``, shown to
      roles the model's policy grants the action; ``account_nav``: links every signed-in
      user gets under 账户 (one's own sign-ins);
    - ``home_cards(user, park_code)``: KPI cards on the home page (a static method);
    - ``home_todos(user, park_code)``: what waits for the user, as ``{"label", "count", "url"}``
      (a static method), listed over the cards;
    - ``urls``: the module of its pages (``<name>.urls``), served under ``/<label>/``;
    - ``api``: the module whose ``router`` is served under ``/api/v1/<label>/``;
    - ``registers``: modules imported when the app is ready, for what they register (the
      spreadsheet templates the import worker looks up by kind).
    """

    # Django picks an app's config from its apps.py, which imports this class too: this base
    # is never the default, each subclass is.
    default = False

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls.default = True

    nav: ClassVar[list[dict[str, Any]]] = []
    # links under 账户 for every signed-in user: {"label", "url" (name)}
    account_nav: ClassVar[list[dict[str, Any]]] = []
    urls: ClassVar[str | None] = None  # default: "<name>.urls" if it exists
    api: ClassVar[str | None] = None  # default: "<name>.api" if it exists
    registers: ClassVar[tuple[str, ...]] = ()

    def ready(self) -> None:
        for module in self.registers:
            import_module(module)

    @staticmethod
    def home_cards(user: Any, park_code: str | None) -> list[dict[str, Any]]:
        """KPI cards for the home page; none unless the app has some."""
        return []

    @staticmethod
    def nav_visible(user: Any) -> bool:
        """Whether the app's navigation is shown to ``user`` at all (beyond each item's
        policy): an app can hide a section that would only lead to empty pages."""
        return True

    @staticmethod
    def home_todos(user: Any, park_code: str | None) -> list[dict[str, Any]]:
        """The user's to-dos on the home page; none unless the app has some."""
        return []

    def contribution(self, kind: str) -> str | None:
        """The app's module of one kind ("urls", "api", "demo", "testing"), if it has one."""
        name = getattr(self, kind, None) or f"{self.name}.{kind}"
        return name if find_spec(name) is not None else None


def parkops_apps() -> list[ParkOpsApp]:
    """The platform's apps, lowest layer first (the order of ``PARKOPS_APPS``)."""
    configs = [apps.get_app_config(label) for label in settings.PARKOPS_APPS]
    return [c for c in configs if isinstance(c, ParkOpsApp)]


def app_modules(kind: str) -> list[tuple[ParkOpsApp, Any]]:
    """Each app's module of one kind, imported: [(app, module)] for the apps that have one."""
    found = []
    for app in parkops_apps():
        name = app.contribution(kind)
        if name is not None:
            found.append((app, import_module(name)))
    return found


def url_patterns() -> list[Any]:
    """Every app's pages under /<label>/ (core's own at the root, last)."""
    from django.urls import include, path

    patterns = [
        path(f"{app.label}/", include(module.__name__))
        for app, module in app_modules("urls")
        if app.label != "core"
    ]
    return [*patterns, path("", include("core.urls"))]


def api_routers() -> list[tuple[str, Any]]:
    """(prefix, router) of every app's API; core's at the root."""
    return [
        ("/" if app.label == "core" else f"/{app.label}/", module.router)
        for app, module in app_modules("api")
    ]
