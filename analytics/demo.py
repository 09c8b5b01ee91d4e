"""Demo statistics: the operator opens the last twelve full quarters (three years) and every
tenant of each files it through the filing service, figures grown from its size in the
enterprise demo (``enterprises.demo.quarter_stats``). The demo company files its own; staff
file for the others. Two companies of the innovation centre have not filed the latest
quarter, so the status board shows who is late.

The park figures the source report quotes (ZZGC: over 6,000 talents, over 5,000 IP items,
over 5 billion 元 of output last year) then follow from these records; nothing is typed in.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from analytics.selectors import filers_for
from enterprises import filings
from enterprises.choices import StatPeriodKind
from enterprises.demo import DEMO_ENTERPRISES, quarter_stats
from enterprises.models import StatPeriod

__all__ = ["load"]

QUARTERS = 12
# companies of ZHZX that leave the latest quarter unfiled (by their place in the demo)
LATE_FILERS = {8, 10}


def _full_quarters(today: datetime.date, count: int) -> list[tuple[int, int]]:
    """(year, quarter) of the ``count`` quarters ended before ``today``, oldest first."""
    index = today.year * 4 + (today.month - 1) // 3 - 1  # the last full quarter
    return [divmod(i, 4) for i in range(index - count + 1, index + 1)]


def load(ctx: dict[str, Any]) -> None:
    operator = ctx["operator"]
    if StatPeriod.objects.filter(operator=operator).exists():
        return
    today = timezone.localdate()
    staff, tenant = ctx["users"]["operator"], ctx["users"]["tenant"]
    own_company = ctx["enterprises"][0]
    place = {name: i for i, (name, *_rest) in enumerate(DEMO_ENTERPRISES)}
    base_year = today.year - 1
    quarters = _full_quarters(today, QUARTERS)
    for year, q in quarters:
        period = StatPeriod(operator=operator, kind=StatPeriodKind.QUARTER, year=year, number=q + 1)
        period.derive()
        period.due_on = period.ends_on + datetime.timedelta(days=20)
        filings.period_open(actor=staff, period=period, filers=filers_for(period))
        latest = (year, q) == quarters[-1]
        for filing in period.filings.select_related("enterprise"):
            index = place.get(filing.enterprise.name)
            figures = None if index is None else quarter_stats(index, year, q + 1, base_year)
            if figures is None or (latest and index in LATE_FILERS):
                continue
            actor = tenant if filing.enterprise_id == own_company.pk else staff
            filings.filing_submit(actor=actor, filing=filing, data=figures)
