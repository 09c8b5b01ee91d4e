from django.utils.translation import gettext_lazy as _

from core.registry import ParkOpsApp


class CoreConfig(ParkOpsApp):
    name = "core"
    api = "core.api.routes"
    verbose_name = _("Platform")
    nav = [
        {"label": _("Users"), "url": "core:user_list", "model": "core.User"},
        {"label": _("Operators"), "url": "core:operator_list", "model": "core.Operator"},
    ]
