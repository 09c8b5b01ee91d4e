"""Billing services: bills (账单) from the rent schedule, payments, credit notes, the deposit.

The rules finance staff rely on:
- every amount is whole 分 when it is written (each line is its exact amount rounded once);
- an issued bill is never rewritten: when the terms of a signed lease change, each billed
  period is compared with the new schedule and the difference becomes a credit note (红字) or
  a supplementary bill; periods not billed yet simply follow the new terms;
- a payment settles the oldest open bill of its lease first; what is left is the tenant's
  credit and settles the next bills as they are issued (an over-payment is never lost);
- payments settle in the order the money arrived (payment date, then entry): a back-dated
  payment re-derives the lease's settlements under its lock, so the aging and the rent roll of
  any past date show what was really open then; a settlement is dated by the later of the
  payment and the bill, and receipts never change.
"""

from __future__ import annotations

import datetime
import re
from collections import defaultdict
from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, QuerySet, Sum
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from core import audit
from core.choices import AuditAction
from core.errors import ConflictError
from core.permissions import require
from core.services import create_record, update_record
from leasing.choices import FapiaoKind, InvoiceKind, LeaseState, LineKind, SettlementSource
from leasing.models import (
    DepositRelease,
    Invoice,
    InvoiceLine,
    Lease,
    LeaseCharge,
    Payment,
    Settlement,
    Transfer,
)
from leasing.schedule import YEAR_DAYS, Period, cents, period_starts
from leasing.selectors import lease_schedule, terms_of

__all__ = [
    "BILLED_STATES",
    "bills_due",
    "charge_add",
    "charges_bill_now",
    "deposit_held",
    "deposit_release",
    "deposit_top_up",
    "fapiao_record",
    "invoices_issue",
    "lease_reconcile",
    "leases_to_bill",
    "payment_record",
    "transfer_record",
]

ZERO = Decimal("0")
# A signed lease is billed; a draft never is.
BILLED_STATES = (LeaseState.ACTIVE, LeaseState.TERMINATED, LeaseState.EXPIRED, LeaseState.RENEWED)
Line = tuple[str, str, Decimal]  # (LineKind, description, amount)


def _locked(lease: Lease) -> Lease:
    """The lease row locked: bills and payments of one lease are numbered and settled in turn."""
    return Lease.objects.select_for_update().get(pk=lease.pk)


def _period_text(period_start: datetime.date, period_end: datetime.date) -> str:
    return f"{period_start:%Y-%m-%d} ~ {period_end:%Y-%m-%d}"


def _printed(message: str, **params: Any) -> str:
    """Text stored on a bill: in the documents' language (the site's, Chinese), whatever the
    language of the person who happened to issue it."""
    with translation.override(settings.LANGUAGE_CODE):
        text = translation.gettext(message)
        kind = params.pop("kind", None)
        if kind is not None:
            params["kind"] = LineKind(kind).label
        return str(text % params) if params else str(text)


def _bill(
    actor: Any,
    lease: Lease,
    *,
    kind: str,
    number: str,
    issued_on: datetime.date,
    due_on: datetime.date,
    lines: Sequence[Line],
    period: tuple[int, datetime.date, datetime.date] | None = None,
    corrects: Invoice | None = None,
    note: str = "",
) -> Invoice:
    index, start, end = period if period else (None, None, None)
    invoice = create_record(
        actor=actor,
        instance=Invoice(
            number=number,
            lease=lease,
            kind=kind,
            period_index=index,
            period_start=start,
            period_end=end,
            issued_on=issued_on,
            due_on=due_on,
            amount=sum((amount for _k, _d, amount in lines), ZERO),
            corrects=corrects,
            note=note,
        ),
    )
    InvoiceLine.objects.bulk_create(
        InvoiceLine(invoice=invoice, kind=k, description=d, amount=a) for k, d, a in lines
    )
    return invoice


def _period_lines(period: Period) -> list[Line]:
    text = _period_text(period.start, period.end)
    lines: list[Line] = [
        (LineKind.RENT, _printed(gettext_noop("Rent %(period)s"), period=text), period.rent),
        (
            LineKind.FEE,
            _printed(gettext_noop("Management fee %(period)s"), period=text),
            period.fee,
        ),
    ]
    return [line for line in lines if line[2]]


