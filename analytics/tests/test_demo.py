"""The demo portfolio shows the source report's figures, computed from its records, whatever
the day it is loaded (DESIGN.md → demo portfolio)."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from analytics.kpis import Scope, compute
from spaces.models import Park


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    "today",
    [None, datetime.date(2027, 1, 5), datetime.date(2028, 2, 29)],
    ids=["today", "early-january", "leap-day"],
)
def test_the_manufacturing_park_shows_the_source_reports_figures(monkeypatch, today):
    if today is not None:
        monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: today)
    call_command("load_demo", stdout=io.StringIO())
    day = timezone.localdate()
    figures = {p.code: compute(Scope([p], day)) for p in Park.objects.all()}
    zzgc = figures["ZZGC"]
    assert zzgc["occupancy_rate"] >= 0.98
    assert zzgc["high_clear_height_area_share"] > 0.85
    assert zzgc["talents"] > 6000
    assert zzgc["national_key_labs"] == 1
    assert zzgc["unicorns"] == 6
    assert zzgc["star_market_candidates"] == 3
    assert zzgc["ip_items"] > 5000
    assert zzgc["output_value_last_year_yuan"] > 5_000_000_000
    # the other parks show their own figures
    assert figures["ZHZX"] != zzgc and figures["ZHZX"]["tenants"] != zzgc["tenants"]
    assert figures["ZHZX"]["talents"] < 1000
