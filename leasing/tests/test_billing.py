"""Billing: bills from the schedule, partial and over-payments, back-dated payments, arrears
aging buckets, credit notes and supplements when terms change, the deposit at the end."""

from __future__ import annotations

import datetime
from decimal import Decimal
from unittest import mock

import pytest
from django.http import Http404

from core.errors import ConflictError
from enterprises.models import Enterprise
from leasing import billing, services
from leasing.choices import InvoiceKind, SettlementSource
from leasing.models import DepositRelease, Invoice, Lease, Payment
from leasing.selectors import arrears_aging, rent_roll
from spaces.models import Floor, Park
from spaces.testing import make_unit

D = Decimal
day = datetime.date


@pytest.fixture
def lease(world):
    """100 m² at 3.00 元/㎡/天, fee 10 元/㎡/月, 押一付三, billed 15 days ahead, all of 2026;
    signed (set active directly so that no bill depends on the day the tests run)."""
    unit = make_unit(world.sample(Floor), "BILL-1", area_m2=D(100))
    lease = services.lease_create(
        actor=world.users["operator"],
        lease=Lease(
            contract_no="B-1",
            enterprise=world.sample(Enterprise),
            park=world.sample(Park),
            start_on=day(2026, 1, 1),
            end_on=day(2026, 12, 31),
            rent_per_m2_day=D("3.00"),
            fee_per_m2_month=D("10"),
            deposit_months=1,
            payment_cycle_months=3,
            bill_days_ahead=15,
        ),
        units=[unit],
    )
    Lease.objects.filter(pk=lease.pk).update(state="active")
    lease.refresh_from_db()
    return lease


def pay(world, lease, amount, on):
    return billing.payment_record(
        actor=world.users["operator"],
        payment=Payment(lease=lease, amount=D(amount), received_on=on),
    )


def bills(lease):
    return {i.number: (i.amount, i.settled) for i in Invoice.objects.filter(lease=lease)}


@pytest.mark.django_db
def test_bills_follow_the_schedule_and_are_issued_once(world, lease):
    operator = world.users["operator"]
    issued = billing.invoices_issue(actor=operator, lease=lease, on=day(2026, 4, 1))
    # the deposit (3 × 100 × 365 ÷ 12), then Q1 (billed 2025-12-17) and Q2 (billed 2026-03-17)
    assert [(i.number, i.amount, i.issued_on, i.due_on) for i in issued] == [
        ("B-1-D", D("9125.00"), day(2026, 1, 1), day(2026, 1, 1)),
        ("B-1-P01", D("30000.00"), day(2025, 12, 17), day(2026, 1, 1)),  # 90 days × 300 + 3,000
        ("B-1-P02", D("30300.00"), day(2026, 3, 17), day(2026, 4, 1)),  # 91 days × 300 + 3,000
    ]
    p01 = Invoice.objects.get(number="B-1-P01")
    assert sorted((line.kind, line.amount) for line in p01.lines.all()) == [
        ("fee", D("3000.00")),
        ("rent", D("27000.00")),
    ]
    assert billing.invoices_issue(actor=operator, lease=lease, on=day(2026, 4, 1)) == []
    assert Invoice.objects.filter(lease=lease).count() == 3


@pytest.mark.django_db
def test_a_draft_is_never_billed_and_a_tenant_cannot_bill(world, lease):
    with pytest.raises(Http404):
        billing.invoices_issue(actor=world.users["tenant"], lease=lease, on=day(2026, 4, 1))
    Lease.objects.filter(pk=lease.pk).update(state="draft")
    lease.refresh_from_db()
    with pytest.raises(ConflictError):
        billing.invoices_issue(actor=world.users["operator"], lease=lease, on=day(2026, 4, 1))
    assert not Invoice.objects.filter(lease=lease).exists()


