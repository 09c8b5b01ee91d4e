"""REST endpoints of security (``/api/v1/security/``): the audit log, read only, for the
security auditor and the platform admin (a SIEM pulls it a page at a time)."""

# No `from __future__ import annotations`: ninja reads the signatures at run time.

import datetime

from ninja import Field, Router, Schema

from core.api.crud import Crud, register_crud
from core.choices import AuditAction
from core.models import AuditEntry
from core.views.audit import AuditFilter

__all__ = ["router"]

router = Router(tags=["security"])


class AuditEntryOut(Schema):
    id: int
    at: datetime.datetime
    actor_id: int | None
    actor_name: str
    action: AuditAction
    model: str = Field(description="The record's type, as app_label.model")
    object_id: str = Field(description="The record's id (empty for a sign-in by an unknown name)")
    object_repr: str
    changes: dict[str, list[object]] = Field(description="Field name → [old, new]")
    comment: str
    ip: str | None
    device: str
    seq: int | None = Field(description="Position in the hash chain; null until sealed")
    prev_hash: str = Field(description="SHA-256 of the entry before in the chain")
    hash: str = Field(description="SHA-256 of this entry's content and prev_hash")

    @staticmethod
    def resolve_model(obj: AuditEntry) -> str:
        return f"{obj.content_type.app_label}.{obj.content_type.model}"


register_crud(
    router,
    "/audit-entries",
    Crud.reads(
        AuditEntry,
        AuditEntryOut,
        AuditFilter,
        order="-at",
        sortable=("at", "seq"),
        select_related=("content_type",),
    ),
)
