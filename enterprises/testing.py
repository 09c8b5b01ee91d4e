"""Test records of the enterprises app for the shared test world (core.testing.world)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from core.testing.world import World, make_role_users
from enterprises.catalogs import ensure_catalogs
from enterprises.choices import FilingState, FundingRound, QualificationKind, StatPeriodKind
from enterprises.demo import credit_code
from enterprises.models import (
    CatalogTag,
    Contact,
    Enterprise,
    FinancingRound,
    Industry,
    Qualification,
    StatFiling,
    StatPeriod,
)

__all__ = ["build"]


def build(world: World) -> None:
    ensure_catalogs(Industry, CatalogTag)  # a flushed test database has lost them
    industry = Industry.objects.get(code="39")
    enterprises = {}
    for side, name, body in (
        ("A", "甲科技有限公司", "91110108MA00AAAA1"),
        ("B", "乙科技有限公司", "91110108MA00BBBB2"),
    ):
        enterprise = Enterprise.objects.create(
            name=name,
            credit_code=credit_code(body),
            industry=industry,
            established_on=datetime.date(2018, 5, 20),
        )
        enterprises[side] = enterprise
        Qualification.objects.create(
            enterprise=enterprise,
            kind=QualificationKind.HIGH_TECH,
            certificate_no=f"GR2024110{side}",
            issued_on=datetime.date(2024, 12, 1),
            expires_on=datetime.date(2027, 12, 1),
        )
        # collected by the side's operator: operator A's staff never see side B's
        Contact.objects.create(
            enterprise=enterprise,
            name=f"联系人{side}",
            phone="13812345678",
            operator=world.operators[side],
        )
    world.add(enterprises["A"], enterprises["B"])
    world.add(*(Qualification.objects.get(enterprise=enterprises[s]) for s in "AB"))
    world.add(*(Contact.objects.get(enterprise=enterprises[s]) for s in "AB"))
    world.add(
        *(
            FinancingRound.objects.create(
                enterprise=enterprises[s],
                round=FundingRound.A,
                closed_on=datetime.date(2024, 6, 1),
                amount_raised=Decimal("20000000"),
                pre_money=Decimal("80000000"),
                post_money=Decimal("100000000"),
            )
            for s in "AB"
        )
    )
    periods = [
        StatPeriod.objects.create(
            operator=world.operators[s],
            kind=StatPeriodKind.QUARTER,
            year=2026,
            number=1,
            starts_on=datetime.date(2026, 1, 1),
            ends_on=datetime.date(2026, 3, 31),
            due_on=datetime.date(2026, 4, 20),
        )
        for s in "AB"
    ]
    world.add(*periods)
    world.add(
        *(
            StatFiling.objects.create(
                enterprise=enterprises[s],
                period=period,
                state=FilingState.FILED,
                headcount=40,
                doctorates=2,
                masters=8,
                bachelors=20,
                returnees=1,
                revenue_wan=Decimal("500"),
                output_value_wan=Decimal("600"),
                rd_spend_wan=Decimal("80"),
                tax_paid_wan=Decimal("30"),
                financing_wan=Decimal("0"),
                invention_patents=3,
                utility_models=5,
                designs=1,
                software_copyrights=4,
            )
            for s, period in zip("AB", periods, strict=True)
        )
    )
    make_role_users(world, enterprises["A"])
