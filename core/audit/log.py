from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import connection, models, transaction
from django.utils import timezone

from core.audit.chain import GENESIS, Break, entry_hash, first_break
from core.audit.models import AuditEntry
from core.choices import AuditAction
from core.permissions import redact_changes

__all__ = [
    "diff",
    "entries_for",
    "event",
    "history",
    "prune",
    "record",
    "seal",
    "seal_after_commit",
    "snapshot",
    "verify",
]

Snapshot = dict[str, Any]

MIN_RETENTION_DAYS = 180  # 等保 2.0 and the Cybersecurity Law: logs kept six months at least


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
    masked = getattr(instance, "audit_masked", {})  # personal values kept out of the log
    data: Snapshot = {}
    for field in instance._meta.concrete_fields:
        if field.primary_key or field.name in excluded:
            continue
        if field.is_relation:
            value = getattr(instance, field.name, None)
        else:
            value = getattr(instance, field.attname)
        data[field.name] = _plain(masked[field.name](value) if field.name in masked else value)
    if instance.pk is not None:
        for m2m in instance._meta.many_to_many:
            data[m2m.name] = sorted(str(v) for v in getattr(instance, m2m.name).all())
    return data


def diff(before: Snapshot, after: Snapshot) -> dict[str, list[Any]]:
    return {k: [before.get(k), v] for k, v in after.items() if before.get(k) != v}


def _actor_name(actor: Any) -> str:
    return str(getattr(actor, "username", "") or "")[:150]


def record(
    *,
    actor: Any,
    instance: models.Model,
    action: str,
    changes: dict[str, list[Any]],
    comment: str = "",
    object_id: Any = None,
    save: bool = True,
) -> AuditEntry:
    """Write one entry; call inside the transaction that made the change. ``save=False``
    returns it unsaved, for the bulk write path to insert thousands at once."""
    made = AuditEntry(
        actor=actor if getattr(actor, "pk", None) else None,
        actor_name=_actor_name(actor),
        action=action,
        content_type=ContentType.objects.get_for_model(instance._meta.model),
        object_id=str(object_id if object_id is not None else instance.pk),
        object_repr=str(instance)[:200],
        changes={k: [_plain(o), _plain(n)] for k, (o, n) in changes.items()},
        comment=comment,
    )
    if save:
        made.save()
        seal_after_commit()
    return made


def event(
    *,
    actor: Any,
    action: str,
    model: type[models.Model],
    object_id: Any = "",
    object_repr: str = "",
    comment: str = "",
    ip: str | None = None,
    device: str = "",
) -> AuditEntry:
    """A security event (sign-in, failure, lockout, export): who, from where, about what."""
    return _write(
        actor=actor,
        action=action,
        content_type=ContentType.objects.get_for_model(model),
        object_id=str(object_id),
        object_repr=object_repr[:200],
        changes={},
        comment=comment[:500],
        ip=ip or None,
        device=device[:200],
        actor_name=None if getattr(actor, "pk", None) else object_repr[:150],
    )


def request_event(
    request: Any, *, action: str, model: type[models.Model], **about: Any
) -> AuditEntry:
    """``event`` by the request's user, from its address and browser: an export or a reveal
    made through a page."""
    return event(
        actor=request.user,
        action=action,
        model=model,
        ip=request.META.get("REMOTE_ADDR"),
        device=request.META.get("HTTP_USER_AGENT", ""),
        **about,
    )


def _write(*, actor: Any, actor_name: str | None = None, **fields: Any) -> AuditEntry:
    written = AuditEntry.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        actor_name=_actor_name(actor) if actor_name is None else actor_name,
        **fields,
    )
    seal_after_commit()
    return written


def seal_after_commit() -> None:
    # sealed after commit, in the order transactions commit: no lock is held while the
    # change's own transaction runs, and a rolled-back change leaves no entry to seal. One
    # seal per transaction, however many entries it writes (an import writes thousands).
    # Robust: the change itself is committed by then, so a failed seal is logged (and sealed
    # by the next one, or by audit_verify) rather than turned into an error page.
    if not any(callback[1] is seal for callback in connection.run_on_commit):
        transaction.on_commit(seal, robust=True)


