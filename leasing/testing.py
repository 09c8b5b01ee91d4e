"""Test records of leasing: an active lease of each side's unit, billed for its first
quarter and partly paid (core.testing.world)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.files.base import ContentFile

from core.testing.world import World
from enterprises.models import Enterprise
from leasing import billing
from leasing.models import (
    Invoice,
    Lease,
    LeaseAttachment,
    LeaseCharge,
    LeaseUnit,
    Payment,
    Reminder,
    Transfer,
)
from spaces.models import Park, Unit

__all__ = ["build"]


def build(world: World) -> None:
    leases = {}
    for side in "AB":
        lease = Lease.objects.create(
            contract_no=f"T-{side}",
            enterprise=world.sample(Enterprise, side),
            park=world.sample(Park, side),
            state="active",
            start_on=datetime.date(2026, 1, 1),
            end_on=datetime.date(2028, 12, 31),
            rent_per_m2_day=Decimal("3.50"),
        )
        unit = world.sample(Unit, side)
        LeaseUnit.objects.create(
            lease=lease,
            unit=unit,
            area_m2=unit.area_m2,
            start_on=lease.start_on,
            end_on=lease.end_on,
        )
        leases[side] = lease
    world.add(leases["A"], leases["B"])
    admin = world.users["admin"]
    payments = {}
    for side, lease in leases.items():
        billing.invoices_issue(actor=admin, lease=lease, on=datetime.date(2026, 1, 1))
        payments[side] = billing.payment_record(
            actor=admin,
            payment=Payment(
                lease=lease, amount=Decimal("1000.00"), received_on=datetime.date(2026, 1, 5)
            ),
        )
    world.add(*(Invoice.objects.get(number=f"T-{side}-P01") for side in "AB"))
    world.add(payments["A"], payments["B"])
    # a transfer record per side (合并收款), written directly so that it settles nothing
    # and the figures above stay as they are; its services are tested in test_transfers
    transfers = {}
    for side, lease in leases.items():
        transfer = transfers[side] = Transfer.objects.create(
            receipt_no=f"T-{side}-T01",
            enterprise=lease.enterprise,
            operator=lease.park.operator,
            received_on=datetime.date(2026, 1, 5),
            amount=payments[side].amount,
        )
        Payment.objects.filter(pk=payments[side].pk).update(transfer=transfer)
    world.add(transfers["A"], transfers["B"])
    # a collection notice per side, as sent on 1 March for the overdue first quarter
    reminders = {}
    for side, lease in leases.items():
        bill = Invoice.objects.get(number=f"T-{side}-P01")
        reminders[side] = Reminder.objects.create(
            number=f"T-{side}-CJ01",
            enterprise=lease.enterprise,
            park=lease.park,
            sent_on=datetime.date(2026, 3, 1),
            pay_by=datetime.date(2026, 3, 8),
            overdue=bill.outstanding,
            bills=[
                {
                    "invoice_id": bill.pk,
                    "number": bill.number,
                    "contract_no": lease.contract_no,
                    "due_on": bill.due_on.isoformat(),
                    "days": 59,
                    "outstanding": str(bill.outstanding),
                }
            ],
        )
    world.add(reminders["A"], reminders["B"])
    # an electricity charge per side, already carried by the first bill (so that no later
    # bill of the tests changes)
    charges = {
        side: LeaseCharge.objects.create(
            lease=lease,
            kind="electricity",
            description="电费",
            period_start=datetime.date(2026, 1, 1),
            period_end=datetime.date(2026, 1, 31),
            quantity=Decimal("100"),
            quantity_unit="kWh",
            unit_price=Decimal("1"),
            amount=Decimal("100.00"),
            invoice=Invoice.objects.get(number=f"T-{side}-P01"),
        )
        for side, lease in leases.items()
    }
    world.add(charges["A"], charges["B"])
    world.add(
        *(
            LeaseAttachment.objects.create(
                lease=leases[side],
                title="合同扫描件",
                file=ContentFile(b"%PDF-1.4 signed contract", name=f"contract-{side}.pdf"),
                size=24,
            )
            for side in "AB"
        )
    )
