"""Reads of the fund app: a fund's records as the plain inputs of ``fund.metrics`` (a fixed
number of queries whatever the fund's size), mark proposals, concentration, the pipeline."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet, Sum

from enterprises.models import FinancingRound
from fund.choices import OPEN_STAGES, DealStage, FlowKind
from fund.metrics import FundFigures, FundInputs, HoldingInputs, Tranche, fund_figures
from fund.models import Deal, Exit, Fund, FundExpense, Investment, LedgerEntry, Valuation
from leasing.models import Lease
from leasing.selectors import LIVE

__all__ = [
    "MarkProposal",
    "concentration_after",
    "fund_inputs",
    "fund_metrics",
    "fund_proposals",
    "lp_accounts",
    "mark_proposals",
    "pipeline",
]


def _parks_of(enterprise_ids: set[int], day: datetime.date) -> dict[int, str]:
    """Each company's park on ``day`` (its live lease then, the latest if several)."""
    leases = (
        Lease.objects.filter(
            enterprise_id__in=enterprise_ids, state__in=LIVE, start_on__lte=day, end_on__gte=day
        )
        .order_by("start_on")
        .values_list("enterprise_id", "park__code")
    )
    return dict(leases)


def fund_inputs(fund: Fund, as_of: datetime.date | None = None) -> FundInputs:
    """Everything the metrics need, in six queries."""
    ledger = list(
        LedgerEntry.objects.filter(fund=fund).values_list("lp_id", "kind", "on", "amount")
    )
    investments = list(
        Investment.objects.filter(fund=fund)
        .select_related("enterprise__industry")
        .order_by("invested_on", "pk")
    )
    marks: dict[int, list[tuple[datetime.date, Decimal]]] = defaultdict(list)
    for investment_id, on, value in Valuation.objects.filter(fund=fund).values_list(
        "investment_id", "on", "fair_value"
    ):
        marks[investment_id].append((on, value))
    exits = {
        investment_id: (on, proceeds)
        for investment_id, on, proceeds in Exit.objects.filter(fund=fund).values_list(
            "investment_id", "on", "proceeds"
        )
    }
    parks = _parks_of({i.enterprise_id for i in investments}, as_of or datetime.date.today())
    tranches: dict[int, list[Investment]] = defaultdict(list)
    for investment in investments:
        tranches[investment.follow_on_of_id or investment.pk].append(investment)
    holdings = []
    for key, rows in tranches.items():
        first = next(r for r in rows if r.pk == key)
        industry = first.enterprise.industry
        holdings.append(
            HoldingInputs(
                key=key,
                name=first.enterprise.name,
                tranches=[
                    Tranche(
                        r.invested_on,
                        r.amount,
                        r.concession_value,
                        r.pre_money,
                        r.post_money,
                        r.ownership_pct,
                    )
                    for r in rows
                ],
                marks=marks.get(key, []),
                exit=exits.get(key),
                industry=str(industry) if industry else "",
                park=parks.get(first.enterprise_id, ""),
            )
        )
    return FundInputs(
        committed=fund.committed,
        hurdle_pct=fund.hurdle_pct,
        carry_pct=fund.carry_pct,
        calls=[(lp, on, a) for lp, kind, on, a in ledger if kind == FlowKind.CALL],
        distributions=[(lp, on, a) for lp, kind, on, a in ledger if kind == FlowKind.DISTRIBUTION],
        expenses=list(FundExpense.objects.filter(fund=fund).values_list("on", "amount")),
        holdings=holdings,
        lps=list(fund.lps.values_list("pk", "name")),
    )


def fund_metrics(fund: Fund, as_of: datetime.date) -> FundFigures:
    """The one source of a fund's figures: the page, the API and ``fund_report`` read it."""
    return fund_figures(fund_inputs(fund, as_of), as_of)


@dataclass(frozen=True)
class LpAccount:
    lp: Any
    commitment: Decimal
    called: Decimal
    distributed: Decimal
    uncalled: Decimal
    share_of_nav: Decimal


def lp_accounts(fund: Fund, figures: FundFigures) -> list[LpAccount]:
    """Each LP's capital account on the figures' day; its part of the liquidation value is
    what the waterfall gives it."""
    day = figures.as_of
    totals: dict[tuple[int, str], Decimal] = {
        (lp, kind): total
        for lp, kind, total in LedgerEntry.objects.filter(fund=fund, on__lte=day)
        .values_list("lp_id", "kind")
        .annotate(total=Sum("amount"))
        .values_list("lp_id", "kind", "total")
    }
    rows = []
    for lp in fund.lps.all():
        called = totals.get((lp.pk, FlowKind.CALL), Decimal(0))
        distributed = totals.get((lp.pk, FlowKind.DISTRIBUTION), Decimal(0))
        rows.append(
            LpAccount(
                lp=lp,
                commitment=lp.commitment,
                called=called,
                distributed=distributed,
                uncalled=lp.commitment - called,
                share_of_nav=figures.waterfall.per_lp.get(lp.pk, Decimal(0)),
            )
        )
    return rows


