"""Leases of units to enterprises, with the terms the rent schedule follows from."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.choices import Role
from core.models import Operator, TimeStampedModel
from core.permissions import ALL_ACTIONS, READ, Policy, RestrictedQuerySet
from core.scopes import support_operator_ids
from enterprises.models import Enterprise
from leasing.choices import (
    ChargeKind,
    Convention,
    FapiaoKind,
    FapiaoStatus,
    InvoiceKind,
    InvoiceStatus,
    LeaseState,
    LineKind,
    PaymentMethod,
    SettlementSource,
)
from spaces.models import Park, Unit

__all__ = [
    "DepositRelease",
    "Invoice",
    "InvoiceLine",
    "Lease",
    "LeaseAttachment",
    "LeaseUnit",
    "Payment",
    "RentFree",
    "Settlement",
    "Transfer",
    "overdue_q",
]

MONEY = [MinValueValidator(Decimal("0"))]
AMOUNT: dict[str, Any] = dict(max_digits=14, decimal_places=2)
# Operator staff run leases; the company reads its own; government reviewers and fund
# managers never see one tenant's rent (DESIGN.md).
_LEASE_POLICY = dict(grants={Role.OPERATOR: ALL_ACTIONS, Role.TENANT: READ})


class Lease(TimeStampedModel):
    """A contract letting one or more units of a park to one enterprise."""

    contract_no = models.CharField(_("contract number"), max_length=40, unique=True)
    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("tenant"), on_delete=models.PROTECT, related_name="leases"
    )
    park = models.ForeignKey(
        Park, verbose_name=_("park"), on_delete=models.PROTECT, related_name="leases"
    )
    state = models.CharField(
        _("state"),
        max_length=12,
        choices=LeaseState.choices,
        default=LeaseState.DRAFT,
        db_index=True,
    )
    start_on = models.DateField(_("start date"))
    end_on = models.DateField(_("end date"))
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    rent_per_m2_day = models.DecimalField(
        _("rent (元/m²/day)"), max_digits=8, decimal_places=2, validators=MONEY
    )
    fee_per_m2_month = models.DecimalField(
        _("management fee (元/m²/month)"),
        max_digits=8,
        decimal_places=2,
        default=Decimal("0"),
        validators=MONEY,
    )
    convention = models.CharField(
        _("monthly rent convention"),
        max_length=10,
        choices=Convention.choices,
        default=Convention.DAILY,
    )
    escalation_pct = models.DecimalField(
        _("yearly escalation (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("50"))],
    )
    escalation_from_year = models.PositiveSmallIntegerField(
        _("escalation from lease year"),
        default=2,
        validators=[MinValueValidator(2)],
        help_text=_("The first lease year that pays the increase; 2 = from the first anniversary."),
    )
    deposit_months = models.PositiveSmallIntegerField(_("deposit (months of rent)"), default=1)
    payment_cycle_months = models.PositiveSmallIntegerField(
        _("payment cycle (months)"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
        help_text=_("押一付三: deposit one month, pay every three."),
    )
    bill_days_ahead = models.PositiveSmallIntegerField(
        _("bill days ahead"), default=15, validators=[MaxValueValidator(90)]
    )
    terminated_on = models.DateField(_("terminated on"), null=True, blank=True)
    termination_reason = models.CharField(_("termination reason"), max_length=300, blank=True)
    notes = models.TextField(
        _("notes"),
        blank=True,
        help_text=_("For example why units that miss the admission's requirements were agreed."),
    )
    predecessor = models.OneToOneField(
        "self",
        verbose_name=_("renews"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="successor",
    )

    objects = RestrictedQuerySet.as_manager()
    policy = Policy(**_LEASE_POLICY, park="park", enterprise="enterprise")  # type: ignore[arg-type]

    class Meta:
        verbose_name = _("lease")
        verbose_name_plural = _("leases")
        ordering = ["-start_on", "contract_no"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_on__gte=F("start_on")), name="lease_ends_after_start"
            ),
        ]
        # the orders the lease list (end_on) and the API (start_on) page by, with the key as
        # the tie-break: a first page walks the index instead of sorting every lease
        indexes = [
            models.Index(fields=["end_on", "id"], name="lease_end_order"),
            models.Index(fields=["start_on", "id"], name="lease_start_order"),
        ]

    def __str__(self) -> str:
        return self.contract_no

    def clean(self) -> None:
        if self.start_on and self.end_on and self.end_on < self.start_on:
            raise ValidationError({"end_on": _("The end date is before the start date.")})

    @property
    def last_day(self) -> datetime.date:
        """The last day rent runs: the end date, or the day before an early termination."""
        if self.terminated_on is not None:
            return self.terminated_on - datetime.timedelta(days=1)
        return self.end_on


class LeaseAmendment(TimeStampedModel):
    """A supplementary agreement (补充协议) changing the rent or the management fee of a signed
    lease from a date: periods not billed follow it, billed ones are corrected."""

    lease = models.ForeignKey(
        "Lease", verbose_name=_("lease"), on_delete=models.CASCADE, related_name="amendments"
    )
    effective_on = models.DateField(_("effective from"))
    rent_per_m2_day = models.DecimalField(
        _("new rent (元/m²/day)"),
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        validators=MONEY,
    )
    fee_per_m2_month = models.DecimalField(
        _("new management fee (元/m²/month)"),
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        validators=MONEY,
    )
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=300)

    objects = RestrictedQuerySet.as_manager()
    policy = Policy(**_LEASE_POLICY, park="lease__park", enterprise="lease__enterprise")  # type: ignore[arg-type]

    class Meta:
        verbose_name = _("amendment")
        verbose_name_plural = _("amendments")
        ordering = ["effective_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(rent_per_m2_day__isnull=False) | Q(fee_per_m2_month__isnull=False),
                name="amendment_changes_something",
            ),
            models.UniqueConstraint(fields=["lease", "effective_on"], name="amendment_one_per_day"),
        ]

    str_related = ("lease",)  # the relations __str__ reads: lists join them

    def __str__(self) -> str:
        return f"{self.lease} · {self.effective_on:%Y-%m-%d}"


class LeaseUnit(models.Model):
    """A unit in a lease for a span of dates (an expansion or contraction changes spans).

    No unit is ever in two spans that overlap: a database constraint (PostgreSQL exclusion
    over a date range, SQLite trigger) refuses it, whoever saves at the same moment.
    """

    lease = models.ForeignKey(Lease, on_delete=models.CASCADE, related_name="lease_units")
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="lease_units"
    )
    area_m2 = models.DecimalField(
        _("contracted area (m²)"),
        max_digits=10,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    start_on = models.DateField(_("from"))
    end_on = models.DateField(_("to"))

    objects = RestrictedQuerySet.as_manager()
    policy = Policy(**_LEASE_POLICY, park="lease__park", enterprise="lease__enterprise")  # type: ignore[arg-type]

    class Meta:
        verbose_name = _("leased unit")
        verbose_name_plural = _("leased units")
        ordering = ["unit__code", "start_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_on__gte=F("start_on")), name="leaseunit_ends_after_start"
            ),
            models.CheckConstraint(condition=Q(area_m2__gt=0), name="leaseunit_area_positive"),
        ]
        indexes = [models.Index(fields=["unit", "start_on", "end_on"], name="leaseunit_span")]

    str_related = ("unit",)  # the relations __str__ reads: lists join them

    def __str__(self) -> str:
        return f"{self.unit} {self.start_on}–{self.end_on}"


class RentFree(models.Model):
    """A rent-free period (免租期): no rent on these days (the management fee still runs)."""

    lease = models.ForeignKey(Lease, on_delete=models.CASCADE, related_name="rent_free")
    start_on = models.DateField(_("from"))
    end_on = models.DateField(_("to"))

    class Meta:
        verbose_name = _("rent-free period")
        verbose_name_plural = _("rent-free periods")
        ordering = ["start_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_on__gte=F("start_on")), name="rentfree_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.start_on}–{self.end_on}"


def _follow_lease(record: Any) -> None:
    """Tenant and park follow the lease (kept on the row for indexed per-park reports)."""
    record.enterprise_id = record.lease.enterprise_id
    record.park_id = record.lease.park_id


def overdue_q(day: datetime.date) -> Q:
    """The one definition of overdue (DESIGN → Money conventions): a bill is overdue from the
    day after its due date. Bill status, filters, the aging, the dashboard and the risk factor
    all ask here."""
    return Q(due_on__lt=day)


class Invoice(TimeStampedModel):
    """A bill (账单) to the tenant: a rent period, the deposit, a supplement or a credit note.

    ``amount`` is the sum of the lines (negative on a credit note); ``settled`` is the sum of
    its settlements, kept in step by the billing services so that open and overdue bills are
    found by an indexed comparison, never by summing millions of rows.
    """

    number = models.CharField(_("invoice number"), max_length=40, unique=True)
    lease = models.ForeignKey(
        Lease, verbose_name=_("lease"), on_delete=models.PROTECT, related_name="invoices"
    )
    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("tenant"), on_delete=models.PROTECT, related_name="invoices"
    )
    park = models.ForeignKey(
        Park, verbose_name=_("park"), on_delete=models.PROTECT, related_name="invoices"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=InvoiceKind.choices)
    period_index = models.PositiveSmallIntegerField(_("period"), null=True, blank=True)
    period_start = models.DateField(_("period from"), null=True, blank=True)
    period_end = models.DateField(_("period to"), null=True, blank=True)
    issued_on = models.DateField(_("issued on"))
    due_on = models.DateField(_("due on"))
    amount = models.DecimalField(_("amount (元)"), **AMOUNT)
    settled = models.DecimalField(_("settled (元)"), default=Decimal("0"), **AMOUNT)
    corrects = models.ForeignKey(
        "self",
        verbose_name=_("corrects invoice"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="corrections",
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    # the tax invoice (发票) issued for the bill, entered or imported by finance staff
    fapiao_no = models.CharField(_("fapiao number"), max_length=30, blank=True)
    fapiao_on = models.DateField(_("fapiao date"), null=True, blank=True)
    fapiao_kind = models.CharField(
        _("fapiao type"), max_length=10, choices=FapiaoKind.choices, blank=True
    )

    objects = RestrictedQuerySet.as_manager()
    policy = Policy(**_LEASE_POLICY, park="park", enterprise="enterprise")  # type: ignore[arg-type]

    class Meta:
        verbose_name = _("invoice")
        verbose_name_plural = _("invoices")
        ordering = ["-due_on", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["lease", "period_index"],
                condition=Q(kind="rent"),
                name="invoice_one_rent_bill_per_period",
            ),
            models.CheckConstraint(
                condition=Q(fapiao_no="") | (Q(fapiao_on__isnull=False) & ~Q(fapiao_kind="")),
                name="invoice_fapiao_complete",
            ),
            models.UniqueConstraint(
                # one first deposit; an expansion's supplementary deposit names it in corrects
                fields=["lease"],
                condition=Q(kind="deposit", corrects__isnull=True),
                name="invoice_one_deposit_bill",
            ),
        ]
        indexes = [
            models.Index(fields=["park", "due_on"], name="invoice_park_due"),
            # the bills list and API page by due date: walked, not sorted (bench/scale.py)
            models.Index(fields=["due_on", "id"], name="invoice_due_order"),
            models.Index(fields=["enterprise", "due_on"], name="invoice_tenant_due"),
            models.Index(fields=["lease", "due_on"], name="invoice_lease_due"),
            # the bills still open: the aging and the overdue totals read only these, from
            # the index alone on PostgreSQL (2,000,000 bills, 3 % open: 579 → 236 ms)
            models.Index(
                fields=["enterprise", "due_on"],
                include=["amount", "settled", "kind", "issued_on"],
                condition=Q(settled__lt=F("amount")),
                name="invoice_open",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    derive = _follow_lease

    @property
    def outstanding(self) -> Decimal:
        return self.amount - self.settled

    def is_overdue_on(self, day: datetime.date) -> bool:
        """See :func:`overdue_q`: the same rule for one bill."""
        return self.due_on < day

    @property
    def fapiao_status(self) -> FapiaoStatus:
        """未开票 / 已开票: whether a tax invoice has been recorded for the bill."""
        return FapiaoStatus.ISSUED if self.fapiao_no else FapiaoStatus.PENDING

    @property
    def status(self) -> InvoiceStatus:
        """Settled, open or overdue; a credit note is settled once all of it has been used."""
        if self.outstanding == 0:
            return InvoiceStatus.SETTLED
        if self.kind != InvoiceKind.CREDIT and self.is_overdue_on(timezone.localdate()):
            return InvoiceStatus.OVERDUE
        if self.kind != InvoiceKind.CREDIT and self.settled > 0:
            return InvoiceStatus.PARTIAL
        return InvoiceStatus.OPEN


class LeaseCharge(TimeStampedModel):
    """Another charge on a lease (electricity, water, shared equipment, parking…): a line of
    the lease's next bill, numbered, settled, aged and printed like rent. ``source`` names the
    record it comes from (a meter reading, a booking), so the same record is charged once."""

    lease = models.ForeignKey(
        "Lease", verbose_name=_("lease"), on_delete=models.PROTECT, related_name="charges"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=ChargeKind.choices)
    description = models.CharField(_("description"), max_length=200)
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    quantity = models.DecimalField(
        _("quantity"), max_digits=14, decimal_places=3, validators=[MinValueValidator(Decimal("0"))]
    )
    quantity_unit = models.CharField(_("unit of measure"), max_length=20, blank=True)
    unit_price = models.DecimalField(
        _("unit price (元)"), max_digits=12, decimal_places=4, validators=MONEY
    )
    amount = models.DecimalField(_("amount (元)"), **AMOUNT)
    tax_rate_pct = models.DecimalField(
        _("tax rate (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("20"))],
        help_text=_("Included in the amount; printed for the fapiao."),
    )
    source = models.CharField(_("source record"), max_length=80, blank=True)
    billed_apart = models.BooleanField(
        _("billed apart from rent"),
        default=False,
        help_text=_("On a bill of its own at the next billing run, not on the next rent bill."),
    )
    invoice = models.ForeignKey(
        "Invoice",
        verbose_name=_("billed on"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="charges",
    )

    objects = RestrictedQuerySet.as_manager()
    policy = Policy(**_LEASE_POLICY, park="lease__park", enterprise="lease__enterprise")  # type: ignore[arg-type]

    class Meta:
        verbose_name = _("other charge")
        verbose_name_plural = _("other charges")
        ordering = ["period_start", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["source"], condition=~Q(source=""), name="charge_one_per_source"
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")), name="charge_period_in_order"
            ),
        ]

    def __str__(self) -> str:
        return self.description


class InvoiceLine(models.Model):
    """One line of a bill: rent, management fee or deposit, whole 分."""

    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="lines")
    kind = models.CharField(_("kind"), max_length=10, choices=LineKind.choices)
    description = models.CharField(_("description"), max_length=200)
    amount = models.DecimalField(_("amount (元)"), **AMOUNT)

    class Meta:
        verbose_name = _("invoice line")
        verbose_name_plural = _("invoice lines")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.description


def _transfers_of_staffed_parks(user: Any) -> Q:
    """A transfer is operator staff's business when one of its parts is in a park they staff
    (a transfer may pay leases in several parks of the operator)."""
    return Q(pk__in=Payment.objects.filter(park__staff=user).values("transfer_id"))


def _transfers_of_supported_operators(user: Any) -> Q:
    """A platform admin's: the transfers with a part in a park of an operator they support."""
    operators = support_operator_ids(user)
    if operators is None:
        return Q()
    return Q(pk__in=Payment.objects.filter(park__operator__in=operators).values("transfer_id"))