@pytest.mark.django_db
def test_partial_payment_settles_the_oldest_bill_first(world, lease):
    billing.invoices_issue(actor=world.users["operator"], lease=lease, on=day(2026, 1, 1))
    payment = pay(world, lease, "10000", day(2026, 1, 5))
    assert payment.receipt_no == "B-1-R01"
    assert payment.unapplied == 0
    assert bills(lease) == {
        "B-1-D": (D("9125.00"), D("9125.00")),
        "B-1-P01": (D("30000.00"), D("875.00")),
    }


@pytest.mark.django_db
def test_over_payment_is_kept_as_credit_and_settles_the_next_bill(world, lease):
    operator = world.users["operator"]
    billing.invoices_issue(actor=operator, lease=lease, on=day(2026, 1, 1))
    payment = pay(world, lease, "50000", day(2026, 1, 5))
    assert payment.unapplied == D("10875.00")  # 50,000 − 9,125 − 30,000
    billing.invoices_issue(actor=operator, lease=lease, on=day(2026, 3, 17))
    payment.refresh_from_db()
    assert payment.unapplied == 0
    p02 = Invoice.objects.get(number="B-1-P02")
    assert p02.settled == D("10875.00")
    assert p02.settlements.get().on == day(2026, 3, 17)  # settled when the bill was issued


@pytest.mark.django_db
def test_a_payment_cannot_be_dated_in_the_future_or_recorded_by_a_tenant(world, lease):
    with pytest.raises(ConflictError):
        pay(world, lease, "100", day(2099, 1, 1))
    with pytest.raises(Http404):
        billing.payment_record(
            actor=world.users["tenant"],
            payment=Payment(lease=lease, amount=D("1"), received_on=day(2026, 1, 1)),
        )
    assert not Payment.objects.filter(lease=lease).exists()


@pytest.mark.django_db
def test_aging_buckets_by_days_past_due(world, lease):
    billing.invoices_issue(actor=world.users["operator"], lease=lease, on=day(2026, 7, 1))
    # P01 (30,000 + 1,000 fee... see the schedule) and the deposit due 2026-01-01, P02 due
    # 04-01, P03 due 07-01; P01 is issued 15 days ahead, on 2025-12-17
    invoices = Invoice.objects.filter(lease=lease)

    def aging(on):
        (row,) = arrears_aging(invoices, on)
        keys = ("not_due", "d1_30", "d31_60", "d61_90", "d90_plus", "overdue", "total")
        return [row[k] for k in keys]

    jan = D("39125.00")  # the deposit and P01
    # due on 1 January: not overdue that day, 1 day overdue the next (DESIGN: from the day
    # after the due date)
    assert aging(day(2026, 1, 1)) == [jan, 0, 0, 0, 0, 0, jan]
    assert aging(day(2026, 1, 2)) == [0, jan, 0, 0, 0, jan, jan]
    assert aging(day(2026, 1, 31)) == [0, jan, 0, 0, 0, jan, jan]  # 30 days past due
    assert aging(day(2026, 2, 1)) == [0, 0, jan, 0, 0, jan, jan]  # 31
    assert aging(day(2026, 4, 1)) == [D("30300.00"), 0, 0, jan, 0, jan, D("69425.00")]
    assert aging(day(2026, 4, 2))[4] == jan  # 91 days: over 90
    (early,) = arrears_aging(invoices, day(2025, 12, 31))  # P01 issued, nothing due yet
    assert early["not_due"] == early["total"] == D("30000.00") and early["overdue"] == 0


@pytest.mark.django_db
def test_one_definition_of_overdue_for_status_filter_and_aging(world, lease):
    from leasing.filters import InvoiceFilter

    billing.invoices_issue(actor=world.users["operator"], lease=lease, on=day(2026, 1, 1))
    p01 = Invoice.objects.get(number="B-1-P01")
    invoices = Invoice.objects.filter(lease=lease)
    for today, overdue in ((day(2026, 1, 1), False), (day(2026, 1, 2), True)):
        with mock.patch("django.utils.timezone.localdate", return_value=today):
            assert (p01.status == "overdue") is overdue
            listed = InvoiceFilter({"status": "overdue"}, queryset=invoices).qs
            assert (p01 in listed) is overdue
            (row,) = arrears_aging(invoices, today)
            assert (row["overdue"] > 0) is overdue


