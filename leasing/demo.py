"""Demo leases: the manufacturing park let to its tenants but for one unit (so its
occupancy comes out at ≥ 98 % from the leases themselves), the innovation centre partly let,
with rent-free periods, escalations, upcoming expiries, a termination and a renewal. Dates
are relative to the day the demo is loaded."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone

from leasing import services
from leasing.models import Lease
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
        end = start.replace(year=start.year + years) - datetime.timedelta(days=1)
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
    # one innovation-centre tenant left early; its units are free again
    services.lease_terminate(
        actor=admin, lease=leases[-1], on=today - datetime.timedelta(days=20), reason="企业迁往外区"
    )
    ctx["leases"] = leases
