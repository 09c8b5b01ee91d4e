"""Shared equipment: bookings by half-hours within opening hours, no two overlapping bookings
of one instrument (the database refuses it, on SQLite and PostgreSQL alike), cancelling frees
the time, and the fee of a used booking is a line of the company's next bill."""

from __future__ import annotations

import datetime
import json
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.errors import ConflictError
from enterprises.models import Enterprise
from leasing.models import Lease, LeaseCharge
from programs import services
from programs.choices import BookingState
from programs.models import Booking, Equipment
from spaces.models import Park

pytestmark = pytest.mark.django_db
ZONE = timezone.get_current_timezone()


def at(day: int, hour: float) -> datetime.datetime:
    whole, half = int(hour), int((hour % 1) * 60)
    return datetime.datetime(2030, 5, day, whole, half, tzinfo=ZONE)


def instrument(world) -> Equipment:
    return Equipment.objects.create(
        park=world.sample(Park), code="CT-1", name="工业 CT", hourly_rate=Decimal("350")
    )


def book(world, equipment, start, end, actor="tenant"):
    return services.booking_create(
        actor=world.users[actor],
        instance=Booking(
            equipment=equipment,
            enterprise=world.sample(Enterprise),
            starts_at=start,
            ends_at=end,
        ),
    )


def test_a_company_books_for_itself_and_an_overlap_is_refused(world):
    ct = instrument(world)
    first = book(world, ct, at(6, 9), at(6, 11))
    assert first.enterprise == world.sample(Enterprise) and first.state == BookingState.BOOKED
    with pytest.raises(ConflictError) as exc:
        book(world, ct, at(6, 10.5), at(6, 12))
    assert "CT-1" in exc.value.message
    book(world, ct, at(6, 11), at(6, 12))  # back to back is fine
    assert Booking.objects.filter(equipment=ct).count() == 2


def test_the_database_itself_refuses_an_overlap(world):
    ct = instrument(world)
    book(world, ct, at(6, 9), at(6, 11))
    with pytest.raises(IntegrityError), transaction.atomic():
        Booking.objects.create(  # around the service: the constraint or trigger still holds
            equipment=ct,
            enterprise=world.sample(Enterprise),
            booked_by=world.users["operator"],
            starts_at=at(6, 10),
            ends_at=at(6, 10.5),
        )


def test_cancelling_frees_the_time(world):
    ct = instrument(world)
    first = book(world, ct, at(7, 9), at(7, 10))
    services.booking_cancel(actor=world.users["tenant"], booking=first)
    second = book(world, ct, at(7, 9), at(7, 10))
    assert second.state == BookingState.BOOKED


@pytest.mark.parametrize(
    ("start", "end", "field"),
    [
        (at(8, 7), at(8, 9), "starts_at"),  # before opening
        (at(8, 19), at(8, 21), "starts_at"),  # after closing
        (at(8, 9.25 + 0.0), at(8, 10), "starts_at"),  # not a half-hour
        (at(8, 10), at(8, 9), "ends_at"),
    ],
)
def test_bookings_keep_to_opening_hours_and_half_hours(world, start, end, field):
    ct = instrument(world)
    with pytest.raises(ValidationError) as exc:
        book(world, ct, start, end)
    assert field in exc.value.message_dict


def test_a_company_does_not_book_the_past(world):
    ct = instrument(world)
    past = timezone.localtime().replace(hour=9, minute=0, second=0, microsecond=0)
    past -= datetime.timedelta(days=2)
    with pytest.raises(ValidationError):
        book(world, ct, past, past + datetime.timedelta(hours=1))
    book(world, ct, past, past + datetime.timedelta(hours=1), actor="operator")  # entered later


def test_the_fee_of_a_used_booking_goes_on_the_next_bill(world):
    from leasing.billing import charges_bill_now

    ct = instrument(world)
    lease = Lease.objects.filter(
        enterprise=world.sample(Enterprise), park=world.sample(Park)
    ).first()
    assert lease is not None and lease.state == "active"
    start = timezone.localtime().replace(hour=9, minute=0, second=0, microsecond=0)
    booking = book(
        world,
        ct,
        start - datetime.timedelta(days=1),
        start - datetime.timedelta(days=1) + datetime.timedelta(hours=2, minutes=30),
        actor="operator",
    )
    with pytest.raises(ConflictError):  # the company does not bill itself
        services.booking_complete(actor=world.users["tenant"], booking=booking)
    services.booking_complete(actor=world.users["operator"], booking=booking)
    booking.refresh_from_db()
    assert booking.state == BookingState.USED and booking.fee == Decimal("875.00")  # 2.5 h × 350
    charge = LeaseCharge.objects.get(source=f"programs.booking:{booking.pk}")
    assert charge.lease == lease and charge.kind == "equipment" and charge.invoice is None
    with pytest.raises(ConflictError):  # billed once
        services.booking_complete(actor=world.users["operator"], booking=booking)
    bill = charges_bill_now(actor=world.users["operator"], lease=lease, on=timezone.localdate())
    assert charge.pk in set(bill.charges.values_list("pk", flat=True)) or bill.total >= Decimal(
        "875.00"
    )


def test_the_api_books_and_refuses_an_overlap_with_409(world, client_for):
    ct = instrument(world)
    tenant = client_for("tenant")
    body = {
        "equipment_id": ct.pk,
        "starts_at": at(9, 9).isoformat(),
        "ends_at": at(9, 10).isoformat(),
    }
    made = tenant.post(
        "/api/v1/programs/bookings", json.dumps(body), content_type="application/json"
    )
    assert made.status_code == 201, made.content
    again = tenant.post(
        "/api/v1/programs/bookings", json.dumps(body), content_type="application/json"
    )
    assert again.status_code == 409
    listed = tenant.get("/api/v1/programs/bookings").json()["items"]
    assert [b["id"] for b in listed if b["equipment_id"] == ct.pk] == [made.json()["id"]]
    assert client_for("gov").get("/api/v1/programs/bookings").status_code == 403


def test_a_company_without_a_lease_in_that_park_cannot_book_there(world):
    elsewhere = Equipment.objects.create(
        park=world.sample(Park, "B"), code="CT-9", name="工业 CT", hourly_rate=Decimal("350")
    )
    with pytest.raises(ConflictError) as exc:  # the fee would have no lease to go on
        services.booking_create(
            actor=world.users["admin"],
            instance=Booking(
                equipment=elsewhere,
                enterprise=world.sample(Enterprise),  # rents in park A only
                starts_at=at(10, 9),
                ends_at=at(10, 10),
            ),
        )
    assert world.sample(Park, "B").name in exc.value.message
    assert not Booking.objects.filter(equipment=elsewhere).exists()
