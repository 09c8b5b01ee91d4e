from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EnterprisesConfig(AppConfig):
    name = "enterprises"
    verbose_name = _("Enterprises")
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

    def ready(self) -> None:
        from enterprises import imports  # noqa: F401  (registers the template for the worker)
