"""Test records of security (core.testing.world): the admin's support grants for both
operators, the security auditor, a signed-in session
on each side (sessions are the admin's only, so every other role must see neither), and
two-factor sign-in required of no role, so that the other apps' tests sign in with a
password alone (security's own tests turn it on)."""

from __future__ import annotations

import datetime

from django.utils import timezone

from core import audit
from core.choices import AuditAction, Role
from core.models import AuditEntry, User
from core.testing.world import PASSWORD, World
from core.users import user_create
from security.models import SecuritySettings, SignInSession
from security.support import support_grant

__all__ = ["build"]


def build(world: World) -> None:
    SecuritySettings.objects.create(two_factor_roles=[])
    admin = world.users["admin"]
    # the admin supports both operators, so the other apps' tests may act as the admin on
    # either side (security's own tests show an admin without a grant sees no business data)
    world.add(
        *(
            support_grant(
                actor=None, admin=admin, operator=world.operators[side], reason="测试", days=30
            )
            for side in ("A", "B")
        )
    )
    auditor = user_create(actor=admin, username="auditor", password=PASSWORD, role=Role.AUDITOR)
    world.users["auditor"] = auditor
    world.add(
        SignInSession.objects.create(user=admin, session_key="a" * 32, device="test A"),
        SignInSession.objects.create(user=auditor, session_key="b" * 32, device="test B"),
    )
    # the log has no side: the auditor reads both entries, no other role either. Dated an
    # hour ahead, so that they head the log's first page whatever the other apps write.
    entries = [
        audit.event(
            actor=user,
            action=AuditAction.LOGIN,
            model=User,
            object_id=user.pk,
            object_repr=user.username,
            ip="10.0.0.1",
        )
        for user in (admin, auditor)
    ]
    AuditEntry.objects.filter(pk__in=[e.pk for e in entries]).update(
        at=timezone.now() + datetime.timedelta(hours=1)
    )
    world.add(*AuditEntry.objects.filter(pk__in=[e.pk for e in entries]).order_by("pk"))