@pytest.mark.django_db
def test_a_back_dated_payment_shows_in_the_aging_of_past_dates(world, lease):
    billing.invoices_issue(actor=world.users["operator"], lease=lease, on=day(2026, 4, 1))
    invoices = Invoice.objects.filter(lease=lease)
    pay(world, lease, "39125", day(2026, 2, 10))  # entered late, received on 2026-02-10
    (before,) = arrears_aging(invoices, day(2026, 2, 9))
    assert before["total"] == D("39125.00")
    assert arrears_aging(invoices, day(2026, 2, 10)) == []
    (by_park,) = arrears_aging(invoices, day(2026, 4, 1), by="park")
    assert by_park["total"] == D("30300.00")


@pytest.mark.django_db
def test_termination_credits_billed_days_after_the_end(world, lease):
    operator = world.users["operator"]
    billing.invoices_issue(actor=operator, lease=lease, on=day(2026, 4, 1))
    pay(world, lease, "39125", day(2026, 1, 5))  # deposit and Q1 paid, Q2 open
    services.lease_terminate(actor=operator, lease=lease, on=day(2026, 3, 1), reason="搬迁")
    credits = Invoice.objects.filter(lease=lease, kind=InvoiceKind.CREDIT).order_by("number")
    # March of Q1: 31 days × 300 and a month's fee; all of Q2
    assert [(c.number, c.amount, c.corrects.number) for c in credits] == [
        ("B-1-C01", D("-10300.00"), "B-1-P01"),
        ("B-1-C02", D("-30300.00"), "B-1-P02"),
    ]
    p01, p02 = Invoice.objects.get(number="B-1-P01"), Invoice.objects.get(number="B-1-P02")
    assert p02.outstanding == 0  # closed by its own credit note
    assert p01.amount == D("30000.00")  # the issued bill itself is never rewritten
    assert credits[0].outstanding == D("-10300.00")  # left as the tenant's credit
    assert billing.invoices_issue(actor=operator, lease=lease, on=day(2026, 12, 1)) == []


@pytest.mark.django_db
def test_expansion_bills_the_added_days_of_issued_periods(world, lease):
    operator = world.users["operator"]
    billing.invoices_issue(actor=operator, lease=lease, on=day(2026, 1, 1))
    extra = make_unit(world.sample(Floor), "BILL-2", area_m2=D(50))
    services.lease_change_units(actor=operator, lease=lease, on=day(2026, 3, 1), add=[extra])
    (supplement,) = Invoice.objects.filter(lease=lease, kind=InvoiceKind.ADJUSTMENT)
    # March on 50 m² more: 31 × 3 × 50 rent and a whole month's fee on 50 m²
    assert sorted((line.kind, line.amount) for line in supplement.lines.all()) == [
        ("fee", D("500.00")),
        ("rent", D("4650.00")),
    ]
    assert supplement.corrects.number == "B-1-P01"
    (q2,) = billing.invoices_issue(actor=operator, lease=lease, on=day(2026, 3, 17))
    assert q2.amount == D("45450.00")  # 91 × 3 × 150 + 3 × 10 × 150


@pytest.mark.django_db
def test_contraction_to_no_unit_is_refused(world, lease):
    unit = lease.lease_units.get().unit
    with pytest.raises(ConflictError):
        services.lease_change_units(
            actor=world.users["operator"], lease=lease, on=day(2026, 3, 1), remove=[unit]
        )
    assert lease.lease_units.get().end_on == day(2026, 12, 31)


