"""Change log: who changed which record when, each changed field with its old and new value."""

from core.audit.log import (
    diff,
    entries_for,
    event,
    history,
    prune,
    record,
    request_event,
    seal,
    seal_after_commit,
    snapshot,
    verify,
)

__all__ = [
    "diff",
    "entries_for",
    "event",
    "history",
    "prune",
    "record",
    "request_event",
    "seal",
    "seal_after_commit",
    "snapshot",
    "verify",
]
