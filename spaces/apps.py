from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from core.registry import ParkOpsApp


class SpacesConfig(ParkOpsApp):
    name = "spaces"
    verbose_name = _("Spaces")
    registers = ("spaces.imports",)  # the unit spreadsheet template, for the worker
    nav = [
        {"label": _("Parks"), "url": "spaces:park_list", "model": "spaces.Park"},
        {"label": _("Buildings"), "url": "spaces:building_list", "model": "spaces.Building"},
        {"label": _("Units"), "url": "spaces:unit_list", "model": "spaces.Unit"},
    ]

    @staticmethod
    def home_cards(user: Any, park_code: str | None) -> list[dict[str, Any]]:
        """Dashboard cards: area figures of the parks the user may see."""
        from django.urls import reverse

        from core.templatetags.parkops import big_number, percent
        from spaces.models import Park, Unit
        from spaces.selectors import area_figures

        if not Unit.policy.allows_role(user, "view"):  # parks are public, their figures not
            return []
        units = Unit.objects.restrict(user)
        if park_code:
            units = units.filter(park__code=park_code)
        figures = area_figures(units)
        in_view = Park.objects.restrict(user)
        if park_code:  # the park switcher narrows every card, this one too
            in_view = in_view.filter(code=park_code)
        parks = in_view.count()
        url = reverse("spaces:park_list")
        return [
            {"label": _("Parks"), "value": parks, "url": url},
            {
                "label": _("Building area (m²)"),
                "value": big_number(figures.total_area_m2),
                "url": url,
            },
            {
                "label": _("Share of area with clear height over 6.5 m"),
                "value": percent(figures.high_clear_height_share),
                "url": url,
            },
            {"label": _("Units"), "value": figures.units, "url": reverse("spaces:unit_list")},
        ]
