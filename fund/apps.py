from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from core.registry import ParkOpsApp


class FundConfig(ParkOpsApp):
    name = "fund"
    verbose_name = _("Sci-tech fund")
    nav = [
        {"label": _("Funds"), "url": "fund:fund_list", "model": "fund.Fund"},
        {"label": _("Deal pipeline"), "url": "fund:board", "model": "fund.Deal"},
        {"label": _("Investments"), "url": "fund:investment_list", "model": "fund.Investment"},
        {
            "label": _("Capital accounts"),
            "url": "fund:ledgerentry_list",
            "model": "fund.LedgerEntry",
        },
    ]

    def ready(self) -> None:
        super().ready()
        from core.views import Tab, register_tab
        from fund.models import Investment

        def sees_fund(user: Any) -> bool:
            return Investment.policy.allows_role(user, "view")

        # one company, all its relationships: the fund's deals and holdings in it
        register_tab(
            "enterprises.enterprise",
            Tab(
                "investments",
                _("Investments"),
                "fund/partials/enterprise_investments.html",
                context=_enterprise_investments,
                visible=sees_fund,
            ),
        )
        # a lease whose rent was given up for equity (以租代投) shows the investment it bought
        register_tab(
            "leasing.lease",
            Tab(
                "equity",
                _("Rent for equity"),
                "fund/partials/lease_investments.html",
                context=_lease_investments,
                visible=sees_fund,
            ),
        )

    @staticmethod
    def nav_visible(user: Any) -> bool:
        """Staff read the fund only where they are named managers: no empty pages otherwise."""
        if user.role != "operator":
            return True
        return bool(user.managed_funds.exists())

    @staticmethod
    def home_todos(user: Any, park_code: str | None) -> list[dict[str, Any]]:
        """A fund manager's to-dos: deals whose next step falls due within a week, and marks
        proposed by the companies' later financing rounds."""
        import datetime

        from django.urls import reverse
        from django.utils import timezone

        from fund.choices import OPEN_STAGES
        from fund.models import Deal, Fund
        from fund.selectors import mark_proposals

        if user.role != "fund":
            return []
        today = timezone.localdate()
        funds = Fund.objects.restrict(user)
        due = Deal.objects.restrict(user).filter(
            stage__in=OPEN_STAGES, next_step_on__lte=today + datetime.timedelta(days=7)
        )
        proposals = mark_proposals(funds, today)
        first = funds.first()
        return [
            {
                "label": _("Deals with a next step due this week"),
                "count": due.count(),
                "url": reverse("fund:board"),
            },
            {
                "label": _("Proposed marks to review"),
                "count": len(proposals),
                "url": reverse("fund:fund_detail", args=[first.pk])
                if first
                else reverse("fund:fund_list"),
            },
        ]

    @staticmethod
    def home_cards(user: Any, park_code: str | None) -> list[dict[str, Any]]:
        """A fund manager's cards: NAV and TVPI today of each fund they manage."""
        from django.urls import reverse
        from django.utils import timezone

        from core.templatetags.parkops import big_number, multiple
        from fund.models import Fund
        from fund.selectors import fund_metrics

        cards = []
        for fund in Fund.objects.restrict(user)[:3]:
            figures = fund_metrics(fund, timezone.localdate())
            url = reverse("fund:fund_detail", args=[fund.pk])
            cards.append(
                {
                    "label": _("%(fund)s NAV (元)") % {"fund": fund.code},
                    "value": big_number(figures.nav),
                    "url": url,
                }
            )
            tvpi = multiple(figures.tvpi)
            cards.append(
                {"label": _("%(fund)s TVPI") % {"fund": fund.code}, "value": tvpi, "url": url}
            )
        return cards


def _enterprise_investments(request: Any, enterprise: Any) -> dict[str, Any]:
    from fund.models import Deal, Investment

    user = request.user
    return {
        "investments": Investment.objects.restrict(user)
        .filter(enterprise=enterprise)
        .select_related("fund"),
        "deals": Deal.objects.restrict(user).filter(enterprise=enterprise).select_related("fund"),
        "can_add_deal": Deal.policy.allows_role(user, "add"),
    }


def _lease_investments(request: Any, lease: Any) -> dict[str, Any]:
    from fund.models import Investment

    return {
        "equity_investments": Investment.objects.restrict(request.user)
        .filter(lease=lease)
        .select_related("fund", "rent_free")
    }
