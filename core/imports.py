"""Spreadsheet import engine shared by every app: Chinese .xlsx templates, dry runs,
all-or-nothing writes.

An app describes its template as :class:`Col` objects and supplies two functions: one that
checks a read row against the records (``plan_row``) and one that writes it (``write_row``),
or all of them in bulk (``write_rows``).
This module reads the workbook, turns each cell into a value (full-width digits and a unit
typed after a number are accepted, with a note), collects every problem with its row, column
and reason, and writes nothing unless every row is valid, in one transaction.
"""

from __future__ import annotations

import datetime
import io
import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from python_calamine import CalamineError, CalamineWorkbook, PasswordError, XmlError, ZipError

from core.bulk import BulkWrite
from core.documents import append_row, workbook_bytes
from core.errors import ConflictError
from core.permissions import HIDE, field_access, shown_value

__all__ = [
    "Col",
    "ImportPlan",
    "RowPlan",
    "Template",
    "add_model_errors",
    "apply_import",
    "export_workbook",
    "plan_as_data",
    "plan_import",
    "register",
    "template_for",
    "template_workbook",
]

_NUMBER = re.compile(r"^([+-]?\d+(?:\.\d+)?)\s*(.*)$")


@dataclass(frozen=True)
class Col:
    header: str  # the Chinese header in the template
    field: str  # model field, or a key that locates the row (park, building…)
    kind: str  # text, upper, decimal, int, choice, date
    required: bool = True
    units: tuple[str, ...] = ()  # suffixes people type after numbers: stripped, with a note
    choices: Mapping[str, str] | None = None  # Chinese label → stored value
    hint: str = ""


@dataclass
class RowPlan:
    row: int  # spreadsheet row number (header is row 1)
    key: str = ""
    action: str = ""  # create / update / unchanged / error
    values: dict[str, Any] = field(default_factory=dict)
    changes: dict[str, tuple[Any, Any]] = field(default_factory=dict)
    errors: list[tuple[str, str]] = field(default_factory=list)  # (column, reason)
    notes: list[tuple[str, str]] = field(default_factory=list)  # (column, what was normalised)
    context: dict[str, Any] = field(default_factory=dict)  # what plan_row found, for write_row


@dataclass
class ImportPlan:
    rows: list[RowPlan] = field(default_factory=list)
    file_errors: list[str] = field(default_factory=list)
    state: Any = None  # what the template's prepare() loaded, for its bulk writer

    @property
    def ok(self) -> bool:
        return not self.file_errors and bool(self.rows) and all(not r.errors for r in self.rows)

    def count(self, action: str) -> int:
        return sum(1 for r in self.rows if r.action == action)

    def summary(self) -> dict[str, int]:
        return {a: self.count(a) for a in ("create", "update", "unchanged", "error")}


@dataclass(frozen=True)
class Template:
    """What one app's import needs: its columns and how to check and write a row.

    ``prepare(user)`` loads what the checks need once (records in the user's scope) and
    returns it as the state ``plan_row(row, state)`` receives. A template writes either row by
    row (``write_row(row, actor)``, all rows in one transaction) or, for big files, in bulk:
    ``write_rows(plan, bulk)`` adds every row to a ``core.services.BulkWrite`` that the
    engine then commits in one short transaction.
    """

    columns: Sequence[Col]
    prepare: Callable[[Any], Any]
    plan_row: Callable[[RowPlan, Any], None]
    write_row: Callable[[RowPlan, Any], None] | None
    sheet_title: str
    guide: str
    write_rows: Callable[[ImportPlan, BulkWrite], None] | None = None
    # the current records as template rows, for the export (user -> rows)
    export_rows: Callable[[Any, str | None], Iterable[Sequence[Any]]] | None = None

    @property
    def headers(self) -> list[str]:
        return [c.header for c in self.columns]


_TEMPLATES: dict[str, Template] = {}


