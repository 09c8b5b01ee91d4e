"""The bulk write path: many rows written as ``create_record`` and ``update_record`` write
them, for imports of tens of thousands of rows.

Every row gets the same permission check, input policy, model rules and audit entry as on the
one-row path. What differs is when the work happens. Everything that takes time (checks,
snapshots, turning values into SQL parameters) is done first, outside any transaction; the
transaction then only runs prepared statements. On the embedded SQLite a writer holds the one
write lock for its whole transaction, and a 50,000-row import that wrote row by row held it for
minutes: every sign-in and API write meanwhile failed with "database is locked" (issue #10).
This way it holds it for about a second (bench/imports.py).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.db import IntegrityError, connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import audit
from core.audit.models import AuditEntry
from core.choices import AuditAction
from core.errors import ConflictError
from core.permissions import require, require_add
from core.services import _derive, check_inputs

__all__ = ["BulkWrite", "insert_instances", "update_rows"]

M = TypeVar("M", bound=models.Model)
_GONE = object()  # the stored version of a row deleted since it was read


class BulkWrite:
    """Rows checked as they are added; ``commit`` writes them all, or none.

    Uniqueness is the caller's to check (an import's plan compares every row with the stored
    records) and the database's to enforce: a row another writer created meanwhile, or a row
    changed since it was read (its ``updated_at`` moved), makes ``commit`` write nothing and
    raise ConflictError.
    """

    def __init__(self, *, actor: Any, comment: str = "") -> None:
        self.actor, self.comment = actor, comment
        self._creates: dict[type[models.Model], list[models.Model]] = {}
        self._updates: list[tuple[models.Model, dict[str, list[Any]]]] = []
        self._scopes: dict[Any, bool] = {}  # the actor's scope, per parent row, asked once

    def __len__(self) -> int:
        return sum(map(len, self._creates.values())) + len(self._updates)

    def create(self, instance: M, *, validated: bool = False) -> M:
        """Check a new row and keep it; it may point at rows added before it that are not
        saved yet (a unit on a new floor). ``validated``: the caller ran ``full_clean`` on
        this very instance (an import's plan does, to report each row's problems), so the
        model's rules are not run twice; permission and input policy are checked here."""
        _derive(instance)
        require_add(self.actor, instance, known=self._scopes)
        if validated:
            check_inputs(instance)
        else:
            _check(instance)
        self._creates.setdefault(type(instance), []).append(instance)
        return instance

    def update(self, instance: M, data: Mapping[str, Any]) -> None:
        """Check ``data`` applied to a saved row as read; kept only if it changes an audited
        field."""
        require(self.actor, "change", instance)
        before = audit.snapshot(instance)
        for name, value in data.items():
            setattr(instance, name, value)
        _derive(instance)
        require_add(self.actor, instance, action="change", known=self._scopes)
        _check(instance)
        changes = audit.diff(before, audit.snapshot(instance))
        if changes:
            self._updates.append((instance, changes))

    def commit(self) -> None:
        # prepared outside the transaction: the SQL parameters of every row and audit entry
        inserts = [_Insert.of(model, self._creates[model]) for model in self._insert_order()]
        logged = [
            (instance, self._entry(instance, AuditAction.CREATE, _created(instance)))
            for instances in self._creates.values()
            for instance in instances
        ]
        logged += [(i, self._entry(i, AuditAction.UPDATE, changes)) for i, changes in self._updates]
        entries = _Insert.of(AuditEntry, [entry for _instance, entry in logged])
        now = timezone.now()
        updates: dict[type[models.Model], dict[Any, models.Model]] = {}
        read: dict[Any, Any] = {}  # (model, pk) -> updated_at as read
        for instance, _changes in self._updates:
            if hasattr(instance, "updated_at"):
                read[(type(instance), instance.pk)] = instance.updated_at
                instance.updated_at = now
            updates.setdefault(type(instance), {})[instance.pk] = instance
        try:
            with transaction.atomic():
                for insert in inserts:
                    insert.run()
                for model, rows in updates.items():
                    _refuse_if_changed(model, rows, read)
                    update_rows(model, rows.values(), _updatable(model))
                entries.fill("object_id", [str(instance.pk) for instance, _entry in logged])
                entries.run()
                audit.seal_after_commit()
        except IntegrityError as exc:
            raise ConflictError(
                _(
                    "Nothing was written: some of these records were created or changed by "
                    "someone else meanwhile. Check the file again."
                )
            ) from exc

    def _entry(
        self, instance: models.Model, action: str, changes: dict[str, list[Any]]
    ) -> AuditEntry:
        """An audit entry as ``audit.record`` writes it; a new row's id is filled in later."""
        return audit.record(
            actor=self.actor,
            instance=instance,
            action=action,
            changes=changes,
            comment=self.comment,
            save=False,
        )

    def _insert_order(self) -> list[type[models.Model]]:
        """The new rows' models, each after the models its rows point at (floors, then units)."""
        ordered: list[type[models.Model]] = []

        def visit(model: type[models.Model]) -> None:
            if model in ordered:
                return
            for f in model._meta.concrete_fields:
                target = f.related_model if f.is_relation else None
                if target in self._creates and target is not model:
                    visit(target)  # type: ignore[arg-type]
            ordered.append(model)

        for model in self._creates:
            visit(model)
        return ordered