SEAL_BATCH = 2000  # entries sealed per transaction: the write lock is held for one batch


def seal() -> int:
    """Give every unsealed entry its place in the hash chain; returns how many."""
    sealed = 0
    while True:
        done = _seal_batch()
        if done is None:
            continue  # another sealer moved the head meanwhile: hash again from the new one
        sealed += done
        if done < SEAL_BATCH:
            return sealed


def _head() -> tuple[int, str]:
    last = AuditEntry.objects.filter(seq__isnull=False).order_by("-seq").only("seq", "hash").first()
    return (last.seq or 0, last.hash) if last else (0, GENESIS)


def _seal_batch() -> int | None:
    """Seal the oldest pending entries; None if the chain's head moved while they were hashed.

    The entries are read and hashed with no lock held, from the head as it was; the short
    transaction then checks the head is still there and writes the hashes. One sealer at a
    time extends the head: PostgreSQL takes an advisory lock; SQLite's transactions begin
    IMMEDIATE (settings), which takes the write lock before the head is read again. Hashing
    inside that lock kept other writers on SQLite waiting, batch after batch, for seconds
    after a 50,000-row import (bench/imports.py). seal() runs after commit, outside any
    transaction.
    """
    pending = list(AuditEntry.objects.filter(seq__isnull=True).order_by("id")[:SEAL_BATCH])
    if not pending:
        return 0
    head = seq, prev_hash = _head()
    for entry in pending:
        seq += 1
        entry.seq, entry.prev_hash = seq, prev_hash
        entry.hash = prev_hash = entry_hash(prev_hash, entry.chain_content())
    from core.bulk import update_rows  # the bulk path writes through this log

    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(hashtext('parkops.audit.seal'))")
        if _head() != head:
            return None
        update_rows(AuditEntry, pending, ["seq", "prev_hash", "hash"])
    return len(pending)


def verify() -> tuple[int, Break | None]:
    """Seal what is pending, then recompute the whole chain: (entries checked, first break)."""
    seal()
    anchors = [
        entry.changes.get("last_hash", [None, ""])[1]
        for entry in AuditEntry.objects.filter(action=AuditAction.PRUNE).only("changes")
    ]
    entries = AuditEntry.objects.filter(seq__isnull=False).order_by("seq")
    rows = (
        (entry.pk, entry.prev_hash, entry.hash, entry.chain_content())
        for entry in entries.iterator(chunk_size=2000)
    )
    return first_break(rows, anchors)


def prune(*, older_than_days: int) -> int:
    """Delete sealed entries older than the retention period, oldest first, and record the
    last deleted hash as a PRUNE entry so that the remaining chain still verifies."""
    if older_than_days < MIN_RETENTION_DAYS:
        raise ValueError(f"audit entries are kept at least {MIN_RETENTION_DAYS} days")
    seal()
    cutoff = timezone.now() - datetime.timedelta(days=older_than_days)
    with transaction.atomic():
        old = AuditEntry.objects.filter(seq__isnull=False, at__lt=cutoff).exclude(
            action=AuditAction.PRUNE
        )
        last = old.order_by("-seq").first()
        if last is None:
            return 0
        doomed = AuditEntry.objects.filter(seq__lte=last.seq).exclude(action=AuditAction.PRUNE)
        count = doomed.count()
        doomed.delete()
        _write(
            actor=None,
            actor_name="system",
            action=AuditAction.PRUNE,
            content_type=ContentType.objects.get_for_model(AuditEntry),
            object_id=str(last.pk),
            object_repr=f"≤ #{last.seq}",
            changes={"last_hash": [None, last.hash], "count": [None, count]},
            comment=f"保存期 {older_than_days} 天",
        )
    return count


def entries_for(instance: models.Model) -> models.QuerySet[AuditEntry]:
    return AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(instance._meta.model),
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