@pytest.mark.django_db
def test_deposit_offsets_arrears_and_the_rest_is_refunded(world, lease):
    operator = world.users["operator"]
    billing.invoices_issue(actor=operator, lease=lease, on=day(2026, 1, 1))
    pay(world, lease, "30000", day(2026, 1, 5))  # settles the deposit, 20,875 of Q1
    with pytest.raises(ConflictError):
        billing.deposit_release(actor=operator, lease=lease, on=day(2026, 2, 1))  # still active
    services.lease_terminate(actor=operator, lease=lease, on=day(2026, 3, 1), reason="到期前退租")
    # Q1 is now 20,000 + 2,000 (Jan–Feb) and 20,875 of it paid: 1,125 left
    release = billing.deposit_release(actor=operator, lease=lease, on=day(2026, 3, 1))
    assert (release.offset, release.refunded) == (D("0.00"), D("9125.00"))
    assert DepositRelease.objects.get(lease=lease).refunded == D("9125.00")
    with pytest.raises(ConflictError):
        billing.deposit_release(actor=operator, lease=lease, on=day(2026, 3, 1))


@pytest.mark.django_db
def test_deposit_offset_takes_what_is_owed(world, lease):
    operator = world.users["operator"]
    billing.invoices_issue(actor=operator, lease=lease, on=day(2026, 1, 1))
    pay(world, lease, "9125", day(2026, 1, 5))  # the deposit only; Q1 unpaid
    services.lease_terminate(actor=operator, lease=lease, on=day(2026, 2, 1), reason="欠费")
    release = billing.deposit_release(actor=operator, lease=lease, on=day(2026, 2, 1))
    # January: 31 × 300 rent and 1,000 fee = 10,300 owed; the deposit covers 9,125 of it
    assert (release.offset, release.refunded) == (D("9125.00"), D("0.00"))
    p01 = Invoice.objects.get(number="B-1-P01")
    assert p01.settlements.filter(source=SettlementSource.DEPOSIT).get().amount == D("9125.00")
    assert billing.deposit_held(lease) == 0


@pytest.mark.django_db
def test_rent_roll_figures(world, lease):
    billing.invoices_issue(actor=world.users["operator"], lease=lease, on=day(2026, 4, 1))
    pay(world, lease, "45000", day(2026, 1, 5))
    rows = [r for r in rent_roll(Lease.objects.all(), day(2026, 4, 1)) if r.lease_id == lease.pk]
    (row,) = rows
    assert (row.units, row.area_m2, row.price) == ("BILL-1", D("100.00"), D("3.00"))
    assert row.monthly_rent == D("9125.00")
    assert row.monthly_fee == D("1000.00")
    assert row.deposit == D("9125.00")
    assert row.billed == D("60300.00")
    assert row.received == D("35875.00")
    assert row.outstanding == D("24425.00")
    assert row.months_left == 8


@pytest.mark.django_db
def test_renewal_is_a_linked_draft_and_activating_it_renews_the_first(world, lease):
    operator = world.users["operator"]
    successor = services.lease_renew(
        actor=operator,
        lease=lease,
        successor=Lease(
            contract_no="B-2",
            start_on=day(2027, 1, 1),
            end_on=day(2028, 12, 31),
            rent_per_m2_day=D("3.20"),
        ),
    )
    assert (successor.state, successor.predecessor, successor.start_on) == (
        "draft",
        lease,
        day(2027, 1, 1),
    )
    assert [s.unit.code for s in successor.lease_units.all()] == ["BILL-1"]
    with pytest.raises(ConflictError):
        services.lease_renew(
            actor=operator,
            lease=lease,
            successor=Lease(contract_no="B-3", end_on=day(2027, 6, 30), rent_per_m2_day=D(3)),
        )
    services.lease_transition(actor=operator, lease=successor, action="activate")
    lease.refresh_from_db()
    assert lease.state == "renewed"