@transaction.atomic
def invoices_issue(*, actor: Any, lease: Lease, on: datetime.date) -> list[Invoice]:
    """Issue every bill of ``lease`` due to be issued by ``on``: the deposit at the start,
    then each period ``bill_days_ahead`` before it begins (late ones carry their own dates)."""
    require(actor, "change", lease)
    lease = _locked(lease)
    if lease.state not in BILLED_STATES:
        raise ConflictError(
            _("Only a signed lease is billed; this one is %(state)s.")
            % {"state": lease.get_state_display()}
        )
    existing = set(lease.invoices.values_list("kind", "period_index"))
    if _all_issued(lease, on, existing) and not lease.charges.filter(invoice=None).exists():
        return []
    schedule = lease_schedule(lease)
    issued: list[Invoice] = []
    if schedule.deposit and (InvoiceKind.DEPOSIT, None) not in existing:
        issued.append(
            _bill(
                actor,
                lease,
                kind=InvoiceKind.DEPOSIT,
                number=f"{lease.contract_no}-D",
                issued_on=min(on, lease.start_on),
                due_on=lease.start_on,
                lines=[(LineKind.DEPOSIT, _printed(gettext_noop("Deposit")), schedule.deposit)],
            )
        )
    waiting = list(lease.charges.filter(invoice=None).order_by("period_start", "id"))
    pending = [c for c in waiting if not c.billed_apart]
    apart = [c for c in waiting if c.billed_apart]
    for period in schedule.periods:
        if period.bill_on > on or (InvoiceKind.RENT, period.index) in existing:
            continue
        lines = _period_lines(period)
        # other charges recorded so far ride on the next bill of the lease
        riding, pending = pending, []
        lines += [_charge_line(c) for c in riding]
        if not lines:  # a wholly rent-free period without a fee: nothing to bill
            continue
        bill = _bill(
            actor,
            lease,
            kind=InvoiceKind.RENT,
            number=f"{lease.contract_no}-P{period.index:02d}",
            issued_on=period.bill_on,
            due_on=period.due_on,
            lines=lines,
            period=(period.index, period.start, period.end),
        )
        LeaseCharge.objects.filter(pk__in=[c.pk for c in riding]).update(invoice=bill)
        issued.append(bill)
    if pending and _all_issued(
        lease, lease.last_day, {*existing, *((i.kind, i.period_index) for i in issued)}
    ):
        issued.append(
            _charges_bill(actor, lease, pending, on)
        )  # no rent bill is left to carry them
    if apart:  # the operator bills these (utilities) on a bill of their own
        issued.append(_charges_bill(actor, lease, apart, on))
    _apply_credit(lease)
    return issued


def _charge_line(charge: LeaseCharge) -> Line:
    period = _period_text(charge.period_start, charge.period_end)
    quantity = f"{charge.quantity.normalize():f}{charge.quantity_unit}"
    text = f"{charge.description} {period} {quantity} × {charge.unit_price.normalize():f}"
    return (LineKind.CHARGE, text[:200], charge.amount)


def _charges_bill(
    actor: Any, lease: Lease, charges: Sequence[LeaseCharge], on: datetime.date
) -> Invoice:
    bill = _bill(
        actor,
        lease,
        kind=InvoiceKind.CHARGES,
        number=_next_number(lease, InvoiceKind.CHARGES, "X"),
        issued_on=on,
        due_on=on + datetime.timedelta(days=CHARGES_DUE_DAYS),
        lines=[_charge_line(c) for c in charges],
    )
    LeaseCharge.objects.filter(pk__in=[c.pk for c in charges]).update(invoice=bill)
    return bill


# a bill of other charges alone falls due two weeks after it is issued
CHARGES_DUE_DAYS = 14


