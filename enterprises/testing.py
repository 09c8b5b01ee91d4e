"""Test records of the enterprises app for the shared test world (core.testing.world)."""

from __future__ import annotations

from core.testing.world import World, make_role_users
from enterprises.demo import credit_code
from enterprises.models import Enterprise

__all__ = ["build"]


def build(world: World) -> None:
    a = Enterprise.objects.create(
        name="甲科技有限公司", credit_code=credit_code("91110108MA00AAAA1")
    )
    b = Enterprise.objects.create(
        name="乙科技有限公司", credit_code=credit_code("91110108MA00BBBB2")
    )
    world.add(a, b)
    make_role_users(world, a)