def _check(instance: models.Model) -> None:
    check_inputs(instance)
    # a relation given as a row needs no query to prove that row exists (Django asks the
    # database once per row): it was read, or is added before this one; one deleted meanwhile
    # fails the commit on its foreign key
    given = [
        f.name
        for f in instance._meta.concrete_fields
        if f.is_relation
        and f.is_cached(instance)  # type: ignore[attr-defined]
        and getattr(instance, f.name) is not None
    ]
    instance.full_clean(exclude=given, validate_unique=False)


def _created(instance: models.Model) -> dict[str, list[Any]]:
    return {k: [None, v] for k, v in audit.snapshot(instance).items() if v not in (None, "")}


def _updatable(model: type[models.Model]) -> list[str]:
    return sorted(
        f.name
        for f in model._meta.concrete_fields
        if not f.primary_key and not getattr(f, "auto_now_add", False)
    )


def _refuse_if_changed(
    model: type[models.Model], rows: dict[Any, models.Model], read: dict[Any, Any]
) -> None:
    """Rows changed by someone else since they were read are not overwritten, and rows
    deleted meanwhile are not silently skipped."""
    keys = [pk for pk in rows if (model, pk) in read]
    for start in range(0, len(keys), 500):
        chunk = keys[start : start + 500]
        stored = dict(model._default_manager.filter(pk__in=chunk).values_list("pk", "updated_at"))
        if any(stored.get(pk, _GONE) != read[(model, pk)] for pk in chunk):
            raise IntegrityError("changed or deleted since read")


