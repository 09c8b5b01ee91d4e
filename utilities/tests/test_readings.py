"""Readings through the service: checks, pricing, billing to the right lease, shared meters,
moves in and out, the import and the API."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from openpyxl import Workbook

from core.tokens import token_create
from enterprises.models import Enterprise
from leasing.billing import charges_bill_now
from leasing.models import Lease, LeaseCharge, LeaseUnit
from spaces.models import Floor, Unit
from spaces.testing import make_unit
from utilities import imports, services
from utilities.choices import Allocation, MeterKind, TariffStructure
from utilities.models import Meter, MeterShare, Reading, Tariff, TariffRate

pytestmark = pytest.mark.django_db
D = Decimal
day = datetime.date


@pytest.fixture
def staff(world):
    return world.users["operator"]


@pytest.fixture
def unit(world):
    return world.sample(Unit, "A")  # leased by T-A from 2026-01-01 to 2028-12-31


@pytest.fixture
def lease(world):
    return world.sample(Lease, "A")


def tariff(world, staff, structure=TariffStructure.FLAT, name="测试电价", **rate):
    t = services.record_create(
        actor=staff,
        instance=Tariff(
            operator=world.operators["A"],
            name=name,
            kind=MeterKind.ELECTRICITY,
            structure=structure,
        ),
    )
    services.record_create(
        actor=staff,
        instance=TariffRate(tariff=t, valid_from=day(2025, 1, 1), **({"price": D("0.80")} | rate)),
    )
    return t


def meter(staff, place, t, code="M1", **fields):
    """A meter in ``place``'s building, serving that unit unless ``unit`` says otherwise."""
    return services.record_create(
        actor=staff,
        instance=Meter(
            park=place.park,
            building=place.building,
            code=code,
            kind=MeterKind.ELECTRICITY,
            tariff=t,
            **({"unit": place} | fields),
        ),
    )


def add(staff, m, on, value, confirm=False, **fields):
    return services.reading_add(
        actor=staff, reading=Reading(meter=m, read_on=on, value=D(value), **fields), confirm=confirm
    )


def charges(lease):
    return list(
        LeaseCharge.objects.filter(lease=lease, source__startswith="utilities.").order_by("id")
    )


def test_a_reading_bills_the_interval_to_the_lease_and_the_next_bill_carries_it(
    world, staff, unit, lease
):
    m = meter(staff, unit, tariff(world, staff), multiplier=D(40))
    opening = add(staff, m, day(2026, 2, 1), "1000.5")
    assert opening.billed_note and not charges(lease)
    closing = add(staff, m, day(2026, 3, 1), "1100.5")
    # (1100.5 − 1000.5) × 40 = 4,000 kWh at 0.80 元
    assert closing.consumption == D(4000) and closing.amount == D("3200.00")
    [line] = charges(lease)
    assert (line.quantity, line.unit_price, line.amount) == (D(4000), D("0.80"), D("3200.00"))
    assert (line.period_start, line.period_end) == (day(2026, 2, 1), day(2026, 3, 1))
    assert "M1" in line.description and line.quantity_unit == "kWh"
    bill = charges_bill_now(actor=staff, lease=lease, on=day(2026, 3, 2))
    assert bill.amount == D("3200.00")
    line.refresh_from_db()
    assert line.invoice == bill


def test_a_lower_reading_needs_a_reason(world, staff, unit):
    m = meter(staff, unit, tariff(world, staff), digits=5)
    add(staff, m, day(2026, 2, 1), 99950)
    with pytest.raises(ValidationError) as caught:
        add(staff, m, day(2026, 3, 1), 30)
    assert "reason" in caught.value.message_dict
    assert "99950" in caught.value.message_dict["reason"][0]
    assert add(staff, m, day(2026, 3, 1), 30, reason="rollover").consumption == D(80)


def test_a_reading_must_be_later_than_the_last(world, staff, unit):
    m = meter(staff, unit, tariff(world, staff))
    add(staff, m, day(2026, 2, 1), 100)
    with pytest.raises(ValidationError) as caught:
        add(staff, m, day(2026, 1, 15), 150)
    assert "2026-02-01" in caught.value.message_dict["read_on"][0]
    assert m.readings.count() == 1


