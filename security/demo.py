"""Demo records of security: the security auditor (auditor / the demo password), who reads
the audit log and the 安全合规 page and no business data; and the operator's support grant
that lets the demo's platform admin act on its records (the demo writes much of its history
as the admin), given by the operator's staff for the longest a grant may run.

Two-factor sign-in is required of no role in the demo, so that the demo logins printed by
`make run` work with a password alone; a real installation starts with it required for
admins and government reviewers, and the 安全合规 page shows the demo's setting as partly met."""

from __future__ import annotations

from typing import Any

from core.choices import Role
from core.demo import DEMO_PASSWORD
from core.models import User
from core.users import user_create
from security.models import SecuritySettings, SupportGrant
from security.support import MAX_DAYS, support_grant

__all__ = ["load"]


def load(ctx: dict[str, Any]) -> None:
    if not SecuritySettings.objects.exists():
        SecuritySettings.objects.create(two_factor_roles=[])
    ctx["users"]["auditor"] = User.objects.filter(username="auditor").first() or user_create(
        actor=ctx["admin"],
        username="auditor",
        password=DEMO_PASSWORD,
        role=Role.AUDITOR,
        display_name="孙审计",
    )
    live = SupportGrant.objects.in_force().filter(admin=ctx["admin"], operator=ctx["operator"])
    if not live.exists():
        support_grant(
            actor=ctx["users"]["operator"],
            admin=ctx["admin"],
            operator=ctx["operator"],
            reason="演示环境：平台管理员代为录入演示数据并支持运营人员",
            days=MAX_DAYS,
        )
