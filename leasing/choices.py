"""Lease states, rent conventions and the allowed moves between states."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.choices import Role
from core.workflow import Transition, Workflow

__all__ = [
    "AGING_BUCKETS",
    "LEASE_FLOW",
    "LEASE_TRANSITIONS",
    "ChargeKind",
    "Convention",
    "FapiaoKind",
    "FapiaoStatus",
    "InvoiceKind",
    "InvoiceStatus",
    "LeaseState",
    "LineKind",
    "PaymentMethod",
    "SettlementSource",
]


class LeaseState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ACTIVE = "active", _("Active")
    TERMINATED = "terminated", _("Terminated early")
    EXPIRED = "expired", _("Expired")
    RENEWED = "renewed", _("Renewed")


class Convention(models.TextChoices):
    """How a month's rent follows from the 元/㎡/天 price (stated in the contract)."""

    DAILY = "daily", _("By the days actually in each period")
    MONTHLY = "monthly", _("Price × area × 365 ÷ 12 per full month, broken months by days")


_STAFF = frozenset({Role.OPERATOR})
LEASE_TRANSITIONS = {
    t.action: t
    for t in [
        Transition("activate", _("Activate"), (LeaseState.DRAFT,), LeaseState.ACTIVE, _STAFF),
        Transition(
            "terminate",
            _("Terminate early"),
            (LeaseState.ACTIVE,),
            LeaseState.TERMINATED,
            _STAFF,
            danger=True,
        ),
        Transition("expire", _("Mark expired"), (LeaseState.ACTIVE,), LeaseState.EXPIRED, _STAFF),
        # made by activating the successor, never on its own
        Transition(
            "renew",
            _("Renewed"),
            (LeaseState.ACTIVE, LeaseState.EXPIRED),
            LeaseState.RENEWED,
            _STAFF,
        ),
    ]
}
LEASE_FLOW = Workflow("state", LEASE_TRANSITIONS)


class InvoiceKind(models.TextChoices):
    RENT = "rent", _("Rent")
    DEPOSIT = "deposit", _("Deposit")
    ADJUSTMENT = "adjustment", _("Supplementary")
    CREDIT = "credit", _("Credit note")
    CHARGES = "charges", _("Other charges")


class InvoiceStatus(models.TextChoices):
    """Where a bill stands (computed, not stored): for lists and the status filter."""

    OPEN = "open", _("Unsettled")  # 未结清
    PARTIAL = "partial", _("Partly paid")  # 部分收款
    OVERDUE = "overdue", _("Overdue")  # 已逾期
    SETTLED = "settled", _("Settled")  # 已结清


class LineKind(models.TextChoices):
    RENT = "rent", _("Rent")
    FEE = "fee", _("Management fee")
    DEPOSIT = "deposit", _("Deposit")
    CHARGE = "charge", _("Other charge")


class ChargeKind(models.TextChoices):
    """What another charge on a lease is for (utilities and shared equipment add theirs)."""

    ELECTRICITY = "electricity", _("Electricity")
    WATER = "water", _("Water")
    GAS = "gas", _("Gas")
    EQUIPMENT = "equipment", _("Shared equipment")
    PARKING = "parking", _("Parking")
    OTHER = "other", _("Other")


class FapiaoKind(models.TextChoices):
    """The tax invoice (发票) issued for a bill."""

    NORMAL = "normal", _("General VAT invoice")  # 普票
    SPECIAL = "special", _("Special VAT invoice")  # 专票


class FapiaoStatus(models.TextChoices):
    PENDING = "pending", _("Not invoiced")  # 未开票
    ISSUED = "issued", _("Invoiced")  # 已开票


class SettlementSource(models.TextChoices):
    PAYMENT = "payment", _("Payment")
    CREDIT = "credit", _("Credit note")
    DEPOSIT = "deposit", _("Deposit offset")


class PaymentMethod(models.TextChoices):
    TRANSFER = "transfer", _("Bank transfer")
    CHEQUE = "cheque", _("Cheque")
    CASH = "cash", _("Cash")
    OTHER = "other", _("Other")


# Days past due (DESIGN: a bill is overdue from the day after its due date): key, from, to.
AGING_BUCKETS: tuple[tuple[str, int | None, int | None], ...] = (
    ("not_due", None, 0),
    ("d1_30", 1, 30),
    ("d31_60", 31, 60),
    ("d61_90", 61, 90),
    ("d90_plus", 91, None),
)
