from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LeasingConfig(AppConfig):
    name = "leasing"
    verbose_name = _("Leasing")
    nav = [{"label": _("Leases"), "url": "leasing:lease_list", "model": "leasing.Lease"}]

    @staticmethod
    def home_cards(user: Any, park_code: str | None) -> list[dict[str, Any]]:
        """Dashboard card: occupancy today of the parks the user may see."""
        from django.urls import reverse
        from django.utils import timezone

        from core.templatetags.parkops import percent
        from leasing.selectors import occupancy
        from spaces.models import Park, Unit

        if not Park.policy.allows_role(user, "view"):
            return []
        units = Unit.objects.filter(park__in=Park.objects.restrict(user))
        if park_code:
            units = units.filter(park__code=park_code)
        figures = occupancy(units, timezone.localdate())
        url = reverse("leasing:lease_list") if user.role != "gov" else reverse("spaces:park_list")
        return [
            {"label": _("Occupancy today (by area)"), "value": percent(figures.rate), "url": url}
        ]
