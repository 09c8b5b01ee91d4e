"""In-app notifications: written after the transaction that caused them commits."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone

from core.models import Notification

__all__ = ["mark_read", "notify", "unread_count"]


def notify(users: Iterable[Any], message: str, url: str = "") -> None:
    """Tell ``users`` about ``message`` once the current transaction commits (never if it
    rolls back)."""
    recipients = list({u.pk: u for u in users if u is not None}.values())

    def write() -> None:
        Notification.objects.bulk_create(
            [Notification(user=u, message=message[:300], url=url) for u in recipients]
        )

    transaction.on_commit(write)


def unread_count(user: Any) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def mark_read(user: Any) -> None:
    Notification.objects.filter(user=user, read_at__isnull=True).update(read_at=timezone.now())