@transaction.atomic
def charge_add(
    *,
    actor: Any,
    lease: Lease,
    kind: str,
    description: str,
    period_start: datetime.date,
    period_end: datetime.date,
    quantity: Decimal,
    unit_price: Decimal,
    quantity_unit: str = "",
    tax_rate_pct: Decimal = ZERO,
    source: str = "",
    amount: Decimal | None = None,
    apart: bool = False,
) -> LeaseCharge:
    """The one way any app bills something else to a lease (electricity, water, shared
    equipment): amount = quantity × unit price, exact, rounded half-up to the 分 once. The
    charge becomes a line of the lease's next bill; ``source`` ("utilities.reading:42") makes
    charging the same record twice a 409. ``amount`` is given only for a share of a shared
    amount (a shared meter's split, exact to the 分 over all its shares): it may then differ
    from quantity × unit price by less than a 分 a line. An ``apart`` charge is billed on a
    bill of its own at the next billing run (an operator who bills utilities apart from rent)."""
    lease = _locked(lease)
    if lease.state not in BILLED_STATES:
        raise ConflictError(_("Charges are billed to a signed lease, not a draft."))
    if source and LeaseCharge.objects.filter(source=source).exists():
        raise ConflictError(
            _("This record has been charged already (%(source)s).") % {"source": source}
        )
    charge = LeaseCharge(
        lease=lease,
        kind=kind,
        description=description,
        period_start=period_start,
        period_end=period_end,
        quantity=quantity,
        quantity_unit=quantity_unit,
        unit_price=unit_price,
        amount=cents(Fraction(quantity) * Fraction(unit_price)) if amount is None else amount,
        tax_rate_pct=tax_rate_pct,
        source=source,
        billed_apart=apart,
    )
    if period_end < period_start:
        raise ValidationError({"period_end": _("The end date is before the start date.")})
    return create_record(actor=actor, instance=charge)


@transaction.atomic
def charges_bill_now(*, actor: Any, lease: Lease, on: datetime.date) -> Invoice:
    """Bill the lease's pending charges at once, without waiting for its next rent bill."""
    require(actor, "change", lease)
    lease = _locked(lease)
    pending = list(lease.charges.filter(invoice=None).order_by("period_start", "id"))
    if not pending:
        raise ConflictError(_("This lease has no charges waiting to be billed."))
    bill = _charges_bill(actor, lease, pending, on)
    _apply_credit(lease)
    return bill


def leases_to_bill(leases: QuerySet[Lease], on: datetime.date) -> list[Lease]:
    """Of ``leases``, the signed ones with a bill to issue by ``on``: three queries whatever
    their number (the batch page and the dashboard's to-do); the third finds the leases with
    charges to bill apart from rent."""
    candidates = list(
        leases.filter(state__in=BILLED_STATES, end_on__gte=on - datetime.timedelta(days=366))
        .select_related("enterprise", "park")
        .order_by("park__code", "contract_no")
    )
    existing: dict[int, set[tuple[str, int | None]]] = {lease.pk: set() for lease in candidates}
    for lease_id, kind, index in Invoice.objects.filter(
        lease__in=[c.pk for c in candidates]
    ).values_list("lease_id", "kind", "period_index"):
        existing[lease_id].add((kind, index))
    apart = set(
        LeaseCharge.objects.filter(
            lease__in=[c.pk for c in candidates], invoice=None, billed_apart=True
        ).values_list("lease_id", flat=True)
    )
    return [
        lease
        for lease in candidates
        if lease.pk in apart or not _all_issued(lease, on, existing[lease.pk])
    ]


def bills_due(lease: Lease, on: datetime.date) -> bool:
    """Whether ``lease`` has a bill to issue by ``on`` (from the period dates alone)."""
    existing = set(lease.invoices.values_list("kind", "period_index"))
    return not _all_issued(lease, on, existing)


def _all_issued(lease: Lease, on: datetime.date, existing: set[tuple[str, int | None]]) -> bool:
    """Whether every bill due by ``on`` is out already, known from the period dates alone,
    without working out the schedule day by day (the daily run over a whole portfolio).
    Periods are billed in order, so only one after the last billed period can be missing."""
    ahead = datetime.timedelta(days=lease.bill_days_ahead)
    starts = period_starts(lease.start_on, lease.last_day, lease.payment_cycle_months)
    due = sum(1 for start in starts if start - ahead <= on)
    billed = max((i for kind, i in existing if kind == InvoiceKind.RENT and i), default=0)
    deposit_done = lease.deposit_months == 0 or (InvoiceKind.DEPOSIT, None) in existing
    return deposit_done and due <= billed


