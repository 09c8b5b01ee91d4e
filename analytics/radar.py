"""Growth radar and early warning, from the tenants' filed quarterly statistics and the
leasing and registry records.

Growth signals (a candidate for the fund's pipeline), over the twelve quarters to the day:
- 瞪羚 criterion: revenue of the latest four quarters over that of the four quarters two years
  before (one year, where the company has filed for less) grew at a compound rate of at least
  20 % a year;
- headcount or IP items up at least 30 % on the same quarter a year before;
- financing raised in the latest four quarters.

Warnings (a tenant at risk), on the day:
- arrears more than 60 days past due;
- headcount, or revenue of the latest four quarters, down at least 20 % on a year before;
- a lease ending within six months with no renewal drafted;
- a verified qualification expiring within 90 days.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from analytics.kpis import Scope, valid_qualifications
from core.dates import add_months
from enterprises.choices import FilingState, StatPeriodKind
from enterprises.models import EXPIRY_WARNING_DAYS, FILING_IP, Enterprise, StatFiling
from leasing.models import Lease
from leasing.selectors import arrears_aging, expiring_leases

__all__ = ["Signal", "Tenant", "growth_radar", "warnings"]

CAGR_MIN = Decimal("0.20")
GROWTH_MIN = Decimal("0.30")
SHRINK_MIN = Decimal("0.20")
ARREARS_DAYS = 60
LEASE_MONTHS = 6


SIGNAL_LABELS = {
    "gazelle": gettext_lazy("Gazelle growth"),
    "headcount": gettext_lazy("Hiring fast"),
    "ip": gettext_lazy("IP growing"),
    "financing": gettext_lazy("New financing"),
    "arrears": gettext_lazy("Arrears"),
    "shrinking": gettext_lazy("Shrinking"),
    "lease": gettext_lazy("Lease ending"),
    "qualification": gettext_lazy("Qualification expiring"),
}


@dataclass(frozen=True)
class Signal:
    key: str  # one of SIGNAL_LABELS
    text: str  # the evidence, in words and figures

    @property
    def label(self) -> Any:
        return SIGNAL_LABELS[self.key]


@dataclass
class Tenant:
    enterprise: Enterprise
    signals: list[Signal] = field(default_factory=list)


def _index(filing: StatFiling) -> int:
    return filing.period.year * 4 + filing.period.number - 1


def _quarters(scope: Scope) -> dict[int, dict[int, StatFiling]]:
    """Each tenant's filed quarters of the last three years, by quarter index (one query)."""
    since = add_months(scope.as_of, -36)
    rows = StatFiling.objects.filter(
        enterprise_id__in=scope.tenant_ids,
        state=FilingState.FILED,
        period__kind=StatPeriodKind.QUARTER,
        period__ends_on__lte=scope.as_of,
        period__ends_on__gt=since,
    ).select_related("period")
    # the figures the signals read: a park of 1,000 tenants has 12,000 filings to build
    rows = rows.only(
        "enterprise_id", "period__year", "period__number", "revenue_wan", "headcount", *FILING_IP
    )
    by_company: dict[int, dict[int, StatFiling]] = defaultdict(dict)
    for filing in rows:
        by_company[filing.enterprise_id][_index(filing)] = filing
    return by_company


def _sum(quarters: dict[int, StatFiling], last: int, name: str) -> Decimal | None:
    """The four quarters to ``last``, added up; None unless all four were filed."""
    rows = [quarters.get(i) for i in range(last - 3, last + 1)]
    if any(r is None for r in rows):
        return None
    return sum((Decimal(getattr(r, name)) for r in rows), Decimal(0))


def _change(now: Any, before: Any) -> Decimal | None:
    if now is None or not before:
        return None
    return Decimal(now) / Decimal(before) - 1


def _pct(value: Decimal) -> str:
    return f"{value * 100:.0f}%"


