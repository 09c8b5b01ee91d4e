"""An integrator's view of the API: a client generated from /api/v1/openapi.json by
openapi-python-client (warnings are errors) drives the whole admission-to-cash workflow.

find a park → apply as a tenant → screen → assess → both sides review → convert → activate
the lease → bills → pay → aging. Every call goes through the generated functions and models,
in-process (httpx's WSGI transport), so the test database is the one the requests see.
"""

from __future__ import annotations

import datetime
import importlib
import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import httpx
import pytest
from django.core.wsgi import get_wsgi_application
from django.utils import timezone

from core.dates import term_end
from core.tokens import token_create
from spaces.models import Floor

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    """The client package, generated once for the module."""
    from django.test import Client

    spec = tmp_path_factory.mktemp("spec") / "openapi.json"
    spec.write_bytes(Client().get("/api/v1/openapi.json").content)
    out = tmp_path_factory.mktemp("client")
    bin_dir = Path(sys.executable).parent  # the generator runs ruff from PATH on its output
    result = subprocess.run(
        [
            str(bin_dir / "openapi-python-client"),
            "generate",
            "--path",
            str(spec),
            "--meta",
            "none",
            "--output-path",
            str(out / "parkops_client"),
            "--fail-on-warning",
        ],
        capture_output=True,
        text=True,
        env={"PATH": f"{bin_dir}:/usr/bin:/bin"},
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Warning" not in result.stdout + result.stderr, result.stdout + result.stderr
    sys.path.insert(0, str(out))
    try:
        yield importlib.import_module("parkops_client")
    finally:
        sys.path.remove(str(out))
        for name in [m for m in sys.modules if m.startswith("parkops_client")]:
            del sys.modules[name]


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """A real WSGI request closes the database connection when it finishes; the test's
    transaction lives on it, so keep it open as Django's own test client does."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def _api(package, name):
    return importlib.import_module(f"parkops_client.api.{package}.{name}")


def _client(pc, user):
    _token, key = token_create(actor=user, name="integration")
    transport = httpx.WSGITransport(app=get_wsgi_application())
    return pc.AuthenticatedClient(
        base_url="http://testserver",
        token=key,
        raise_on_unexpected_status=True,
        httpx_args={"transport": transport},
    )


def _ok(response, status=200):
    assert response.status_code == status, response.content
    return response.parsed


def test_a_generated_client_drives_admission_to_cash(world, generated):
    from parkops_client import models as m

    tenant = _client(generated, world.users["tenant"])
    operator = _client(generated, world.users["operator"])
    gov = _client(generated, world.users["gov"])
    today = timezone.localdate()

    def park_a():
        found = _ok(_api("spaces", "park_list").sync_detailed(client=tenant, q="PA")).items
        return next(p for p in found if p.code == "PA")

    before = park_a()
    # the operator offers a workshop in park A (through the API too)
    floor = world.sample(Floor)
    unit = _ok(
        _api("spaces", "unit_create").sync_detailed(
            client=operator,
            body=m.UnitIn(
                floor_id=floor.pk,
                code="A-901",
                use=m.UnitUse.WORKSHOP,
                area_m2="800",
                clear_height_m="9",
                floor_load_kn_m2="10",
                power_kva="300",
                list_rent="3.20",
            ),
        ),
        201,
    )

    # 1. the tenant finds the park (public facts) and its own company
    park = park_a()
    assert park.offered_units == before.offered_units + 1
    assert Decimal(park.offered_area_m2) == Decimal(before.offered_area_m2) + 800
    me = _ok(_api("platform", "me_get").sync_detailed(client=tenant))

    # 2. it applies and submits
    app = _ok(
        _api("admissions", "application_create").sync_detailed(
            client=tenant,
            body=m.ApplicationIn(
                enterprise_id=me.enterprise_id,
                park_id=park.id,
                area_min_m2="500",
                area_max_m2="900",
                move_in_on=today,
                rd_intensity_pct="8",
                headcount=40,
            ),
        ),
        201,
    )
    assert app.park_id == park.id and app.park == "PA"

    def move(client, action):
        body = m.TransitionIn(action=m.TransitionInAction(action))
        fn = _api("admissions", "application_transition")
        return _ok(fn.sync_detailed(client=client, id=app.id, body=body))

    assert [a.value for a in app.actions] == ["submit", "withdraw"]
    move(tenant, "submit")

    # 3. the operator screens and assesses the customer risk
    move(operator, "start_screening")
    screening = _ok(
        _api("admissions", "application_screening").sync_detailed(client=operator, id=app.id)
    )
    assert screening.next_ is None
    move(operator, "to_risk")
    risk = _ok(
        _api("admissions", "application_assess").sync_detailed(
            client=operator,
            id=app.id,
            body=m.RiskIn(revenue_last_year="1200", revenue_prev_year="1000", debt_ratio_pct="40"),
        )
    )
    assert risk.grade.value in "ABCD"
    reviewed = move(operator, "to_review")
    assert reviewed.state == m.AppState.REVIEW

    # 4. both sides review; the second approval decides
    for client in (gov, operator):
        _ok(
            _api("admissions", "application_review").sync_detailed(
                client=client, id=app.id, body=m.ReviewIn(decision=m.Decision.APPROVE)
            )
        )
    approved = _ok(_api("admissions", "application_get").sync_detailed(client=tenant, id=app.id))
    assert approved.state == m.AppState.APPROVED

    # 5. the operator matches space and turns the application into a draft lease, back-dated
    # so that bills fall due before today
    matches = _ok(
        _api("admissions", "application_matches").sync_detailed(client=operator, id=app.id)
    )
    assert unit.id in matches.items[0].unit_ids
    start = today - datetime.timedelta(days=100)
    converted = _ok(
        _api("admissions", "application_convert").sync_detailed(
            client=operator,
            id=app.id,
            body=m.ConvertIn(
                unit_ids=[unit.id],
                start_on=start,
                end_on=term_end(start, 24),  # two years, whatever the start day (29 Feb too)
                rent_per_m2_day="3.00",
            ),
        )
    )
    lease_id = converted.lease_id
    lease = _ok(_api("leasing", "lease_get").sync_detailed(client=operator, id=lease_id))
    assert lease.state == m.LeaseState.DRAFT and lease.unit_ids == [unit.id]
    assert "activate" in [a.value for a in lease.actions]

    before_total, before_late = _aging(operator, park.id, today, me.enterprise_id)
    # 6. activate: the deposit and the bills due so far are issued
    body = m.LeaseTransitionIn(action=m.LeaseTransitionInAction.ACTIVATE)
    fn = _api("leasing", "lease_transition")
    active = _ok(fn.sync_detailed(client=operator, id=lease_id, body=body))
    assert active.state == m.LeaseState.ACTIVE
    bills = _ok(
        _api("leasing", "invoice_list").sync_detailed(client=operator, lease_id=lease_id, limit=500)
    ).items
    assert {b.kind.value for b in bills} >= {"deposit", "rent"}

    # 7. the tenant's transfer, recorded by the clerk, settles part of it
    paid = Decimal("1000.00")
    payment = _ok(
        _api("leasing", "payment_create").sync_detailed(
            client=operator,
            body=m.PaymentIn(lease_id=lease_id, received_on=today, amount=str(paid)),
        ),
        201,
    )
    assert Decimal(payment.amount) == paid and Decimal(payment.unapplied) == 0

    # 8. the aging of today shows what is still open and what of it is overdue (from the day
    # after the due date), on top of what the tenant already owed on its other leases
    after = _ok(
        _api("leasing", "invoice_list").sync_detailed(client=operator, lease_id=lease_id, limit=500)
    ).items
    still_open = sum(Decimal(b.outstanding) for b in after)
    overdue = sum(Decimal(b.outstanding) for b in after if b.due_on < today)
    assert still_open == sum(Decimal(b.outstanding) for b in bills) - paid
    assert overdue > 0  # the lease started 100 days ago
    total, late = _aging(operator, park.id, today, me.enterprise_id)
    assert (total, late) == (before_total + still_open, before_late + overdue)


def _aging(client, park_id, day, enterprise_id):
    """(open, overdue) of one tenant in the aging of ``day``."""
    aging = _api("leasing", "report_aging").sync_detailed(client=client, park_id=park_id, date=day)
    rows = [r for r in _ok(aging).items if r.id == enterprise_id]
    return (Decimal(rows[0].total), Decimal(rows[0].overdue)) if rows else (Decimal(0), Decimal(0))


def test_the_generated_client_reports_a_refusal_with_its_code(world, generated):
    from parkops_client import models as m

    tenant = _client(generated, world.users["tenant"])
    response = _api("leasing", "invoice_list").sync_detailed(client=tenant, lease_id=1)
    assert response.status_code == 200  # a tenant reads its own bills
    refused = _api("spaces", "unit_list").sync_detailed(client=tenant)
    assert refused.status_code == 403
    assert json.loads(refused.content)["code"] == m.ErrorOutCode.FORBIDDEN.value