@pytest.mark.django_db
def test_daily_billing_run_issues_due_bills_and_expires_ended_leases(world, lease, monkeypatch):
    from io import StringIO

    from django.core.management import call_command
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda *a: day(2027, 1, 2))
    out = StringIO()
    call_command("bill_leases", stdout=out)
    lease.refresh_from_db()
    assert lease.state == "expired"  # B-1 ended on 2026-12-31
    assert sorted(Invoice.objects.filter(lease=lease).values_list("number", flat=True)) == [
        "B-1-D",
        "B-1-P01",
        "B-1-P02",
        "B-1-P03",
        "B-1-P04",
    ]
    # the world's leases T-A and T-B (billed to Q1 2026) get Q2 2026 … Q1 2027 each
    assert Invoice.objects.filter(lease__contract_no="T-A").count() == 6
    assert out.getvalue().startswith("13 bills issued, 1 leases expired")

    def no_schedule(lease):
        raise AssertionError("nothing is due: no schedule should be worked out")

    monkeypatch.setattr(billing, "lease_schedule", no_schedule)
    call_command("bill_leases", stdout=out)  # a repeated run issues nothing more, cheaply
    assert Invoice.objects.count() == 5 + 6 + 6


@pytest.mark.django_db
def test_the_billing_run_skips_and_names_leases_its_user_may_not_bill(world, lease, monkeypatch):
    from io import StringIO

    from django.core.management import call_command
    from django.utils import timezone

    from security.models import SupportGrant

    SupportGrant.objects.update(revoked_at=timezone.now())  # the admin supports no operator
    out, err = StringIO(), StringIO()
    call_command("bill_leases", stdout=out, stderr=err)
    assert out.getvalue().startswith("0 bills issued")
    assert "running leases skipped" in err.getvalue() and "support grant" in err.getvalue()
    call_command("bill_leases", "--user", "operator", stdout=out, stderr=err)
    assert Invoice.objects.filter(lease__contract_no="T-A").exists()


@pytest.mark.django_db
def test_rent_free_days_granted_later_are_credited_on_issued_bills(world, lease):
    operator = world.users["operator"]
    billing.invoices_issue(actor=operator, lease=lease, on=day(2026, 1, 1))
    services.lease_add_rent_free(
        actor=operator, lease=lease, start=day(2026, 2, 1), end=day(2026, 2, 10), reason="施工补偿"
    )
    (note,) = Invoice.objects.filter(lease=lease, kind=InvoiceKind.CREDIT)
    assert note.amount == D("-3000.00")  # 10 days × 300; the management fee still runs
    assert note.corrects.number == "B-1-P01"
    with pytest.raises(ConflictError):  # the same days twice
        services.lease_add_rent_free(
            actor=operator, lease=lease, start=day(2026, 2, 5), end=day(2026, 2, 6), reason="x"
        )
    with pytest.raises(ConflictError):  # outside the term
        services.lease_add_rent_free(
            actor=operator, lease=lease, start=day(2027, 2, 5), end=day(2027, 2, 6), reason="x"
        )
    assert Invoice.objects.filter(lease=lease, kind=InvoiceKind.CREDIT).count() == 1


@pytest.mark.django_db
def test_credit_left_at_the_end_is_refunded_with_the_deposit(world, lease):
    operator = world.users["operator"]
    billing.invoices_issue(actor=operator, lease=lease, on=day(2026, 1, 1))
    payment = pay(world, lease, "50000", day(2026, 1, 5))  # 10,875 more than billed
    services.lease_terminate(actor=operator, lease=lease, on=day(2026, 3, 1), reason="退租")
    release = billing.deposit_release(actor=operator, lease=lease, on=day(2026, 3, 1))
    # the deposit back, and the over-payment plus March credited by the termination
    assert (release.offset, release.refunded) == (D("0.00"), D("9125.00"))
    assert release.credit_refunded == D("21175.00")  # 10,875 + 31 × 300 + 1,000
    payment.refresh_from_db()
    assert payment.unapplied == 0
    assert all(i.outstanding == 0 for i in Invoice.objects.filter(lease=lease))


