"""The platform part of the demo: district, operator and one user per role.

Each app with a ``demo`` module adds its part (see ``manage.py load_demo``); each part is
idempotent on its own records, so running the loader again adds only what is missing.
"""

from __future__ import annotations

from typing import Any

from core.choices import Role
from core.models import Jurisdiction, Operator, User
from core.users import user_create

__all__ = ["DEMO_PASSWORD", "load"]

DEMO_PASSWORD = "parkops-demo"  # printed by `make run`; change it before real use


def load(ctx: dict[str, Any]) -> None:
    jurisdiction, _ = Jurisdiction.objects.get_or_create(code="HD", defaults={"name": "海淀区"})
    operator, _ = Operator.objects.get_or_create(
        code="JXKC",
        defaults={
            "name": "京西科创园区运营有限公司",
            "account_name": "京西科创园区运营有限公司",
            "bank_name": "招商银行北京海淀支行",
            "bank_account": "1109 0812 3410 888",
        },
    )
    admin = User.objects.filter(username="admin").first() or user_create(
        actor=None,
        username="admin",
        password=DEMO_PASSWORD,
        role=Role.ADMIN,
        display_name="平台管理员",
    )
    ctx.update(jurisdiction=jurisdiction, operator=operator, admin=admin, users={"admin": admin})
    people: list[tuple[str, Role, str, dict[str, Any]]] = [
        ("operator", Role.OPERATOR, "王招商", {"operator": operator}),
        ("gov", Role.GOV, "李审核", {"jurisdiction": jurisdiction}),
        ("fund", Role.FUND, "赵基金", {"operator": operator}),
    ]
    for username, role, name, scope in people:
        ctx["users"][username] = User.objects.filter(username=username).first() or user_create(
            actor=admin,
            username=username,
            password=DEMO_PASSWORD,
            role=role,
            display_name=name,
            **scope,
        )
