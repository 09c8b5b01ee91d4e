"""Test records of the fund app (core.testing.world): per side a fund with an LP, a call, a fee,
a deal, an investment with a mark and an exited holding. Side A's fund is managed by the
``fund`` user; side B's by nobody in side A."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.files.base import ContentFile

from core.testing.world import World
from enterprises.models import Enterprise
from fund.choices import DealSource, ExitKind, ExpenseKind, FlowKind, LpKind, MarkMethod
from fund.models import (
    Deal,
    DealDocument,
    Exit,
    Fund,
    FundExpense,
    Investment,
    LedgerEntry,
    LimitedPartner,
    Valuation,
)

__all__ = ["build"]


def build(world: World) -> None:
    rows: dict[str, list[object]] = {}
    for side in "AB":
        fund = Fund.objects.create(
            operator=world.operators[side],
            code=f"FUND{side}",
            name=f"科创基金{side}",
            vintage=2023,
            first_close_on=datetime.date(2023, 1, 1),
            committed=Decimal("200000000"),
        )
        if side == "A":
            # an operator's staff member named a manager reads the fund (the only way staff do)
            fund.managers.add(world.users["fund"], world.users["operator"])
        enterprise = world.sample(Enterprise, side)
        lp = LimitedPartner.objects.create(
            fund=fund,
            name=f"引导基金{side}",
            kind=LpKind.GOVERNMENT,
            commitment=Decimal("100000000"),
        )
        call = LedgerEntry.objects.create(
            lp=lp,
            fund=fund,
            kind=FlowKind.CALL,
            on=datetime.date(2023, 2, 1),
            amount=Decimal("30000000"),
        )
        fee = FundExpense.objects.create(
            fund=fund,
            kind=ExpenseKind.MANAGEMENT_FEE,
            on=datetime.date(2023, 12, 31),
            amount=Decimal("4000000"),
        )
        deal = Deal.objects.create(fund=fund, enterprise=enterprise, source=DealSource.TENANT)
        investment = Investment.objects.create(
            fund=fund,
            enterprise=enterprise,
            round="a",
            invested_on=datetime.date(2023, 3, 1),
            amount=Decimal("10000000"),
            pre_money=Decimal("90000000"),
            post_money=Decimal("100000000"),
            ownership_pct=Decimal("10"),
        )
        mark = Valuation.objects.create(
            investment=investment,
            fund=fund,
            on=datetime.date(2024, 6, 1),
            method=MarkMethod.LATEST_ROUND,
            fair_value=Decimal("15000000"),
        )
        sold = Investment.objects.create(
            fund=fund,
            enterprise=enterprise,
            round="seed",
            invested_on=datetime.date(2023, 4, 1),
            amount=Decimal("1000000"),
            pre_money=Decimal("9000000"),
            post_money=Decimal("10000000"),
            ownership_pct=Decimal("10"),
        )
        exit_ = Exit.objects.create(
            investment=sold,
            fund=fund,
            kind=ExitKind.BUY_BACK,
            on=datetime.date(2024, 4, 1),
            proceeds=Decimal("1500000"),
        )
        document = DealDocument.objects.create(
            deal=deal,
            title="商业计划书",
            file=ContentFile(b"%PDF-1.4 plan", name=f"plan-{side}.pdf"),
            size=13,
        )
        for row in (fund, lp, call, fee, deal, document, investment, mark, exit_):
            rows.setdefault(type(row).__name__, []).append(row)
    for pair in rows.values():
        world.add(pair[0], pair[1])  # type: ignore[arg-type]
