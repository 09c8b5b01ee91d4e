from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from core.registry import ParkOpsApp


class UtilitiesConfig(ParkOpsApp):
    name = "utilities"
    verbose_name = _("Utilities")
    nav = [
        {"label": _("Meters"), "url": "utilities:meter_list", "model": "utilities.Meter"},
        {
            "label": _("Meter readings"),
            "url": "utilities:reading_list",
            "model": "utilities.Reading",
        },
    ]

    def ready(self) -> None:
        super().ready()
        from core.views import Tab, register_tab
        from leasing.models import LeaseCharge

        # a tenant's electricity and water by month, from the lines it was billed
        register_tab(
            "enterprises.enterprise",
            Tab(
                "utilities",
                _("Utilities"),
                "utilities/partials/enterprise_usage.html",
                context=_enterprise_usage,
                visible=lambda user: LeaseCharge.policy.allows_role(user, "view"),
            ),
        )

    @staticmethod
    def home_todos(user: Any, park_code: str | None) -> list[dict[str, Any]]:
        """Staff's to-do: meters in use not read yet this month."""
        from django.urls import reverse
        from django.utils import timezone

        from utilities.models import Meter

        if user.role != "operator":
            return []
        month = timezone.localdate().replace(day=1)
        meters = Meter.objects.restrict(user).filter(active=True)
        if park_code:
            meters = meters.filter(park__code=park_code)
        unread = meters.exclude(readings__read_on__gte=month).count()
        return [
            {
                "label": _("Meters not read this month"),
                "count": unread,
                "url": reverse("utilities:meter_list"),
            }
        ]


def _enterprise_usage(request: Any, enterprise: Any) -> dict[str, Any]:
    from core.charts import column_chart
    from leasing.choices import ChargeKind
    from utilities.choices import UNIT_OF
    from utilities.selectors import tenant_usage

    charts = []
    for kind, months in tenant_usage(request.user, enterprise).items():
        top = max((q for _m, q in months), default=0) or 1
        charts.append(
            (
                ChargeKind(kind).label,
                UNIT_OF.get(kind, ""),
                column_chart([(m, q / top) for m, q in months], [q for _m, q in months]),
            )
        )
    return {"usage_charts": charts}