def register(kind: str, template: Template) -> Template:
    """Make a template known to the background import task by its kind ("spaces.unit")."""
    _TEMPLATES[kind] = template
    return template


def template_for(kind: str) -> Template:
    return _TEMPLATES[kind]


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return unicodedata.normalize("NFKC", str(value)).strip()


def parse_cell(col: Col, raw: Any, row: RowPlan) -> Any:
    """One cell to a Python value; problems and normalisations are recorded on the row."""
    if isinstance(raw, datetime.datetime) and col.kind == "date":
        return raw.date()
    if isinstance(raw, datetime.date) and col.kind == "date":
        return raw
    text = _text(raw)
    if text == "":
        if col.required:
            row.errors.append(
                (col.header, _("is empty; fill it in (%(hint)s).") % {"hint": col.hint})
            )
        return None
    if str(raw).strip() != text and not isinstance(raw, int | float):
        row.notes.append(
            (col.header, _("full-width characters read as “%(text)s”") % {"text": text})
        )
    if col.kind == "text":
        return text
    if col.kind == "upper":
        return text.upper()
    if col.kind in ("decimal", "int"):
        return _number(col, text, row)
    if col.kind == "choice":
        labels = col.choices or {}
        if text in labels:
            return labels[text]
        if text.lower() in labels.values():
            return text.lower()
        row.errors.append(
            (
                col.header,
                _("“%(text)s” is not one of %(allowed)s.")
                % {"text": text, "allowed": "、".join(labels)},
            )
        )
        return None
    if col.kind == "date":
        try:
            return datetime.date.fromisoformat(text.replace("/", "-"))
        except ValueError:
            row.errors.append(
                (
                    col.header,
                    _("“%(text)s” is not a date; write it as 2026-12-01.") % {"text": text},
                )
            )
            return None
    raise AssertionError(col.kind)


def _number(col: Col, text: str, row: RowPlan) -> Any:
    match = _NUMBER.match(text.replace(",", ""))
    suffix = match.group(2).strip() if match else ""
    if match and suffix and suffix.lower() in {u.lower() for u in col.units}:
        row.notes.append((col.header, _("unit “%(unit)s” removed") % {"unit": suffix}))
        suffix = ""
    if not match or suffix:
        row.errors.append(
            (
                col.header,
                _("“%(text)s” is not a number; write digits only, e.g. %(hint)s.")
                % {"text": text, "hint": col.hint},
            )
        )
        return None
    try:
        number = Decimal(match.group(1))
    except InvalidOperation:
        row.errors.append((col.header, _("“%(text)s” is not a number.") % {"text": text}))
        return None
    if col.kind == "int":
        if number != number.to_integral():
            row.errors.append(
                (col.header, _("“%(text)s” must be a whole number.") % {"text": text})
            )
            return None
        return int(number)
    return number


# An .xlsx is a zip: a small file can expand to hundreds of MB (a "zip bomb"), and a sheet can
# hold a million rows. Both are refused before the workbook is read.
MAX_EXPANDED_BYTES = 100 * 1024 * 1024
MAX_ROWS = 50_000


