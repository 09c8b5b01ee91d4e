"""Leasing reports, each defined once (core.reports): rent roll, arrears aging, expiries and
renewals, vacant units, occupancy by month. The page, the API, the .xlsx and the PDF of each
come from its definition here."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.charts import column_chart
from core.reports import Report, ReportColumn, ReportForm, ReportQuery, ReportResult
from leasing import selectors
from leasing.models import Invoice, Lease
from spaces.models import Building, Unit

__all__ = ["REPORTS"]


def _money(key: str, label: Any, total: bool = True) -> ReportColumn:
    return ReportColumn(key, label, "money", total=total)


class RentRollReport(Report):
    key = "rent_roll"
    title = gettext_lazy("Rent roll")
    model = Lease
    template = "leasing/report_rent_roll.html"
    description = "Every signed lease running on the date, with its monthly figures and balance."
    columns = [
        ReportColumn("no", gettext_lazy("No."), "int"),
        ReportColumn("contract_no", gettext_lazy("Contract number")),
        ReportColumn("tenant", gettext_lazy("Tenant")),
        ReportColumn("unit_codes", gettext_lazy("Units"), description="Codes of the lease's units"),
        ReportColumn("area_m2", gettext_lazy("Area (m²)"), "area", total=True),
        ReportColumn("start_on", gettext_lazy("Term from"), "date"),
        ReportColumn("end_on", gettext_lazy("Term to"), "date"),
        ReportColumn("rent_per_m2_day", gettext_lazy("Rent (元/m²/day)"), "decimal"),
        _money("monthly_rent", gettext_lazy("Monthly rent (元)")),
        _money("monthly_fee", gettext_lazy("Monthly management fee (元)")),
        _money("deposit_held", gettext_lazy("Deposit held (元)")),
        _money("billed", gettext_lazy("Billed to date (元)")),
        _money("received", gettext_lazy("Received to date (元)")),
        _money("outstanding", gettext_lazy("Outstanding (元)")),
        _money("not_invoiced", gettext_lazy("Not invoiced (元)")),
        ReportColumn("months_left", gettext_lazy("Months left"), "int"),
        ReportColumn("lease_id", gettext_lazy("Lease id"), "int", in_sheet=False),
    ]

    def run(self, query: ReportQuery) -> ReportResult:
        rows = selectors.rent_roll(query.scoped(Lease.objects), query.day)
        items = [
            {
                "no": n,
                "contract_no": r.contract_no,
                "tenant": r.tenant,
                "unit_codes": r.units,
                "area_m2": r.area_m2,
                "start_on": r.start_on,
                "end_on": r.end_on,
                "rent_per_m2_day": r.price,
                "monthly_rent": r.monthly_rent,
                "monthly_fee": r.monthly_fee,
                "deposit_held": r.deposit,
                "billed": r.billed,
                "received": r.received,
                "outstanding": r.outstanding,
                "not_invoiced": r.not_invoiced,
                "months_left": r.months_left,
                "lease_id": r.lease_id,
            }
            for n, r in enumerate(rows, start=1)
        ]
        return ReportResult(rows, items)


class AgingForm(ReportForm):
    by = forms.ChoiceField(
        label=gettext_lazy("Group by"),
        required=False,
        choices=[("enterprise", gettext_lazy("Tenant")), ("park", gettext_lazy("Park"))],
    )


class AgingReport(Report):
    key = "aging"
    title = gettext_lazy("Arrears aging")
    model = Invoice
    template = "leasing/report_aging.html"
    form_class = AgingForm
    description = (
        "Bills issued by the date and open on it, per tenant or park, by days past due (a bill "
        "is overdue from the day after its due date)."
    )
    columns = [
        ReportColumn("name", gettext_lazy("Tenant")),
        _money("not_due", gettext_lazy("Not yet due")),
        _money("d1_30", gettext_lazy("1–30 days")),
        _money("d31_60", gettext_lazy("31–60 days")),
        _money("d61_90", gettext_lazy("61–90 days")),
        _money("d90_plus", gettext_lazy("Over 90 days")),
        _money("overdue", gettext_lazy("Overdue (元)")),
        _money("total", gettext_lazy("Open (元)")),
        ReportColumn(
            "id", gettext_lazy("Id"), "int", in_sheet=False, description="The tenant's or park's id"
        ),
    ]

    def column_list(self, query: ReportQuery) -> list[ReportColumn]:
        if query.params.get("by") == "park":
            return [ReportColumn("name", gettext_lazy("Park")), *self.columns[1:]]
        return self.columns

    def run(self, query: ReportQuery) -> ReportResult:
        by = query.params.get("by") or "enterprise"
        rows = selectors.arrears_aging(query.scoped(Invoice.objects), query.day, by)
        items = [{**r, "id": r[f"{by}_id"], "name": r[f"{by}__name"]} for r in rows]
        peak = max((r["overdue"] for r in rows), default=0)
        return ReportResult(rows, items, {"by": by, "peak": peak})


class ExpiryReport(Report):
    key = "expiries"
    title = gettext_lazy("Expiries and renewals")
    model = Lease
    template = "leasing/report_expiries.html"
    description = "Signed leases ending within 12 months of the date, with their renewal."
    columns = [
        ReportColumn("contract_no", gettext_lazy("Contract number")),
        ReportColumn("tenant", gettext_lazy("Tenant")),
        ReportColumn("park", gettext_lazy("Park")),
        ReportColumn("end_on", gettext_lazy("Term to"), "date"),
        ReportColumn("months_left", gettext_lazy("Months left"), "int"),
        ReportColumn("renewal", gettext_lazy("Renewal")),
        ReportColumn("lease_id", gettext_lazy("Lease id"), "int", in_sheet=False),
        ReportColumn("park_id", gettext_lazy("Park id"), "int", in_sheet=False),
    ]

    def run(self, query: ReportQuery) -> ReportResult:
        leases = list(selectors.expiring_leases(query.scoped(Lease.objects), query.day, 12))
        bands: list[tuple[Any, list[Lease]]] = [
            (_("Within 3 months"), []),
            (_("In 3 to 6 months"), []),
            (_("In 6 to 12 months"), []),
        ]
        items = []
        for lease in leases:
            months = selectors.months_between(query.day, lease.end_on)
            bands[0 if months < 3 else 1 if months < 6 else 2][1].append(lease)
            successor = getattr(lease, "successor", None)
            items.append(
                {
                    "contract_no": lease.contract_no,
                    "tenant": lease.enterprise.name,
                    "park": lease.park.name,
                    "end_on": lease.end_on,
                    "months_left": months,
                    "renewal": f"{successor.contract_no} · {successor.get_state_display()}"
                    if successor
                    else "",
                    "lease_id": lease.pk,
                    "park_id": lease.park_id,
                }
            )
        return ReportResult(leases, items, {"bands": bands, "count": len(leases)})


class VacancyReport(Report):
    key = "vacancy"
    title = gettext_lazy("Vacant units")
    model = Unit  # no rents here: whoever sees the units sees their vacancies
    template = "leasing/report_vacancy.html"
    description = "Leasable units no signed lease covers on the date, longest vacant first."
    columns = [
        ReportColumn("code", gettext_lazy("Unit")),
        ReportColumn("park", gettext_lazy("Park")),
        ReportColumn("building", gettext_lazy("Building")),
        ReportColumn("area_m2", gettext_lazy("Area (m²)"), "area", total=True),
        ReportColumn("last_leased", gettext_lazy("Last leased until"), "date"),
        ReportColumn("days_vacant", gettext_lazy("Days vacant"), "int"),
        ReportColumn("unit_id", gettext_lazy("Unit id"), "int", in_sheet=False),
        ReportColumn("park_id", gettext_lazy("Park id"), "int", in_sheet=False),
        ReportColumn("building_id", gettext_lazy("Building id"), "int", in_sheet=False),
    ]

    def run(self, query: ReportQuery) -> ReportResult:
        units = list(selectors.vacant_units(query.scoped(Unit.objects), query.day)[:500])
        items = []
        for unit in units:
            unit.days_vacant = selectors.days_vacant(unit, query.day)  # type: ignore[attr-defined]
            items.append(
                {
                    "code": unit.code,
                    "park": unit.park.name,
                    "building": unit.building.name,
                    "area_m2": unit.area_m2,
                    "last_leased": getattr(unit, "last_leased", None),
                    "days_vacant": unit.days_vacant,  # type: ignore[attr-defined]
                    "unit_id": unit.pk,
                    "park_id": unit.park_id,
                    "building_id": unit.building_id,
                }
            )
        area = sum((u.area_m2 for u in units), 0)
        return ReportResult(units, items, {"units": units, "area": area})


class OccupancyForm(ReportForm):
    building = forms.ModelChoiceField(
        label=gettext_lazy("Building"),
        queryset=Building.objects.none(),
        required=False,
        empty_label=gettext_lazy("All buildings"),
    )
    months = forms.IntegerField(
        label=gettext_lazy("Months shown"),
        required=False,
        min_value=1,
        max_value=36,
        widget=forms.NumberInput(attrs={"placeholder": "12"}),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        self.fields["building"].queryset = (  # type: ignore[attr-defined]
            Building.objects.restrict(user).select_related("park").order_by("park__code", "code")
        )


class OccupancyReport(Report):
    key = "occupancy"
    title = gettext_lazy("Occupancy by month")
    model = Unit  # figures of units: parks are public, their occupancy is not
    template = "leasing/report_occupancy.html"
    form_class = OccupancyForm
    description = "Occupancy by area at each month end up to the date (portfolio, park, building)."
    columns = [
        ReportColumn("date", gettext_lazy("Month end"), "date"),
        ReportColumn("leasable_area_m2", gettext_lazy("Leasable area (m²)"), "area"),
        ReportColumn("leased_area_m2", gettext_lazy("Leased area (m²)"), "area"),
        ReportColumn(
            "occupancy_rate", gettext_lazy("Occupancy"), "ratio", description="0–1, by area"
        ),
    ]

    def run(self, query: ReportQuery) -> ReportResult:
        units = query.scoped(Unit.objects)
        if query.params.get("building"):
            units = units.filter(building=query.params["building"])
        series = selectors.occupancy_series(units, query.params.get("months") or 12, query.day)
        items = [
            {
                "date": day,
                "leasable_area_m2": o.leasable_area_m2,
                "leased_area_m2": o.leased_area_m2,
                "occupancy_rate": o.rate,
            }
            for day, o in series
        ]
        chart = column_chart([(day, o.rate) for day, o in series])
        return ReportResult(series, items, {"series": series, "bars": chart})


# in the order of the report tabs
REPORTS: list[Report] = [
    RentRollReport(),
    AgingReport(),
    ExpiryReport(),
    VacancyReport(),
    OccupancyReport(),
]
