"""Demo fund KCJJ (科创基金, 2亿元, vintage three years ago): five LPs and their calls, ten
investments in demo tenants (two of them rent for equity), marks accepted from the companies'
later financing rounds (one still proposed), an exit with proceeds and a distribution, a
write-off, management fees, and a pipeline of fifteen deals — all through the services the
pages call, dated relative to the load day."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone

from core.money import largest_remainder
from enterprises.models import FinancingRound
from enterprises.services import financing_create
from fund import services
from fund.choices import DealSource, ExitKind, ExpenseKind, FlowKind, LpKind, MarkMethod
from fund.models import (
    Deal,
    Exit,
    Fund,
    FundExpense,
    Investment,
    LedgerEntry,
    LimitedPartner,
    Valuation,
)
from fund.selectors import mark_proposals
from leasing.choices import LeaseState
from leasing.models import Lease
from leasing.services import lease_add_rent_free

__all__ = ["load"]

D = Decimal
M = D(1_000_000)
LPS = [
    ("海淀区科技创新引导基金", LpKind.GOVERNMENT, 60),
    ("京西科创园区运营有限公司", LpKind.OPERATOR, 40),
    ("中关村科技租赁股份有限公司", LpKind.INSTITUTION, 40),
    ("北京京西产业投资集团有限公司", LpKind.CORPORATE, 40),
    ("北京银华创新投资有限公司", LpKind.INSTITUTION, 20),
]
CALLS = [(1000, 80), (710, 60), (300, 20)]  # days ago, 百万元 over all LPs by commitment
# company index (enterprises.demo), round, days ago, cash 百万元, pre-money 百万元, post-money
INVESTMENTS: list[tuple[int, str, int, int, int, int]] = [
    (0, "a", 950, 20, 380, 400),
    (1, "b", 900, 30, 1400, 1500),
    (4, "a", 850, 12, 180, 200),
    (2, "a", 800, 15, 270, 300),
    (9, "angel", 750, 3, 27, 30),
    (3, "b", 700, 25, 900, 1000),
    (5, "b", 600, 20, 780, 800),
]
FOLLOW_ON = (0, "b", 520, 10, 1100, 1200)
# rent for equity: company index (its lease in leasing.demo has the same index), round, days
# ago, cash, pre, post; the rent of the next 90 days is given up for the rest of the stake
RENT_FOR_EQUITY = [(6, "pre_a", 60, 5, 75, 80), (8, "a", 45, 6, 114, 120)]
# later rounds the companies recorded: company index, round, days ago, raised, pre-money
ROUNDS = [
    (1, "c", 400, 300, 2800),
    (2, "b", 250, 60, 600),
    (3, "c", 300, 200, 1800),
    (5, "c", 200, 150, 1500),
    (0, "c", 90, 400, 2400),
]
# deals: company index, source, stage path
DEALS: list[tuple[int, str, list[str]]] = [
    (7, DealSource.TENANT, []),
    (11, DealSource.APPLICANT, []),
    (10, DealSource.GOVERNMENT, []),
    (3, DealSource.GROWTH_SIGNAL, []),
    (2, DealSource.TENANT, ["screen"]),
    (5, DealSource.GROWTH_SIGNAL, ["screen"]),
    (7, DealSource.EXTERNAL, ["screen"]),
    (0, DealSource.TENANT, ["screen", "diligence"]),
    (11, DealSource.GOVERNMENT, ["screen", "diligence"]),
    (1, DealSource.GROWTH_SIGNAL, ["screen", "diligence"]),
    (4, DealSource.TENANT, ["screen", "diligence", "to_committee"]),
    (10, DealSource.APPLICANT, ["screen", "pass"]),
    (9, DealSource.TENANT, ["screen", "diligence", "pass"]),
]
NEXT_STEPS = ["约访创始团队", "补充财务资料", "行业专家访谈", "出具尽调报告", "上投决会"]


def load(ctx: dict[str, Any]) -> None:
    if Fund.objects.filter(code="KCJJ").exists():
        return
    today = timezone.localdate()
    admin, manager, companies = ctx["admin"], ctx["users"]["fund"], ctx["enterprises"]

    def ago(days: int) -> datetime.date:
        return today - datetime.timedelta(days=days)

    first_close = ago(1000)
    fund = services.fund_create(
        actor=manager,
        instance=Fund(
            operator=ctx["operator"],
            code="KCJJ",
            name="京西科创产业投资基金",
            vintage=first_close.year,
            first_close_on=first_close,
            committed=200 * M,
        ),
    )
    lps = [
        services.fund_record_create(
            actor=manager, instance=LimitedPartner(fund=fund, name=n, kind=k, commitment=c * M)
        )
        for n, k, c in LPS
    ]
    for days, total in CALLS:
        _pro_rata(manager, lps, FlowKind.CALL, ago(days), total * M, "缴款通知")
    year = 1
    while first_close + datetime.timedelta(days=365 * year) <= today:
        end = first_close + datetime.timedelta(days=365 * year - 1)
        services.fund_record_create(
            actor=manager,
            instance=FundExpense(
                fund=fund,
                kind=ExpenseKind.MANAGEMENT_FEE,
                on=end,
                amount=services.management_fee(fund, end - datetime.timedelta(days=364), end),
                note=f"第{year}年管理费",
            ),
        )
        year += 1
    holdings = {}
    for index, rnd, days, cash, pre, post in INVESTMENTS:
        holdings[index] = _invest(manager, fund, companies[index], rnd, ago(days), cash, pre, post)
    _invest(
        manager,
        fund,
        companies[FOLLOW_ON[0]],
        *FOLLOW_ON[1:2],
        ago(FOLLOW_ON[2]),
        *FOLLOW_ON[3:],
        follow_on_of=holdings[0],
    )
    deals = _pipeline(manager, fund, companies, today)
    for n, (index, rnd, days, cash, pre, post) in enumerate(RENT_FOR_EQUITY):
        lease = Lease.objects.filter(enterprise=companies[index], state=LeaseState.ACTIVE).get()
        lease_add_rent_free(
            actor=admin,
            lease=lease,
            start=today + datetime.timedelta(days=1),
            end=today + datetime.timedelta(days=90),
            reason="以租代投：租金折算为基金投资",
        )
        rent_free = lease.rent_free.order_by("-start_on")[0]
        _invest(
            manager,
            fund,
            companies[index],
            rnd,
            ago(days),
            cash,
            pre,
            post,
            rent_free=rent_free,
            deal=deals[n],
        )
    # later rounds recorded in the registry; the fund accepts every proposed mark but the
    # newest, which waits on the fund page
    for index, rnd, days, raised, pre in ROUNDS:
        financing_create(
            actor=admin,
            instance=FinancingRound(
                enterprise=companies[index],
                round=rnd,
                closed_on=ago(days),
                amount_raised=raised * M,
                pre_money=pre * M,
                investors="多家机构联合投资",
            ),
        )
    for proposal in mark_proposals(Fund.objects.filter(pk=fund.pk), ago(100)):
        services.mark_accept(actor=manager, proposal=proposal)
    services.valuation_create(
        actor=manager,
        instance=Valuation(
            investment=holdings[9],
            on=ago(300),
            method=MarkMethod.WRITE_DOWN,
            fair_value=1 * M,
            note="主要客户流失，营收下滑",
        ),
    )
    services.exit_record(
        actor=manager,
        instance=Exit(
            investment=holdings[9], kind=ExitKind.WRITE_OFF, on=ago(100), note="企业停止经营"
        ),
    )
    services.exit_record(
        actor=manager,
        instance=Exit(
            investment=holdings[4],
            kind=ExitKind.TRADE_SALE,
            on=ago(180),
            proceeds=30 * M,
            note="产业方整体收购",
        ),
    )
    _pro_rata(manager, lps, FlowKind.DISTRIBUTION, ago(150), 25 * M, "项目退出分配")


def _pro_rata(
    actor: Any, lps: list[LimitedPartner], kind: str, on: datetime.date, total: Decimal, note: str
) -> None:
    """A call or distribution over all LPs by commitment, to the 分 (largest remainder)."""
    shares = largest_remainder(total, {lp.pk: lp.commitment for lp in lps})
    for lp in lps:
        services.fund_record_create(
            actor=actor,
            instance=LedgerEntry(lp=lp, kind=kind, on=on, amount=shares[lp.pk], note=note),
        )


def _invest(
    actor: Any,
    fund: Fund,
    company: Any,
    rnd: str,
    on: datetime.date,
    cash: int,
    pre: int,
    post: int,
    **extra: Any,
) -> Investment:
    return services.investment_create(
        actor=actor,
        instance=Investment(
            fund=fund,
            enterprise=company,
            round=rnd,
            invested_on=on,
            amount=cash * M,
            pre_money=pre * M,
            post_money=post * M,
            **extra,
        ),
    )


def _pipeline(actor: Any, fund: Fund, companies: list[Any], today: datetime.date) -> list[Deal]:
    """Fifteen deals: the two rent-for-equity deals at the committee (returned, to be
    invested), the rest across the stages."""
    made = []
    for n, (index, source, path) in enumerate(
        [
            (6, DealSource.TENANT, ["screen", "diligence", "to_committee"]),
            (8, DealSource.TENANT, ["screen", "diligence", "to_committee"]),
            *DEALS,
        ]
    ):
        deal = services.fund_record_create(
            actor=actor,
            instance=Deal(
                fund=fund,
                enterprise=companies[index],
                source=source,
                owner=actor,
                amount_sought=D(5 + 5 * (n % 4)) * M,
                next_step=NEXT_STEPS[n % len(NEXT_STEPS)],
                next_step_on=today + datetime.timedelta(days=7 + 3 * n),
            ),
        )
        for action in path:
            reason = "赛道与基金方向不符" if action == "pass" else ""
            services.deal_move(actor=actor, deal=deal, action=action, reason=reason)
        made.append(deal)
    return made[:2]
