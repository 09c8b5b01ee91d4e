"""KPIs from records, on the world's park A: one 1,000 ㎡ unit leased to company A from
2026-01-01 to 2028-12-31, company A's Q1 2026 filing (40 employees, 30 talents, 13 IP items,
600 万元 output), its high-tech certificate (issued 2024-12-01, expiring 2027-12-01) not yet
verified."""

from __future__ import annotations

import datetime
import io
import json
import re
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from analytics.kpis import KPIS, Scope, as_json, compute
from enterprises import filings
from enterprises.choices import FilingState, StatPeriodKind
from enterprises.models import (
    FILING_FIGURES,
    Enterprise,
    Qualification,
    StatFiling,
    StatPeriod,
)
from enterprises.services import qualification_verify
from leasing.models import Lease, LeaseUnit
from spaces.models import Park

D = datetime.date
JUNE = D(2026, 6, 30)


def _park_a(world, day=JUNE):
    return Scope([world.sample(Park, "A")], day)


def test_figures_of_a_park_from_its_records(world):
    figures = compute(_park_a(world))
    assert figures["occupancy_rate"] == Decimal("1.0000")
    assert figures["leasable_area_m2"] == figures["leased_area_m2"] == Decimal("1000.00")
    assert figures["high_clear_height_area_share"] == Decimal("1.0000")  # 8 m
    assert figures["tenants"] == 1
    assert (figures["headcount"], figures["talents"], figures["ip_items"]) == (40, 30, 13)
    assert figures["output_value_yuan"] == Decimal("6000000.00")
    assert figures["output_value_last_year_yuan"] == Decimal("0.00")
    assert figures["output_per_m2_yuan"] == Decimal("6000.00")
    assert figures["high_tech_enterprises"] == 0  # 待核验 does not count


def test_a_lease_ending_on_the_day_counts_and_not_the_day_after(world):
    LeaseUnit.objects.filter(lease=world.sample(Lease, "A")).update(end_on=JUNE)
    assert compute(_park_a(world, JUNE), ["tenants", "occupancy_rate"]) == {
        "tenants": 1,
        "occupancy_rate": Decimal("1.0000"),
    }
    after = compute(_park_a(world, JUNE + datetime.timedelta(days=1)), ["tenants", "talents"])
    assert after == {"tenants": 0, "talents": 0}


def test_a_qualification_expiring_on_the_day_counts_and_not_the_day_after(world):
    certificate = world.sample(Qualification, "A")
    qualification_verify(actor=world.users["operator"], qualification=certificate)
    Qualification.objects.filter(pk=certificate.pk).update(expires_on=JUNE)
    assert compute(_park_a(world, JUNE), ["high_tech_enterprises"])["high_tech_enterprises"] == 1
    next_day = _park_a(world, JUNE + datetime.timedelta(days=1))
    assert compute(next_day, ["high_tech_enterprises"])["high_tech_enterprises"] == 0


def _changed(before, after):
    return {k for k in before if before[k] != after[k]}


def test_changing_one_record_changes_exactly_the_figures_that_depend_on_it(world):
    before = compute(_park_a(world))
    filing = world.sample(StatFiling, "A")
    filings.filing_correct(
        actor=world.users["operator"], filing=filing, data={"doctorates": 5}, reason="更正"
    )
    after = compute(_park_a(world))
    assert _changed(before, after) == {"talents", "doctorates"}
    qualification_verify(
        actor=world.users["operator"], qualification=world.sample(Qualification, "A")
    )
    assert _changed(after, compute(_park_a(world))) == {"high_tech_enterprises"}


