"""The audit log's hash chain (等保 2.0 安全审计: records protected from change).

Each entry stores the SHA-256 of its own content together with the hash of the entry before
it. Changing, deleting or inserting a row anywhere breaks every hash from there on, and
``manage.py audit_verify`` names the first entry that no longer matches.

What is hashed is the entry's content in a stable form: the content type by name (not by
id, so a restored backup still verifies), the actor by the name recorded at the time (a
user deleted later leaves the entry valid), and the changes as canonical JSON.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

__all__ = ["GENESIS", "Break", "entry_hash", "first_break"]

GENESIS = ""  # the "previous hash" of the first entry ever written


def entry_hash(prev_hash: str, content: dict[str, Any]) -> str:
    text = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(f"{prev_hash}\n{text}".encode()).hexdigest()


@dataclass(frozen=True)
class Break:
    entry_id: int
    reason: str


def first_break(
    rows: Iterable[tuple[int, str, str, dict[str, Any]]], anchors: Iterable[str] = ()
) -> tuple[int, Break | None]:
    """Walk ``(id, prev_hash, hash, content)`` in id order; return how many entries were
    checked and the first one that does not match (None when the chain holds).

    The oldest remaining entry may point at GENESIS or at one of ``anchors``: the last hash
    of entries pruned after their retention period (each prune is itself an audit entry).
    """
    allowed_start = {GENESIS, *anchors}
    expected: str | None = None
    count = 0
    for entry_id, prev_hash, stored, content in rows:
        count += 1
        if expected is None:
            if prev_hash not in allowed_start:
                return count, Break(entry_id, "starts from an unknown entry")
        elif prev_hash != expected:
            return count, Break(entry_id, "does not follow the entry before it")
        if entry_hash(prev_hash, content) != stored:
            return count, Break(entry_id, "content does not match its hash")
        expected = stored
    return count, None
