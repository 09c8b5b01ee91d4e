"""Data-subject requests (PIPL art. 44–47): find everything about a person by phone number or
e-mail, export it, erase it. Each step states its purpose and is a security event; an erasure
is audited on each record. Correcting goes through the record's own edit page."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import Workbook

from core import audit
from core.choices import AuditAction
from core.documents import append_row, workbook_bytes
from core.personal import PersonalRecords, find

__all__ = ["request_erase", "request_export", "request_find"]


def _masked(phone: str, email: str) -> str:
    parts = []
    if phone:
        digits = "".join(c for c in phone if c.isdigit())
        parts.append(digits[:3] + "****" + digits[-4:] if len(digits) >= 8 else "****")
    if email:
        name, _at, domain = email.partition("@")
        parts.append(f"{name[:1]}***@{domain}")
    return " / ".join(parts)


def _note(actor: Any, what: str, phone: str, email: str, purpose: str, found: int) -> None:
    audit.event(
        actor=actor,
        action=AuditAction.PERSONAL,
        model=get_user_model(),
        object_repr=_masked(phone, email),
        comment=f"{what}：{found} 条；目的：{purpose}",
    )


@transaction.atomic
def request_find(*, actor: Any, phone: str, email: str, purpose: str) -> list[PersonalRecords]:
    found = find(phone=phone, email=email)
    _note(actor, "查找", phone, email, purpose, sum(len(f.rows) for f in found))
    return found


@transaction.atomic
def request_export(*, actor: Any, phone: str, email: str, purpose: str) -> bytes:
    """Every personal field of every record found, one sheet per kind of record."""
    found = find(phone=phone, email=email)
    workbook = Workbook()
    workbook.remove(workbook.worksheets[0])
    for group in found:
        sheet = workbook.create_sheet(str(group.model._meta.verbose_name_plural)[:31])
        names = group.fields
        append_row(
            sheet,
            ["id", _("record"), *group.labels],
        )
        for row in group.rows:
            append_row(sheet, [row.pk, str(row), *(getattr(row, n) for n in names)])
    if not found:
        workbook.create_sheet(_("Nothing found"))
    _note(actor, "导出", phone, email, purpose, sum(len(f.rows) for f in found))
    return workbook_bytes(workbook)


@transaction.atomic
def request_erase(*, actor: Any, phone: str, email: str, purpose: str) -> int:
    """Erase the person's data: each record erases itself as its model says (a contact is
    deleted; an account keeps a pseudonym for the records and the log that name it)."""
    found = find(phone=phone, email=email)
    count = 0
    for group in found:
        for row in group.rows:
            audit.record(
                actor=actor,
                instance=row,
                action=AuditAction.DELETE
                if getattr(group.model, "erasure_deletes", False)
                else AuditAction.UPDATE,
                changes={name: ["…", ""] for name in group.fields},
                comment=f"个人信息删除；目的：{purpose}"[:500],
            )
            row.erase_personal()
            count += 1
    _note(actor, "删除", phone, email, purpose, count)
    return count