def _growth(quarters: dict[int, StatFiling]) -> list[Signal]:
    last = max(quarters)
    latest, year_ago = quarters[last], quarters.get(last - 4)
    found = []
    now = _sum(quarters, last, "revenue_wan")
    # over two years where the company has filed that long with the operator, else one
    for years in (2, 1):
        before = _sum(quarters, last - 4 * years, "revenue_wan")
        if now is None or not before:
            continue
        cagr = Decimal(str(round(float(now / before) ** (1 / years) - 1, 4)))
        if cagr >= CAGR_MIN:
            found.append(
                Signal(
                    "gazelle",
                    _(
                        "Revenue of the last four quarters %(now)s 万元, growing %(cagr)s a "
                        "year over %(years)s year(s)"
                    )
                    % {"now": f"{now:,.0f}", "cagr": _pct(cagr), "years": years},
                )
            )
        break
    if year_ago is not None:
        people = _change(latest.headcount, year_ago.headcount)
        if people is not None and people >= GROWTH_MIN:
            found.append(
                Signal(
                    "headcount",
                    _("Headcount %(now)s, up %(pct)s in a year")
                    % {"now": latest.headcount, "pct": _pct(people)},
                )
            )
        ip = _change(latest.ip_items, year_ago.ip_items)
        if ip is not None and ip >= GROWTH_MIN:
            found.append(
                Signal(
                    "ip",
                    _("IP items %(now)s, up %(pct)s in a year")
                    % {"now": latest.ip_items, "pct": _pct(ip)},
                )
            )
    raised = sum(
        (Decimal(q.financing_wan or 0) for i, q in quarters.items() if i > last - 4), Decimal(0)
    )
    if raised > 0:
        found.append(
            Signal(
                "financing",
                _("Raised %(amount)s 万元 in the last four quarters")
                % {"amount": f"{raised:,.0f}"},
            )
        )
    return found


def growth_radar(scope: Scope) -> list[Tenant]:
    """Tenants with at least one growth signal, most signals first."""
    quarters_by_company = _quarters(scope)
    companies = Enterprise.objects.in_bulk(list(quarters_by_company))
    found = [
        Tenant(companies[company], signals)
        for company, quarters in quarters_by_company.items()
        if (signals := _growth(quarters))
    ]
    return sorted(found, key=lambda t: (-len(t.signals), t.enterprise.name))


def _shrinking(quarters: dict[int, StatFiling]) -> list[Signal]:
    last = max(quarters)
    latest, year_ago = quarters[last], quarters.get(last - 4)
    found = []
    if year_ago is not None:
        people = _change(latest.headcount, year_ago.headcount)
        if people is not None and people <= -SHRINK_MIN:
            found.append(
                Signal(
                    "shrinking",
                    _("Headcount %(now)s, down %(pct)s in a year")
                    % {"now": latest.headcount, "pct": _pct(-people)},
                )
            )
    revenue = _change(_sum(quarters, last, "revenue_wan"), _sum(quarters, last - 4, "revenue_wan"))
    if revenue is not None and revenue <= -SHRINK_MIN:
        found.append(
            Signal(
                "shrinking",
                _("Revenue of the last four quarters down %(pct)s on the year before")
                % {"pct": _pct(-revenue)},
            )
        )
    return found


def warnings(scope: Scope) -> list[Tenant]:
    """Tenants at risk on the day, with why; most reasons first."""
    found: dict[int, list[Signal]] = defaultdict(list)
    in_park = set(scope.tenant_ids)
    for row in arrears_aging(scope.invoices, scope.as_of):
        late = row["d61_90"] + row["d90_plus"]
        if late > 0 and row["enterprise_id"] in in_park:
            found[row["enterprise_id"]].append(
                Signal(
                    "arrears",
                    _("%(amount)s 元 more than %(days)s days past due")
                    % {"amount": f"{late:,.2f}", "days": ARREARS_DAYS},
                )
            )
    for company, quarters in _quarters(scope).items():
        found[company].extend(_shrinking(quarters))
    leases = expiring_leases(
        Lease.objects.filter(park_id__in=scope.park_ids), scope.as_of, LEASE_MONTHS
    ).filter(Q(successor__isnull=True))
    for lease in leases:
        found[lease.enterprise_id].append(
            Signal(
                "lease",
                _("Lease %(no)s ends on %(day)s with no renewal drafted")
                % {"no": lease.contract_no, "day": lease.end_on.isoformat()},
            )
        )
    soon = scope.as_of + datetime.timedelta(days=EXPIRY_WARNING_DAYS)
    for qualification in valid_qualifications(scope.tenant_ids, scope.as_of).filter(
        expires_on__lte=soon
    ):
        found[qualification.enterprise_id].append(
            Signal(
                "qualification",
                _("%(what)s expires on %(day)s")
                % {"what": qualification, "day": qualification.expires_on.isoformat()},  # type: ignore[union-attr]
            )
        )
    companies = Enterprise.objects.in_bulk([c for c, signals in found.items() if signals])
    tenants = [Tenant(companies[c], s) for c, s in found.items() if s]
    return sorted(tenants, key=lambda t: (-len(t.signals), t.enterprise.name))
