"""Collections (催缴): the overdue list, the collection notice and its delivery."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from core.errors import ConflictError
from core.models import AuditEntry, Notification
from leasing import collections
from leasing.models import Invoice, Reminder

pytestmark = pytest.mark.django_db


def test_the_overdue_list_is_per_tenant_and_park_with_the_last_notice(world):
    rows = collections.collection_rows(Invoice.objects.all(), timezone.localdate())
    bill = world.sample(Invoice)
    (mine,) = [r for r in rows if r.enterprise_id == bill.enterprise_id]
    open_overdue = sum(
        (
            i.outstanding
            for i in Invoice.objects.filter(enterprise_id=bill.enterprise_id, park=bill.park)
            if i.outstanding > 0 and i.due_on < timezone.localdate() and i.kind != "credit"
        ),
        Decimal(0),
    )
    assert mine.overdue == open_overdue > 0
    assert mine.last_reminder == world.sample(Reminder).sent_on


def test_a_notice_lists_the_bills_notifies_the_tenant_and_is_logged_on_the_lease(
    world, django_capture_on_commit_callbacks
):
    bill = world.sample(Invoice)
    with django_capture_on_commit_callbacks(execute=True):
        reminder = collections.reminder_send(
            actor=world.users["operator"], enterprise_id=bill.enterprise_id, park_id=bill.park_id
        )
    assert reminder.number.endswith("-001") and bill.number in [b["number"] for b in reminder.bills]
    assert reminder.overdue == sum((Decimal(b["outstanding"]) for b in reminder.bills), Decimal(0))
    tenant = world.users["tenant"]
    assert Notification.objects.filter(user=tenant, url__contains=str(reminder.pk)).exists()
    assert AuditEntry.objects.filter(
        object_id=str(bill.lease_id), changes__has_key="reminder"
    ).exists()
    facts = dict(collections.reminder_facts(reminder))
    assert any("元" in str(v) for v in facts.values())  # 大写金额


def test_no_notice_without_overdue_bills_and_none_across_operators(world):
    bill = world.sample(Invoice)
    Invoice.objects.filter(enterprise_id=bill.enterprise_id).update(settled=models_amount())
    with pytest.raises(ConflictError):
        collections.reminder_send(
            actor=world.users["operator"], enterprise_id=bill.enterprise_id, park_id=bill.park_id
        )
    other = world.sample(Invoice, "B")
    with pytest.raises(ConflictError):  # operator A manages none of side B's bills
        collections.reminder_send(
            actor=world.users["operator"], enterprise_id=other.enterprise_id, park_id=other.park_id
        )


def models_amount():
    from django.db.models import F

    return F("amount")


def test_collections_page_sends_a_batch_and_the_pdf_prints(world, client_for):
    client = client_for("operator")
    page = client.get(reverse("leasing:collections"))
    bill = world.sample(Invoice)
    assert page.status_code == 200 and bill.enterprise.name in page.content.decode()
    sent = client.post(
        reverse("leasing:collections"), {"row": [f"{bill.enterprise_id}:{bill.park_id}"]}
    )
    assert sent.status_code == 302
    reminder = Reminder.objects.filter(enterprise_id=bill.enterprise_id).latest("id")
    pdf = client.get(reverse("leasing:reminder_document", args=[reminder.pk]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    tenant_page = client_for("tenant").get(reverse("leasing:reminder_detail", args=[reminder.pk]))
    assert tenant_page.status_code == 200  # the tenant reads the notice it was sent
    assert (
        client_for("tenant").post(reverse("leasing:collections"), {"row": ["1:1"]}).status_code
        == 404
    )


def test_collections_api(world, client_for):
    client = client_for("operator")
    listed = client.get("/api/v1/leasing/collections").json()["items"]
    bill = world.sample(Invoice)
    row = next(r for r in listed if r["enterprise_id"] == bill.enterprise_id)
    body = {"enterprise_id": row["enterprise_id"], "park_id": row["park_id"]}
    created = client.post(
        "/api/v1/leasing/reminders", json.dumps(body), content_type="application/json"
    )
    assert created.status_code == 201, created.content
    assert created.json()["overdue"] == row["overdue"]
    gov = client_for("gov").post(
        "/api/v1/leasing/reminders", json.dumps(body), content_type="application/json"
    )
    assert gov.status_code == 403