def test_an_unusual_consumption_asks_for_a_confirmation(world, staff, unit):
    m = meter(staff, unit, tariff(world, staff))
    for month, value in enumerate((0, 100, 205, 300, 410), start=1):
        add(staff, m, day(2026, month, 1), value)
    with pytest.raises(ValidationError) as caught:
        add(staff, m, day(2026, 6, 1), 1410)  # 1,000 in a month, about ten times usual
    assert "confirm" in caught.value.message_dict
    assert m.readings.count() == 5
    assert add(staff, m, day(2026, 6, 1), 1410, confirm=True).anomaly


def test_time_of_use_and_a_change_of_rate_on_the_bill(world, staff, unit, lease):
    t = tariff(
        world,
        staff,
        TariffStructure.TIME_OF_USE,
        price=D("0.7720"),
        peak_price=D("1.2130"),
        valley_price=D("0.3520"),
    )
    services.record_create(
        actor=staff,
        instance=TariffRate(
            tariff=t,
            valid_from=day(2026, 2, 15),
            price=D("0.80"),
            peak_price=D("1.30"),
            valley_price=D("0.40"),
        ),
    )
    m = meter(staff, unit, t)
    add(staff, m, day(2026, 1, 31), 0, peak=D(0), valley=D(0))
    r = add(staff, m, day(2026, 2, 28), 2000, peak=D(600), valley=D(500))
    # 14 days at each rate: peak 300 + 300, flat 450 + 450, valley 250 + 250
    lines = charges(lease)
    assert [(c.quantity, c.amount) for c in lines] == [
        (D(300), D("363.90")),
        (D(450), D("347.40")),
        (D(250), D("88.00")),
        (D(300), D("390.00")),
        (D(450), D("360.00")),
        (D(250), D("100.00")),
    ]
    assert r.amount == sum(c.amount for c in lines) == D("1649.30")
    with pytest.raises(ValidationError) as caught:
        add(staff, m, day(2026, 3, 31), 2500)  # the registers of a time-of-use meter are missing
    assert {"peak", "valley"} <= set(caught.value.message_dict)


def test_a_move_out_inside_the_interval_needs_a_closing_reading(world, staff, unit, lease):
    m = meter(staff, unit, tariff(world, staff))
    add(staff, m, day(2028, 11, 30), 100)
    with pytest.raises(ValidationError) as caught:
        add(staff, m, day(2029, 1, 31), 400)  # the lease ends on 2028-12-31
    assert "2028-12-31" in caught.value.message_dict["read_on"][0]
    add(staff, m, day(2028, 12, 31), 200)  # the closing reading: the tenant's last interval
    vacant = add(staff, m, day(2029, 1, 31), 400)
    assert [c.quantity for c in charges(lease)] == [D(100)]
    assert "空置" in vacant.billed_note and "160.00" in vacant.billed_note


def test_a_move_in_needs_an_opening_reading_and_bills_from_it(world, staff, unit):
    other = make_unit(Floor.objects.get(building=unit.building, number=1), "A-102")
    m = meter(staff, other, tariff(world, staff))
    newcomer = _lease(world, other, "T-NEW", day(2026, 3, 10), day(2027, 3, 9))
    add(staff, m, day(2026, 3, 1), 0)
    with pytest.raises(ValidationError) as caught:
        add(staff, m, day(2026, 4, 1), 300)
    assert "2026-03-10" in caught.value.message_dict["read_on"][0]
    add(staff, m, day(2026, 3, 10), 50)  # the opening reading on the move-in day
    add(staff, m, day(2026, 4, 1), 300)
    assert [c.quantity for c in charges(newcomer)] == [D(250)]


def _lease(world, unit, number, start, end):
    lease = Lease.objects.create(
        contract_no=number,
        enterprise=Enterprise.objects.create(name=f"{number}公司", credit_code=_code(number)),
        park=unit.park,
        state="active",
        start_on=start,
        end_on=end,
        rent_per_m2_day=D("3"),
    )
    LeaseUnit.objects.create(
        lease=lease, unit=unit, area_m2=unit.area_m2, start_on=start, end_on=end
    )
    return lease


def _code(seed: str) -> str:
    from stdnum.cn import uscc

    body = "91110108MA" + f"{abs(hash(seed)) % 10**7:07d}"
    return body + uscc.calc_check_digit(body)


