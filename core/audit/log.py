from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from core.audit.models import AuditEntry
from core.permissions import redact_changes

__all__ = ["diff", "entries_for", "history", "record", "snapshot"]

Snapshot = dict[str, Any]


def _plain(value: Any) -> Any:
    """A JSON-safe, human-readable form of a field value."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, Decimal):  # 3.50 as stored and 3.5 as typed are the same value
        return format(value.normalize(), "f")
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    if isinstance(value, list | dict):  # JSON fields and many-to-many names, kept as they are
        return value
    return str(value)


def snapshot(instance: models.Model) -> Snapshot:
    """The audited fields of a row: concrete, not excluded; choices as stored (the log shows
    their labels in the reader's language)."""
    excluded = set(getattr(instance, "audit_exclude", ()))
    data: Snapshot = {}
    for field in instance._meta.concrete_fields:
        if field.primary_key or field.name in excluded:
            continue
        if field.is_relation:
            value = getattr(instance, field.name, None)
        else:
            value = getattr(instance, field.attname)
        data[field.name] = _plain(value)
    if instance.pk is not None:
        for m2m in instance._meta.many_to_many:
            data[m2m.name] = sorted(str(v) for v in getattr(instance, m2m.name).all())
    return data


def diff(before: Snapshot, after: Snapshot) -> dict[str, list[Any]]:
    return {k: [before.get(k), v] for k, v in after.items() if before.get(k) != v}


def record(
    *,
    actor: Any,
    instance: models.Model,
    action: str,
    changes: dict[str, list[Any]],
    comment: str = "",
    object_id: Any = None,
) -> AuditEntry:
    """Write one entry; call inside the transaction that made the change."""
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        content_type=ContentType.objects.get_for_model(type(instance)),
        object_id=str(object_id if object_id is not None else instance.pk),
        object_repr=str(instance)[:200],
        changes={k: [_plain(o), _plain(n)] for k, (o, n) in changes.items()},
        comment=comment,
    )


def entries_for(instance: models.Model) -> models.QuerySet[AuditEntry]:
    return AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(type(instance)),
        object_id=str(instance.pk),
    ).select_related("actor")


def history(user: Any, instance: models.Model, limit: int = 200) -> list[AuditEntry]:
    """The change log of one row as ``user`` may read it: the newest ``limit`` entries, each
    without the fields the row's policy hides from the user and with masked ones masked.

    The entries are not saved again; only what they show is narrowed.
    """
    model = type(instance)
    entries = list(entries_for(instance)[:limit])
    for entry in entries:
        entry.changes = redact_changes(user, model, entry.changes)
    return entries
