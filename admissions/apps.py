from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from core.registry import ParkOpsApp


class AdmissionsConfig(ParkOpsApp):
    name = "admissions"
    verbose_name = _("Admissions")
    nav = [
        {
            "label": _("Admission pipeline"),
            "url": "admissions:board",
            "model": "admissions.Application",
        },
        {
            "label": _("Waiting for me"),
            "url": "admissions:inbox",
            "model": "admissions.Application",
        },
        {
            "label": _("Industry thresholds"),
            "url": "admissions:thresholdrule_list",
            "model": "admissions.ThresholdRule",
        },
        {
            "label": _("Joint review rules"),
            "url": "admissions:rules",
            "model": "admissions.Application",
        },
        {
            "label": _("Admission settings"),
            "url": "admissions:admissionsettings_list",
            "model": "admissions.AdmissionSettings",
        },
    ]

    @staticmethod
    def home_todos(user: Any, park_code: str | None) -> list[dict[str, Any]]:
        """Applications waiting for the user's move or review."""
        from django.urls import reverse

        from admissions.models import Application
        from admissions.selectors import inbox

        if user.role not in ("operator", "gov", "admin"):
            return []
        if not Application.policy.allows_role(user, "view"):
            return []
        waiting = inbox(user)
        if park_code:
            waiting = waiting.filter(park__code=park_code)
        return [
            {
                "label": _("Applications waiting for you"),
                "count": waiting.count(),
                "url": reverse("admissions:inbox"),
            }
        ]

    def ready(self) -> None:
        super().ready()
        from core.views import Tab, register_tab

        # one company, all its roles: its applications on the enterprise page
        register_tab(
            "enterprises.enterprise",
            Tab(
                "applications",
                _("Applications"),
                "admissions/partials/enterprise_applications.html",
                context=_enterprise_applications,
            ),
        )


def _enterprise_applications(request: Any, enterprise: Any) -> dict[str, Any]:
    from admissions.models import Application

    return {
        "applications": Application.objects.restrict(request.user)
        .filter(enterprise=enterprise)
        .select_related("park")
    }
