"""Leases: no unit leased twice for overlapping dates (both databases, and under concurrent
requests on PostgreSQL), occupancy around lease boundaries, early termination, the API."""

from __future__ import annotations

import datetime
import threading
from decimal import Decimal

import pytest
from django.db import connection

from core.errors import ConflictError
from core.tokens import token_create
from enterprises.models import Enterprise
from leasing import services
from leasing.models import Lease, LeaseUnit
from leasing.selectors import occupancy
from spaces.models import Floor, Park, Unit
from spaces.testing import make_unit

D = Decimal
day = datetime.date


def new_lease(world, no, start, end, side="A"):
    return Lease(
        contract_no=no,
        enterprise=world.sample(Enterprise, side),
        park=world.sample(Park, side),
        start_on=start,
        end_on=end,
        rent_per_m2_day=D("3.50"),
    )


@pytest.mark.django_db
def test_overlapping_lease_of_a_unit_is_refused(world):
    unit = world.sample(Unit)  # leased 2026-01-01 … 2028-12-31 in the test world
    with pytest.raises(ConflictError) as exc:
        services.lease_create(
            actor=world.users["operator"],
            lease=new_lease(world, "X-1", day(2028, 12, 31), day(2029, 6, 30)),
            units=[unit],
        )
    assert unit.code in exc.value.message
    assert not Lease.objects.filter(contract_no="X-1").exists()  # nothing half-written


@pytest.mark.django_db
def test_adjacent_lease_is_accepted(world):
    unit = world.sample(Unit)
    lease = services.lease_create(
        actor=world.users["operator"],
        lease=new_lease(world, "X-2", day(2029, 1, 1), day(2029, 12, 31)),
        units=[unit],
    )
    assert lease.lease_units.get().unit == unit