def test_a_year_takes_the_annual_filing_over_the_quarters(world):
    """Company A files 2026 as a year too: the year's output is the annual figure, not the
    annual plus its quarters."""
    period = StatPeriod(
        operator=world.operators["A"],
        kind=StatPeriodKind.YEAR,
        year=2026,
        due_on=D(2027, 3, 31),
    )
    filings.period_open(
        actor=world.users["operator"], period=period, filers=[world.sample(Enterprise, "A")]
    )
    annual = period.filings.get()
    figures = {
        name: getattr(world.sample(StatFiling, "A"), name)
        for name in ("headcount", "doctorates", "masters", "bachelors", "returnees")
    }
    money = {
        "revenue_wan": Decimal("2000"),
        "output_value_wan": Decimal("2500"),
        "rd_spend_wan": Decimal("300"),
        "tax_paid_wan": Decimal("100"),
        "financing_wan": Decimal("0"),
    }
    ip = {"invention_patents": 3, "utility_models": 5, "designs": 1, "software_copyrights": 4}
    filings.filing_submit(
        actor=world.users["tenant"], filing=annual, data={**figures, **money, **ip}
    )
    year_end = compute(_park_a(world, D(2026, 12, 31)), ["output_value_yuan", "revenue_yuan"])
    assert year_end == {
        "output_value_yuan": Decimal("25000000.00"),
        "revenue_yuan": Decimal("20000000.00"),
    }


def test_a_year_so_far_counts_the_periods_ended_by_the_day(world):
    """Company A files Q3 2026 too (900 万元 output): a dashboard as of 30 June still shows
    Q1 alone, one as of 30 September both; last year is untouched."""
    period = StatPeriod(
        operator=world.operators["A"], kind=StatPeriodKind.QUARTER, year=2026, number=3
    )
    period.derive()
    period.due_on = period.ends_on + datetime.timedelta(days=20)
    filings.period_open(
        actor=world.users["operator"], period=period, filers=[world.sample(Enterprise, "A")]
    )
    q1 = world.sample(StatFiling, "A")
    data = {name: getattr(q1, name) for name in FILING_FIGURES} | {
        "output_value_wan": Decimal("900"),
        "revenue_wan": Decimal("800"),
    }
    filings.filing_submit(
        actor=world.users["tenant"], filing=period.filings.get(), data=data, confirm=True
    )
    keys = ["output_value_yuan", "output_value_last_year_yuan"]
    assert compute(_park_a(world, JUNE), keys) == {
        "output_value_yuan": Decimal("6000000.00"),
        "output_value_last_year_yuan": Decimal("0.00"),
    }
    assert compute(_park_a(world, D(2026, 9, 29)), keys)["output_value_yuan"] == Decimal(
        "6000000.00"
    )
    assert compute(_park_a(world, D(2026, 9, 30)), keys)["output_value_yuan"] == Decimal(
        "15000000.00"
    )


