"""Collections (催缴): who owes what overdue, and the collection notice (催缴通知书) that tells
them — a PDF in Chinese with the amounts in figures and in capitals, sent to the tenant's users
as a notification and logged on each lease it concerns."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count, F, Min, OuterRef, QuerySet, Subquery, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from core import audit
from core.choices import AuditAction
from core.documents import Sheet
from core.errors import ConflictError
from core.money import in_capitals
from core.notifications import notify
from core.permissions import require_add
from leasing.choices import InvoiceKind
from leasing.documents import collection_account
from leasing.models import Invoice, Lease, Reminder, overdue_q

__all__ = [
    "PAY_WITHIN_DAYS",
    "CollectionRow",
    "collection_rows",
    "reminder_facts",
    "reminder_send",
    "reminder_sheet",
]

PAY_WITHIN_DAYS = 7  # a notice asks for payment within a week of its date


@dataclass(frozen=True)
class CollectionRow:
    enterprise_id: int
    tenant: str
    park_id: int
    park: str
    bills: int
    overdue: Decimal
    oldest_due: datetime.date
    last_reminder: datetime.date | None

    def days_overdue(self, day: datetime.date) -> int:
        return (day - self.oldest_due).days


def _overdue_bills(invoices: QuerySet[Invoice], day: datetime.date) -> QuerySet[Invoice]:
    return invoices.exclude(kind=InvoiceKind.CREDIT).filter(overdue_q(day), settled__lt=F("amount"))


def collection_rows(invoices: QuerySet[Invoice], day: datetime.date) -> list[CollectionRow]:
    """Per tenant and park, what is overdue on ``day`` (from today's balances), the oldest
    due date and the last notice sent; most overdue first (one query)."""
    last = Reminder.objects.filter(
        enterprise=OuterRef("enterprise_id"), park=OuterRef("park_id")
    ).order_by("-sent_on")
    rows = (
        _overdue_bills(invoices, day)
        .values("enterprise_id", "enterprise__name", "park_id", "park__name")
        .annotate(
            bills=Count("id"),
            overdue=Sum(F("amount") - F("settled")),
            oldest_due=Min("due_on"),
            last_reminder=Subquery(last.values("sent_on")[:1]),
        )
        .order_by("-overdue", "enterprise__name")
    )
    return [
        CollectionRow(
            r["enterprise_id"],
            r["enterprise__name"],
            r["park_id"],
            r["park__name"],
            r["bills"],
            Decimal(r["overdue"]).quantize(Decimal("0.01")),
            r["oldest_due"],
            r["last_reminder"],
        )
        for r in rows
    ]


@transaction.atomic
def reminder_send(
    *, actor: Any, enterprise_id: int, park_id: int, on: datetime.date | None = None
) -> Reminder:
    """A collection notice for the tenant's overdue bills in the park, as they stand ``on``
    (today): kept with the bills listed, sent to the tenant's users, logged on each lease."""
    day = on or timezone.localdate()
    bills = list(
        _overdue_bills(Invoice.objects.restrict(actor, "change"), day)
        .filter(enterprise_id=enterprise_id, park_id=park_id)
        .select_related("lease", "park", "enterprise")
        .order_by("due_on", "id")
    )
    if not bills:
        raise ConflictError(_("Nothing of this tenant is overdue in this park today."))
    park, enterprise = bills[0].park, bills[0].enterprise
    sent_that_day = Reminder.objects.filter(park=park, sent_on=day).count()
    reminder = Reminder(
        number=f"{park.code}-CJ{day:%Y%m%d}-{sent_that_day + 1:03d}",
        enterprise=enterprise,
        park=park,
        sent_on=day,
        pay_by=day + datetime.timedelta(days=PAY_WITHIN_DAYS),
        overdue=sum((b.outstanding for b in bills), Decimal(0)),
        bills=[
            {
                "invoice_id": b.pk,
                "number": b.number,
                "contract_no": b.lease.contract_no,
                "due_on": b.due_on.isoformat(),
                "days": (day - b.due_on).days,
                "outstanding": str(b.outstanding),
            }
            for b in bills
        ],
    )
    require_add(actor, reminder)
    reminder.save()
    for lease_id in sorted({b.lease_id for b in bills}):
        audit.record(
            actor=actor,
            instance=Lease.objects.get(pk=lease_id),
            action=AuditAction.UPDATE,
            changes={"reminder": [None, reminder.number]},
            comment=_("Collection notice %(number)s sent: %(amount)s 元 overdue.")
            % {"number": reminder.number, "amount": f"{reminder.overdue:,.2f}"},
        )
    audit.record(
        actor=actor,
        instance=reminder,
        action=AuditAction.CREATE,
        changes={"overdue": [None, str(reminder.overdue)]},
    )
    tenants = get_user_model().objects.filter(membership__enterprise=enterprise, is_active=True)
    notify(
        tenants,
        gettext_noop(
            "Collection notice %(number)s: %(amount)s 元 overdue in %(park)s; please pay by "
            "%(pay_by)s."
        ),
        about=reminder,
        params={
            "number": reminder.number,
            "amount": f"{reminder.overdue:,.2f}",
            "park": park.name,
            "pay_by": reminder.pay_by.isoformat(),
        },
        url=reverse("leasing:reminder_detail", args=[reminder.pk]),
    )
    return reminder


def reminder_facts(reminder: Reminder) -> list[tuple[str, Any]]:
    return [
        (_("Notice number"), reminder.number),
        (_("To"), reminder.enterprise.name),
        (_("Unified social credit code"), reminder.enterprise.credit_code),
        (_("Park"), reminder.park.name),
        (_("Date"), reminder.sent_on.isoformat()),
        (_("Overdue (元)"), reminder.overdue),
        (_("Amount in words"), in_capitals(reminder.overdue)),
        (_("Please pay by"), reminder.pay_by.isoformat()),
        *collection_account(reminder.park.operator),
    ]


def reminder_sheet(reminder: Reminder) -> Sheet:
    rows = [
        (
            b["number"],
            b["contract_no"],
            b["due_on"],
            b["days"],
            Decimal(b["outstanding"]),
        )
        for b in reminder.bills
    ]
    return Sheet(
        title=_("Overdue bills"),
        headers=[
            _("Invoice number"),
            _("Contract number"),
            _("Due on"),
            _("Days overdue"),
            _("Outstanding (元)"),
        ],
        rows=rows,
        totals=[_("Total"), "", "", "", reminder.overdue],
        notes=[
            _(
                "Please pay the amount above to the account shown by %(pay_by)s. If you have "
                "paid already, please send us the bank slip and ignore this notice."
            )
            % {"pay_by": reminder.pay_by.isoformat()},
        ],
    )