@pytest.mark.django_db
def test_the_database_itself_refuses_an_overlap(world):
    """Even a write that bypasses the services (a script, a bug) cannot double-let a unit."""
    from django.db import IntegrityError, transaction

    span = LeaseUnit.objects.get(lease__contract_no="T-A")
    with pytest.raises(IntegrityError), transaction.atomic():
        LeaseUnit.objects.create(
            lease=span.lease,
            unit=span.unit,
            area_m2=1,
            start_on=day(2027, 1, 1),
            end_on=day(2027, 1, 31),
        )
    span.end_on = day(2030, 1, 1)
    span.save()  # the span's own update does not count as an overlap


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="concurrent writers need PostgreSQL; .ci/run runs this on PostgreSQL",
)
def test_two_operators_at_the_same_moment_get_one_lease(world):
    unit = make_unit(world.sample(Floor), "RACE")
    results: list[str] = []
    barrier = threading.Barrier(2)

    def attempt(n: int) -> None:
        from django.db import connections

        try:
            barrier.wait()
            services.lease_create(
                actor=world.users["operator"],
                lease=new_lease(world, f"RACE-{n}", day(2027, 1, 1), day(2027, 12, 31)),
                units=[unit],
            )
            results.append("ok")
        except ConflictError:
            results.append("conflict")
        finally:
            connections.close_all()

    for _round in range(5):
        results.clear()
        LeaseUnit.objects.filter(unit=unit).delete()
        Lease.objects.filter(contract_no__startswith="RACE").delete()
        threads = [threading.Thread(target=attempt, args=(n,)) for n in (1, 2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert sorted(results) == ["conflict", "ok"]
        assert LeaseUnit.objects.filter(unit=unit).count() == 1


@pytest.mark.django_db
def test_occupancy_at_dates_around_lease_boundaries(world):
    units = Unit.objects.filter(park=world.sample(Park))
    unit = world.sample(Unit)  # 1,000 m², the only unit of park A
    make_unit(world.sample(Floor), "A-102", area_m2=D(3000))
    assert occupancy(units, day(2025, 12, 31)).rate == D(0)
    assert occupancy(units, day(2026, 1, 1)).rate == D("0.25")
    assert occupancy(units, day(2028, 12, 31)).leased_area_m2 == unit.area_m2
    assert occupancy(units, day(2029, 1, 1)).rate == D(0)


@pytest.mark.django_db
def test_draft_lease_does_not_count_and_termination_frees_units(world):
    operator = world.users["operator"]
    unit = make_unit(world.sample(Floor), "A-103", area_m2=D(1000))
    units = Unit.objects.filter(park=world.sample(Park))
    lease = services.lease_create(
        actor=operator,
        lease=new_lease(world, "X-3", day(2026, 3, 1), day(2027, 2, 28)),
        units=[unit],
    )
    assert occupancy(units, day(2026, 6, 1)).rate == D("0.5")  # the draft is not counted
    services.lease_transition(actor=operator, lease=lease, action="activate")
    unit.refresh_from_db()
    assert unit.status == "leased" and unit.available_from == day(2027, 3, 1)
    assert occupancy(units, day(2026, 6, 1)).rate == D(1)
    services.lease_terminate(actor=operator, lease=lease, on=day(2026, 9, 1), reason="提前退租")
    assert occupancy(units, day(2026, 8, 31)).rate == D(1)
    assert occupancy(units, day(2026, 9, 1)).rate == D("0.5")
    unit.refresh_from_db()
    assert unit.status == "vacant"
    schedule = services.lease_schedule(lease)
    assert schedule.periods[-1].end == day(2026, 8, 31)  # no rent after termination
    with pytest.raises(ConflictError):
        services.lease_transition(actor=operator, lease=lease, action="activate")


@pytest.mark.django_db
def test_occupancy_api_contract_and_scope(world, client):
    def get(role, query):
        _t, key = token_create(actor=world.users[role], name="t")
        return client.get(f"/api/v1/leasing/occupancy?{query}", HTTP_AUTHORIZATION=f"Bearer {key}")

    body = get("operator", "park=PA&date=2026-06-01").json()
    assert body["occupancy_rate"] == "1.0000"
    assert body["leasable_area_m2"] == body["leased_area_m2"] == "1000.00"
    assert get("gov", "park=PA&date=2026-06-01").status_code == 200  # aggregate figures
    assert get("operator", "park=PB").status_code == 404
    assert get("tenant", "park=PA").status_code == 403  # a tenant reads parks, not their figures
    assert get("operator", "park=PA&date=2026-13-01").status_code == 422


@pytest.mark.django_db
def test_government_never_sees_a_lease(world, client):
    _t, key = token_create(actor=world.users["gov"], name="t")
    lease = Lease.objects.get(contract_no="T-A")
    response = client.get(
        f"/api/v1/leasing/leases/{lease.pk}/schedule", HTTP_AUTHORIZATION=f"Bearer {key}"
    )
    assert response.status_code == 403  # a reviewer may never read leases
    assert response.json()["code"] == "forbidden"


@pytest.mark.django_db
def test_park_and_company_pages_show_their_leases(world, client_for):
    from django.urls import reverse

    park_url = reverse("spaces:park_detail", args=[world.sample(Park).pk]) + "?tab=leases"
    page = client_for("operator").get(park_url)
    assert b"T-A" in page.content and b"100.0%" in page.content
    gov_page = client_for("gov").get(park_url)
    assert "leases" not in [t.key for t in gov_page.context["tabs"]]  # no rents for reviewers
    company_url = reverse("enterprises:enterprise_detail", args=[world.sample(Enterprise).pk])
    tenant_page = client_for("tenant").get(company_url + "?tab=leases")
    assert b"T-A" in tenant_page.content and b"T-B" not in tenant_page.content


@pytest.mark.django_db
def test_operator_creates_activates_and_terminates_a_lease_in_the_ui(world, client_for):
    from django.urls import reverse

    client = client_for("operator")
    unit = make_unit(world.sample(Floor), "A-160", area_m2=D(500))
    response = client.post(
        reverse("leasing:lease_add"),
        {
            "contract_no": "UI-1",
            "enterprise": world.sample(Enterprise).pk,
            "park": world.sample(Park).pk,
            "start_on": "2027-01-01",
            "end_on": "2029-12-31",
            "rent_per_m2_day": "3.60",
            "fee_per_m2_month": "10",
            "convention": "daily",
            "escalation_pct": "5",
            "escalation_from_year": "2",
            "deposit_months": "1",
            "payment_cycle_months": "3",
            "bill_days_ahead": "15",
            "units": [unit.pk],
            "free_from": "2027-01-01",
            "free_to": "2027-02-28",
        },
    )
    lease = Lease.objects.get(contract_no="UI-1")
    assert response.status_code == 302 and lease.state == "draft"
    assert lease.rent_free.get().end_on == day(2027, 2, 28)
    url = reverse("leasing:lease_action", args=[lease.pk])
    client.post(url, {"action": "activate"})
    lease.refresh_from_db()
    assert lease.state == "active"
    client.post(url, {"action": "terminate", "on": "2028-06-01", "reason": "经营调整"})
    lease.refresh_from_db()
    assert lease.state == "terminated" and lease.terminated_on == day(2028, 6, 1)


@pytest.mark.django_db
def test_ui_refuses_an_overlapping_lease_inline(world, client_for):
    from django.urls import reverse

    response = client_for("operator").post(
        reverse("leasing:lease_add"),
        {
            "contract_no": "UI-2",
            "enterprise": world.sample(Enterprise).pk,
            "park": world.sample(Park).pk,
            "start_on": "2027-01-01",
            "end_on": "2027-12-31",
            "rent_per_m2_day": "3.60",
            "fee_per_m2_month": "0",
            "convention": "daily",
            "escalation_pct": "0",
            "escalation_from_year": "2",
            "deposit_months": "1",
            "payment_cycle_months": "3",
            "bill_days_ahead": "15",
            "units": [world.sample(Unit).pk],
        },
    )
    assert response.status_code == 200
    assert "A-101" in " ".join(response.context["form"].non_field_errors())
    assert not Lease.objects.filter(contract_no="UI-2").exists()


@pytest.mark.django_db
def test_stacking_plan_shows_tenant_and_months_left_to_the_operator_only(world, client_for):
    from django.urls import reverse
    from django.utils import timezone

    from spaces.models import Building

    span = LeaseUnit.objects.get(lease__contract_no="T-A")
    today = timezone.localdate()
    span.start_on, span.end_on = today, today + datetime.timedelta(days=70)
    span.save()
    url = reverse("spaces:building_detail", args=[world.sample(Building).pk])
    page = client_for("operator").get(url)
    assert "甲科技有限公司".encode() in page.content and b"exp-3" in page.content
    gov = client_for("gov").get(url)
    assert "甲科技有限公司".encode() not in gov.content  # reviewers see the plan, not tenants


@pytest.mark.django_db
def test_occupancy_series_is_taken_at_each_month_end_up_to_the_day(
    world, django_assert_num_queries
):
    from leasing.selectors import occupancy, occupancy_series

    units = Unit.objects.filter(park=world.sample(Park))
    with django_assert_num_queries(2):  # whatever the number of months
        series = occupancy_series(units, 3, day(2026, 1, 15))
    assert [d for d, _o in series] == [day(2025, 11, 30), day(2025, 12, 31), day(2026, 1, 15)]
    assert [o.rate for _d, o in series] == [D(0), D(0), D(1)]  # T-A starts on 2026-01-01
    assert series == [(d, occupancy(units, d)) for d, _o in series]  # the one-day figure


def test_a_tenant_reads_its_units_without_links_to_pages_it_may_not_open(world, client_for):
    lease = world.sample(Lease, "A")
    unit = lease.lease_units.get().unit
    tenant_page = (
        client_for("tenant").get(f"/leasing/leases/{lease.pk}/?tab=units").content.decode()
    )
    assert unit.code in tenant_page
    assert f"/spaces/units/{unit.pk}/" not in tenant_page
    assert client_for("tenant").get(f"/spaces/units/{unit.pk}/").status_code == 404
    staff_page = (
        client_for("operator").get(f"/leasing/leases/{lease.pk}/?tab=units").content.decode()
    )
    assert f"/spaces/units/{unit.pk}/" in staff_page
