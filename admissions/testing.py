"""Test records of the admissions app: per side a park threshold, an application and the
operator's admission settings (core.testing.world)."""

from __future__ import annotations

from decimal import Decimal

from admissions.choices import Channel, RuleKind
from admissions.models import AdmissionSettings, Application, RiskAssessment, ThresholdRule
from core.testing.world import World
from enterprises.models import Enterprise
from spaces.models import Park

__all__ = ["build", "make_application"]


def make_application(world: World, side: str = "A", **fields: object) -> Application:
    values: dict[str, object] = {
        "enterprise": world.sample(Enterprise, side),
        "park": world.sample(Park, side),
        "channel": Channel.GOV,
        "created_by": world.users["gov"] if side == "A" else world.users["admin"],
        "area_min_m2": Decimal("800"),
        "clear_height_min_m": Decimal("6"),
        "budget_rent": Decimal("4"),
        "rd_intensity_pct": Decimal("6"),
        "output_per_m2": Decimal("20000"),
        "headcount": 30,
        "talent_share_pct": Decimal("30"),
        **fields,
    }
    return Application.objects.create(**values)


def build(world: World) -> None:
    world.add(make_application(world, "A"), make_application(world, "B"))
    world.add(
        *(
            ThresholdRule.objects.create(
                park=world.sample(Park, s), kind=RuleKind.MIN_RD_INTENSITY, value=Decimal(3)
            )
            for s in "AB"
        )
    )
    world.add(*(AdmissionSettings.for_operator(world.operators[s]) for s in "AB"))
    world.add(*(_assessment(world, s) for s in "AB"))


def _assessment(world: World, side: str) -> RiskAssessment:
    """A risk assessment of a second application of the side (the harnesses read its log)."""
    return RiskAssessment.objects.create(
        application=make_application(world, side, headcount=12),
        revenue_last_year=Decimal("8000000"),
        revenue_prev_year=Decimal("6000000"),
        debt_ratio_pct=Decimal("40"),
        arrears_count=1,
        score=Decimal("71.5"),
        grade="B",
        factors=[{"key": "revenue_growth", "value": "33%", "scale": "1", "weight": "10"}],
        assessed_by=world.users["admin"],
    )
