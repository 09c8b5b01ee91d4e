from typing import Any

from django.utils.translation import gettext_lazy as _

from core.registry import ParkOpsApp


class EnterprisesConfig(ParkOpsApp):
    name = "enterprises"
    verbose_name = _("Enterprises")
    # the spreadsheet templates: companies, statistics filings
    registers = ("enterprises.imports", "enterprises.filing_imports")
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
        {
            "label": _("Statistics filings"),
            "url": "enterprises:statfiling_list",
            "model": "enterprises.StatFiling",
        },
    ]

    @staticmethod
    def home_todos(user: Any, park_code: str | None) -> list[dict[str, Any]]:
        """A company's statistics still to file."""
        from django.urls import reverse

        from enterprises.choices import FilingState
        from enterprises.models import StatFiling

        if user.role != "tenant":
            return []
        due = StatFiling.objects.restrict(user).filter(state=FilingState.DUE)
        return [
            {
                "label": _("Statistics to file"),
                "count": due.count(),
                "url": reverse("enterprises:statfiling_list") + "?state=due",
            }
        ]

    def ready(self) -> None:
        super().ready()
        from django import forms

        from core.choices import Role
        from core.pickers import register_picker
        from core.scopes import RoleScope, register_role_scope
        from enterprises.models import Enterprise

        # forms choose a company by typing part of its name or credit code
        register_picker(Enterprise, ("name", "credit_code"), order="name")
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
