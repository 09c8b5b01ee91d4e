"""Services for platform users (the admin's job): create with a role and its scope, audited."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from core import audit
from core.choices import AuditAction, Role
from core.models import User

__all__ = ["user_create"]


@transaction.atomic
def user_create(
    *,
    actor: User | None,
    username: str,
    password: str,
    role: Role,
    display_name: str = "",
    **scope: Any,
) -> User:
    """A user with ``role`` and the scope it needs (operator, jurisdiction or enterprise)."""
    user = User(username=username, role=role, display_name=display_name, **scope)
    if role == Role.ADMIN:
        user.is_staff = user.is_superuser = True
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    audit.record(
        actor=actor or user,
        instance=user,
        action=AuditAction.CREATE,
        changes={
            k: [None, v]
            for k, v in audit.snapshot(user).items()
            if v not in (None, "", False) and k not in ("password", "last_login")
        },
    )
    return user