def test_a_shared_meter_splits_by_area_and_days_to_the_cent(world, staff, unit, lease):
    floor = Floor.objects.get(building=unit.building, number=1)
    small = make_unit(floor, "A-103", area_m2=D("333"))
    empty = make_unit(floor, "A-104", area_m2=D("667"))
    # A-103 is let from the middle of the interval: its days share the split
    newcomer = _lease(world, small, "T-MID", day(2026, 2, 15), day(2027, 2, 14))
    shared = meter(
        staff, unit, tariff(world, staff), code="SHARED", unit=None, allocation=Allocation.AREA
    )
    for u in (unit, small, empty):
        services.record_create(actor=staff, instance=MeterShare(meter=shared, unit=u))
    add(staff, shared, day(2026, 1, 31), 0)
    r = add(staff, shared, day(2026, 2, 28), "1234.567")
    billed = charges(lease) + charges(newcomer)
    weights = services.shared_weights(shared, day(2026, 1, 31), day(2026, 2, 28))
    vacant = sum(w for (u, span), w in weights.items() if span is None)
    # A-101 1000 ㎡ all 28 days; A-103 333 ㎡ 14 days let and 14 vacant; A-104 vacant
    assert weights[(unit.pk, LeaseUnit.objects.get(lease=lease).pk)] == D(1000)
    assert vacant == D("166.5") + D(667)
    borne = D(r.billed_note.rsplit(" ", 1)[1])  # "…；空置，由运营方承担 123.45"
    assert sum(c.amount for c in billed) + borne == r.amount == D("987.65")
    assert sum(c.quantity for c in billed) < D("1234.567")
    assert all("%" in c.description for c in billed)


def test_a_shared_meter_with_no_units_refuses_a_reading_that_bills(world, staff, unit, lease):
    shared = meter(
        staff, unit, tariff(world, staff), code="NOBODY", unit=None, allocation=Allocation.AREA
    )
    add(staff, shared, day(2026, 1, 31), 0)  # the opening reading bills nothing: taken
    with pytest.raises(ValidationError) as exc:
        add(staff, shared, day(2026, 2, 28), "100")
    assert "NOBODY" in exc.value.message_dict["meter"][0]
    assert shared.readings.count() == 1  # nothing half-written, nothing billed
    assert not LeaseCharge.objects.filter(source__startswith="utilities.reading:").exists()
    # the import's dry run names the same reason on the row, before anything is written
    plan = imports.plan_import(
        workbook([[unit.park.code, "NOBODY", "2026-02-28", 100]]), user=staff
    )
    assert not plan.ok and "NOBODY" in str(plan.rows[0].errors)


def test_a_master_meter_bills_its_loss_by_area_over_its_submeters(world, staff, unit, lease):
    floor = Floor.objects.get(building=unit.building, number=1)
    other = make_unit(floor, "A-105", area_m2=D("500"))
    second = _lease(world, other, "T-SUB", day(2026, 1, 1), day(2027, 12, 31))
    t = tariff(world, staff)
    master = meter(staff, unit, t, code="MASTER", unit=None, allocation=Allocation.SUBMETERS)
    subs = [meter(staff, u, t, code=f"SUB-{u.code}", parent=master) for u in (unit, other)]
    for m in (master, *subs):
        add(staff, m, day(2026, 2, 1), 0)
    add(staff, subs[0], day(2026, 3, 1), 400)
    add(staff, subs[1], day(2026, 3, 1), 300)
    master_reading = add(staff, master, day(2026, 3, 1), 1000)
    # the loss is 1000 − 700 = 300 kWh, 240.00 元, split 1000 : 500 ㎡
    loss = [c for c in charges(lease) + charges(second) if "MASTER" in c.description]
    assert sorted(c.amount for c in loss) == [D("80.00"), D("160.00")]
    total = sum(c.amount for c in charges(lease) + charges(second))
    assert total == master_reading.amount == D("800.00")


def test_fixed_shares(world, staff, unit, lease):
    shared = meter(
        staff, unit, tariff(world, staff), code="FIXED", unit=None, allocation=Allocation.FIXED
    )
    with pytest.raises(ValidationError):
        services.record_create(actor=staff, instance=MeterShare(meter=shared, unit=unit))
    services.record_create(
        actor=staff, instance=MeterShare(meter=shared, unit=unit, share_pct=D(30))
    )
    add(staff, shared, day(2026, 2, 1), 0)
    add(staff, shared, day(2026, 3, 1), 100)
    assert [c.amount for c in charges(lease)] == [D("80.00")]  # the one share is the whole


# --- import ------------------------------------------------------------------------------------


