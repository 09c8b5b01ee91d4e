"""No two bookings of one instrument that are not cancelled overlap, enforced by the database.

PostgreSQL: an exclusion constraint over (equipment, time range) for the rows not cancelled
(btree_gist, as leasing's spans). SQLite has no exclusion constraints: triggers abort an
insert or update that would overlap. Back-to-back bookings (one ends when the next starts)
are allowed.
"""

from django.db import migrations

PG = [
    "CREATE EXTENSION IF NOT EXISTS btree_gist",
    "ALTER TABLE programs_booking ADD CONSTRAINT booking_no_overlap EXCLUDE USING gist "
    "(equipment_id WITH =, tstzrange(starts_at, ends_at, '[)') WITH &&) "
    "WHERE (state <> 'cancelled')",
]
PG_UNDO = ["ALTER TABLE programs_booking DROP CONSTRAINT booking_no_overlap"]
SQLITE_CHECK = (
    "SELECT RAISE(ABORT, 'booking_no_overlap') WHERE NEW.state <> 'cancelled' AND EXISTS "
    "(SELECT 1 FROM programs_booking o WHERE o.equipment_id = NEW.equipment_id "
    "AND o.id IS NOT NEW.id AND o.state <> 'cancelled' "
    "AND o.starts_at < NEW.ends_at AND NEW.starts_at < o.ends_at)"
)
SQLITE = [
    f"CREATE TRIGGER booking_no_overlap_insert BEFORE INSERT ON programs_booking "
    f"BEGIN {SQLITE_CHECK}; END",
    f"CREATE TRIGGER booking_no_overlap_update BEFORE UPDATE ON programs_booking "
    f"BEGIN {SQLITE_CHECK}; END",
]
SQLITE_UNDO = ["DROP TRIGGER booking_no_overlap_insert", "DROP TRIGGER booking_no_overlap_update"]


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for sql in {"postgresql": PG, "sqlite": SQLITE}.get(vendor, []):
        schema_editor.execute(sql)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for sql in {"postgresql": PG_UNDO, "sqlite": SQLITE_UNDO}.get(vendor, []):
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("programs", "0002_equipment_bookings")]
    operations = [migrations.RunPython(forwards, backwards)]
