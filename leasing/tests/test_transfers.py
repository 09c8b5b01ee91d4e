"""One transfer paying several leases of a tenant (合并收款)."""

from __future__ import annotations

import datetime
import json
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core.models import User
from enterprises.models import Enterprise
from leasing import billing, services
from leasing.models import Invoice, Lease, Payment, Transfer
from spaces.models import Floor, Park
from spaces.testing import make_unit

pytestmark = pytest.mark.django_db
D = Decimal
day = datetime.date


@pytest.fixture
def two_leases(world):
    """Two signed leases of a new tenant in park A, billed through April 2026: lease 1 from
    January (deposit 9,125 and P01 30,000 due 1 Jan, P02 30,300 due 1 Apr), lease 2 from
    March (deposit 4,562.50 and P01 15,300 due 1 Mar)."""
    operator = world.users["operator"]
    tenant = Enterprise.objects.create(name="丙科技有限公司", credit_code="91110108MA00CCCC3P")
    leases = []
    for n, (start, area) in enumerate(((day(2026, 1, 1), 100), (day(2026, 3, 1), 50)), start=1):
        lease = services.lease_create(
            actor=operator,
            lease=Lease(
                contract_no=f"TR-{n}",
                enterprise=tenant,
                park=world.sample(Park),
                start_on=start,
                end_on=day(2026, 12, 31),
                rent_per_m2_day=D("3.00"),
                fee_per_m2_month=D("10"),
                deposit_months=1,
                payment_cycle_months=3,
                bill_days_ahead=15,
            ),
            units=[make_unit(world.sample(Floor), f"TR-{n}", area_m2=D(area))],
        )
        Lease.objects.filter(pk=lease.pk).update(state="active")
        lease.refresh_from_db()
        billing.invoices_issue(actor=operator, lease=lease, on=day(2026, 4, 1))
        leases.append(lease)
    return leases


def outstanding(lease):
    return {i.number: i.outstanding for i in Invoice.objects.filter(lease=lease)}


def test_one_transfer_pays_the_oldest_bills_across_leases(world, two_leases):
    first, second = two_leases
    transfer = billing.transfer_record(
        actor=world.users["operator"],
        enterprise=first.enterprise,
        received_on=day(2026, 4, 2),
        amount=D("60000"),
        reference="招行 8899",
    )
    # 1 Jan: TR-1 deposit 9,125 + P01 30,000; 1 Mar: TR-2 deposit + P01; then TR-1 P02
    second_open = sum(outstanding(second).values(), D(0))
    parts = {p.lease_id: p.amount for p in transfer.payments.all()}
    assert parts[first.pk] + parts[second.pk] == D("60000")
    assert parts[second.pk] == D("19862.50") == D("4562.50") + D("15300.00")
    assert second_open == 0
    assert outstanding(first)["TR-1-P02"] == D("30300.00") - (parts[first.pk] - D("39125.00"))
    assert transfer.receipt_no.endswith("-T20260402-001")
    assert Payment.objects.filter(transfer=transfer).count() == 2


def test_the_clerk_may_split_a_transfer_by_hand(world, two_leases):
    first, second = two_leases
    operator = world.users["operator"]
    with pytest.raises(ValidationError) as exc:
        billing.transfer_record(
            actor=operator,
            enterprise=first.enterprise,
            received_on=day(2026, 4, 2),
            amount=D("100"),
            shares={first.pk: D("60"), second.pk: D("30")},
        )
    assert "shares" in exc.value.message_dict  # 90 is not 100
    assert (
        not Transfer.objects.filter(enterprise=first.enterprise).exists()
        and not Payment.objects.filter(lease__in=two_leases).exists()
    )
    transfer = billing.transfer_record(
        actor=operator,
        enterprise=first.enterprise,
        received_on=day(2026, 4, 2),
        amount=D("20000"),
        shares={second.pk: D("20000")},
    )
    (part,) = transfer.payments.all()
    assert part.lease_id == second.pk and part.unapplied == D("137.50")  # 19,862.50 owed
    assert sum(outstanding(first).values(), D(0)) == D("69425.00")  # untouched