# --- the money conventions on signed leases (DESIGN → "Money conventions") -----------------
@pytest.mark.django_db
def test_a_back_dated_payment_entered_after_a_later_one_settles_first(world, lease):
    billing.invoices_issue(actor=world.users["operator"], lease=lease, on=day(2026, 4, 1))
    # deposit 9,125 and P01 30,000 due 1 Jan; P02 30,300 due 1 Apr (issued 17 Mar)
    later = pay(world, lease, "39125", day(2026, 4, 5))
    earlier = pay(world, lease, "30300", day(2026, 2, 1))  # entered last, arrived first
    (row,) = arrears_aging(Invoice.objects.filter(lease=lease), day(2026, 3, 31))
    # on 31 March the 1 February money had settled the deposit and 21,175 of P01
    assert row["overdue"] == D("8825.00") and row["not_due"] == D("30300.00")
    earlier_settled = {s.on for s in earlier.settlements.all()}
    assert earlier_settled == {day(2026, 2, 1)}
    later.refresh_from_db()
    earlier.refresh_from_db()
    assert (later.receipt_no, later.amount, later.unapplied) == ("B-1-R01", D("39125"), 0)
    assert (earlier.receipt_no, earlier.unapplied) == ("B-1-R02", 0)
    assert {n: s for n, (_a, s) in bills(lease).items()} == {
        "B-1-D": D("9125.00"),
        "B-1-P01": D("30000.00"),
        "B-1-P02": D("30300.00"),
    }


@pytest.mark.django_db
def test_termination_before_a_later_expansion_starts_removes_its_span(world, lease):
    operator = world.users["operator"]
    extra = make_unit(world.sample(Floor), "BILL-9", area_m2=D(40))
    services.lease_change_units(actor=operator, lease=lease, on=day(2026, 9, 1), add=[extra])
    services.lease_terminate(actor=operator, lease=lease, on=day(2026, 6, 1), reason="搬迁")
    lease.refresh_from_db()
    assert lease.state == "terminated"
    assert not lease.lease_units.filter(unit=extra).exists()
    assert lease.lease_units.get().end_on == day(2026, 5, 31)
    extra.refresh_from_db()
    assert extra.status == "vacant"


@pytest.mark.django_db
def test_an_expansion_bills_a_supplementary_deposit_for_the_added_area(world, lease):
    operator = world.users["operator"]
    billing.invoices_issue(actor=operator, lease=lease, on=day(2026, 1, 1))
    extra = make_unit(world.sample(Floor), "BILL-3", area_m2=D(50))
    services.lease_change_units(actor=operator, lease=lease, on=day(2026, 3, 1), add=[extra])
    top_up = Invoice.objects.get(lease=lease, kind=InvoiceKind.DEPOSIT, corrects__isnull=False)
    assert top_up.amount == D("4562.50")  # 1 month × 3.00 × 50 m² × 365 ÷ 12
    assert top_up.corrects.number == "B-1-D" and top_up.number == "B-1-D02"
    pay(world, lease, "100000", day(2026, 3, 2))
    assert billing.deposit_held(lease) == D("9125.00") + D("4562.50")


@pytest.mark.django_db
def test_a_replan_touches_only_the_periods_whose_terms_changed(world):
    operator = world.users["operator"]
    unit = make_unit(world.sample(Floor), "BILL-M", area_m2=D(1000))
    lease = services.lease_create(
        actor=operator,
        lease=Lease(
            contract_no="M-1",
            enterprise=world.sample(Enterprise),
            park=world.sample(Park),
            start_on=day(2026, 1, 1),
            end_on=day(2026, 12, 31),
            rent_per_m2_day=D("3.29"),
            convention="monthly",
            deposit_months=0,
            payment_cycle_months=1,
            bill_days_ahead=0,
        ),
        units=[unit],
    )
    Lease.objects.filter(pk=lease.pk).update(state="active")
    lease.refresh_from_db()
    issued = billing.invoices_issue(actor=operator, lease=lease, on=day(2026, 6, 1))
    assert {i.amount for i in issued} == {D("100070.83")}  # six identical whole months
    services.lease_add_rent_free(
        actor=operator, lease=lease, start=day(2026, 5, 10), end=day(2026, 5, 12), reason="施工"
    )
    (note,) = Invoice.objects.filter(lease=lease, kind__in=[InvoiceKind.CREDIT, "adjustment"])
    # May becomes a broken month: 28 paying days × 3,290 = 92,120 instead of 100,070.83
    assert (note.corrects.number, note.amount) == ("M-1-P05", D("-7950.83"))


