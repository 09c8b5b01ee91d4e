"""Demo leases: the manufacturing park let to its tenants but for one unit (so its
occupancy comes out at ≥ 98 % from the leases themselves), the innovation centre partly let,
with rent-free periods, escalations, upcoming expiries, a termination and a renewal. Every
bill comes from the leases' own schedules; the tenants pay them through the billing service,
some late, one partly, one not for months (the arrears aging), one in advance (credit).
Dates are relative to the day the demo is loaded."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone

from core.dates import term_end
from leasing import billing, services
from leasing.models import Invoice, Lease, Payment
from spaces.models import Unit

__all__ = ["load"]

D = Decimal
# park, building codes (or single unit codes), company index, start (days ago), years,
# rent 元/㎡/天, rent-free months
LEASES: list[tuple[Any, ...]] = [
    ("ZZGC", ["A1"], 0, 700, 5, "3.20", 3),
    ("ZZGC", ["A2"], 1, 900, 3, "3.10", 2),
    ("ZZGC", ["A3:0-4"], 2, 400, 3, "3.00", 3),
    ("ZZGC", ["A3:4-8"], 3, 1000, 3, "2.95", 2),  # ends next quarter
    ("ZZGC", ["A4"], 4, 500, 5, "3.60", 3),
    ("ZZGC", ["B1"], 5, 300, 3, "2.60", 1),
    ("ZZGC", ["C1:0-10"], 6, 200, 3, "4.80", 1),
    ("ZZGC", ["C1:10-20"], 7, 600, 3, "4.70", 2),
    ("ZHZX", ["T1:0-18"], 8, 150, 3, "6.50", 2),
    ("ZHZX", ["T2:0-10"], 9, 380, 2, "5.80", 1),
    # the incubator's tenants: two 85 m² offices or one, six months free
    ("FHQ", ["F1:0-2"], 12, 420, 3, "5.20", 6),
    ("FHQ", ["F1:2-3"], 13, 240, 2, "5.20", 6),
    ("FHQ", ["F1:3-5"], 14, 150, 3, "5.40", 6),
]


def _units(park: str, selector: str) -> list[Unit]:
    """ "A1": every unit of a building; "A3:0-4": its first four units in code order."""
    building, _, span = selector.partition(":")
    units = list(
        Unit.objects.filter(park__code=park, building__code=building)
        .exclude(status="not_leasable")
        .order_by("code")
    )
    if span:
        low, high = (int(x) for x in span.split("-"))
        units = units[low:high]
    return units


def load(ctx: dict[str, Any]) -> None:
    if Lease.objects.exists():
        return
    admin, today = ctx["admin"], timezone.localdate()
    companies, parks = ctx["enterprises"], ctx["parks"]
    leases = []
    for n, (park, selectors, company, days_ago, years, rent, free_months) in enumerate(LEASES):
        units = [u for s in selectors for u in _units(park, s)]
        if park == "ZZGC" and n == len([x for x in LEASES if x[0] == "ZZGC"]) - 1:
            units = units[:-1]  # one office stays vacant
        start = today - datetime.timedelta(days=days_ago)
        end = term_end(start, 12 * years)
        if selectors == ["A3:4-8"]:
            end = today + datetime.timedelta(days=75)
        lease = services.lease_create(
            actor=admin,
            lease=Lease(
                contract_no=f"JXKC-{park}-{start.year}-{n + 1:03d}",
                enterprise=companies[company],
                park=parks[park],
                start_on=start,
                end_on=end,
                signed_on=start - datetime.timedelta(days=20),
                rent_per_m2_day=D(rent),
                fee_per_m2_month=D("12.00"),
                escalation_pct=D(5),
                escalation_from_year=2,
                deposit_months=1,
                payment_cycle_months=3,
                bill_days_ahead=15,
                convention="monthly" if n % 2 else "daily",
            ),
            units=units,
            rent_free=[(start, start + datetime.timedelta(days=30 * free_months - 1))],
        )
        services.lease_transition(actor=admin, lease=lease, action="activate")
        leases.append(lease)
    renewed = _renewal(admin, today, companies[10 % len(companies)], parks["ZHZX"])
    for n, lease in enumerate(leases):
        _pay(admin, lease, today, PAYERS.get(n, "on_time"))
    _pay(admin, renewed, today, "on_time")
    # one innovation-centre tenant left early; its units are free again, the bills for the
    # days after are credited and the deposit settles what it still owed
    leaver = [lease for lease in leases if lease.park.code == "ZHZX"][-1]
    services.lease_terminate(
        actor=admin, lease=leaver, on=today - datetime.timedelta(days=20), reason="企业迁往外区"
    )
    billing.deposit_release(actor=admin, lease=leaver, on=today)
    ctx["leases"] = leases


# How each lease's tenant pays (by index in LEASES): the others pay a few days after the due
# date. "behind": the last two bills unpaid; "partial": half the last bill; "ahead": 20,000
# more than billed (kept as credit).
PAYERS = {2: "behind", 5: "partial", 6: "ahead", 9: "behind"}


def _pay(admin: Any, lease: Lease, today: datetime.date, habit: str) -> None:
    bills = list(
        Invoice.objects.filter(lease=lease, due_on__lte=today)
        .exclude(kind="credit")
        .order_by("due_on", "id")
    )
    if habit == "behind":
        bills = bills[:-2]
    for n, bill in enumerate(bills):
        amount = bill.amount
        if habit == "partial" and n == len(bills) - 1:
            amount = (amount / 2).quantize(D("0.01"))
        if habit == "ahead" and n == len(bills) - 1:
            amount += D("20000")
        received = min(today, bill.due_on + datetime.timedelta(days=(n * 7) % 12))
        billing.payment_record(
            actor=admin,
            payment=Payment(
                lease=lease,
                amount=amount,
                received_on=received,
                reference=f"{lease.contract_no}/{n + 1}",
            ),
        )


def _renewal(admin: Any, today: datetime.date, company: Any, park: Any) -> Lease:
    """A lab tenant whose two-year lease ended last year and was renewed for three more."""
    start = today - datetime.timedelta(days=1100)
    units = _units("ZHZX", "T2:10-14")
    first = services.lease_create(
        actor=admin,
        lease=Lease(
            contract_no=f"JXKC-ZHZX-{start.year}-R01",
            enterprise=company,
            park=park,
            start_on=start,
            end_on=term_end(start, 24),
            signed_on=start - datetime.timedelta(days=30),
            rent_per_m2_day=D("5.50"),
            fee_per_m2_month=D("15.00"),
            deposit_months=2,
        ),
        units=units,
    )
    services.lease_transition(actor=admin, lease=first, action="activate")
    _pay(admin, first, today, "on_time")
    second = services.lease_renew(
        actor=admin,
        lease=first,
        successor=Lease(
            contract_no=f"JXKC-ZHZX-{first.end_on.year + 1}-R02",
            end_on=term_end(first.end_on + datetime.timedelta(days=1), 36),
            signed_on=first.end_on - datetime.timedelta(days=40),
            rent_per_m2_day=D("5.80"),
            fee_per_m2_month=D("15.00"),
            deposit_months=2,
        ),
    )
    services.lease_transition(actor=admin, lease=second, action="activate")
    return second
