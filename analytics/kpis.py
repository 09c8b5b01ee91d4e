"""The one registry of park KPIs: what each figure is, in one sentence, and how it is computed.

Every figure the dashboard, the API, the exports and ``manage.py kpis`` show comes from
:func:`compute` over a :class:`Scope` (a set of parks on a day), so a figure is the same
everywhere. Nothing is typed in: areas from the units, tenants from the leases, people, IP and
money from the tenants' filed statistics, labels such as 独角兽 from verified qualifications.

Rules the sentences state:
- a company is a tenant of a park on a day when a signed lease of one of the park's units
  covers that day (a lease ending that day counts);
- a qualification counts on a day when staff have verified it and the day falls between its
  issue and its expiry (expiring that day counts);
- people and IP are the company's latest filed figures for a period ended by that day;
- money of a year is, per company, its annual filing of that year, else the sum of its
  quarterly filings, else of its monthly ones — never two kinds added up.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property
from typing import Any

from django.db.models import Count, F, Q, QuerySet, Sum, Window
from django.db.models.functions import RowNumber
from django.utils.translation import gettext_lazy as _

from admissions.choices import AppState
from admissions.models import Application
from enterprises.choices import (
    FilingState,
    GrowthStage,
    QualificationKind,
    QualificationLevel,
    StatPeriodKind,
)
from enterprises.models import FILING_IP, FILING_MONEY, Enterprise, Qualification, StatFiling
from fund.models import Fund
from fund.selectors import fund_metrics
from leasing.models import Invoice
from leasing.selectors import collection, leased_spans_on, occupancy, overdue_total
from programs.models import ServiceRequest
from spaces.models import Park, Unit
from spaces.selectors import area_figures

__all__ = ["KPIS", "Kpi", "Scope", "as_json", "company_flows", "compute", "kpi"]

WAN = Decimal(10000)
CENT = Decimal("0.01")


@dataclass(frozen=True)
class Kpi:
    """One figure: ``measure`` says how it reads (rate 0–1, m2, count, yuan, yuan_m2, multiple),
    ``drill`` which records lie behind it (analytics.drill), ``sentence`` how it is computed."""

    key: str
    label: Any
    measure: str
    group: str
    sentence: Any
    value: Callable[[Scope], Any]
    drill: str = ""
    drill_args: tuple[tuple[str, str], ...] = ()


class Scope:
    """A set of parks on a day, with the shared reads the KPIs take from it (each once)."""

    def __init__(self, parks: Iterable[Park], as_of: datetime.date, label: str = "") -> None:
        self.parks = list(parks)
        self.park_ids = [p.pk for p in self.parks]
        self.as_of = as_of
        self.label = label or "、".join(p.name for p in self.parks)

    @cached_property
    def units(self) -> QuerySet[Unit]:
        return Unit.objects.filter(park_id__in=self.park_ids)

    @cached_property
    def areas(self) -> Any:
        return area_figures(self.units)

    @cached_property
    def occupancy(self) -> Any:
        return occupancy(self.units, self.as_of)

    def tenant_spans(self) -> QuerySet:
        return leased_spans_on(self.as_of).filter(unit__park_id__in=self.park_ids)

    @cached_property
    def tenant_ids(self) -> QuerySet:
        """The tenants' ids as a subquery: every figure about them filters in the database,
        whatever their number."""
        return self.tenant_spans().values_list("lease__enterprise_id", flat=True).distinct()

    @cached_property
    def tenant_count(self) -> int:
        return self.tenant_ids.count()

    def latest_filings(self) -> QuerySet[StatFiling]:
        """Each tenant's latest filed figures for a period ended by the day: the first of its
        filings by period end, newest first (a window over the filings, one pass, where a
        subquery per filing took seconds at 100,000 companies)."""
        newest_first = Window(
            RowNumber(),
            partition_by=[F("enterprise_id")],
            order_by=[F("period__ends_on").desc(), F("filed_at").desc(), F("pk").desc()],
        )
        return (
            StatFiling.objects.filter(
                enterprise_id__in=self.tenant_ids,
                state=FilingState.FILED,
                period__ends_on__lte=self.as_of,
            )
            .annotate(newest=newest_first)
            .filter(newest=1)
            .select_related("enterprise", "period")
        )

    @cached_property
    def stocks(self) -> dict[str, int]:
        names = ("headcount", "doctorates", "masters", "bachelors", "returnees", *FILING_IP)
        row = self.latest_filings().aggregate(**{n: Sum(n) for n in names})
        return {n: int(row[n] or 0) for n in names}

    def year_filings(self, year: int) -> QuerySet[StatFiling]:
        """The tenants' filings for periods of ``year`` ended by the day: a dashboard as of
        30 September counts the first three quarters, whatever has been filed since."""
        return StatFiling.objects.filter(
            enterprise_id__in=self.tenant_ids,
            state=FilingState.FILED,
            period__year=year,
            period__ends_on__lte=self.as_of,
        ).select_related("enterprise", "period")

    def flows(self, year: int) -> dict[str, Decimal]:
        """Money of calendar ``year`` in 元: per company its annual filing, else its
        quarters, else its months (one grouped query)."""
        if year not in self._flows:
            self._flows[year] = self._year_flows(year)
        return self._flows[year]

    @cached_property
    def _flows(self) -> dict[int, dict[str, Decimal]]:
        return {}

    def _year_flows(self, year: int) -> dict[str, Decimal]:
        totals = {n: Decimal(0) for n in FILING_MONEY}
        for figures in company_flows(self.year_filings(year)).values():
            for n in FILING_MONEY:
                totals[n] += figures[n]
        return {n: (v * WAN).quantize(CENT) for n, v in totals.items()}

    @cached_property
    def qualifications(self) -> dict[str, int]:
        """Companies holding each verified, valid label on the day (one query)."""
        counts = {
            key: Count("enterprise", distinct=True, filter=Q(kind=kind, **extra))
            for key, kind, extra in QUALIFICATION_KPIS
        }
        return valid_qualifications(self.tenant_ids, self.as_of).aggregate(**counts)

    @cached_property
    def invoices(self) -> QuerySet[Invoice]:
        return Invoice.objects.filter(park_id__in=self.park_ids)

    @cached_property
    def stages(self) -> dict[str, int]:
        """Tenants by growth stage (the registry's), one query."""
        rows = (
            Enterprise.objects.filter(pk__in=self.tenant_ids)
            .values("stage")
            .annotate(n=Count("id"))
            .values_list("stage", "n")
        )
        return {stage: 0 for stage in GrowthStage.values} | dict(rows)

    def applications(self) -> QuerySet[Application]:
        """Applications to the parks submitted this year to the day (drafts aside)."""
        return Application.objects.filter(
            park_id__in=self.park_ids,
            created_at__date__gte=datetime.date(self.as_of.year, 1, 1),
            created_at__date__lte=self.as_of,
        ).exclude(state=AppState.DRAFT)

    def resolved_requests(self) -> QuerySet[ServiceRequest]:
        return ServiceRequest.objects.filter(
            park_id__in=self.park_ids,
            resolved_on__gte=datetime.date(self.as_of.year, 1, 1),
            resolved_on__lte=self.as_of,
        )

    def fund_rows(self) -> QuerySet[Fund]:
        operators = {p.operator_id for p in self.parks}
        return Fund.objects.filter(operator_id__in=operators, first_close_on__lte=self.as_of)

    @cached_property
    def admissions(self) -> dict[str, int]:
        """This year's applications, and how many were approved."""
        return self.applications().aggregate(
            received=Count("id"),
            approved=Count("id", filter=Q(state__in=(AppState.APPROVED, AppState.CONVERTED))),
        )

    @cached_property
    def service_levels(self) -> dict[str, int]:
        """Service requests resolved this year to the day, and how many by their due date."""
        return self.resolved_requests().aggregate(
            resolved=Count("id"), on_time=Count("id", filter=Q(resolved_on__lte=F("due_on")))
        )

    @cached_property
    def funds(self) -> list[Any]:
        """Figures of the funds of the parks' operators on the day."""
        return [fund_metrics(f, self.as_of) for f in self.fund_rows().order_by("code")]


PRECEDENCE = (StatPeriodKind.YEAR, StatPeriodKind.QUARTER, StatPeriodKind.MONTH)

# (KPI key, qualification kind, extra condition)
QUALIFICATION_KPIS: list[tuple[str, str, dict[str, Any]]] = [
    ("national_key_labs", QualificationKind.KEY_LAB, {"level": QualificationLevel.NATIONAL}),
    ("provincial_key_labs", QualificationKind.KEY_LAB, {"level": QualificationLevel.PROVINCIAL}),
    ("unicorns", QualificationKind.UNICORN, {}),
    ("gazelles", QualificationKind.GAZELLE, {}),
    ("star_market_candidates", QualificationKind.STAR_CANDIDATE, {}),
    ("high_tech_enterprises", QualificationKind.HIGH_TECH, {}),
    ("specialised_national", QualificationKind.SPECIALISED, {"level": QualificationLevel.NATIONAL}),
    (
        "specialised_provincial",
        QualificationKind.SPECIALISED,
        {"level": QualificationLevel.PROVINCIAL},
    ),
    (
        "specialised_municipal",
        QualificationKind.SPECIALISED,
        {"level": QualificationLevel.MUNICIPAL},
    ),
]


def company_flows(year_filings: QuerySet[StatFiling]) -> dict[int, dict[str, Decimal]]:
    """Money of a year in 万元 per company, from its filings of that year: its annual filing,
    else its quarters, else its months — never two kinds added up (one grouped query)."""
    rows = year_filings.values("enterprise_id", "period__kind").annotate(
        **{n: Sum(n) for n in FILING_MONEY}
    )
    by_company: dict[int, dict[str, Any]] = defaultdict(dict)
    for row in rows:
        by_company[row["enterprise_id"]][row["period__kind"]] = row
    flows = {}
    for company, kinds in by_company.items():
        row = next(kinds[k] for k in PRECEDENCE if k in kinds)
        flows[company] = {n: Decimal(str(row[n] or 0)) for n in FILING_MONEY}
    return flows


def valid_qualifications(enterprise_ids: Any, day: datetime.date) -> QuerySet:
    """Verified qualifications of the companies (ids, or a subquery of them) in force on
    ``day`` (expiring that day too)."""
    return Qualification.objects.filter(
        enterprise_id__in=enterprise_ids, verified_at__isnull=False
    ).filter(
        Q(issued_on__isnull=True) | Q(issued_on__lte=day),
        Q(expires_on__isnull=True) | Q(expires_on__gte=day),
    )


def _ratio(part: Decimal | int, whole: Decimal | int, places: str = "0.0001") -> Decimal | None:
    return (Decimal(part) / Decimal(whole)).quantize(Decimal(places)) if whole else None


def _year_money(name: str, last: bool = False) -> Callable[[Scope], Decimal]:
    return lambda s: s.flows(s.as_of.year - (1 if last else 0))[name]


def _per_m2(last: bool) -> Callable[[Scope], Decimal | None]:
    def value(s: Scope) -> Decimal | None:
        output = s.flows(s.as_of.year - (1 if last else 0))["output_value_wan"]
        return _ratio(output, s.occupancy.leased_area_m2, "0.01")

    return value


STAGE_LABELS = {
    GrowthStage.STARTUP: _("Start-up tenants"),
    GrowthStage.GROWTH: _("Growth-stage tenants"),
    GrowthStage.EXPANSION: _("Expanding tenants"),
    GrowthStage.MATURE: _("Mature tenants"),
}


def _stage_count(stage: str) -> Callable[[Scope], int]:
    return lambda s: s.stages[stage]


def _collection_rate(s: Scope) -> Decimal | None:
    due, collected = collection(s.invoices, datetime.date(s.as_of.year, 1, 1), s.as_of)
    return _ratio(collected, due)


def _qualification(key: str, kind: str, extra: dict[str, Any]) -> Kpi:
    level = extra.get("level", "")
    label = (
        f"{QualificationKind(kind).label}（{QualificationLevel(level).label}）"
        if level
        else QualificationKind(kind).label
    )
    return Kpi(
        key,
        label,
        "count",
        "labels",
        _("Tenants holding this verified qualification in force on the day."),
        lambda s: s.qualifications[key],
        drill="qualifications",
        drill_args=(("kind", kind), ("level", level)),
    )


def _stock(key: str, label: Any, sentence: Any, names: tuple[str, ...], group: str) -> Kpi:
    return Kpi(
        key,
        label,
        "count",
        group,
        sentence,
        lambda s: sum(s.stocks[n] for n in names),
        drill="latest_filings",
    )


KPIS: list[Kpi] = [
    Kpi(
        "occupancy_rate",
        _("Occupancy (by area)"),
        "rate",
        "space",
        _("Leased area over leasable area on the day; a unit counts its own area."),
        lambda s: s.occupancy.rate,
        drill="leased_units",
    ),
    Kpi(
        "leasable_area_m2",
        _("Leasable area"),
        "m2",
        "space",
        _("Building area of the units that are not marked 'not leasable'."),
        lambda s: s.occupancy.leasable_area_m2,
        drill="units",
    ),
    Kpi(
        "leased_area_m2",
        _("Leased area"),
        "m2",
        "space",
        _("Area of the units a signed lease covers on the day."),
        lambda s: s.occupancy.leased_area_m2,
        drill="leased_units",
    ),
    Kpi(
        "high_clear_height_area_share",
        _("Share of area over 6.5 m clear height"),
        "rate",
        "space",
        _("Building area of units with clear height over 6.5 m, over all building area."),
        lambda s: s.areas.high_clear_height_share,
        drill="units",
    ),
    Kpi(
        "tenants",
        _("Tenants"),
        "count",
        "companies",
        _("Companies a signed lease of the parks' units covers on the day."),
        lambda s: s.tenant_count,
        drill="tenants",
    ),
    _stock(
        "talents",
        _("Talents (bachelor's and above)"),
        _("Doctorates, master's and bachelor's degrees in the tenants' latest filings."),
        ("doctorates", "masters", "bachelors"),
        "people",
    ),
    _stock(
        "headcount",
        _("Employees"),
        _("Employees in the tenants' latest filings."),
        ("headcount",),
        "people",
    ),
    _stock(
        "doctorates",
        _("Doctorates"),
        _("Doctorates in the tenants' latest filings."),
        ("doctorates",),
        "people",
    ),
    _stock(
        "returnees",
        _("Returnees"),
        _("Returnees from study abroad in the tenants' latest filings."),
        ("returnees",),
        "people",
    ),
    *(_qualification(key, kind, extra) for key, kind, extra in QUALIFICATION_KPIS),
    _stock(
        "ip_items",
        _("IP items"),
        _(
            "Invention, utility-model and design patents and software copyrights held, in the "
            "tenants' latest filings."
        ),
        FILING_IP,
        "ip",
    ),
    _stock(
        "invention_patents",
        _("Invention patents"),
        _("Invention patents held, in the tenants' latest filings."),
        ("invention_patents",),
        "ip",
    ),
    Kpi(
        "output_value_yuan",
        _("Output value, this year (元)"),
        "yuan",
        "economy",
        _("Output value the tenants filed for the calendar year of the day, so far."),
        _year_money("output_value_wan"),
        drill="year_filings",
    ),
    Kpi(
        "output_value_last_year_yuan",
        _("Output value, last year (元)"),
        "yuan",
        "economy",
        _("Output value the tenants filed for the last full calendar year."),
        _year_money("output_value_wan", last=True),
        drill="last_year_filings",
    ),
    Kpi(
        "revenue_yuan",
        _("Revenue, this year (元)"),
        "yuan",
        "economy",
        _("Revenue the tenants filed for the calendar year of the day, so far."),
        _year_money("revenue_wan"),
        drill="year_filings",
    ),
    Kpi(
        "tax_paid_yuan",
        _("Tax paid, this year (元)"),
        "yuan",
        "economy",
        _("Tax the tenants filed for the calendar year of the day, so far."),
        _year_money("tax_paid_wan"),
        drill="year_filings",
    ),
    Kpi(
        "rd_spend_yuan",
        _("R&D spend, this year (元)"),
        "yuan",
        "economy",
        _("R&D spend the tenants filed for the calendar year of the day, so far."),
        _year_money("rd_spend_wan"),
        drill="year_filings",
    ),
    Kpi(
        "financing_yuan",
        _("Financing raised, this year (元)"),
        "yuan",
        "economy",
        _("Financing the tenants filed as raised in the calendar year of the day, so far."),
        _year_money("financing_wan"),
        drill="year_filings",
    ),
    Kpi(
        "output_per_m2_yuan",
        _("Output per m², this year (元/㎡)"),
        "yuan_m2",
        "economy",
        _("This year's output value over the leased area on the day."),
        _per_m2(last=False),
        drill="year_filings",
    ),
    Kpi(
        "output_per_m2_last_year_yuan",
        _("Output per m², last year (元/㎡)"),
        "yuan_m2",
        "economy",
        _("Last full year's output value over the leased area on the day."),
        _per_m2(last=True),
        drill="last_year_filings",
    ),
    *(
        Kpi(
            f"tenants_{stage}",
            label,
            "count",
            "growth",
            _("Tenants whose growth stage in the registry is this one, on the day."),
            _stage_count(stage),
            drill="tenants",
            drill_args=(("stage", stage),),
        )
        for stage, label in STAGE_LABELS.items()
    ),
    Kpi(
        "applications_received",
        _("Applications this year"),
        "count",
        "growth",
        _("Applications to the parks submitted from 1 January to the day (drafts aside)."),
        lambda s: s.admissions["received"],
        drill="applications",
    ),
    Kpi(
        "applications_approved",
        _("Applications approved this year"),
        "count",
        "growth",
        _("Of this year's applications, those approved or already turned into a lease."),
        lambda s: s.admissions["approved"],
        drill="applications",
    ),
    Kpi(
        "service_sla_rate",
        _("Service requests on time"),
        "rate",
        "growth",
        _(
            "Of the service requests resolved from 1 January to the day, the share resolved by "
            "their due date."
        ),
        lambda s: _ratio(s.service_levels["on_time"], s.service_levels["resolved"]),
        drill="requests",
    ),
    Kpi(
        "fund_nav_yuan",
        _("Fund NAV (元)"),
        "yuan",
        "finance",
        _("Net asset value on the day of the funds of the parks' operators, added up."),
        lambda s: sum((f.nav for f in s.funds), Decimal(0)),
        drill="funds",
    ),
    Kpi(
        "fund_tvpi",
        _("Fund TVPI"),
        "multiple",
        "finance",
        _("(Distributed + NAV) ÷ called capital of those funds together, on the day."),
        lambda s: _ratio(
            sum((f.distributed + f.nav for f in s.funds), Decimal(0)),
            sum((f.called for f in s.funds), Decimal(0)),
        ),
        drill="funds",
    ),
    Kpi(
        "rent_collection_rate",
        _("Rent collection rate, this year"),
        "rate",
        "finance",
        _(
            "Of the bills that fell due from 1 January to the day, the share paid or offset "
            "by the day."
        ),
        _collection_rate,
        drill="invoices_due",
    ),
    Kpi(
        "arrears_yuan",
        _("Arrears (元)"),
        "yuan",
        "finance",
        _("What is open past its due date on the day (the arrears aging's total)."),
        lambda s: overdue_total(s.invoices, s.as_of),
        drill="overdue_invoices",
    ),
]
_BY_KEY = {k.key: k for k in KPIS}
assert len(_BY_KEY) == len(KPIS), "KPI keys are unique"


def kpi(key: str) -> Kpi:
    return _BY_KEY[key]


def compute(scope: Scope, keys: Iterable[str] | None = None) -> dict[str, Any]:
    """The KPIs of ``scope`` (all, or those of ``keys``), in registry order."""
    wanted = set(keys) if keys is not None else None
    return {k.key: k.value(scope) for k in KPIS if wanted is None or k.key in wanted}


def as_json(value: Any) -> Any:
    """A KPI value for JSON: counts as integers, other figures as numbers (None stays)."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral() else float(value)
    return value