@pytest.mark.django_db
def test_a_unit_never_leased_is_vacant_since_it_became_available(world):
    from leasing.selectors import days_vacant, vacant_units
    from spaces.models import Unit

    unit = make_unit(world.sample(Floor), "NEW-1", available_from=day(2026, 1, 1))
    (row,) = [u for u in vacant_units(Unit.objects.filter(pk=unit.pk), day(2026, 3, 1))]
    assert days_vacant(row, day(2026, 3, 1)) == 59


@pytest.mark.django_db
def test_an_amendment_replans_unbilled_periods_and_corrects_billed_ones(world, lease):
    from leasing.models import LeaseAmendment

    operator = world.users["operator"]
    billing.invoices_issue(actor=operator, lease=lease, on=day(2026, 4, 1))  # P01, P02 billed
    services.lease_amend(
        actor=operator,
        lease=lease,
        amendment=LeaseAmendment(
            effective_on=day(2026, 5, 1), rent_per_m2_day=D("3.50"), reason="调价"
        ),
    )
    # P02 (Apr–Jun) was billed at 3.00: May and June (61 days) × 0.50 × 100 m² more
    (supplement,) = Invoice.objects.filter(lease=lease, kind=InvoiceKind.ADJUSTMENT)
    assert supplement.amount == D("3050.00") and supplement.corrects.number == "B-1-P02"
    assert not Invoice.objects.filter(lease=lease, kind=InvoiceKind.CREDIT).exists()
    (p03,) = billing.invoices_issue(actor=operator, lease=lease, on=day(2026, 7, 1))
    assert p03.amount == D("3.50") * 100 * 92 + 3 * 10 * 100  # Jul–Sep at the new rent
    with pytest.raises(ConflictError):  # one amendment a day
        services.lease_amend(
            actor=operator,
            lease=lease,
            amendment=LeaseAmendment(
                effective_on=day(2026, 5, 1), fee_per_m2_month=D(12), reason="x"
            ),
        )
    from leasing.selectors import lease_timeline

    assert any(e.kind == "amendment" and e.on == day(2026, 5, 1) for e in lease_timeline(lease))


@pytest.mark.django_db
def test_amendment_through_the_page_and_the_api(world, lease, client_for):
    from django.urls import reverse

    client = client_for("operator")
    page = client.post(
        reverse("leasing:lease_amend", args=[lease.pk]),
        {"effective_on": "2026-07-01", "fee_per_m2_month": "12", "reason": "物业费调整"},
    )
    assert page.status_code == 302 and lease.amendments.get().fee_per_m2_month == D(12)
    timeline = client.get(reverse("leasing:lease_detail", args=[lease.pk]) + "?tab=timeline")
    assert "物业费调整" in timeline.content.decode()
    api = client.post(
        f"/api/v1/leasing/leases/{lease.pk}/amendments",
        '{"effective_on": "2026-09-01", "rent_per_m2_day": "4.00", "reason": "调价"}',
        content_type="application/json",
    )
    assert api.status_code == 200, api.content
    late = client.post(
        f"/api/v1/leasing/leases/{lease.pk}/amendments",
        '{"effective_on": "2030-01-01", "rent_per_m2_day": "4.00", "reason": "调价"}',
        content_type="application/json",
    )
    assert late.status_code == 409


