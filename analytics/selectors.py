"""Reads of analytics: the scope a user asks for, the records behind a figure, the charts,
and the companies asked to file a statistics period."""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from analytics.kpis import WAN, Scope, kpi, valid_qualifications
from analytics.models import ParkFigures
from core.dates import add_months
from enterprises.choices import FilingState, StatPeriodKind
from enterprises.models import Enterprise, StatFiling, StatPeriod
from leasing.choices import InvoiceKind
from leasing.models import LeaseUnit
from leasing.selectors import LIVE, occupancy_series, overdue_bills
from spaces.choices import UnitStatus

__all__ = [
    "Drill",
    "charts",
    "drill",
    "filers_for",
    "period_progress",
    "scope_for",
]


def scope_for(user: Any, park: str | None, as_of: datetime.date) -> Scope:
    """The parks ``user`` asks about: one by code, or every park whose figures they read
    (404 for a code outside their scope)."""
    parks = ParkFigures.objects.restrict(user).order_by("code")
    if park:
        parks = parks.filter(code__iexact=park)
        if not parks:
            raise Http404
        return Scope(parks, as_of)
    return Scope(parks, as_of, label=_("All my parks"))


def period_progress(periods: QuerySet[StatPeriod]) -> QuerySet[StatPeriod]:
    """Periods with how many companies were asked (``asked``) and have filed (``filed``)."""
    return periods.select_related("operator").annotate(
        asked=Count("filings"),
        filed=Count("filings", filter=Q(filings__state=FilingState.FILED)),
    )


def filers_for(period: StatPeriod) -> QuerySet[Enterprise]:
    """Companies a signed lease of the operator's units covered on any day of the period."""
    spans = LeaseUnit.objects.filter(
        lease__state__in=LIVE,
        start_on__lte=period.ends_on,
        end_on__gte=period.starts_on,
        unit__park__operator_id=period.operator_id,
    )
    return Enterprise.objects.filter(pk__in=spans.values("lease__enterprise_id")).order_by("name")


@dataclass(frozen=True)
class Drill:
    """The records behind a figure: a heading, column labels and rows of (text, link)."""

    title: str
    columns: list[str]
    rows: list[list[tuple[Any, str]]]


def _grouped(count: int | None) -> Decimal | None:
    """A count shown with separators (3,000), as pages show figures."""
    return None if count is None else Decimal(count)


def _company(e: Any) -> tuple[Any, str]:
    return e.name, reverse("enterprises:enterprise_detail", args=[e.pk])


