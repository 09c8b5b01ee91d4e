"""The bulk write path (core.bulk): the one-row path's checks and audit, one short
transaction, nothing written on a conflict; SQLite waits for its write lock instead of
failing; check constraints decided in Python agree with the database."""

from __future__ import annotations

import threading
import time
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import CheckConstraint
from django.http import Http404

from core import audit
from core.bulk import BulkWrite, update_rows
from core.constraints import validate_constraints
from core.errors import ConflictError
from core.models import AuditEntry
from spaces.models import Building, Floor, Unit

pytestmark = pytest.mark.django_db


def new_unit(floor: Floor, code: str, **values: object) -> Unit:
    fields = {
        "use": "office",
        "area_m2": Decimal("100"),
        "clear_height_m": Decimal("4.5"),
        "floor_load_kn_m2": Decimal("3.5"),
        "power_kva": Decimal("50"),
        "list_rent": Decimal("3.2"),
        **values,
    }
    building = floor.building
    return Unit(floor=floor, building=building, park=building.park, code=code, **fields)


def test_bulk_write_creates_floors_before_their_units_and_audits_every_row(world):
    operator = world.users["operator"]
    building = world.sample(Building)
    bulk = BulkWrite(actor=operator)
    floor = Floor(building=building, number=3)  # new: its units point at it before it has an id
    bulk.create(new_unit(floor, "BW-1"))  # added before the floor: inserted after it anyway
    bulk.create(floor)
    bulk.create(new_unit(floor, "BW-2"))
    existing = Unit.objects.get(pk=world.sample(Unit).pk)
    rent = existing.list_rent
    bulk.update(existing, {"list_rent": Decimal("9.9")})
    same = Unit.objects.get(pk=world.sample(Unit).pk)
    bulk.update(same, {"list_rent": rent})  # no change: nothing kept, nothing logged
    assert len(bulk) == 4
    last = AuditEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0
    bulk.commit()
    units = Unit.objects.filter(code__in=["BW-1", "BW-2"])
    assert {u.floor_id for u in units} == {floor.pk} and floor.pk is not None
    assert {u.park_id for u in units} == {building.park_id}
    existing.refresh_from_db()
    assert existing.list_rent == Decimal("9.90")
    entries = list(AuditEntry.objects.filter(pk__gt=last))
    assert sorted((e.content_type.model, e.action, e.object_id) for e in entries) == sorted(
        [("unit", "create", str(u.pk)) for u in units]
        + [("floor", "create", str(floor.pk)), ("unit", "update", str(existing.pk))]
    )
    update = next(e for e in entries if e.action == "update")
    assert update.changes == {"list_rent": [format(rent.normalize(), "f"), "9.9"]}
    created = next(
        e for e in entries if e.object_id == str(units[0].pk) and e.object_repr == str(units[0])
    )
    assert created.changes["code"] == [None, units[0].code] and created.actor == operator
    assert audit.verify()[1] is None  # sealed into the hash chain


def test_bulk_write_checks_scope_inputs_and_model_rules_as_each_row_is_added(world):
    operator = world.users["operator"]
    bulk = BulkWrite(actor=operator)
    foreign = Floor.objects.filter(building=world.sample(Building, "B")).first()
    with pytest.raises(Http404):  # a park the operator is not assigned to
        bulk.create(new_unit(foreign, "X-1"))
    floor = Floor.objects.filter(building=world.sample(Building)).first()
    with pytest.raises(ValidationError) as bell:
        bulk.create(new_unit(floor, "X-\x07"))
    assert "code" in bell.value.message_dict
    with pytest.raises(ValidationError) as low:  # the check constraint, decided in Python
        bulk.create(new_unit(floor, "X-2", clear_height_m=Decimal("1.5")))
    assert low.value.messages
    assert len(bulk) == 0


def test_a_row_created_meanwhile_makes_the_commit_write_nothing(world):
    operator = world.users["operator"]
    building = world.sample(Building)
    floor = building.floors.first()
    bulk = BulkWrite(actor=operator)
    bulk.create(Floor(building=building, number=2))
    bulk.create(new_unit(floor, "RACE-1"))
    new_unit(floor, "RACE-1").save()  # another writer, between the check and the commit
    floors, entries = Floor.objects.count(), AuditEntry.objects.count()
    with pytest.raises(ConflictError) as conflict:
        bulk.commit()
    assert "Check the file again" in conflict.value.message or "重新检查" in conflict.value.message
    assert (Floor.objects.count(), AuditEntry.objects.count()) == (floors, entries)


def test_a_row_changed_since_it_was_read_is_not_overwritten(world):
    operator = world.users["operator"]
    unit = Unit.objects.get(pk=world.sample(Unit).pk)
    bulk = BulkWrite(actor=operator)
    bulk.update(unit, {"list_rent": Decimal("7.7")})
    time.sleep(0.01)
    Unit.objects.get(pk=unit.pk).save()  # someone saved it meanwhile: updated_at moved
    with pytest.raises(ConflictError):
        bulk.commit()
    assert Unit.objects.get(pk=unit.pk).list_rent != Decimal("7.7")