def test_the_dashboard_offers_the_years_quarters_and_last_years_in_one_click(world, client_for):
    today = timezone.localdate()
    page = client_for("operator").get(
        reverse("analytics:dashboard"), {"park": "PA", "as_of": f"{today.year - 1}-12-31"}
    )
    chips = re.findall(r'<a class="chip( active)?" href="([^"]+)"', page.content.decode())
    days = [re.search(r"as_of=([\d-]+)", href).group(1) for _active, href in chips]
    ended = [
        datetime.date(today.year, 3 * q + 1, 1) - datetime.timedelta(days=1)
        for q in range((today.month - 1) // 3, 0, -1)
    ]
    assert days == [
        today.isoformat(),
        *[d.isoformat() for d in ended],
        f"{today.year - 1}-12-31",
        f"{today.year - 2}-12-31",
    ]
    assert [day for (active, _href), day in zip(chips, days, strict=True) if active] == [
        f"{today.year - 1}-12-31"
    ]
    assert all("park=PA" in href for _active, href in chips)


def test_a_filing_still_due_counts_nothing(world):
    StatFiling.objects.filter(pk=world.sample(StatFiling, "A").pk).update(state=FilingState.DUE)
    assert compute(_park_a(world), ["talents", "output_value_yuan"]) == {
        "talents": 0,
        "output_value_yuan": Decimal("0.00"),
    }


def test_the_dashboard_the_api_and_the_command_agree_on_every_kpi(world, client_for):
    """Park A today (no date: each reads today itself)."""
    client = client_for("operator")
    page = client.get(reverse("analytics:dashboard") + "?park=PA")
    assert page.status_code == 200
    shown = {
        card["kpi"].key: card["value"] for _label, cards in page.context["groups"] for card in cards
    }
    api = client.get("/api/v1/analytics/kpis?park=PA").json()
    out = io.StringIO()
    call_command("kpis", "--park", "PA", stdout=out)
    command = json.loads(out.getvalue())
    assert set(shown) == set(api["kpis"]) == set(command) == {k.key for k in KPIS}
    for key in shown:
        assert as_json(shown[key]) == api["kpis"][key] == command[key], key
    assert api["as_of"] == timezone.localdate().isoformat()


def test_the_drill_down_lists_the_records_behind_a_figure(world, client_for):
    client = client_for("operator")
    page = client.get(reverse("analytics:drill") + "?key=talents&park=PA&as_of=2026-06-30")
    assert page.status_code == 200
    rows = page.context["table"].rows
    assert [r[0][0] for r in rows] == [world.sample(Enterprise, "A").name]
    assert rows[0][3][0] == 30
    assert "<td>30</td>" in page.content.decode()


@pytest.mark.parametrize(
    ("role", "status"),
    [("admin", 200), ("operator", 200), ("gov", 200), ("fund", 200), ("tenant", 404)],
)
def test_who_reads_the_dashboard(world, client_for, role, status):
    assert client_for(role).get(reverse("analytics:dashboard")).status_code == status


def test_park_figures_stay_in_scope(world, client_for):
    """Side B's park is nobody's here but the admin's: 404 on the page, the API and the
    drill-down; the tenant is refused the API outright."""
    for role in ("operator", "gov", "fund"):
        client = client_for(role)
        assert client.get(reverse("analytics:dashboard") + "?park=PB").status_code == 404
        assert client.get("/api/v1/analytics/kpis?park=PB").status_code == 404
        assert client.get(reverse("analytics:drill") + "?key=tenants&park=PB").status_code == 404
        mine = client.get("/api/v1/analytics/kpis").json()
        assert mine["kpis"]["tenants"] == 1  # all my parks: park A only
    assert client_for("tenant").get("/api/v1/analytics/kpis").status_code == 403
    everything = client_for("admin").get("/api/v1/analytics/kpis").json()
    assert everything["kpis"]["tenants"] == 2


def test_opening_a_period_asks_the_tenants_of_the_operators_parks(world, client_for):
    client = client_for("operator")
    response = client.post(
        reverse("analytics:period_add"),
        {
            "kind": "quarter",
            "year": "2026",
            "number": "2",
            "due_on": "2026-07-20",
            "jump_factor": "3",
        },
    )
    assert response.status_code == 302
    period = StatPeriod.objects.get(operator=world.operators["A"], number=2)
    assert list(period.filings.values_list("enterprise", flat=True)) == [
        world.sample(Enterprise, "A").pk
    ]
    board = client.get(reverse("analytics:period_board", args=[period.pk]))
    assert board.status_code == 200 and board.context["filed"] == 0
    assert client_for("gov").get(reverse("analytics:period_list")).status_code == 404


def test_the_operating_report_reads_back_from_its_cells(world, client_for):
    from openpyxl import load_workbook

    client = client_for("gov")
    response = client.get(reverse("analytics:report") + "?year=2026&format=xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    rows = {r[0]: r[1:] for r in sheet.iter_rows(min_row=2, values_only=True)}
    labels = {k.key: str(k.label) for k in KPIS}
    # gov's jurisdiction holds park A only: its column, then all parks (the same here)
    assert sheet.cell(1, 2).value == world.sample(Park, "A").name
    assert rows[labels["tenants"]][:2] == (1, 1)
    assert rows[labels["talents"]][:2] == (30, 30)
    assert rows[labels["output_value_yuan"]][:2] == (6000000.0, 6000000.0)
    pdf = client.get(reverse("analytics:report") + "?year=2026&format=pdf")
    assert pdf.content.startswith(b"%PDF")
    assert client_for("tenant").get(reverse("analytics:report")).status_code == 404


def test_the_reports_charts_show_the_figures_of_its_tables(world):
    from analytics.reports import OperatingReport
    from core.documents import pdf_document

    parks = [world.sample(Park, "A"), world.sample(Park, "B")]
    report = OperatingReport(parks, 2026)
    occupancy, money = report.charts()
    table = report.occupancy_sheet()
    assert occupancy.categories == [row[0] for row in table.rows]
    for column, (name, values) in enumerate(occupancy.series, start=1):
        assert name == parks[column - 1].name
        assert [f"{v:.1f}%" for v in values] == [row[column] for row in table.rows]
    assert money.categories == [p.name for p in parks]
    output = money.series[0][1]  # output value, then revenue and tax
    assert output == [float(v["output_value_yuan"] or 0) / 10_000 for v in report.values[:2]]
    assert output[0] == 600.0  # park A's 6,000,000 yuan
    plain = pdf_document(report.title, [], [report.occupancy_sheet()], wide=True)
    drawn = pdf_document(
        report.title, [], [report.occupancy_sheet()], wide=True, charts=[occupancy, money]
    )
    assert drawn.startswith(b"%PDF") and len(drawn) > len(plain) + 1000  # the drawings are in


def test_a_reviewer_drills_into_parks_and_companies_but_never_a_bill_or_a_filing(world, client_for):
    gov = client_for("gov")
    url = reverse("analytics:drill") + "?park=PA&as_of=2026-06-30&key="
    for key in ("arrears_yuan", "rent_collection_rate", "talents", "output_value_yuan"):
        page = gov.get(url + key)
        assert page.status_code == 200 and page.context["table"].withheld, key
        assert "T-A-P01" not in page.content.decode()
    tenants = gov.get(url + "tenants")
    assert [r[0][0] for r in tenants.context["table"].rows] == [world.sample(Enterprise, "A").name]
    staff = client_for("operator").get(url + "arrears_yuan")
    assert [r[0][0] for r in staff.context["table"].rows] == ["T-A-D", "T-A-P01"]  # deposit, rent


def test_every_figure_drills_down(world, client_for):
    client = client_for("admin")
    for k in KPIS:
        page = client.get(reverse("analytics:drill") + f"?key={k.key}&park=PA")
        assert page.status_code == 200, k.key
        assert not page.context["table"].withheld, k.key


def test_a_tenant_sees_its_own_figures_against_the_parks_median(world, client_for):
    page = client_for("tenant").get(reverse("analytics:company"))
    assert page.status_code == 200
    assert page.context["company"] == world.sample(Enterprise, "A")
    (row,) = page.context["rows"]
    assert (row["own"]["headcount"], row["median"]["headcount"], row["peers"]) == (40, 40, 1)
    # staff pick the company; another operator's company is not among the choices
    staff = client_for("operator").get(reverse("analytics:company"))
    assert list(staff.context["choices"]) == [world.sample(Enterprise, "A")]
    assert client_for("gov").get(reverse("analytics:company")).status_code == 404


def test_every_kpi_in_a_fixed_number_of_queries(world, django_assert_num_queries):
    """As many queries for one tenant as for two: nothing is read row by row."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from spaces.models import Floor
    from spaces.testing import make_unit

    with CaptureQueriesContext(connection) as one:
        compute(_park_a(world))
    unit = make_unit(Floor.objects.get(building__park=world.sample(Park, "A")), "A-102")
    lease = Lease.objects.create(
        contract_no="T-A2",
        enterprise=world.sample(Enterprise, "B"),
        park=world.sample(Park, "A"),
        state="active",
        start_on=D(2026, 1, 1),
        end_on=D(2026, 12, 31),
        rent_per_m2_day=Decimal("3"),
    )
    LeaseUnit.objects.create(
        lease=lease, unit=unit, area_m2=unit.area_m2, start_on=lease.start_on, end_on=lease.end_on
    )
    with django_assert_num_queries(len(one.captured_queries)):
        figures = compute(_park_a(world))
    assert figures["tenants"] == 2
    assert len(one.captured_queries) <= 25


def test_each_slice_of_units_by_status_opens_the_units_it_counts(world, client_for):
    from analytics import selectors

    park = world.sample(Park, "A")
    slices = selectors.charts(Scope([park], datetime.date(2026, 6, 30)))["units"]
    assert slices and sum(s["value"] for s in slices) == park.units.count()
    staff = client_for("operator")
    for piece in slices:
        page = staff.get(piece["url"])
        assert page.status_code == 200
        shown = [row.pk for row in page.context["page"].items]
        assert len(shown) == piece["value"], piece
        assert set(park.units.filter(pk__in=shown).values_list("status", flat=True)) == {
            piece["status"]
        }