@dataclass(frozen=True)
class MarkProposal:
    """A financing round after the holding's last mark: the stake valued at its price."""

    investment: Investment
    round: FinancingRound
    stake_pct: Decimal
    fair_value: Decimal


def mark_proposals(funds: QuerySet[Fund], day: datetime.date) -> list[MarkProposal]:
    """The proposals of each of ``funds`` (fund_proposals) on ``day``."""
    return [p for fund in funds for p in fund_proposals(fund, fund_inputs(fund, day), day)]


def fund_proposals(fund: Fund, inputs: FundInputs, day: datetime.date) -> list[MarkProposal]:
    """For each live holding, the company's latest financing round after both the holding's
    last tranche and its last mark: value = stake × the round's pre-money valuation (the
    price of a share in the new round, before its new money). ``inputs`` are the fund's
    records (fund_inputs), loaded once by a page that also shows the figures."""
    from fund.metrics import holding_figures

    firsts = {
        i.pk: i
        for i in Investment.objects.filter(fund=fund, follow_on_of__isnull=True, exit__isnull=True)
    }
    rounds: dict[int, list[FinancingRound]] = defaultdict(list)
    for r in FinancingRound.objects.filter(
        enterprise_id__in={i.enterprise_id for i in firsts.values()}, closed_on__lte=day
    ).order_by("closed_on"):
        rounds[r.enterprise_id].append(r)
    proposals = []
    for holding in inputs.holdings:
        first = firsts.get(holding.key)
        figures = holding_figures(holding, day)
        if first is None or figures is None or figures.exited:
            continue
        since = max([t.on for t in holding.tranches] + [m[0] for m in holding.marks])
        later = [r for r in rounds.get(first.enterprise_id, []) if r.closed_on > since]
        if later:
            latest = later[-1]
            value = (figures.stake_pct / 100 * latest.pre_money).quantize(Decimal("0.01"))
            proposals.append(MarkProposal(first, latest, figures.stake_pct, value))
    return proposals


def concentration_after(
    fund: Fund, enterprise: Any, cost: Decimal, exclude_pk: int | None = None
) -> list[str]:
    """Which limits a new cost in ``enterprise`` would break: texts naming the limit, the
    share it would reach and the limit (empty: none)."""
    from django.utils.translation import gettext as _

    live = Investment.objects.filter(fund=fund, exit__isnull=True, follow_on_of__exit__isnull=True)
    if exclude_pk is not None:
        live = live.exclude(pk=exclude_pk)
    company = sum((i.cost for i in live.filter(enterprise=enterprise)), Decimal(0)) + cost
    warnings = []
    share = company * 100 / fund.committed
    if share > fund.company_limit_pct:
        warnings.append(
            _(
                "%(company)s would be %(share)s %% of commitments, over the limit of %(limit)s %% a company."
            )
            % {"company": enterprise, "share": round(share, 2), "limit": fund.company_limit_pct}
        )
    if enterprise.industry_id is not None:
        industry = (
            sum(
                (i.cost for i in live.filter(enterprise__industry_id=enterprise.industry_id)),
                Decimal(0),
            )
            + cost
        )
        share = industry * 100 / fund.committed
        if share > fund.industry_limit_pct:
            warnings.append(
                _(
                    "%(industry)s would be %(share)s %% of commitments, over the limit of %(limit)s %% an industry."
                )
                % {
                    "industry": enterprise.industry,
                    "share": round(share, 2),
                    "limit": fund.industry_limit_pct,
                }
            )
    return warnings


def pipeline(deals: QuerySet[Deal]) -> list[tuple[str, Any, list[Deal]]]:
    """The kanban: (stage, label, deals) for every stage, open stages first."""
    by_stage: dict[str, list[Deal]] = defaultdict(list)
    for deal in deals.select_related("enterprise", "fund", "owner").order_by("next_step_on", "pk"):
        by_stage[deal.stage].append(deal)
    stages = [*OPEN_STAGES, DealStage.INVESTED, DealStage.PASSED]
    return [(s, DealStage(s).label, by_stage.get(s, [])) for s in stages]
