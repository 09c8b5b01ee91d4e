"""The synthetic portfolio of benchmarks: the sizes asked for, consistent records, and a rerun
or a removal that touches nothing but its own rows."""

from __future__ import annotations

import io
from collections import Counter

import pytest
from django.core.management import CommandError, call_command
from django.db.models import F, Sum

from admissions.choices import AppState
from analytics import synthetic
from enterprises.models import Enterprise, StatFiling
from leasing.models import Invoice, Lease, LeaseUnit, Settlement
from spaces.models import Park, Unit

pytestmark = pytest.mark.django_db


def test_scale_sets_every_count():
    one, small = synthetic.Size.at(1), synthetic.Size.at(0.01)
    assert (one.parks, one.buildings, one.units, one.enterprises) == (50, 2000, 200_000, 100_000)
    assert (small.parks, small.buildings, small.units, small.enterprises) == (1, 20, 2000, 1000)


def test_the_portfolio_is_consistent_and_replaced_not_doubled():
    other = Enterprise.objects.create(name="真实企业", credit_code="91110108MA01ABCD2X")
    out = io.StringIO()
    call_command("gen_portfolio", scale=0.001, stdout=out)
    call_command("gen_portfolio", scale=0.001, stdout=out)  # a rerun replaces it
    size = synthetic.Size.at(0.001)
    assert Unit.objects.filter(park__operator__code="SYN").count() == size.units
    assert Lease.objects.count() == size.enterprises
    assert Invoice.objects.count() == size.enterprises * synthetic.BILLS_A_LEASE
    assert StatFiling.objects.count() == size.enterprises * synthetic.QUARTERS
    # every lease on a let unit of its own park, every bill within its lease, every settled
    # amount one settlement
    assert not LeaseUnit.objects.exclude(unit__park=F("lease__park")).exists()
    assert not LeaseUnit.objects.exclude(unit__status="leased").exists()
    assert not Invoice.objects.exclude(period_start__gte=F("lease__start_on")).exists()
    assert not Invoice.objects.exclude(period_end__lte=F("lease__end_on")).exists()
    settled = Invoice.objects.aggregate(s=Sum("settled"))["s"]
    assert settled > 0 and Settlement.objects.aggregate(s=Sum("amount"))["s"] == settled
    assert Invoice.objects.filter(settled__lt=F("amount"), due_on__lte=synthetic.TODAY).exists()
    # the board's columns are full at a small scale too (50 firms here, 10 cards a state)
    from admissions.models import Application
    from admissions.selectors import BOARD_CARDS

    by_state = Counter(Application.objects.values_list("state", flat=True))
    assert len(by_state) == len(AppState.values)
    assert min(by_state.values()) >= min(BOARD_CARDS, size.enterprises // len(AppState.values))
    call_command("gen_portfolio", remove=True, stdout=out)
    assert not Park.objects.exists() and not Invoice.objects.exists()
    assert list(Enterprise.objects.all()) == [other]


def test_a_scale_out_of_range_is_refused_with_the_fix():
    with pytest.raises(CommandError, match="--scale"):
        call_command("gen_portfolio", scale=0, stdout=io.StringIO())