class Transfer(TimeStampedModel):
    """One transfer from a tenant that pays several of its leases (合并收款): split into one
    payment per lease, oldest due bills first or as the clerk chose; one receipt lists every
    bill it settled."""

    receipt_no = models.CharField(_("receipt number"), max_length=40, unique=True)
    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("tenant"), on_delete=models.PROTECT, related_name="transfers"
    )
    operator = models.ForeignKey(
        Operator, verbose_name=_("operator"), on_delete=models.PROTECT, related_name="transfers"
    )
    received_on = models.DateField(_("received on"))
    amount = models.DecimalField(
        _("amount (元)"), validators=[MinValueValidator(Decimal("0.01"))], **AMOUNT
    )
    method = models.CharField(
        _("method"), max_length=10, choices=PaymentMethod.choices, default=PaymentMethod.TRANSFER
    )
    reference = models.CharField(_("bank reference"), max_length=80, blank=True)

    objects = RestrictedQuerySet.as_manager()
    policy = Policy(
        grants={Role.OPERATOR: ALL_ACTIONS, Role.TENANT: READ},
        enterprise="enterprise",
        scopes={
            Role.OPERATOR: _transfers_of_staffed_parks,
            Role.ADMIN: _transfers_of_supported_operators,
        },
    )

    class Meta:
        verbose_name = _("transfer")
        verbose_name_plural = _("transfers")
        ordering = ["-received_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="transfer_amount_positive")
        ]

    def __str__(self) -> str:
        return self.receipt_no