def _too_big(content: bytes) -> str | None:
    """Why the workbook may not be read (None: it may), from the zip directory alone."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            expanded = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile:
        return None  # not a zip: the reader says so in its own words
    if expanded > MAX_EXPANDED_BYTES:
        return _(
            "The workbook expands to %(size)d MB, more than %(limit)d MB: remove unused sheets, "
            "pictures and formatting, or split it."
        ) % {"size": expanded // 2**20, "limit": MAX_EXPANDED_BYTES // 2**20}
    return None


def _read_rows(
    content: bytes, headers: list[str], plan: ImportPlan
) -> list[tuple[int, dict[str, Any]]]:
    if (reason := _too_big(content)) is not None:
        plan.file_errors.append(reason)
        return []
    try:
        # python-calamine (Rust) reads a 50,000-row sheet in under a second where openpyxl
        # took 7.5 s (bench/imports.py); values as Excel stores them, formulas as their result
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(content))
        rows = iter(list(workbook.get_sheet_by_index(0).iter_rows()))
        found = [_text(h) for h in next(rows, ())]
    except (CalamineError, PasswordError, XmlError, ZipError, IndexError, ValueError, OSError):
        plan.file_errors.append(
            _(
                "The file is not an .xlsx workbook. Download the template, "
                "fill it in and save it as .xlsx."
            )
        )
        return []
    # compare headers in NFKC form: it reads ㎡ as m2, and full-width letters as half-width
    missing = [h for h in headers if _text(h) not in found]
    if missing:
        plan.file_errors.append(
            _("Columns missing from the first row: %(cols)s. Use the template's header row.")
            % {"cols": "、".join(missing)}
        )
        return []
    index = {h: found.index(_text(h)) for h in headers}
    out: list[tuple[int, dict[str, Any]]] = []
    for number, values in enumerate(rows, start=2):
        if all(v in (None, "") for v in values):
            continue
        if len(out) >= MAX_ROWS:
            plan.file_errors.append(
                _(
                    "The file has more than %(limit)s rows: split it into files of at most %(limit)s."
                )
                % {"limit": f"{MAX_ROWS:,}"}
            )
            return []
        padded = list(values) + [None] * len(found)
        out.append((number, {h: padded[i] for h, i in index.items()}))
    return out


def plan_import(
    template: Template,
    content: bytes,
    *,
    user: Any,
    progress: Callable[[int, int], None] | None = None,
) -> ImportPlan:
    """Read the workbook and decide every row's fate without writing anything."""
    plan = ImportPlan()
    raw_rows = _read_rows(content, template.headers, plan)
    if plan.file_errors:
        return plan
    if not raw_rows:
        plan.file_errors.append(_("The file has no data rows under the header."))
        return plan
    state = plan.state = template.prepare(user)
    for done, (number, cells) in enumerate(raw_rows, start=1):
        row = RowPlan(row=number)
        row.values = {c.field: parse_cell(c, cells[c.header], row) for c in template.columns}
        template.plan_row(row, state)
        if row.errors:
            row.action = "error"
        plan.rows.append(row)
        if progress is not None and (done % 200 == 0 or done == len(raw_rows)):
            progress(done, len(raw_rows))
    return plan


def apply_import(
    template: Template,
    content: bytes,
    *,
    actor: Any,
    progress: Callable[[int, int], None] | None = None,
) -> ImportPlan:
    """Plan again (the records may have changed since the dry run), then write every row or
    none. Returns the plan; nothing is written unless ``plan.ok``.

    Progress: the first half is checking every row again, the second writing them."""
    total = 0

    def planned(done: int, rows: int) -> None:
        nonlocal total
        total = rows
        if progress is not None:
            progress(done, 2 * rows)

    def written(done: int) -> None:
        if progress is not None and (done % 200 == 0 or done == len(plan.rows)):
            progress(total + done, 2 * total)

    if template.write_rows is None:
        with transaction.atomic():  # the checks and the writes see the same records
            plan = plan_import(template, content, user=actor, progress=planned)
            if plan.ok:
                for done, row in enumerate(plan.rows, start=1):
                    if row.action in ("create", "update"):
                        assert template.write_row is not None
                        template.write_row(row, actor)
                    written(done)
        return plan
    # bulk: plan and check outside any transaction (readers do not block writers), then one
    # short transaction; BulkWrite refuses rows that changed in between
    plan = plan_import(template, content, user=actor, progress=planned)
    if not plan.ok:
        return plan
    bulk = BulkWrite(actor=actor)
    template.write_rows(plan, bulk)
    try:
        bulk.commit()
    except ConflictError as exc:
        plan.file_errors.append(exc.message)
        return plan
    written(len(plan.rows))
    return plan


