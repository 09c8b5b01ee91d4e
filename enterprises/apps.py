from django.utils.translation import gettext_lazy as _

from core.registry import ParkOpsApp


class EnterprisesConfig(ParkOpsApp):
    name = "enterprises"
    verbose_name = _("Enterprises")
    registers = ("enterprises.imports",)  # the company spreadsheet template
    nav = [
        {
            "label": _("Enterprises"),
            "url": "enterprises:enterprise_list",
            "model": "enterprises.Enterprise",
        },
        {
            "label": _("Qualifications"),
            "url": "enterprises:qualification_list",
            "model": "enterprises.Qualification",
        },
    ]
