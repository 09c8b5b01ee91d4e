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

    def ready(self) -> None:
        super().ready()
        from django import forms

        from core.choices import Role
        from core.scopes import RoleScope, register_role_scope
        from enterprises.models import Enterprise
        from enterprises.selectors import company_ids_of, company_of
        from enterprises.services import membership_set

        # a tenant user acts for one company of the registry
        register_role_scope(
            RoleScope(
                role=Role.TENANT,
                kind="enterprise",
                name="enterprise",
                label=_("enterprise"),
                form_field=lambda: forms.ModelChoiceField(queryset=Enterprise.objects.all()),
                value_of=company_of,
                assign=membership_set,
                ids=company_ids_of,
                select_related="membership__enterprise",
            )
        )