def test_a_row_deleted_since_it_was_read_fails_the_commit_instead_of_vanishing(world):
    operator = world.users["operator"]
    floor = Floor.objects.filter(building=world.sample(Building)).first()
    gone = new_unit(floor, "GONE-1")
    gone.save()
    bulk = BulkWrite(actor=operator)
    bulk.update(Unit.objects.get(pk=gone.pk), {"list_rent": Decimal("7.7")})
    bulk.create(new_unit(floor, "NEW-1"))
    Unit.objects.filter(pk=gone.pk).delete()  # someone deleted it meanwhile
    with pytest.raises(ConflictError):
        bulk.commit()
    assert not Unit.objects.filter(code="NEW-1").exists()


def test_update_rows_saves_the_named_fields_of_every_row(world):
    units = list(Unit.objects.all()[:2])
    for n, unit in enumerate(units):
        unit.list_rent = Decimal(f"{n}.5")
        unit.code = "NOT-SAVED"
    update_rows(Unit, units, ["list_rent"])
    assert [Unit.objects.get(pk=u.pk).list_rent for u in units] == [Decimal("0.5"), Decimal("1.5")]
    assert not Unit.objects.filter(code="NOT-SAVED").exists()


def test_a_seal_whose_head_moved_meanwhile_hashes_again(world, monkeypatch):
    from core.audit import log

    audit.seal()
    audit.event(actor=world.users["operator"], action="export", model=Unit, object_repr="x")
    real_head, calls = log._head, []

    def head_that_moves_once() -> tuple[int, str]:  # another sealer got there in between
        calls.append(1)
        seq, digest = real_head()
        return (seq - 1, "stale") if len(calls) == 1 else (seq, digest)

    monkeypatch.setattr(log, "_head", head_that_moves_once)
    assert audit.seal() == 1 and len(calls) >= 3
    monkeypatch.undo()
    assert audit.verify()[1] is None


@pytest.mark.parametrize(
    "values",
    [
        {},
        {"area_m2": Decimal("0")},
        {"area_m2": Decimal("-1")},
        {"clear_height_m": Decimal("2")},
        {"clear_height_m": Decimal("30")},
        {"clear_height_m": Decimal("30.01")},
        {"clear_height_m": Decimal("1.99")},
        {"power_kva": Decimal("0")},
        {"list_rent": Decimal("-0.01")},
        {"clear_height_m": None},  # unknown: a CHECK with NULL passes, in SQL and here
    ],
)
def test_check_constraints_decided_in_python_agree_with_the_database(world, values):
    floor = Floor.objects.filter(building=world.sample(Building)).first()
    unit = new_unit(floor, "C-1", **values)

    def failures(decide) -> set[str]:  # the constraints each way refuses
        failed = set()
        for constraint in Unit._meta.constraints:
            if not isinstance(constraint, CheckConstraint):
                continue
            try:
                decide(constraint)
            except ValidationError:
                failed.add(constraint.name)
        return failed

    in_database = failures(lambda c: c.validate(Unit, unit))
    in_python = failures(lambda c: _only(c, unit))
    assert in_python == in_database


def _only(constraint, unit) -> None:
    """validate_constraints for one constraint: every other field excluded."""
    from django.db.models import Q

    named = {child[0].split("__")[0] for child in _leaves(Q(constraint.condition))}
    others = {f.name for f in Unit._meta.concrete_fields} - named
    validate_constraints(unit, exclude=others)


def _leaves(q):
    for child in q.children:
        if isinstance(child, tuple):
            yield child
        else:
            yield from _leaves(child)


def test_a_condition_comparing_two_fields_and_nulls_is_decided_like_sql(world):
    building = world.sample(Building)
    for built, renovated, ok in [
        (2000, 2010, True),
        (2010, 2000, False),
        (None, 2000, True),
        (2000, None, True),
        (2000, 2000, True),
    ]:
        building.year_built, building.year_renovated = built, renovated
        refused = False
        try:
            validate_constraints(building)
        except ValidationError:
            refused = True
        assert refused is not ok, (built, renovated)


def test_on_sqlite_a_concurrent_write_waits_for_the_lock_instead_of_failing(tmp_path):
    """With the settings' options (WAL, IMMEDIATE transactions, a 20 s busy timeout) on a
    database file, as the embedded default runs (the tests' in-memory database locks
    differently)."""
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL locks rows, not the database: there is no write lock to wait for")
    from django.db.backends.sqlite3.base import DatabaseWrapper

    def connect(alias: str) -> DatabaseWrapper:
        return DatabaseWrapper({**connection.settings_dict, "NAME": str(tmp_path / "p.db")}, alias)

    importer = connect("importer")
    with importer.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"  # readers never wait for a writer
        cursor.execute("CREATE TABLE sign_in (at REAL)")
    outcome: list[tuple[str, float]] = []

    def sign_in() -> None:  # another user's write while the import holds the lock
        signer = connect("signer")
        started = time.perf_counter()
        try:
            with signer.cursor() as cursor:
                cursor.execute("INSERT INTO sign_in VALUES (1)")
            outcome.append(("saved", time.perf_counter() - started))
        except Exception as exc:
            outcome.append((repr(exc), time.perf_counter() - started))
        finally:
            signer.close()

    importer.set_autocommit(False)  # BEGIN IMMEDIATE: the write lock from here
    with importer.cursor() as cursor:
        cursor.execute("INSERT INTO sign_in VALUES (0)")
    other = threading.Thread(target=sign_in)
    other.start()
    time.sleep(1.0)
    assert outcome == []  # still waiting, not failed
    importer.commit()
    importer.set_autocommit(True)
    other.join(timeout=20)
    importer.close()
    [(result, waited)] = outcome
    assert result == "saved" and 0.9 < waited < 5