def test_a_transfer_through_the_api_and_its_receipt(world, two_leases, client_for):
    first, _second = two_leases
    client = client_for("operator")
    body = {"enterprise_id": first.enterprise_id, "received_on": "2026-04-02", "amount": "50000.00"}
    created = client.post(
        "/api/v1/leasing/transfers", json.dumps(body), content_type="application/json"
    )
    assert created.status_code == 201, created.content
    data = created.json()
    assert len(data["parts"]) == 2 and sum(D(p["amount"]) for p in data["parts"]) == D("50000")
    assert [s["invoice_number"] for s in data["settled"]][:2] == ["TR-1-D", "TR-1-P01"]
    page = client.get(reverse("leasing:transfer_detail", args=[data["id"]]))
    assert page.status_code == 200 and "TR-2-P01" in page.content.decode()
    pdf = client.get(reverse("leasing:transfer_receipt", args=[data["id"]]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    tenant = client_for("tenant")  # a user of another company
    assert tenant.get(f"/api/v1/leasing/transfers/{data['id']}").status_code == 404
    refused = tenant.post(
        "/api/v1/leasing/transfers", json.dumps(body), content_type="application/json"
    )
    assert refused.status_code == 403
    stranger = Client()
    stranger.force_login(world.sample(User, "B"))  # staff of another operator
    assert stranger.get(f"/api/v1/leasing/transfers/{data['id']}").status_code == 404


def test_the_transfer_page_splits_by_hand_with_errors_inline(world, two_leases, client_for):
    first, second = two_leases
    client = client_for("operator")
    url = reverse("leasing:transfer_add")
    form = client.get(url + f"?enterprise={first.enterprise_id}").content.decode()
    assert "TR-1" in form and "TR-2" in form
    assert f'value="{timezone.localdate().isoformat()}"' in form  # a date input reads ISO only
    post = {
        "enterprise": first.enterprise_id,
        "received_on": "2026-04-02",
        "amount": "1000",
        "method": "transfer",
        "split": "manual",
        f"share_{first.pk}": "600",
        f"share_{second.pk}": "300",
    }
    wrong = client.post(url, post)
    assert wrong.status_code == 200 and "900.00" in wrong.content.decode()
    done = client.post(url, {**post, f"share_{second.pk}": "400"})
    assert done.status_code == 302
    transfer = Transfer.objects.get(enterprise=first.enterprise)
    assert sorted(p.amount for p in transfer.payments.all()) == [D("400"), D("600")]


def test_batch_issue_runs_as_a_job_with_progress(world, client_for):
    from core.models import BackgroundJob

    operator = world.users["operator"]
    lease = services.lease_create(
        actor=operator,
        lease=Lease(
            contract_no="BATCH-1",
            enterprise=world.sample(Enterprise),
            park=world.sample(Park),
            start_on=day(2026, 1, 1),
            end_on=day(2027, 12, 31),
            rent_per_m2_day=D("3.00"),
        ),
        units=[make_unit(world.sample(Floor), "BATCH-1", area_m2=D(80))],
    )
    Lease.objects.filter(pk=lease.pk).update(state="active")
    client = client_for("operator")
    page = client.get(reverse("leasing:invoice_batch"))
    assert page.status_code == 200 and "BATCH-1" in page.content.decode()
    done = client.post(reverse("leasing:invoice_batch"), {"lease": [lease.pk]})
    job = BackgroundJob.objects.latest("id")
    assert done.status_code == 302 and done["Location"].endswith(f"/jobs/{job.pk}/")
    assert job.status == "done" and job.total == 1 and job.done == 1
    assert Invoice.objects.filter(lease=lease).exists()
    again = client.get(reverse("leasing:invoice_batch")).content.decode()
    assert "BATCH-1" not in again  # nothing left to issue
    assert (
        client_for("tenant")
        .post(reverse("leasing:invoice_batch"), {"lease": [lease.pk]})
        .status_code
        == 404
    )
