"""REST endpoints of security (``/api/v1/security/``): the audit log, read only, for the
security auditor and the platform admin (a SIEM pulls it a page at a time)."""

# No `from __future__ import annotations`: ninja reads the signatures at run time.

import datetime

from ninja import Router, Schema

from core.api.crud import Crud, register_crud
from core.choices import AuditAction
from core.models import AuditEntry
from security.filters import AuditFilter

__all__ = ["router"]

router = Router(tags=["security"])


class AuditEntryOut(Schema):
    id: int
    at: datetime.datetime
    actor_id: int | None
    actor_name: str
    action: AuditAction
    object_id: str
    object_repr: str
    changes: dict[str, list[object]]
    comment: str
    ip: str | None
    device: str
    seq: int | None
    prev_hash: str
    hash: str


register_crud(
    router,
    "/audit-entries",
    Crud.reads(AuditEntry, AuditEntryOut, AuditFilter, order="-at", sortable=("at", "seq")),
)