def plan_as_data(plan: ImportPlan) -> dict[str, Any]:
    """A dry run as JSON, kept with its job for the import page to page through: the counts,
    the file's problems and each row's fate (empty lists left out: 50,000 rows add up)."""

    def shown(value: Any) -> str:
        return "—" if value in (None, "") else str(value)

    def row_data(row: RowPlan) -> dict[str, Any]:
        data: dict[str, Any] = {"row": row.row, "key": row.key, "action": row.action}
        if row.errors:
            data["errors"] = [[str(col), str(reason)] for col, reason in row.errors]
        if row.changes:
            data["changes"] = [[str(n), shown(o), shown(v)] for n, (o, v) in row.changes.items()]
        if row.notes:
            data["notes"] = [[str(col), str(note)] for col, note in row.notes]
        return data

    return {
        "ok": plan.ok,
        "summary": plan.summary(),
        "file_errors": [str(e) for e in plan.file_errors],
        "rows": [row_data(r) for r in plan.rows],
    }


def add_model_errors(row: RowPlan, exc: ValidationError, columns: Sequence[Col]) -> None:
    """Report a model's validation errors under the template's column headers."""
    for name, messages in exc.message_dict.items():
        header = next((c.header for c in columns if c.field == name), name)
        row.errors.extend((header, m) for m in messages)


def changed_fields(existing: Any, data: Mapping[str, Any]) -> dict[str, tuple[Any, Any]]:
    return {
        name: (getattr(existing, name), value)
        for name, value in data.items()
        if getattr(existing, name) != value
    }


# Template and export ----------------------------------------------------------------------
_HEADER_FILL = PatternFill("solid", fgColor="1677FF")


def _sheet_with_header(workbook: Workbook, template: Template) -> Worksheet:
    sheet: Worksheet = workbook.active  # type: ignore[assignment]  # a new workbook has one
    sheet.title = template.sheet_title
    sheet.append(template.headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = _HEADER_FILL
    for i in range(len(template.columns)):
        sheet.column_dimensions[get_column_letter(i + 1)].width = 18
    sheet.freeze_panes = "A2"
    return sheet


def template_workbook(template: Template) -> bytes:
    """The empty template, with a second sheet explaining every column."""
    workbook = Workbook()
    _sheet_with_header(workbook, template)
    guide = workbook.create_sheet("填写说明")
    guide.append(["列", "是否必填", "说明"])
    for col in template.columns:
        allowed = f"（可选：{'、'.join(col.choices)}）" if col.choices else ""
        guide.append([col.header, "必填" if col.required else "选填", col.hint + allowed])
    guide.append([])
    guide.append(["说明", "", template.guide + "任何一行有错误时整个文件不导入。"])
    guide.column_dimensions["A"].width = 22
    guide.column_dimensions["C"].width = 80
    return workbook_bytes(workbook)


def export_workbook(
    template: Template,
    rows: Iterable[Sequence[Any]],
    *,
    user: Any = None,
    model: type[models.Model] | None = None,
) -> bytes:
    """The template filled with ``rows`` (one value per column, in column order), read
    through ``model``'s field rules for ``user``: a hidden column is left out, a masked one
    masked."""
    shown = list(range(len(template.columns)))
    if model is not None:
        shown = [
            i
            for i, col in enumerate(template.columns)
            if field_access(user, model, col.field) != HIDE
        ]
        template = replace(template, columns=[template.columns[i] for i in shown])
    workbook = Workbook()
    sheet = _sheet_with_header(workbook, template)
    for values in rows:
        cells = [values[i] for i in shown]
        if model is not None:
            cells = [
                shown_value(user, model, col.field, value)
                for col, value in zip(template.columns, cells, strict=True)
            ]
        append_row(sheet, cells)
    return workbook_bytes(workbook)


def label_of(col: Col, value: Any) -> Any:
    """A stored choice value as the template's Chinese label (for export)."""
    for label, stored in (col.choices or {}).items():
        if stored == value:
            return label
    return value
