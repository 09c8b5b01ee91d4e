"""The 50,000-row unit import on the embedded SQLite: how long it takes, and how long other
writers wait meanwhile.

    python bench/imports.py [--rows 50000]

Builds one park of 50 buildings × 20 floors in a throw-away SQLite database (or the PostgreSQL
database named by BENCH_DATABASE_URL, which it empties), writes a .xlsx of new units, then
times reading the file alone (the floor), the dry run, and the import job (checking again and
writing). While the import runs, another process writes one row every 50 ms (as a sign-in
or an API write would) and the longest of its waits is the time the import held the write
lock (measured from another process). Targets (issue #10): import < 30 s, longest wait < 2 s.
"""

from __future__ import annotations

import argparse
import io
import multiprocessing
import sqlite3
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from unit_search import setup_django  # noqa: E402  (the same throw-away database)

BUILDINGS, FLOORS = 50, 20


def build_park() -> object:
    """One park with empty buildings, and a staff member of its operator (synthetic data)."""
    from core.choices import Role
    from core.models import Jurisdiction, Operator, User
    from spaces.models import Building, Park

    operator = Operator.objects.create(code="BENCH", name="bench")
    district = Jurisdiction.objects.create(code="BENCH", name="bench")
    park = Park.objects.create(
        code="PB", name="基准园区", kind="manufacturing", operator=operator, jurisdiction=district
    )
    Building.objects.bulk_create(
        [
            Building(park=park, code=f"B{b:02d}", name=f"楼{b}", floors_above=FLOORS)
            for b in range(BUILDINGS)
        ]
    )
    staff = User.objects.create_user("bench-staff", role=Role.OPERATOR, operator=operator)
    park.staff.add(staff)
    return staff


def workbook(rows: int) -> bytes:
    from openpyxl import Workbook

    from spaces.imports import HEADERS

    book = Workbook(write_only=True)
    sheet = book.create_sheet("单元")
    sheet.append(HEADERS)
    per_building = -(-rows // BUILDINGS)
    for i in range(rows):
        b, n = divmod(i, per_building)
        floor = 1 + n % FLOORS
        sheet.append(
            [
                "PB",
                f"B{b:02d}",
                floor,
                f"U{n:05d}",
                "办公",
                100 + i % 900,
                4.5,
                3.5,
                50,
                3.2,
                "空置",
                None,
            ]
        )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def read_alone(content: bytes) -> tuple[float, int]:
    """The floor: seconds to read the file with the reader the import uses, and nothing
    else; and its rows below the header."""
    from python_calamine import CalamineWorkbook

    started = time.perf_counter()
    book = CalamineWorkbook.from_filelike(io.BytesIO(content))
    read = sum(1 for _ in book.get_sheet_by_index(0).iter_rows()) - 1
    return time.perf_counter() - started, read


def other_writer(database: str, stop: Any, waits: Any) -> None:
    """Another process writing one row every 50 ms, as a sign-in or an API write would: the
    longest of its waits is the longest the import held the write lock. A process, not a
    thread, so that the import's Python work cannot delay it through the GIL."""
    db = sqlite3.connect(database, timeout=20, isolation_level=None)
    longest, failed = 0.0, 0
    while not stop.is_set():
        started = time.perf_counter()
        try:
            db.execute("BEGIN IMMEDIATE")
            db.execute("UPDATE core_jurisdiction SET name = name WHERE code = 'BENCH'")
            db.execute("COMMIT")
        except sqlite3.OperationalError:
            failed += 1
        longest = max(longest, time.perf_counter() - started)
        time.sleep(0.05)
    waits.put((longest, failed))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=50_000)
    args = parser.parse_args()
    setup_django()
    from django.core.management import call_command
    from django.db import connection

    call_command("flush", interactive=False, verbosity=0)  # BENCH_DATABASE_URL may hold data
    from spaces.imports import apply_import, plan_import
    from spaces.models import Unit

    staff = build_park()
    content = workbook(args.rows)
    floor, read = read_alone(content)

    started = time.perf_counter()
    plan = plan_import(content, user=staff)
    dry_run = time.perf_counter() - started
    assert plan.ok and plan.summary()["create"] == args.rows == read, plan.file_errors

    stop, waits = multiprocessing.Event(), multiprocessing.Queue()
    writer = None
    if connection.vendor == "sqlite":  # PostgreSQL locks rows, not the database
        database = str(connection.settings_dict["NAME"])
        writer = multiprocessing.Process(target=other_writer, args=(database, stop, waits))
        writer.start()
        time.sleep(0.5)
    started = time.perf_counter()
    done = apply_import(content, actor=staff)
    imported = time.perf_counter() - started
    longest, failed = 0.0, 0
    if writer is not None:
        time.sleep(0.5)
        stop.set()
        longest, failed = waits.get()
        writer.join()
    assert done.ok and Unit.objects.count() == args.rows, done.file_errors

    print(f"{connection.vendor}, {args.rows:,} new units ({len(content) / 2**20:.1f} MB .xlsx)")
    print(f"{'step':<40} {'seconds':>9}")
    print(f"{'reading the file alone (floor)':<40} {floor:>9.1f}")
    print(f"{'dry run (a task on the worker)':<40} {dry_run:>9.1f}")
    print(f"{'import job: check again and write':<40} {imported:>9.1f}   target < 30")
    if writer is not None:
        print(f"{'longest wait of another writer':<40} {longest:>9.2f}   target < 2")
        print(f"{'failed writes of another writer':<40} {failed:>9}   target 0")
    print(f"dry run / floor {dry_run / floor:.1f}×")


if __name__ == "__main__":
    main()
