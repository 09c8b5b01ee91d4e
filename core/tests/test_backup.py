"""Backup and restore round trip: every row of every table (timestamps to the microsecond)
and every uploaded file come back as they were, on SQLite and on PostgreSQL."""

from __future__ import annotations

import datetime
import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

from core.testing.world import build_world
from enterprises.models import Enterprise
from leasing.models import LeaseAttachment


def _snapshot() -> dict[str, list[tuple]]:
    """Every row of every table, in a stable order."""
    rows = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names()):
            if table.startswith("sqlite_"):
                continue
            cursor.execute(f'SELECT * FROM "{table}"')
            rows[table] = sorted(cursor.fetchall(), key=repr)
    return rows


def _files(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }


@pytest.mark.django_db(transaction=True)
def test_backup_and_restore_give_back_every_row_and_file(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {  # real files on disk for this test (the suite keeps them in memory)
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }
    world = build_world()  # committed, with an uploaded attachment
    company = world.sample(Enterprise)
    Enterprise.objects.filter(pk=company.pk).update(
        established_on=datetime.date(2019, 2, 28), description="备份前"
    )
    attachment = world.sample(LeaseAttachment)
    before_rows, before_files = _snapshot(), _files(settings.MEDIA_ROOT)
    assert any(v for v in before_rows.values()) and before_files
    assert (
        any(
            isinstance(value, datetime.datetime) and value.microsecond
            for rows in before_rows.values()
            for row in rows
            for value in row
        )
        or connection.vendor == "sqlite"
    )  # SQLite keeps them as text, to the microsecond too

    archive = tmp_path / "backup.tar.gz"
    call_command("backup", str(archive), stdout=io.StringIO())

    # the day after: records changed, one deleted, a file lost
    Enterprise.objects.filter(pk=company.pk).update(description="改坏了")
    LeaseAttachment.objects.filter(pk=attachment.pk).delete()
    for path in settings.MEDIA_ROOT.rglob("*"):
        if path.is_file():
            path.unlink()
    assert _snapshot() != before_rows

    call_command("restore", str(archive), "--yes", stdout=io.StringIO())
    connection.close()  # read what the database now holds, through a fresh connection
    assert _snapshot() == before_rows
    assert _files(settings.MEDIA_ROOT) == before_files
    assert Enterprise.objects.get(pk=company.pk).description == "备份前"
