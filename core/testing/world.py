"""A small two-sided world for tests: side A is in every test user's scope, side B is not.

Operator A runs park A in jurisdiction 1; operator B runs park B in jurisdiction 2. The role
users (operator, gov, fund, tenant) all belong to side A; ``admin`` sees both. Each app adds
its records for both sides in ``<app>/testing.py: build(world)``, so harnesses (the
authorization matrix, API fuzzing) reach every model without being edited.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import models

from core.choices import Role
from core.models import Jurisdiction, Operator, User
from core.registry import app_modules
from core.users import user_create

__all__ = ["ROLES", "World", "build_world"]

ROLES = ["admin", "operator", "gov", "fund", "tenant", "auditor"]
PASSWORD = "test-pass-123"


@dataclass
class World:
    users: dict[str, User] = field(default_factory=dict)
    operators: dict[str, Operator] = field(default_factory=dict)
    jurisdictions: dict[str, Jurisdiction] = field(default_factory=dict)
    # per model: {"A": row in the role users' scope, "B": row outside it}
    samples: dict[type[models.Model], dict[str, Any]] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)

    def add(self, a: models.Model, b: models.Model) -> None:
        self.samples[type(a)] = {"A": a, "B": b}

    def sample(self, model: type[models.Model], side: str = "A") -> Any:
        return self.samples[model][side]


def build_world() -> World:
    world = World()
    for side in ("A", "B"):
        world.operators[side] = Operator.objects.create(code=f"OP{side}", name=f"运营方{side}")
        world.jurisdictions[side] = Jurisdiction.objects.create(code=f"J{side}", name=f"辖区{side}")
    admin = user_create(actor=None, username="admin", password=PASSWORD, role=Role.ADMIN)
    world.users["admin"] = admin
    world.extra["admin"] = admin
    for app, samples in app_modules("testing"):
        if app.label != "core":  # core.testing is this package
            samples.build(world)
    other = user_create(
        actor=admin,
        username="operator_b",
        password=PASSWORD,
        role=Role.OPERATOR,
        operator=world.operators["B"],
    )
    world.add(world.users["operator"], other)
    world.add(world.operators["A"], world.operators["B"])
    return world


def make_role_users(world: World, enterprise: Any) -> None:
    """Side-A users of every role; called by the enterprises app once it has enterprise A."""
    admin = world.users["admin"]
    scopes: dict[str, tuple[Role, dict[str, Any]]] = {
        "operator": (Role.OPERATOR, {"operator": world.operators["A"]}),
        "gov": (Role.GOV, {"jurisdiction": world.jurisdictions["A"]}),
        "fund": (Role.FUND, {"operator": world.operators["A"]}),
        "tenant": (Role.TENANT, {"enterprise": enterprise}),
    }
    for name, (role, scope) in scopes.items():
        world.users[name] = user_create(
            actor=admin, username=name, password=PASSWORD, role=role, **scope
        )
