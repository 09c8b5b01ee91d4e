"""The documents finance staff hand out or file: a bill (账单), a receipt (收据), a lease
statement (对账单), the rent roll (租金台账) and the arrears aging (欠费账龄), each as the
same table in .xlsx and PDF (core.documents)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from core.documents import Sheet
from core.money import in_capitals
from leasing.choices import InvoiceStatus
from leasing.models import Invoice, Lease, Payment, Settlement, Transfer
from leasing.schedule import Schedule

__all__ = [
    "collection_account",
    "invoice_facts",
    "invoice_sheet",
    "receipt_facts",
    "receipt_sheet",
    "schedule_sheet",
    "statement_sheets",
    "transfer_facts",
    "transfer_sheet",
]

ZERO = Decimal("0")


def _date(value: datetime.date | None) -> str:
    return value.isoformat() if value else ""


def invoice_facts(invoice: Invoice) -> list[tuple[str, Any]]:
    period = (
        f"{_date(invoice.period_start)} ~ {_date(invoice.period_end)}"
        if invoice.period_start
        else ""
    )
    return [
        (_("Invoice number"), invoice.number),
        (_("Kind"), invoice.get_kind_display()),
        (_("Tenant"), invoice.enterprise.name),
        (_("Unified social credit code"), invoice.enterprise.credit_code),
        (_("Park"), invoice.park.name),
        (_("Contract number"), invoice.lease.contract_no),
        (_("Period"), period),
        (_("Issued on"), _date(invoice.issued_on)),
        (_("Due on"), _date(invoice.due_on)),
        (_("Amount (元)"), invoice.amount),
        (_("Amount in words"), in_capitals(invoice.amount)),
        (_("Settled (元)"), invoice.settled),
        (_("Outstanding (元)"), invoice.outstanding),
        (_("Status"), InvoiceStatus(invoice.status).label),
        *collection_account(invoice.park.operator),
    ]


def collection_account(operator: Any) -> list[tuple[str, Any]]:
    """收款账户 of the operator, as a bill or a collection notice prints it."""
    if not operator.bank_account:
        return []
    return [
        (_("Account name"), operator.account_name or operator.name),
        (_("Bank"), operator.bank_name),
        (_("Account number"), operator.bank_account),
    ]


def invoice_sheet(invoice: Invoice) -> Sheet:
    lines = list(invoice.lines.all())
    return Sheet(
        title=_("Lines"),
        headers=[_("Item"), _("Description"), _("Amount (元)")],
        rows=[(line.get_kind_display(), line.description, line.amount) for line in lines],
        totals=[_("Total"), "", invoice.amount],
    )


def receipt_facts(payment: Payment) -> list[tuple[str, Any]]:
    return [
        (_("Receipt number"), payment.receipt_no),
        (_("Received from"), payment.enterprise.name),
        (_("Contract number"), payment.lease.contract_no),
        (_("Received on"), _date(payment.received_on)),
        (_("Method"), payment.get_method_display()),
        (_("Bank reference"), payment.reference),
        (_("Amount (元)"), payment.amount),
        (_("Amount in words"), in_capitals(payment.amount)),
        (_("Kept as credit (元)"), payment.unapplied),
    ]


def receipt_sheet(payment: Payment) -> Sheet:
    return Sheet(
        title=_("Applied to"),
        headers=[_("Invoice number"), _("Due on"), _("Amount (元)")],
        rows=[
            (s.invoice.number, _date(s.invoice.due_on), s.amount)
            for s in payment.settlements.select_related("invoice")
        ],
    )


def transfer_facts(transfer: Transfer) -> list[tuple[str, Any]]:
    return [
        (_("Receipt number"), transfer.receipt_no),
        (_("Received from"), transfer.enterprise.name),
        (_("Received on"), _date(transfer.received_on)),
        (_("Method"), transfer.get_method_display()),
        (_("Bank reference"), transfer.reference),
        (_("Amount (元)"), transfer.amount),
        (_("Amount in words"), in_capitals(transfer.amount)),
        (
            _("Kept as credit (元)"),
            sum((p.unapplied for p in transfer.payments.all()), ZERO),
        ),
    ]


def transfer_sheet(transfer: Transfer) -> Sheet:
    """Every bill the transfer settled, lease by lease."""
    settlements = (
        Settlement.objects.filter(payment__transfer=transfer)
        .select_related("invoice", "invoice__lease")
        .order_by("invoice__due_on", "invoice__id")
    )
    rows = [
        (s.invoice.lease.contract_no, s.invoice.number, _date(s.invoice.due_on), s.amount)
        for s in settlements
    ]
    return Sheet(
        title=_("Applied to"),
        headers=[_("Contract number"), _("Invoice number"), _("Due on"), _("Amount (元)")],
        rows=rows,
        totals=[_("Total"), "", "", sum((r[3] for r in rows), ZERO)],
    )


def statement_sheets(lease: Lease, day: datetime.date) -> list[Sheet]:
    """Every bill and payment of a lease up to ``day`` with the running balance."""
    invoices = list(lease.invoices.filter(issued_on__lte=day).order_by("issued_on", "id"))
    payments = list(lease.payments.filter(received_on__lte=day).order_by("received_on", "id"))
    entries: list[tuple[datetime.date, str, str, Decimal, Decimal]] = [
        (i.issued_on, i.number, i.get_kind_display(), i.amount, ZERO) for i in invoices
    ]
    entries += [(p.received_on, p.receipt_no, _("Payment"), ZERO, p.amount) for p in payments]
    entries.sort(key=lambda e: e[0])
    balance, rows = ZERO, []
    for on, number, kind, charged, paid in entries:
        balance += charged - paid
        rows.append((_date(on), number, kind, charged or "", paid or "", balance))
    as_of = _("as of")
    charged_total = sum((e[3] for e in entries), ZERO)
    paid_total = sum((e[4] for e in entries), ZERO)
    return [
        Sheet(
            title=_("Statement"),
            headers=[
                _("Date"),
                _("Number"),
                _("Kind"),
                _("Charged (元)"),
                _("Paid (元)"),
                _("Balance (元)"),
            ],
            rows=rows,
            totals=[_("Total"), "", "", charged_total, paid_total, charged_total - paid_total],
            notes=[
                f"{lease.enterprise.name} · {lease.contract_no} · {as_of} {_date(day)}",
                _("A negative balance is the tenant's credit (deposit included while held)."),
            ],
        )
    ]


def schedule_sheet(schedule: Schedule) -> Sheet:
    """The rent schedule of the whole term, period by period."""
    return Sheet(
        title=_("Rent schedule"),
        headers=[
            _("Period"),
            _("Term from"),
            _("Term to"),
            _("Bill on"),
            _("Due on"),
            _("Rent (元)"),
            _("Management fee (元)"),
        ],
        rows=[
            (
                p.index,
                _date(p.start),
                _date(p.end),
                _date(p.bill_on),
                _date(p.due_on),
                p.rent,
                p.fee,
            )
            for p in schedule.periods
        ],
        totals=[_("Total"), "", "", "", "", schedule.total_rent, schedule.total_fee],
    )
