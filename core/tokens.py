"""Personal API tokens: create (key shown once), revoke, and authenticate a Bearer key."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from core import audit
from core.choices import AuditAction
from core.models import ApiToken, User

__all__ = ["authenticate_bearer", "token_create", "token_revoke"]


@transaction.atomic
def token_create(*, actor: User, name: str, user: User | None = None) -> tuple[ApiToken, str]:
    """A new token for ``user`` (default: the actor); returns it with its key, never stored."""
    owner = user or actor
    key = ApiToken.new_key()
    token = ApiToken.objects.create(
        user=owner, name=name, prefix=key[:10], key_hash=ApiToken.hash_key(key)
    )
    audit.record(
        actor=actor,
        instance=token,
        action=AuditAction.CREATE,
        changes={"name": [None, name], "user": [None, str(owner)]},
    )
    return token, key


@transaction.atomic
def token_revoke(*, actor: User, token: ApiToken) -> ApiToken:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit.record(
            actor=actor,
            instance=token,
            action=AuditAction.UPDATE,
            changes={"revoked_at": [None, token.revoked_at]},
        )
    return token


def authenticate_bearer(key: str) -> Any:
    """The active user owning ``key``, or None."""
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=ApiToken.hash_key(key), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