def workbook(rows):
    book = Workbook()
    sheet = book.active
    sheet.append([c.header for c in imports.COLUMNS])
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_import_reads_a_round_and_reimporting_changes_nothing(world, staff, unit, lease):
    m = meter(staff, unit, tariff(world, staff))
    park = unit.park.code
    content = workbook(
        [
            [park, "M1", "2026-02-01", 100],
            [park, "m1", "2026/03/01", "350度"],
            [park, "M1", "2026-04-01", 600],
        ]
    )
    plan = imports.plan_import(content, user=staff)
    assert plan.ok and plan.summary()["create"] == 3
    assert not m.readings.exists()  # a dry run writes nothing
    imports.apply_import(content, actor=staff)
    assert [c.quantity for c in charges(lease)] == [D(250), D(250)]
    again = imports.plan_import(content, user=staff)
    assert again.summary()["unchanged"] == 3


def test_a_bad_row_stops_the_whole_import_with_its_reason(world, staff, unit):
    m = meter(staff, unit, tariff(world, staff))
    park = unit.park.code
    content = workbook(
        [
            [park, "M1", "2026-02-01", 100],
            [park, "M1", "2026-03-01", 50],  # lower, no reason
            [park, "NOPE", "2026-03-01", 50],  # no such meter
            [park, "M1", "2026-13-01", "abc"],  # no date, no number
        ]
    )
    plan = imports.apply_import(content, actor=staff)
    assert not plan.ok and not m.readings.exists()
    errors = {r.row: dict(r.errors) for r in plan.rows if r.errors}
    assert set(errors) == {3, 4, 5}
    assert "读数下降原因" in errors[3] and "表号" in errors[4]
    assert {"抄表日期", "读数"} <= set(errors[5])


def test_import_refuses_meters_of_other_parks(world, staff):
    foreign = world.sample(Meter, "B")
    content = workbook([[foreign.park.code, foreign.code, "2026-03-01", 500]])
    plan = imports.plan_import(content, user=staff)
    assert not plan.ok and "表号" in dict(plan.rows[0].errors)


# --- API ---------------------------------------------------------------------------------------


def bearer(world, role):
    token = token_create(actor=world.users[role], user=world.users[role], name="t")[1]
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def test_api_records_a_reading_and_bills_it(world, staff, unit, lease, client):
    m = meter(staff, unit, tariff(world, staff))
    url = "/api/v1/utilities/readings"
    first = client.post(
        url,
        {"meter_id": m.pk, "read_on": "2026-02-01", "value": "100"},
        content_type="application/json",
        **bearer(world, "operator"),
    )
    assert first.status_code == 201, first.content
    second = client.post(
        url,
        {"meter_id": m.pk, "read_on": "2026-03-01", "value": "90"},
        content_type="application/json",
        **bearer(world, "operator"),
    )
    assert second.status_code == 422 and "reason" in second.content.decode()
    third = client.post(
        url,
        {"meter_id": m.pk, "read_on": "2026-03-01", "value": "350"},
        content_type="application/json",
        **bearer(world, "operator"),
    )
    assert third.json()["amount"] == "200.00"
    assert [c.amount for c in charges(lease)] == [D("200.00")]


def test_tenants_and_reviewers_see_no_meters(world, client):
    for role in ("tenant", "gov", "fund"):
        response = client.get("/api/v1/utilities/meters", **bearer(world, role))
        assert response.status_code in (403, 404), role


def test_an_operator_billing_utilities_apart_gets_a_bill_of_their_own(world, staff, unit, lease):
    from leasing.billing import invoices_issue, leases_to_bill
    from leasing.models import Invoice
    from utilities.models import UtilitySettings

    UtilitySettings.objects.filter(operator=world.operators["A"]).update(bill_apart=True)
    m = meter(staff, unit, tariff(world, staff))
    add(staff, m, day(2026, 2, 1), 100)
    add(staff, m, day(2026, 3, 1), 350)
    [line] = charges(lease)
    assert line.billed_apart
    on = day(2026, 3, 2)
    before = set(Invoice.objects.filter(lease=lease).values_list("pk", flat=True))
    assert lease in leases_to_bill(Lease.objects.filter(pk=lease.pk), on)
    issued = invoices_issue(actor=staff, lease=lease, on=on)
    line.refresh_from_db()
    bill = line.invoice
    assert bill in issued and bill.pk not in before
    assert bill.kind == "charges" and bill.amount == D("200.00")
    # the rent bills issued in the same run carry no utility line
    assert all(i.charges.count() == 0 for i in issued if i != bill)