class Payment(TimeStampedModel):
    """Money received from a tenant against a lease (回款), with its receipt number.

    It settles the lease's oldest open bills first; what is left (``unapplied``) is the
    tenant's credit and settles the next bills as they are issued.
    """

    receipt_no = models.CharField(_("receipt number"), max_length=40, unique=True)
    lease = models.ForeignKey(
        Lease, verbose_name=_("lease"), on_delete=models.PROTECT, related_name="payments"
    )
    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("tenant"), on_delete=models.PROTECT, related_name="payments"
    )
    park = models.ForeignKey(
        Park, verbose_name=_("park"), on_delete=models.PROTECT, related_name="payments"
    )
    received_on = models.DateField(_("received on"))
    amount = models.DecimalField(
        _("amount (元)"), validators=[MinValueValidator(Decimal("0.01"))], **AMOUNT
    )
    unapplied = models.DecimalField(_("unapplied credit (元)"), default=Decimal("0"), **AMOUNT)
    method = models.CharField(
        _("method"), max_length=10, choices=PaymentMethod.choices, default=PaymentMethod.TRANSFER
    )
    reference = models.CharField(_("bank reference"), max_length=80, blank=True)
    transfer = models.ForeignKey(
        Transfer,
        verbose_name=_("part of transfer"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="payments",
    )

    objects = RestrictedQuerySet.as_manager()
    policy = Policy(**_LEASE_POLICY, park="park", enterprise="enterprise")  # type: ignore[arg-type]

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["-received_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="payment_amount_positive"),
            models.CheckConstraint(
                condition=Q(unapplied__gte=0) & Q(unapplied__lte=F("amount")),
                name="payment_unapplied_within_amount",
            ),
        ]

    def __str__(self) -> str:
        return self.receipt_no

    derive = _follow_lease


class Settlement(models.Model):
    """Part of a bill settled on a date by a payment, a credit note or the deposit."""

    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="settlements")
    on = models.DateField(_("settled on"))
    amount = models.DecimalField(_("amount (元)"), **AMOUNT)
    source = models.CharField(_("source"), max_length=10, choices=SettlementSource.choices)
    payment = models.ForeignKey(
        Payment, null=True, blank=True, on_delete=models.CASCADE, related_name="settlements"
    )
    credit_note = models.ForeignKey(
        Invoice, null=True, blank=True, on_delete=models.CASCADE, related_name="applied"
    )

    class Meta:
        verbose_name = _("settlement")
        verbose_name_plural = _("settlements")
        ordering = ["on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="settlement_amount_positive")
        ]
        indexes = [models.Index(fields=["invoice", "on"], name="settlement_invoice_on")]

    str_related = ("invoice",)  # the relations __str__ reads: lists join them

    def __str__(self) -> str:
        return f"{self.invoice} {self.amount}"


