"""Reads of analytics: the scope a user asks for, the records behind a figure, the charts,
and the companies asked to file a statistics period."""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from statistics import median
from typing import Any
from urllib.parse import urlencode

from django.db.models import Count, Q, QuerySet, Sum
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from admissions.models import Application
from analytics.kpis import WAN, Scope, kpi, valid_qualifications
from analytics.models import ParkFigures
from core.dates import add_months
from enterprises.choices import FilingState, StatPeriodKind
from enterprises.models import Enterprise, Qualification, StatFiling, StatPeriod
from fund.models import Fund
from leasing.choices import InvoiceKind
from leasing.models import Invoice, LeaseUnit
from leasing.selectors import LIVE, occupancy_series, overdue_bills
from programs.models import ServiceRequest
from spaces.choices import UnitStatus
from spaces.models import Unit

__all__ = [
    "Drill",
    "benchmark",
    "charts",
    "drill",
    "filers_for",
    "period_ends",
    "period_progress",
    "scope_for",
]


def period_ends(today: datetime.date) -> list[tuple[str, datetime.date]]:
    """The periods a dashboard offers in one click, as (label, the day to read it on): this
    year so far, each of its quarters already ended, and the last two full years. Money of a
    year counts the periods ended by the day (``Scope.year_filings``), so the end of a
    quarter shows the year up to that quarter's end."""
    choices = [(_("This year so far"), today)]
    for q in range((today.month - 1) // 3, 0, -1):  # the year's quarters ended, newest first
        end = datetime.date(today.year, 3 * q + 1, 1) - datetime.timedelta(days=1)
        choices.append((_("Q%(quarter)s %(year)s") % {"quarter": q, "year": today.year}, end))
    for year in (today.year - 1, today.year - 2):
        choices.append((_("Year %(year)s") % {"year": year}, datetime.date(year, 12, 31)))
    return choices


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
    """The records behind a figure: column labels and rows of (text, link); ``withheld``
    when the user's role may not read those records (a reviewer sees no company's filing
    or bill, only the aggregate)."""

    columns: list[str]
    rows: list[list[tuple[Any, str]]]
    withheld: bool = False


def _grouped(count: int | None) -> Decimal | None:
    """A count shown with separators (3,000), as pages show figures."""
    return None if count is None else Decimal(count)


def _company(e: Any) -> tuple[Any, str]:
    return e.name, reverse("enterprises:enterprise_detail", args=[e.pk])


def _units(scope: Scope, key: str) -> QuerySet:
    units = scope.units.select_related("park").order_by("park__code", "code")
    if kpi(key).drill == "leased_units":
        return units.filter(pk__in=scope.tenant_spans().values("unit_id"))
    return units.exclude(status=UnitStatus.NOT_LEASABLE)


def _tenants(scope: Scope, key: str) -> QuerySet:
    companies = Enterprise.objects.filter(pk__in=scope.tenant_ids).select_related("industry")
    stage = dict(kpi(key).drill_args).get("stage")
    return companies.filter(stage=stage) if stage else companies


def _qualifications(scope: Scope, key: str) -> QuerySet:
    args = dict(kpi(key).drill_args)
    quals = valid_qualifications(scope.tenant_ids, scope.as_of).filter(kind=args["kind"])
    if args["level"]:
        quals = quals.filter(level=args["level"])
    return quals.select_related("enterprise").order_by("enterprise__name")


def _filings(scope: Scope, key: str) -> QuerySet:
    kind = kpi(key).drill
    if kind == "latest_filings":
        filings = scope.latest_filings()
    else:
        filings = scope.year_filings(scope.as_of.year - (kind == "last_year_filings"))
    return filings.order_by("enterprise__name", "period__ends_on")


def _invoices(scope: Scope, key: str) -> QuerySet:
    if kpi(key).drill == "overdue_invoices":
        invoices = overdue_bills(scope.invoices, scope.as_of)
    else:
        invoices = scope.invoices.exclude(kind=InvoiceKind.CREDIT).filter(
            due_on__gte=datetime.date(scope.as_of.year, 1, 1), due_on__lte=scope.as_of
        )
    return invoices.select_related("enterprise").order_by("due_on", "number")


# drill kind → (model, records, column labels, row); every read also through the model's policy
_DRILLS: dict[
    str, tuple[Any, Callable[..., QuerySet], Callable[[], list[Any]], Callable[..., list[Any]]]
] = {
    "units": (
        Unit,
        _units,
        lambda: [_("Unit"), _("Park"), _("Area (㎡)"), _("Clear height (m)")],
        lambda u: [
            (u.code, reverse("spaces:unit_detail", args=[u.pk])),
            (u.park.name, ""),
            (u.area_m2, ""),
            (u.clear_height_m, ""),
        ],
    ),
    "tenants": (
        Enterprise,
        _tenants,
        lambda: [_("Company"), _("Industry")],
        lambda e: [_company(e), (e.industry or "", "")],
    ),
    "qualifications": (
        Qualification,
        _qualifications,
        lambda: [_("Company"), _("Certificate"), _("Expires on")],
        lambda q: [
            _company(q.enterprise),
            (q.certificate_no, reverse("enterprises:qualification_detail", args=[q.pk])),
            (q.expires_on or "", ""),
        ],
    ),
    "filings": (
        StatFiling,
        _filings,
        lambda: [
            _("Company"),
            pgettext("statistics", "Period"),
            _("Employees"),
            _("Talents"),
            _("IP items"),
            _("Output value (万元)"),
            _("Revenue (万元)"),
        ],
        lambda f: [
            _company(f.enterprise),
            (str(f.period), reverse("enterprises:statfiling_detail", args=[f.pk])),
            (_grouped(f.headcount), ""),
            (_grouped(f.talents), ""),
            (_grouped(f.ip_items), ""),
            (f.output_value_wan, ""),
            (f.revenue_wan, ""),
        ],
    ),
    "invoices": (
        Invoice,
        _invoices,
        lambda: [_("Bill"), _("Company"), _("Due on"), _("Amount (元)"), _("Settled (元)")],
        lambda i: [
            (i.number, reverse("leasing:invoice_detail", args=[i.pk])),
            _company(i.enterprise),
            (i.due_on, ""),
            (i.amount, ""),
            (i.settled, ""),
        ],
    ),
    "applications": (
        Application,
        lambda scope, key: (
            scope.applications().select_related("enterprise").order_by("-created_at")
        ),
        lambda: [_("Company"), _("Status"), _("Submitted")],
        lambda a: [
            (a.enterprise.name, reverse("admissions:application_detail", args=[a.pk])),
            (a.get_state_display(), ""),
            (a.created_at, ""),
        ],
    ),
    "requests": (
        ServiceRequest,
        lambda scope, key: (
            scope.resolved_requests().select_related("enterprise").order_by("resolved_on")
        ),
        lambda: [_("Request"), _("Company"), _("Due on"), _("Resolved on")],
        lambda r: [
            (r.subject, reverse("programs:servicerequest_detail", args=[r.pk])),
            (r.enterprise.name, ""),
            (r.due_on, ""),
            (r.resolved_on, ""),
        ],
    ),
    "funds": (
        Fund,
        lambda scope, key: scope.fund_rows().order_by("code"),
        lambda: [_("Fund"), _("Committed capital (元)")],
        lambda f: [(f.name, reverse("fund:fund_detail", args=[f.pk])), (f.committed, "")],
    ),
}
_KIND_OF = {
    "leased_units": "units",
    "latest_filings": "filings",
    "year_filings": "filings",
    "last_year_filings": "filings",
    "invoices_due": "invoices",
    "overdue_invoices": "invoices",
}


def drill(scope: Scope, key: str, user: Any, limit: int = 500) -> Drill:
    """The records a KPI of ``scope`` counts or sums, as ``user`` may read them."""
    kind = kpi(key).drill
    model, records, columns, row = _DRILLS[_KIND_OF.get(kind, kind)]
    if not model.policy.allows_role(user, "view"):
        return Drill(columns(), [], withheld=True)
    rows = records(scope, key).filter(model.policy.q(user, "view"))[:limit]
    return Drill(columns(), [row(r) for r in rows])


# a company's quarterly figures set against its park's median
BENCHMARKED = ("headcount", "revenue_wan", "output_value_wan", "rd_spend_wan")


def benchmark(company: Enterprise, quarters: int = 12) -> list[dict[str, Any]]:
    """The company's last ``quarters`` filed quarters, each with the median of the same
    figures among the tenants of its park(s) at the quarter's end."""
    filings = list(
        StatFiling.objects.filter(
            enterprise=company, state=FilingState.FILED, period__kind=StatPeriodKind.QUARTER
        )
        .select_related("period")
        .order_by("-period__ends_on")[:quarters]
    )
    rows = []
    for filing in reversed(filings):
        day = filing.period.ends_on
        parks = (
            LeaseUnit.objects.filter(
                lease__state__in=LIVE, start_on__lte=day, end_on__gte=day, lease__enterprise=company
            )
            .values_list("unit__park_id", flat=True)
            .distinct()
        )
        peers = list(Scope(ParkFigures.objects.filter(pk__in=list(parks)), day).tenant_ids)
        values = {
            name: list(
                StatFiling.objects.filter(
                    period=filing.period, state=FilingState.FILED, enterprise_id__in=peers
                ).values_list(name, flat=True)
            )
            for name in BENCHMARKED
        }
        rows.append(
            {
                "period": filing.period,
                "own": {name: getattr(filing, name) for name in BENCHMARKED},
                "median": {n: median(v) if v else None for n, v in values.items()},
                "peers": len(peers),
            }
        )
    return rows


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
    park = {"park": scope.parks[0].code} if len(scope.parks) == 1 else {}
    return {
        "occupancy": {
            "labels": [d.strftime("%Y-%m") for d, _o in trend],
            "values": [float(o.rate) for _d, o in trend],
        },
        "output": quarters,
        "industries": [
            {"name": _section(section), "value": n} for section, n in industries.most_common()
        ],
        # each slice opens the unit list it counts (the park's, when one park is shown)
        "units": [
            {
                "name": str(UnitStatus(status).label),
                "value": n,
                "status": status,
                "url": reverse("spaces:unit_list") + "?" + urlencode({"status": status, **park}),
            }
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