@dataclass
class _Insert:
    """An INSERT of many rows with every parameter prepared; ``run`` fills in the keys of
    parents inserted just before (a new floor's id in its units' rows), inserts them all and
    gives every row its primary key."""

    model: type[models.Model]
    instances: list[models.Model]
    fields: list[Any]
    rows: list[list[Any]]
    # (row, column, parent): a parent that had no key yet when the rows were prepared
    pending: list[tuple[int, int, models.Model]] = field(default_factory=list)

    @classmethod
    def of(cls, model: type[models.Model], instances: list[models.Model]) -> _Insert:
        fields = [f for f in model._meta.concrete_fields if not f.primary_key]
        insert = cls(model, instances, fields, [])
        for r, instance in enumerate(instances):
            row = []
            for c, f in enumerate(fields):
                value = f.pre_save(instance, add=True)
                if value is None and f.is_relation and f.is_cached(instance):  # type: ignore[attr-defined]
                    parent = getattr(instance, f.name)
                    if parent is not None:
                        insert.pending.append((r, c, parent))
                row.append(f.get_db_prep_save(value, connection))
            insert.rows.append(row)
        return insert

    def fill(self, name: str, values: list[Any]) -> None:
        """Set one column of every row (a new record's id in its audit entry)."""
        c = next(i for i, f in enumerate(self.fields) if f.name == name)
        for row, instance, value in zip(self.rows, self.instances, values, strict=True):
            row[c] = value
            setattr(instance, self.fields[c].attname, value)

    def run(self) -> None:
        if not self.rows:
            return
        for r, c, parent in self.pending:
            self.rows[r][c] = parent.pk
            setattr(self.instances[r], self.fields[c].attname, parent.pk)
        meta, quote = self.model._meta, connection.ops.quote_name
        table = quote(meta.db_table)
        columns = ", ".join(quote(f.column) for f in self.fields)
        one = "(" + ", ".join(["%s"] * len(self.fields)) + ")"
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                # executemany: the statement is compiled once and stepped per row. The keys
                # are consecutive (an AUTOINCREMENT key, and this transaction holds the
                # table's write lock), ending at the table's sequence.
                cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES {one}", self.rows)
                cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [meta.db_table])
                last = cursor.fetchone()[0]
                keys = list(range(last - len(self.rows) + 1, last + 1))
            else:
                keys = self._copy(cursor.cursor, table, columns)
        for instance, pk in zip(self.instances, keys, strict=True):
            instance.pk = pk
            instance._state.adding = False
            instance._state.db = connection.alias

    def _copy(self, raw: Any, table: str, columns: str) -> list[Any]:
        """PostgreSQL: the keys drawn from the table's sequence first, then every row in one
        COPY, the fastest way in (a 30,000-parameter INSERT … RETURNING took 3.6 s for
        20,000 units: psycopg binds them on the client)."""
        meta = self.model._meta
        raw.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [meta.db_table, meta.pk.column, len(self.rows)],  # type: ignore[union-attr]
        )
        keys = [key for (key,) in raw.fetchall()]
        pk = connection.ops.quote_name(meta.pk.column)  # type: ignore[union-attr,arg-type]
        # the driver's errors as Django's (a duplicate key: IntegrityError)
        with (
            connection.wrap_database_errors,
            raw.copy(f"COPY {table} ({pk}, {columns}) FROM STDIN") as copy,
        ):
            for key, row in zip(keys, self.rows, strict=True):
                copy.write_row([key, *row])
        return keys


def insert_instances(model: type[models.Model], instances: list[Any]) -> None:
    """Insert rows as they are, each given its key: no checks, no audit. For data that is not
    an operator's (the synthetic portfolio of benchmarks); everything else goes through
    ``BulkWrite``."""
    _Insert.of(model, instances).run()


def update_rows(model: type[models.Model], instances: Iterable[Any], fields: list[str]) -> None:
    """Save ``fields`` of many rows with one prepared UPDATE run for each (executemany).

    Django's ``bulk_update`` builds one ``CASE WHEN id = …`` per batch, which SQLite evaluates
    row by row against every branch: sealing 5,000 audit entries took 6 s that way and takes a
    tenth of a second this way (bench/imports.py). No signals, no ``auto_now``: callers set
    what they mean.
    """
    meta = model._meta
    columns = [meta.get_field(name) for name in fields]
    quote = connection.ops.quote_name
    sql = "UPDATE {} SET {} WHERE {} = %s".format(
        quote(meta.db_table),
        ", ".join(f"{quote(f.column)} = %s" for f in columns),  # type: ignore[union-attr,arg-type]
        quote(meta.pk.column),  # type: ignore[union-attr,arg-type]
    )
    params = [
        [f.get_db_prep_save(getattr(i, f.attname), connection) for f in columns]  # type: ignore[union-attr]
        + [i.pk]
        for i in instances
    ]
    with connection.cursor() as cursor:
        for start in range(0, len(params), 2000):
            cursor.executemany(sql, params[start : start + 2000])
