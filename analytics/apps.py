from django.utils.translation import gettext_lazy as _

from core.registry import ParkOpsApp


class AnalyticsConfig(ParkOpsApp):
    name = "analytics"
    verbose_name = _("Analytics")
    nav = [
        {
            "label": _("Park dashboard"),
            "url": "analytics:dashboard",
            "model": "analytics.ParkFigures",
        },
        {
            "label": _("Company vs park"),
            "url": "analytics:company",
            "model": "enterprises.StatFiling",
        },
        {"label": _("Growth radar"), "url": "analytics:radar", "model": "analytics.ParkFigures"},
        {
            "label": _("Early warning"),
            "url": "analytics:warnings",
            "model": "analytics.ParkFigures",
        },
        {
            "label": _("Torch statistics returns"),
            "url": "analytics:torch",
            "model": "analytics.ParkFigures",
        },
        {
            "label": _("Statistics periods"),
            "url": "analytics:period_list",
            "model": "enterprises.StatPeriod",
            "action": "add",
        },
    ]