def drill(scope: Scope, key: str, limit: int = 500) -> Drill:
    """The records a KPI of ``scope`` counts or sums, as a table."""
    figure = kpi(key)
    kind = figure.drill
    if kind in ("units", "leased_units"):
        units = scope.units.select_related("park", "building").order_by("park__code", "code")
        if kind == "leased_units":
            units = units.filter(pk__in=scope.tenant_spans().values("unit_id"))
        else:
            units = units.exclude(status=UnitStatus.NOT_LEASABLE)
        rows = [
            [
                (u.code, reverse("spaces:unit_detail", args=[u.pk])),
                (u.park.name, ""),
                (u.area_m2, ""),
                (u.clear_height_m, ""),
            ]
            for u in units[:limit]
        ]
        columns = [_("Unit"), _("Park"), _("Area (㎡)"), _("Clear height (m)")]
    elif kind == "tenants":
        companies = Enterprise.objects.filter(pk__in=scope.tenant_ids).select_related("industry")
        rows = [[_company(e), (e.industry or "", "")] for e in companies[:limit]]
        columns = [_("Company"), _("Industry")]
    elif kind == "qualifications":
        args = dict(figure.drill_args)
        quals = valid_qualifications(scope.tenant_ids, scope.as_of).filter(kind=args["kind"])
        if args["level"]:
            quals = quals.filter(level=args["level"])
        rows = [
            [
                _company(q.enterprise),
                (q.certificate_no, reverse("enterprises:qualification_detail", args=[q.pk])),
                (q.expires_on or "", ""),
            ]
            for q in quals.select_related("enterprise").order_by("enterprise__name")[:limit]
        ]
        columns = [_("Company"), _("Certificate"), _("Expires on")]
    elif kind in ("latest_filings", "year_filings", "last_year_filings"):
        if kind == "latest_filings":
            filings = scope.latest_filings()
        else:
            year = scope.as_of.year - (1 if kind == "last_year_filings" else 0)
            filings = scope.year_filings(year)
        rows = [
            [
                _company(f.enterprise),
                (str(f.period), reverse("enterprises:statfiling_detail", args=[f.pk])),
                (_grouped(f.headcount), ""),
                (_grouped(f.talents), ""),
                (_grouped(f.ip_items), ""),
                (f.output_value_wan, ""),
                (f.revenue_wan, ""),
            ]
            for f in filings.order_by("enterprise__name", "period__ends_on")[:limit]
        ]
        columns = [
            _("Company"),
            pgettext("statistics", "Period"),
            _("Employees"),
            _("Talents"),
            _("IP items"),
            _("Output value (万元)"),
            _("Revenue (万元)"),
        ]
    else:  # invoices behind the collection rate and the arrears
        if kind == "overdue_invoices":
            invoices = overdue_bills(scope.invoices, scope.as_of)
        else:
            invoices = scope.invoices.exclude(kind=InvoiceKind.CREDIT).filter(
                due_on__gte=datetime.date(scope.as_of.year, 1, 1), due_on__lte=scope.as_of
            )
        invoices = invoices.select_related("enterprise").order_by("due_on", "number")
        rows = [
            [
                (i.number, reverse("leasing:invoice_detail", args=[i.pk])),
                _company(i.enterprise),
                (i.due_on, ""),
                (i.amount, ""),
                (i.settled, ""),
            ]
            for i in invoices[:limit]
        ]
        columns = [_("Bill"), _("Company"), _("Due on"), _("Amount (元)"), _("Settled (元)")]
    return Drill(str(figure.label), columns, rows)


def charts(scope: Scope) -> dict[str, Any]:
    """Data of the dashboard's charts (ECharts options are built in the browser from it)."""
    trend = occupancy_series(scope.units, 12, scope.as_of)
    quarters = _quarterly(scope)
    industries = Counter(
        Enterprise.objects.filter(pk__in=scope.tenant_ids).values_list(
            "industry__section", flat=True
        )
    )
    units = dict(scope.units.values("status").annotate(n=Count("id")).values_list("status", "n"))
    return {
        "occupancy": {
            "labels": [d.strftime("%Y-%m") for d, _o in trend],
            "values": [float(o.rate) for _d, o in trend],
        },
        "output": quarters,
        "industries": [
            {"name": _section(section), "value": n} for section, n in industries.most_common()
        ],
        "units": [
            {"name": str(UnitStatus(status).label), "value": n, "status": status}
            for status, n in sorted(units.items())
        ],
    }


def _section(code: str | None) -> str:
    from enterprises.filters import SECTIONS

    return dict(SECTIONS).get(code or "", _("Unknown"))


def _quarterly(scope: Scope) -> dict[str, Any]:
    """Output value and revenue filed per quarter over the three years to the day, in 万元."""
    start = add_months(datetime.date(scope.as_of.year, 1, 1), -24)
    rows = (
        StatFiling.objects.filter(
            enterprise_id__in=scope.tenant_ids,
            state=FilingState.FILED,
            period__kind=StatPeriodKind.QUARTER,
            period__starts_on__gte=start,
            period__ends_on__lte=scope.as_of,
        )
        .values("period__year", "period__number")
        .annotate(output=Sum("output_value_wan"), revenue=Sum("revenue_wan"))
        .order_by("period__year", "period__number")
    )
    return {
        "labels": [f"{r['period__year']}Q{r['period__number']}" for r in rows],
        "output": [float(Decimal(str(r["output"] or 0))) for r in rows],
        "revenue": [float(Decimal(str(r["revenue"] or 0))) for r in rows],
        "unit": "万元",
        "wan": float(WAN),
    }
