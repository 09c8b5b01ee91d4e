"""Fapiao (发票) status of bills: recorded by hand, through the API or from .xlsx; shown in the
bills list filter and the rent roll."""

from __future__ import annotations

import datetime
import io
import json

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from openpyxl import Workbook

from core.audit import entries_for
from leasing import billing, imports
from leasing.filters import InvoiceFilter
from leasing.models import Invoice, Lease
from leasing.selectors import rent_roll

pytestmark = pytest.mark.django_db
HEADERS = [c.header for c in imports.COLUMNS]


def workbook(rows) -> bytes:
    wb = Workbook()
    sheet = wb.active
    assert sheet is not None
    sheet.append(HEADERS)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def test_recording_a_fapiao_checks_it_and_logs_it(world):
    bill, operator = world.sample(Invoice), world.users["operator"]
    for number, on, kind, field in (
        ("12ab", datetime.date(2026, 1, 5), "normal", "fapiao_no"),
        ("12345678", None, "normal", "fapiao_on"),
        ("12345678", datetime.date(2099, 1, 1), "normal", "fapiao_on"),
        ("12345678", datetime.date(2026, 1, 5), "", "fapiao_kind"),
    ):
        with pytest.raises(ValidationError) as exc:
            billing.fapiao_record(actor=operator, invoice=bill, number=number, on=on, kind=kind)
        assert field in exc.value.message_dict
    billing.fapiao_record(
        actor=operator,
        invoice=bill,
        number="12345678",
        on=datetime.date(2026, 1, 5),
        kind="special",
    )
    bill.refresh_from_db()
    assert bill.fapiao_status == "issued" and bill.fapiao_kind == "special"
    entry = entries_for(bill).latest("at")
    assert entry.changes["fapiao_no"] == ["", "12345678"]
    listed = InvoiceFilter({"fapiao": "issued"}, queryset=Invoice.objects.all()).qs
    assert list(listed) == [bill]
    billing.fapiao_record(actor=operator, invoice=bill, number="", on=None, kind="")
    bill.refresh_from_db()
    assert (bill.fapiao_status, bill.fapiao_on) == ("pending", None)


def test_fapiao_through_the_api_and_refused_to_a_tenant(world, client_for):
    bill = world.sample(Invoice)
    url = f"/api/v1/leasing/invoices/{bill.pk}/fapiao"
    body = {"fapiao_no": "01234567890123456789", "fapiao_on": "2026-01-05", "fapiao_kind": "normal"}
    ok = client_for("operator").put(url, json.dumps(body), content_type="application/json")
    assert ok.status_code == 200, ok.content
    assert ok.json()["fapiao_status"] == "issued" and ok.json()["fapiao_kind"] == "normal"
    bad = client_for("operator").put(
        url, json.dumps({**body, "fapiao_on": "2099-01-01"}), content_type="application/json"
    )
    assert bad.status_code == 422 and "fapiao_on" in bad.json()["errors"]
    refused = client_for("tenant").put(url, json.dumps(body), content_type="application/json")
    assert refused.status_code in (403, 404)


def test_fapiao_page_records_it_with_inline_errors(world, client_for):
    bill = world.sample(Invoice)
    client = client_for("operator")
    url = reverse("leasing:invoice_fapiao", args=[bill.pk])
    wrong = client.post(
        url, {"fapiao_no": "123", "fapiao_on": "2026-01-05", "fapiao_kind": "normal"}
    )
    assert wrong.status_code == 200 and "8 至 20 位数字" in wrong.content.decode()
    done = client.post(
        url, {"fapiao_no": "12345678", "fapiao_on": "2026-01-05", "fapiao_kind": "normal"}
    )
    assert done.status_code == 302
    detail = client.get(reverse("leasing:invoice_detail", args=[bill.pk])).content.decode()
    assert "12345678" in detail and "增值税普通发票" in detail


def test_fapiao_import_is_all_or_nothing_and_idempotent(world):
    operator = world.users["operator"]
    bill = world.sample(Invoice)
    good = [[bill.number, "12345678", "2026-01-05", "专票", None, None]]
    plan = imports.plan_import(workbook(good), user=operator)
    assert plan.ok and plan.summary()["update"] == 1
    unknown = [*good, ["NO-SUCH-BILL", "87654321", "2026-01-05", "普票", None, None]]
    failed = imports.apply_import(workbook(unknown), actor=operator)
    assert not failed.ok and failed.rows[1].errors[0][0] == "账单编号"
    assert Invoice.objects.get(pk=bill.pk).fapiao_no == ""  # nothing written
    assert imports.apply_import(workbook(good), actor=operator).ok
    assert Invoice.objects.get(pk=bill.pk).fapiao_kind == "special"
    again = imports.plan_import(workbook(good), user=operator)
    assert again.summary()["unchanged"] == 1
    other_side = world.sample(Invoice, "B")
    foreign = [[other_side.number, "12345678", "2026-01-05", "普票", None, None]]
    assert not imports.plan_import(workbook(foreign), user=operator).ok


def test_rent_roll_shows_what_is_not_yet_invoiced(world):
    bill = world.sample(Invoice)
    lease = Lease.objects.get(pk=bill.lease_id)
    day = max(bill.issued_on, lease.start_on)

    def pending():
        (row,) = [r for r in rent_roll(Lease.objects.filter(pk=lease.pk), day)]
        return row.not_invoiced

    before = pending()
    assert before >= bill.amount > 0
    billing.fapiao_record(
        actor=world.users["operator"], invoice=bill, number="12345678", on=day, kind="normal"
    )
    assert pending() == before - bill.amount


def test_no_fapiao_on_a_deposit(world, client_for):
    from leasing.choices import InvoiceKind

    deposit = Invoice.objects.filter(kind=InvoiceKind.DEPOSIT, lease=world.sample(Lease)).first()
    if deposit is None:  # the sample lease takes no deposit: make one
        deposit = Invoice.objects.filter(kind=InvoiceKind.DEPOSIT).first()
    assert deposit is not None
    url = f"/api/v1/leasing/invoices/{deposit.pk}/fapiao"
    body = {"fapiao_no": "12345678", "fapiao_on": "2026-01-05", "fapiao_kind": "normal"}
    refused = client_for("admin").put(url, json.dumps(body), content_type="application/json")
    assert refused.status_code == 409
