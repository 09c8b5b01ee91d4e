"""Support-policy matching: which companies qualify for a policy now, which nearly qualify
(one criterion short) and exactly what they lack, from the records (verified qualifications
in force, the industry by the GB/T 4754-2017 hierarchy, growth stage, the parks they rent in,
age, paid-in capital, and the latest yearly headcount, revenue and R&D intensity). The facts of many companies are read in a handful of queries."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, Decimal
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from enterprises.choices import GrowthStage, QualificationKind, QualificationLevel
from enterprises.models import Enterprise, Qualification
from programs.models import SupportPolicy

__all__ = ["Facts", "Fit", "evaluate", "facts_of", "matches_for_enterprise", "matches_for_policy"]

# a higher level satisfies a lower one
LEVEL_RANK: dict[str, int] = {
    QualificationLevel.MUNICIPAL: 1,
    QualificationLevel.PROVINCIAL: 2,
    QualificationLevel.NATIONAL: 3,
}


@dataclass
class Facts:
    """What the records say about one company, for matching."""

    enterprise: Enterprise
    qualifications: dict[str, int] = field(default_factory=dict)  # kind -> best level rank
    parks: set[int] = field(default_factory=set)
    lineage: set[str] = field(default_factory=set)


@dataclass
class Fit:
    policy: SupportPolicy
    facts: Facts
    met: list[str]
    missing: list[str]

    @property
    def qualifies(self) -> bool:
        return not self.missing

    @property
    def nearly(self) -> bool:
        return len(self.missing) == 1


def facts_of(companies: QuerySet[Enterprise] | list[Enterprise], day: datetime.date) -> list[Facts]:
    """The matching facts of many companies: three queries whatever their number."""
    from leasing.models import Lease

    rows = (
        list(companies)
        if isinstance(companies, list)
        else list(companies.select_related("industry"))
    )
    ids = [e.pk for e in rows]
    quals: dict[int, dict[str, int]] = defaultdict(dict)
    in_force = Qualification.objects.filter(
        Q(expires_on__isnull=True) | Q(expires_on__gte=day),
        enterprise__in=ids,
        verified_at__isnull=False,
    ).values_list("enterprise_id", "kind", "level")
    for company, kind, level in in_force:
        rank = LEVEL_RANK.get(level, 1)
        quals[company][kind] = max(rank, quals[company].get(kind, 0))
    parks: dict[int, set[int]] = defaultdict(set)
    renting = Lease.objects.filter(
        enterprise__in=ids, state="active", start_on__lte=day, end_on__gte=day
    ).values_list("enterprise_id", "park_id")
    for company, park in renting:
        parks[company].add(park)
    return [
        Facts(
            enterprise=e,
            qualifications=quals[e.pk],
            parks=parks[e.pk],
            lineage=set(e.industry.lineage) if e.industry else set(),
        )
        for e in rows
    ]


def _years(established: datetime.date | None, day: datetime.date) -> int | None:
    if established is None:
        return None
    years = day.year - established.year
    return years - ((day.month, day.day) < (established.month, established.day))


def evaluate(policy: SupportPolicy, facts: Facts, day: datetime.date, parks: list[Any]) -> Fit:
    """Each criterion of the policy, met or missing, in words (``parks``: the policy's)."""
    company = facts.enterprise
    met: list[str] = []
    missing: list[str] = []

    def check(ok: bool, yes: str, no: str) -> None:
        (met if ok else missing).append(yes if ok else no)

    if policy.qualification:
        kind = QualificationKind(policy.qualification).label
        level = policy.qualification_level
        need = LEVEL_RANK.get(level, 1) if level else 1
        named = f"{QualificationLevel(level).label}{kind}" if level else str(kind)
        check(
            facts.qualifications.get(policy.qualification, 0) >= need,
            _("holds %(q)s") % {"q": named},
            _("lacks a verified %(q)s in force") % {"q": named},
        )
    codes = policy.industry_list()
    if codes:
        hit = sorted(facts.lineage & set(codes))
        if not facts.lineage:
            missing.append(_("industry not recorded"))
        else:
            check(
                bool(hit),
                _("industry under %(c)s") % {"c": "、".join(hit)},
                _("industry %(i)s is not under %(c)s")
                % {"i": company.industry, "c": "、".join(codes)},
            )
    if policy.stages:
        names = "、".join(str(GrowthStage(s).label) for s in policy.stages)
        check(
            company.stage in policy.stages,
            _("stage: %(s)s") % {"s": company.get_stage_display()},
            _("stage %(s)s, not %(want)s") % {"s": company.get_stage_display(), "want": names},
        )
    if parks:
        hit_parks = [p for p in parks if p.pk in facts.parks]
        check(
            bool(hit_parks),
            _("rents in %(p)s") % {"p": "、".join(p.name for p in hit_parks)},
            _("does not rent in %(p)s") % {"p": "、".join(p.name for p in parks)},
        )
    age = _years(company.established_on, day)
    if policy.min_age_years is not None or policy.max_age_years is not None:
        low, high = policy.min_age_years, policy.max_age_years
        if age is None:
            missing.append(_("date of establishment not recorded"))
        else:
            ok = (low is None or age >= low) and (high is None or age <= high)
            check(
                ok,
                _("established %(n)d years") % {"n": age},
                _("established %(n)d years, needs %(range)s")
                % {
                    "n": age,
                    "range": f"{low if low is not None else 0}–{high if high is not None else '∞'}",
                },
            )
    if policy.min_paid_in_capital_wan is not None:
        capital = company.paid_in_capital_wan
        check(
            capital is not None and Decimal(capital) >= policy.min_paid_in_capital_wan,
            _("paid-in capital %(c)s 万元") % {"c": capital},
            _("paid-in capital %(c)s 万元, below %(m)s 万元")
            % {"c": capital if capital is not None else "—", "m": policy.min_paid_in_capital_wan},
        )
    _figures(policy, company, check, missing)
    return Fit(policy, facts, met, missing)


def _figures(policy: SupportPolicy, company: Enterprise, check: Any, missing: list[str]) -> None:
    """Headcount, revenue and R&D intensity against the company's latest yearly figures: a
    figure the company has not reported is missing, never taken as met."""
    year = company.figures_year or "—"
    wanted = [
        (policy.min_headcount, company.headcount, _("headcount"), ""),
        (policy.min_revenue_wan, company.revenue_wan, _("revenue"), " 万元"),
        (policy.min_rd_intensity_pct, company.rd_intensity_pct, _("R&D intensity"), "%"),
    ]
    for need, have, label, unit in wanted:
        if need is None:
            continue
        if have is None:
            missing.append(_("%(what)s not reported") % {"what": label})
            continue
        # shown cut (not rounded) to the cent: 4.999 % below 5 % reads 4.99 %, never 5.00 %
        shown = Decimal(have).quantize(Decimal("0.01"), ROUND_DOWN) if unit == "%" else have
        words = {"what": label, "have": f"{shown:,}{unit}", "need": f"{need:,}{unit}", "year": year}
        check(
            Decimal(have) >= Decimal(need),
            _("%(what)s %(have)s (%(year)s)") % words,
            _("%(what)s %(have)s (%(year)s), below %(need)s") % words,
        )


def matches_for_policy(
    policy: SupportPolicy, companies: QuerySet[Enterprise], day: datetime.date
) -> tuple[list[Fit], list[Fit]]:
    """(the companies that qualify, those one criterion short), each with its reasons."""
    parks = list(policy.parks.all())
    fits = [evaluate(policy, f, day, parks) for f in facts_of(companies, day)]
    return [f for f in fits if f.qualifies], [f for f in fits if f.nearly]


def matches_for_enterprise(
    company: Enterprise, policies: QuerySet[SupportPolicy], day: datetime.date
) -> list[Fit]:
    """The policies in force that the company qualifies for or nearly does, best first."""
    (facts,) = facts_of([company], day)
    live = policies.filter(valid_from__lte=day, valid_to__gte=day).prefetch_related("parks")
    fits = [evaluate(p, facts, day, list(p.parks.all())) for p in live]
    return sorted((f for f in fits if len(f.missing) <= 1), key=lambda f: len(f.missing))
