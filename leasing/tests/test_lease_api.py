"""Lease writes through the API: the same services, 409s and permissions as the pages."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from leasing.models import Invoice, Lease
from spaces.models import Floor, Park
from spaces.testing import make_unit

pytestmark = pytest.mark.django_db
D = Decimal


def post(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


def test_a_lease_is_drafted_edited_activated_changed_renewed_and_terminated(world, client_for):
    client = client_for("operator")
    first = make_unit(world.sample(Floor), "API-1", area_m2=D(200))
    second = make_unit(world.sample(Floor), "API-2", area_m2=D(50))
    body = {
        "contract_no": "API-L1",
        "enterprise_id": world.sample(Lease).enterprise_id,
        "park_id": world.sample(Park).pk,
        "unit_ids": [first.pk],
        "start_on": "2026-01-01",
        "end_on": "2026-12-31",
        "rent_per_m2_day": "3.00",
        "rent_free": [{"start_on": "2026-01-01", "end_on": "2026-01-31"}],
    }
    created = post(client, "/api/v1/leasing/leases", body)
    assert created.status_code == 201, created.content
    lease = created.json()
    assert lease["state"] == "draft" and lease["unit_ids"] == [first.pk]
    assert "activate" in lease["actions"]
    clash = post(client, "/api/v1/leasing/leases", {**body, "contract_no": "API-L2"})
    assert clash.status_code == 409  # the unit is taken for those dates
    url = f"/api/v1/leasing/leases/{lease['id']}"
    edited = client.patch(
        url, json.dumps({"rent_per_m2_day": "3.20"}), content_type="application/json"
    )
    assert edited.status_code == 200 and edited.json()["rent_per_m2_day"] == "3.20"
    assert (
        client.patch(url, json.dumps({"end_on": None}), content_type="application/json").status_code
        == 422
    )
    active = post(client, f"{url}/transition", {"action": "activate"})
    assert active.status_code == 200 and active.json()["state"] == "active"
    assert Invoice.objects.filter(lease_id=lease["id"]).exists()
    frozen = client.patch(
        url, json.dumps({"rent_per_m2_day": "1"}), content_type="application/json"
    )
    assert frozen.status_code == 409  # a signed lease changes by amendment
    expanded = post(client, f"{url}/units", {"on": "2026-06-01", "add_unit_ids": [second.pk]})
    assert expanded.status_code == 200 and expanded.json()["unit_ids"] == [first.pk, second.pk]
    free = post(
        client,
        f"{url}/rent-free",
        {"start_on": "2026-07-01", "end_on": "2026-07-05", "reason": "施工"},
    )
    assert free.status_code == 200
    renewal = post(
        client,
        f"{url}/renew",
        {"contract_no": "API-L1-R", "end_on": "2027-12-31", "rent_per_m2_day": "3.30"},
    )
    assert renewal.status_code == 201 and renewal.json()["start_on"] == "2027-01-01"
    ended = post(client, f"{url}/terminate", {"on": "2026-09-01", "reason": "搬迁"})
    assert ended.status_code == 200 and ended.json()["state"] == "terminated"
    again = post(client, f"{url}/terminate", {"on": "2026-09-01", "reason": "搬迁"})
    assert again.status_code == 409 and again.json()["code"] in ("wrong_state", "conflict")


def test_lease_writes_are_refused_outside_the_role_and_scope(world, client_for):
    lease = world.sample(Lease)
    body = {"on": "2026-06-01", "reason": "x"}
    tenant = post(client_for("tenant"), f"/api/v1/leasing/leases/{lease.pk}/terminate", body)
    assert tenant.status_code == 403  # a tenant never terminates a lease
    other = world.sample(Lease, "B")
    outside = post(client_for("operator"), f"/api/v1/leasing/leases/{other.pk}/terminate", body)
    assert outside.status_code == 404  # another operator's lease does not exist for it
    foreign_unit = post(
        client_for("operator"),
        "/api/v1/leasing/leases",
        {
            "contract_no": "API-X",
            "enterprise_id": lease.enterprise_id,
            "park_id": lease.park_id,
            "unit_ids": [other.lease_units.first().unit_id],
            "start_on": "2030-01-01",
            "end_on": "2030-12-31",
            "rent_per_m2_day": "3.00",
        },
    )
    assert foreign_unit.status_code == 422 and "unit_ids" in foreign_unit.json()["errors"]


def test_the_lease_list_reads_units_in_one_query_a_page(world, client_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    tenant = client_for("tenant")  # no moves to check: only the page's own queries

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert tenant.get("/api/v1/leasing/leases?limit=50").status_code == 200
        return len(captured)

    queries()  # a session's first request also notes its activity; count the next one
    few = queries()
    lease = world.sample(Lease)
    for n in range(5):
        Lease.objects.create(
            contract_no=f"N1-{n}",
            enterprise_id=lease.enterprise_id,
            park_id=lease.park_id,
            start_on=lease.start_on,
            end_on=lease.end_on,
            rent_per_m2_day=D("1"),
        )
    assert queries() == few  # five more leases, not five more queries
