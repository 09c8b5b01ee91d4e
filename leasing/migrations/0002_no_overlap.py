"""No unit in two lease spans whose dates overlap, enforced by the database itself.

PostgreSQL: an exclusion constraint over (unit, daterange) after the btree_gist extension.
SQLite has no exclusion constraints: triggers abort an insert or update that would overlap
(adjacent spans — one ending the day before the other starts — are allowed).
"""

from django.db import migrations

PG = [
    "CREATE EXTENSION IF NOT EXISTS btree_gist",
    "ALTER TABLE leasing_leaseunit ADD CONSTRAINT lease_unit_no_overlap EXCLUDE USING gist "
    "(unit_id WITH =, daterange(start_on, end_on, '[]') WITH &&)",
]
PG_UNDO = ["ALTER TABLE leasing_leaseunit DROP CONSTRAINT lease_unit_no_overlap"]
SQLITE_CHECK = (
    "SELECT RAISE(ABORT, 'lease_unit_no_overlap') WHERE EXISTS (SELECT 1 FROM "
    "leasing_leaseunit o WHERE o.unit_id = NEW.unit_id AND o.id IS NOT NEW.id "
    "AND o.start_on <= NEW.end_on AND NEW.start_on <= o.end_on)"
)
SQLITE = [
    f"CREATE TRIGGER lease_unit_no_overlap_insert BEFORE INSERT ON leasing_leaseunit "
    f"BEGIN {SQLITE_CHECK}; END",
    f"CREATE TRIGGER lease_unit_no_overlap_update BEFORE UPDATE ON leasing_leaseunit "
    f"BEGIN {SQLITE_CHECK}; END",
]
SQLITE_UNDO = ["DROP TRIGGER lease_unit_no_overlap_insert",
               "DROP TRIGGER lease_unit_no_overlap_update"]


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for sql in {"postgresql": PG, "sqlite": SQLITE}.get(vendor, []):
        schema_editor.execute(sql)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for sql in {"postgresql": PG_UNDO, "sqlite": SQLITE_UNDO}.get(vendor, []):
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("leasing", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