class Reminder(TimeStampedModel):
    """A collection notice (催缴通知书) sent to a tenant for its overdue bills in one park: the
    bills and amounts as they stood that day are kept with it, as the PDF printed them."""

    number = models.CharField(_("notice number"), max_length=40, unique=True)
    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("tenant"), on_delete=models.PROTECT, related_name="reminders"
    )
    park = models.ForeignKey(
        Park, verbose_name=_("park"), on_delete=models.PROTECT, related_name="reminders"
    )
    sent_on = models.DateField(_("sent on"))
    overdue = models.DecimalField(_("overdue (元)"), **AMOUNT)
    # [{"invoice_id", "number", "contract_no", "due_on", "days", "outstanding"}], as printed
    bills = models.JSONField(_("bills"), default=list)
    pay_by = models.DateField(_("pay by"))

    objects = RestrictedQuerySet.as_manager()
    policy = Policy(**_LEASE_POLICY, park="park", enterprise="enterprise")  # type: ignore[arg-type]

    class Meta:
        verbose_name = _("collection notice")
        verbose_name_plural = _("collection notices")
        ordering = ["-sent_on", "-id"]

    def __str__(self) -> str:
        return self.number


class DepositRelease(models.Model):
    """The deposit at the end of a lease: part offset against arrears, the rest refunded,
    with whatever credit the tenant still had (over-payments, unused credit notes)."""

    lease = models.OneToOneField(Lease, on_delete=models.PROTECT, related_name="deposit_release")
    on = models.DateField(_("released on"))
    offset = models.DecimalField(_("offset against arrears (元)"), **AMOUNT)
    refunded = models.DecimalField(_("refunded (元)"), **AMOUNT)
    credit_refunded = models.DecimalField(_("credit refunded (元)"), default=Decimal("0"), **AMOUNT)

    class Meta:
        verbose_name = _("deposit release")
        verbose_name_plural = _("deposit releases")

    str_related = ("lease",)  # the relations __str__ reads: lists join them

    def __str__(self) -> str:
        return f"{self.lease} {self.on}"


def _attachment_path(instance: LeaseAttachment, filename: str) -> str:
    return f"leases/{instance.lease_id}/{filename}"


class LeaseAttachment(TimeStampedModel):
    """A file kept with a lease (the signed contract scan, an amendment, a handover record).
    Served only through the permission layer, never as a public media URL."""

    lease = models.ForeignKey(Lease, on_delete=models.CASCADE, related_name="attachments")
    title = models.CharField(_("title"), max_length=100)
    file = models.FileField(_("file"), upload_to=_attachment_path, max_length=200)
    size = models.PositiveIntegerField(_("size (bytes)"), default=0)

    objects = RestrictedQuerySet.as_manager()
    policy = Policy(**_LEASE_POLICY, park="lease__park", enterprise="lease__enterprise")  # type: ignore[arg-type]

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title
