"""In-app notifications: written after the transaction that caused them commits, addressed
only to users who may see the row they are about, rendered in the reader's language.

Callers pass a message id marked with ``gettext_noop`` and its parameters; the text is
translated when a user reads it, so each recipient reads it in their own language.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from core.models import Notification
from core.permissions import HIDDEN, shown_value, users_who_may

__all__ = ["complete", "mark_read", "notify", "open_count"]


def notify(
    users: Iterable[Any],
    message: str,
    *,
    about: models.Model,
    params: Mapping[str, Any] | None = None,
    url: str = "",
    task: str = "",
) -> None:
    """Tell ``users`` who may see the row ``about`` the message once the current transaction
    commits (never if it rolls back).

    A parameter named after a field of ``about`` is read through its policy's field rules for
    each recipient (hidden: a dash, masked: masked). ``task`` names what the message asks of
    the recipients ("admissions.review:12"), for :func:`complete`.
    """
    recipients = users_who_may("view", about, users)
    values = dict(params or {})

    def shown(user: Any) -> dict[str, Any]:
        out = {}
        for name, value in values.items():
            value = shown_value(user, about, name, value)
            out[name] = "—" if value is HIDDEN else str(value)
        return out

    def write() -> None:
        Notification.objects.bulk_create(
            [
                Notification(user=u, message=message, params=shown(u), url=url, task=task)
                for u in recipients
            ]
        )

    transaction.on_commit(write)


def complete(task: str, users: Iterable[Any] | None = None) -> None:
    """Mark the notifications asking for ``task`` done (only those of ``users`` if given):
    the review was given, the application moved on."""
    user_ids = None if users is None else [u.pk for u in users]

    def write() -> None:
        open_ones = Notification.objects.filter(task=task, done_at__isnull=True)
        if user_ids is not None:
            open_ones = open_ones.filter(user__in=user_ids)
        open_ones.update(done_at=timezone.now())

    # after commit, like notify: in order with the notifications it follows
    transaction.on_commit(write)


def open_count(user: Any) -> int:
    """What the bell shows: unread notifications whose task is not done yet."""
    return Notification.objects.filter(
        user=user, read_at__isnull=True, done_at__isnull=True
    ).count()


def mark_read(user: Any) -> None:
    Notification.objects.filter(user=user, read_at__isnull=True).update(read_at=timezone.now())