def _next_number(lease: Lease, kind: str, prefix: str) -> str:
    return f"{lease.contract_no}-{prefix}{lease.invoices.filter(kind=kind).count() + 1:02d}"


@transaction.atomic
def lease_reconcile(*, actor: Any, lease: Lease, on: datetime.date) -> list[Invoice]:
    """After the terms of a signed lease changed (termination, units, rent-free days): for
    each billed period, bill the difference to the new schedule — a credit note when less is
    owed, a supplementary bill when more — and leave unbilled periods to the new schedule."""
    lease = _locked(lease)
    planned = {p.index: p for p in lease_schedule(lease).periods}
    billed: dict[int, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    bills = lease.invoices.exclude(kind=InvoiceKind.DEPOSIT).filter(period_index__isnull=False)
    for index, kind, amount in InvoiceLine.objects.filter(invoice__in=bills).values_list(
        "invoice__period_index", "kind", "amount"
    ):
        assert index is not None  # only period bills are selected
        billed[index][kind] += amount
    originals = {i.period_index: i for i in bills.filter(kind=InvoiceKind.RENT)}
    written = []
    for index in sorted(billed):
        period = planned.get(index)
        owed = {LineKind.RENT: period.rent if period else ZERO}
        owed[LineKind.FEE] = period.fee if period else ZERO
        original = originals[index]
        text = _period_text(original.period_start, original.period_end)  # type: ignore[arg-type]
        diffs = [(kind, owed[kind] - billed[index][kind]) for kind in (LineKind.RENT, LineKind.FEE)]
        for sign, kind_of_bill, prefix in (
            (-1, InvoiceKind.CREDIT, "C"),
            (1, InvoiceKind.ADJUSTMENT, "A"),
        ):
            lines = [
                (
                    kind,
                    _printed(
                        gettext_noop("Correction of %(kind)s %(period)s"), kind=kind, period=text
                    ),
                    diff,
                )
                for kind, diff in diffs
                if diff * sign > 0
            ]
            if not lines:
                continue
            written.append(
                _bill(
                    actor,
                    lease,
                    kind=kind_of_bill,
                    number=_next_number(lease, kind_of_bill, prefix),
                    issued_on=on,
                    due_on=on,
                    lines=lines,
                    period=(index, original.period_start, original.period_end),  # type: ignore[arg-type]
                    corrects=original,
                    note=_printed(gettext_noop("Terms of the lease changed.")),
                )
            )
    _apply_credit(lease)
    return written


def _settle(invoice: Invoice, amount: Decimal, on: datetime.date, **source: Any) -> None:
    Settlement.objects.create(invoice=invoice, amount=amount, on=on, **source)
    Invoice.objects.filter(pk=invoice.pk).update(settled=F("settled") + amount)
    invoice.settled += amount


def _open_bills(lease: Lease) -> list[Invoice]:
    return list(
        lease.invoices.exclude(kind=InvoiceKind.CREDIT)
        .filter(settled__lt=F("amount"))
        .order_by("due_on", "id")
    )


def _apply_credit(lease: Lease) -> None:
    """Settle open bills, oldest due first, from credit notes (their own bill first) and
    then from payments not yet applied."""
    credit_notes = list(
        lease.invoices.filter(kind=InvoiceKind.CREDIT, settled__gt=F("amount")).order_by("id")
    )
    bills = _open_bills(lease)
    # each credit note goes to the bill it corrects first, then to the oldest open ones
    for own_bill_only in (True, False):
        for note in credit_notes:
            for bill in bills:
                if own_bill_only and bill.pk != note.corrects_id:
                    continue
                take = min(bill.outstanding, note.settled - note.amount)
                if take > 0:
                    on = max(note.issued_on, bill.issued_on)
                    _settle(bill, take, on, source=SettlementSource.CREDIT, credit_note=note)
                    Invoice.objects.filter(pk=note.pk).update(settled=F("settled") - take)
                    note.settled -= take
    payments = list(lease.payments.filter(unapplied__gt=0).order_by("received_on", "id"))
    for payment in payments:
        for bill in bills:
            take = min(bill.outstanding, payment.unapplied)
            if take > 0:
                on = max(payment.received_on, bill.issued_on)
                _settle(bill, take, on, source=SettlementSource.PAYMENT, payment=payment)
                payment.unapplied -= take
        Payment.objects.filter(pk=payment.pk).update(unapplied=payment.unapplied)


def _rederive_settlements(lease: Lease) -> None:
    """Undo the settlements made by payments and credit notes and make them again in the
    order money arrived. Deposit offsets (at the end of a lease) are left as they are."""
    undone = Settlement.objects.filter(
        invoice__lease=lease, source__in=[SettlementSource.PAYMENT, SettlementSource.CREDIT]
    )
    by_bill: dict[int, Decimal] = defaultdict(Decimal)
    by_payment: dict[int, Decimal] = defaultdict(Decimal)
    by_note: dict[int, Decimal] = defaultdict(Decimal)
    for s in undone:
        by_bill[s.invoice_id] += s.amount
        if s.payment_id:
            by_payment[s.payment_id] += s.amount
        if s.credit_note_id:
            by_note[s.credit_note_id] += s.amount
    undone.delete()
    for pk, amount in by_bill.items():
        Invoice.objects.filter(pk=pk).update(settled=F("settled") - amount)
    for pk, amount in by_note.items():  # the credit a note had given is available again
        Invoice.objects.filter(pk=pk).update(settled=F("settled") + amount)
    for pk, amount in by_payment.items():
        Payment.objects.filter(pk=pk).update(unapplied=F("unapplied") + amount)
    _apply_credit(lease)


@transaction.atomic
def payment_record(*, actor: Any, payment: Payment) -> Payment:
    """Record money received against a lease; it settles the oldest open bills at once."""
    lease = _locked(payment.lease)
    if lease.state not in BILLED_STATES:
        raise ConflictError(_("Payments are recorded against a signed lease, not a draft."))
    if payment.received_on and payment.received_on > timezone.localdate():
        raise ConflictError(
            _("The payment date is in the future; enter the day the money arrived.")
        )
    payment.receipt_no = f"{lease.contract_no}-R{lease.payments.count() + 1:02d}"
    payment.unapplied = payment.amount
    payment = create_record(actor=actor, instance=payment)
    arrived_later = lease.payments.filter(
        received_on__gt=payment.received_on, settlements__isnull=False
    )
    if arrived_later.exists() and not DepositRelease.objects.filter(lease=lease).exists():
        _rederive_settlements(lease)  # money that arrived earlier settles first
    else:
        _apply_credit(lease)
    payment.refresh_from_db()
    return payment


@transaction.atomic
def deposit_top_up(*, actor: Any, lease: Lease, on: datetime.date, area: Decimal) -> Invoice | None:
    """An expansion's supplementary deposit: the deposit months of rent (365÷12) for the added
    area at the price in force on the day the area is added; held until the end like the
    first deposit. None when the lease takes no deposit."""
    if not lease.deposit_months or area <= 0:
        return None
    price = terms_of(lease).price_on(on)
    amount = cents(lease.deposit_months * price * Fraction(area) * YEAR_DAYS / 12)
    bill = _bill(
        actor,
        lease,
        kind=InvoiceKind.DEPOSIT,
        number=_next_number(lease, InvoiceKind.DEPOSIT, "D"),
        corrects=lease.invoices.filter(kind=InvoiceKind.DEPOSIT, corrects=None).first(),
        issued_on=timezone.localdate(),
        due_on=max(on, timezone.localdate()),
        lines=[
            (
                LineKind.DEPOSIT,
                _printed(
                    gettext_noop("Supplementary deposit for %(area)s m² added"), area=f"{area:,.2f}"
                ),
                amount,
            )
        ],
    )
    _apply_credit(lease)
    return bill


def _split_oldest_first(leases: Sequence[Lease], amount: Decimal) -> dict[int, Decimal]:
    """A transfer split over the leases as their open bills fall due, oldest first (bills of
    one due date in id order); what is left is credit on the lease that started last."""
    bills = (
        Invoice.objects.filter(lease__in=leases)
        .exclude(kind=InvoiceKind.CREDIT)
        .filter(settled__lt=F("amount"))
        .order_by("due_on", "id")
    )
    shares: dict[int, Decimal] = defaultdict(Decimal)
    left = amount
    for bill in bills:
        take = min(bill.outstanding, left)
        if take <= 0:
            break
        shares[bill.lease_id] += take
        left -= take
    if left > 0:
        latest = max(leases, key=lambda lease: (lease.start_on, lease.pk))
        shares[latest.pk] += left
    return dict(shares)


@transaction.atomic
def transfer_record(
    *,
    actor: Any,
    enterprise: Any,
    received_on: datetime.date,
    amount: Decimal,
    method: str = "transfer",
    reference: str = "",
    shares: dict[int, Decimal] | None = None,
) -> Transfer:
    """One transfer from a tenant for several of its leases (合并收款): a payment per lease,
    split oldest due first, or by ``shares`` (lease id → amount) as the clerk chose; each
    payment settles its lease as any payment does."""
    leases = list(
        Lease.objects.restrict(actor, "change")
        .select_for_update()
        .filter(enterprise=enterprise, state__in=BILLED_STATES)
        .select_related("park")
        .order_by("pk")
    )
    if not leases:
        raise ConflictError(_("This tenant has no signed lease that you manage."))
    if received_on > timezone.localdate():
        raise ValidationError(
            {
                "received_on": _(
                    "The payment date is in the future; enter the day the money arrived."
                )
            }
        )
    if shares is None:
        shares = _split_oldest_first(leases, amount)
    else:
        ours = {lease.pk for lease in leases}
        if any(pk not in ours or share <= 0 for pk, share in shares.items()):
            raise ValidationError(
                {"shares": _("Give a positive amount for signed leases of this tenant only.")}
            )
        if sum(shares.values(), ZERO) != amount:
            raise ValidationError(
                {
                    "shares": _("The shares add up to %(sum)s 元; the transfer is %(amount)s 元.")
                    % {"sum": f"{sum(shares.values(), ZERO):,.2f}", "amount": f"{amount:,.2f}"}
                }
            )
    operator = leases[0].park.operator
    on_the_day = Transfer.objects.filter(operator=operator, received_on=received_on).count()
    transfer = Transfer.objects.create(
        receipt_no=f"{operator.code}-T{received_on:%Y%m%d}-{on_the_day + 1:03d}",
        enterprise=enterprise,
        operator=operator,
        received_on=received_on,
        amount=amount,
        method=method,
        reference=reference,
    )
    audit.record(
        actor=actor,
        instance=transfer,
        action=AuditAction.CREATE,
        changes={
            "amount": [None, str(amount)],
            "shares": [None, {str(k): str(v) for k, v in shares.items()}],
        },
    )
    by_pk = {lease.pk: lease for lease in leases}
    for pk in sorted(shares):
        payment_record(
            actor=actor,
            payment=Payment(
                lease=by_pk[pk],
                received_on=received_on,
                amount=shares[pk],
                method=method,
                reference=reference,
                transfer=transfer,
            ),
        )
    return transfer


FAPIAO_NUMBER = re.compile(r"^\d{8,20}$")


def fapiao_record(
    *,
    actor: Any,
    invoice: Invoice,
    number: str,
    on: datetime.date | None,
    kind: str,
) -> Invoice:
    """Record (or, with an empty number, clear) the tax invoice (发票) issued for a bill: its
    number (8 digits, or 20 for a fully digital one), date and type (普票 / 专票)."""
    if invoice.kind in (InvoiceKind.DEPOSIT, InvoiceKind.CREDIT):
        raise ConflictError(
            _(
                "A deposit is acknowledged by a receipt and a credit note by a red fapiao: neither is invoiced here."
            )
        )
    number = (number or "").strip()
    errors: dict[str, str] = {}
    if number and not FAPIAO_NUMBER.match(number):
        errors["fapiao_no"] = _("A fapiao number is 8 to 20 digits; check it on the fapiao.")
    if number and on is None:
        errors["fapiao_on"] = _("Give the date on the fapiao.")
    elif on is not None and on > timezone.localdate():
        errors["fapiao_on"] = _("The fapiao date is in the future; give the date on the fapiao.")
    if number and kind not in FapiaoKind.values:
        errors["fapiao_kind"] = _("Choose the fapiao type: general (普票) or special (专票).")
    if errors:
        raise ValidationError(errors)
    data = {
        "fapiao_no": number,
        "fapiao_on": on if number else None,
        "fapiao_kind": kind if number else "",
    }
    return update_record(actor=actor, instance=invoice, data=data)


def deposit_held(lease: Lease) -> Decimal:
    """The deposit the tenant has paid and not yet had back or offset."""
    paid = (
        Invoice.objects.filter(lease=lease, kind=InvoiceKind.DEPOSIT).aggregate(s=Sum("settled"))[
            "s"
        ]
        or ZERO
    )
    release = DepositRelease.objects.filter(lease=lease).first()
    return ZERO if release else paid


@transaction.atomic
def deposit_release(*, actor: Any, lease: Lease, on: datetime.date) -> DepositRelease:
    """At the end of a lease: offset the deposit against what is still owed (oldest first),
    refund the rest, and close an unpaid remainder of the deposit bill by a credit note."""
    require(actor, "change", lease)
    lease = _locked(lease)
    if lease.state in (LeaseState.DRAFT, LeaseState.ACTIVE):
        raise ConflictError(_("The deposit is released when the lease has ended."))
    if DepositRelease.objects.filter(lease=lease).exists():
        raise ConflictError(_("The deposit of this lease has already been released."))
    held = deposit_held(lease)
    unpaid = lease.invoices.filter(kind=InvoiceKind.DEPOSIT, settled__lt=F("amount"))
    for deposit_bill in unpaid.order_by("id"):
        note = _bill(
            actor,
            lease,
            kind=InvoiceKind.CREDIT,
            number=_next_number(lease, InvoiceKind.CREDIT, "C"),
            issued_on=on,
            due_on=on,
            lines=[
                (
                    LineKind.DEPOSIT,
                    _printed(gettext_noop("Unpaid deposit cancelled")),
                    -deposit_bill.outstanding,
                )
            ],
            corrects=deposit_bill,
        )
        _settle(
            deposit_bill,
            deposit_bill.outstanding,
            on,
            source=SettlementSource.CREDIT,
            credit_note=note,
        )
        Invoice.objects.filter(pk=note.pk).update(settled=note.amount)
    offset = ZERO
    for bill in _open_bills(lease):
        take = min(bill.outstanding, held - offset)
        if take <= 0:
            break
        _settle(bill, take, on, source=SettlementSource.DEPOSIT)
        offset += take
    credit = _refund_credit(lease)
    release = DepositRelease.objects.create(
        lease=lease, on=on, offset=offset, refunded=held - offset, credit_refunded=credit
    )
    audit.record(
        actor=actor,
        instance=lease,
        action=AuditAction.UPDATE,
        changes={"deposit": [str(held), "0"], "credit": [str(credit), "0"]},
        comment=_(
            "Deposit released: %(offset)s offset against arrears, %(refunded)s refunded; "
            "credit refunded: %(credit)s."
        )
        % {"offset": offset, "refunded": held - offset, "credit": credit},
    )
    return release


def _refund_credit(lease: Lease) -> Decimal:
    """What the tenant still has in credit at the end (payments not applied, credit notes
    not used) is paid back with the deposit; it is closed here and its total answered."""
    payments = lease.payments.filter(unapplied__gt=0)
    notes = lease.invoices.filter(kind=InvoiceKind.CREDIT, settled__gt=F("amount"))
    credit = (payments.aggregate(s=Sum("unapplied"))["s"] or ZERO) + sum(
        (n.settled - n.amount for n in notes), ZERO
    )
    payments.update(unapplied=ZERO)
    notes.update(settled=F("amount"))
    return credit
