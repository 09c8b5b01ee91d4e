"""Demo records of security: the security auditor (auditor / the demo password), who reads
the audit log and the 安全合规 page and no business data.

Two-factor sign-in is required of no role in the demo, so that the demo logins printed by
`make run` work with a password alone; a real installation starts with it required for
admins and government reviewers, and the 安全合规 page shows the demo's setting as partly met."""

from __future__ import annotations

from typing import Any

from core.choices import Role
from core.demo import DEMO_PASSWORD
from core.models import User
from core.users import user_create
from security.models import SecuritySettings

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