@pytest.mark.django_db
def test_other_charges_ride_on_the_next_bill_and_are_charged_once(world, lease):
    operator = world.users["operator"]
    billing.invoices_issue(actor=operator, lease=lease, on=day(2026, 1, 1))
    charge = billing.charge_add(
        actor=operator,
        lease=lease,
        kind="electricity",
        description="电费",
        period_start=day(2026, 1, 1),
        period_end=day(2026, 1, 31),
        quantity=D("1234.5"),
        quantity_unit="kWh",
        unit_price=D("0.8765"),
        tax_rate_pct=D("13"),
        source="test.reading:1",
    )
    assert charge.amount == D("1082.04")  # 1,082.03925 → half up once
    with pytest.raises(ConflictError):
        billing.charge_add(
            actor=operator,
            lease=lease,
            kind="electricity",
            description="电费",
            period_start=day(2026, 1, 1),
            period_end=day(2026, 1, 31),
            quantity=D("1"),
            unit_price=D("1"),
            source="test.reading:1",
        )
    (p02,) = billing.invoices_issue(actor=operator, lease=lease, on=day(2026, 3, 17))
    kinds = sorted((line.kind, line.amount) for line in p02.lines.all())
    assert ("charge", D("1082.04")) in kinds and p02.amount == D("30300.00") + D("1082.04")
    charge.refresh_from_db()
    assert charge.invoice == p02
    pay(world, lease, "100000", day(2026, 4, 1))
    p02.refresh_from_db()
    assert p02.outstanding == 0  # settled like rent


@pytest.mark.django_db
def test_charges_after_the_last_rent_bill_are_billed_on_their_own(world, lease):
    operator = world.users["operator"]
    billing.invoices_issue(actor=operator, lease=lease, on=day(2026, 12, 31))  # every period
    billing.charge_add(
        actor=operator,
        lease=lease,
        kind="water",
        description="水费",
        period_start=day(2026, 12, 1),
        period_end=day(2026, 12, 31),
        quantity=D("10"),
        quantity_unit="t",
        unit_price=D("5.8"),
    )
    (bill,) = billing.invoices_issue(actor=operator, lease=lease, on=day(2027, 1, 5))
    assert (bill.kind, bill.number, bill.amount) == ("charges", "B-1-X01", D("58.00"))
    assert bill.due_on == day(2027, 1, 19)
    with pytest.raises(ConflictError):
        billing.charges_bill_now(actor=operator, lease=lease, on=day(2027, 1, 5))


@pytest.mark.django_db
def test_charges_through_the_page_and_the_api(world, lease, client_for):
    import json

    from django.urls import reverse

    client = client_for("operator")
    page = client.post(
        reverse("leasing:lease_charge", args=[lease.pk]),
        {
            "kind": "parking",
            "description": "停车费",
            "period_start": "2026-01-01",
            "period_end": "2026-01-31",
            "quantity": "2",
            "quantity_unit": "个",
            "unit_price": "300",
            "tax_rate_pct": "9",
        },
    )
    assert page.status_code == 302 and lease.charges.get().amount == D("600.00")
    body = {
        "kind": "equipment",
        "description": "共享设备机时",
        "period_start": "2026-01-01",
        "period_end": "2026-01-31",
        "quantity": "12.5",
        "unit_price": "80.1234",
        "source": "equipment.booking:7",
    }
    url = f"/api/v1/leasing/leases/{lease.pk}/charges"
    made = client.post(url, json.dumps(body), content_type="application/json")
    assert made.status_code == 201 and made.json()["amount"] == "1001.54"  # 1,001.5425
    again = client.post(url, json.dumps(body), content_type="application/json")
    assert again.status_code == 409
    pending = client.get(f"/api/v1/leasing/charges?lease_id={lease.pk}&pending=true").json()
    assert len(pending["items"]) == 2
    tenant = client_for("tenant").post(url, json.dumps(body), content_type="application/json")
    assert tenant.status_code in (403, 404)
