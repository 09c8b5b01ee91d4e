"""Backups: one archive holding a consistent snapshot of the database and every uploaded file.

The database is copied with its own tools, which keep every value as stored (timestamps to
the microsecond, decimals, binary payloads): SQLite's online backup API (a consistent copy of
a live database, from the standard library) and PostgreSQL's ``pg_dump`` / ``pg_restore`` in
the custom format. Uploaded files (MEDIA_ROOT) go into the same .tar.gz.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection
from django.utils import timezone

__all__ = ["BackupError", "backup_create", "backup_restore"]

MANIFEST = "manifest.json"


class BackupError(Exception):
    """A backup or restore that cannot be done, with what to do about it."""


def _pg_env() -> tuple[list[str], dict[str, str]]:
    db = settings.DATABASES["default"]
    args = ["-h", str(db.get("HOST") or "127.0.0.1"), "-p", str(db.get("PORT") or 5432)]
    args += ["-U", str(db.get("USER") or "postgres")]
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return args, env


def _run(command: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()[:500]}")


def _dump_database(target: Path) -> str:
    """The database into ``target``; answers its format ("sqlite" or "pg_custom")."""
    connection.ensure_connection()
    if connection.vendor == "sqlite":
        destination = sqlite3.connect(target)
        with destination:
            connection.connection.backup(destination)  # type: ignore[union-attr]
        destination.close()
        return "sqlite"
    if connection.vendor == "postgresql":
        args, env = _pg_env()
        name = str(connection.settings_dict["NAME"])
        _run(["pg_dump", *args, "-Fc", "--no-owner", "-f", str(target), name], env)
        return "pg_custom"
    raise BackupError(f"No backup for a {connection.vendor} database.")


def _load_database(source: Path, kind: str) -> None:
    if kind == "sqlite" and connection.vendor == "sqlite":
        connection.ensure_connection()
        origin = sqlite3.connect(source)
        origin.backup(connection.connection)  # type: ignore[arg-type]
        origin.close()
        return
    if kind == "pg_custom" and connection.vendor == "postgresql":
        args, env = _pg_env()
        name = str(connection.settings_dict["NAME"])
        connection.close()  # pg_restore replaces the tables this connection may hold
        _run(
            ["pg_restore", *args, "--clean", "--if-exists", "--no-owner", "-d", name, str(source)],
            env,
        )
        return
    raise BackupError(
        f"This archive holds a {kind} database; this site runs on {connection.vendor}. "
        "Restore it on the same kind of database."
    )


def backup_create(target: Path) -> dict[str, Any]:
    """Write the archive to ``target`` (.tar.gz): the database, the uploaded files and a
    manifest saying what is inside."""
    media = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory() as work:
        dump = Path(work) / "database"
        kind = _dump_database(dump)
        files = sorted(p for p in media.rglob("*") if p.is_file()) if media.exists() else []
        manifest = {
            "created_at": timezone.now().isoformat(),
            "database": kind,
            "files": [str(p.relative_to(media)) for p in files],
        }
        with tarfile.open(target, "w:gz") as archive:
            archive.add(dump, arcname="database")
            for path in files:
                archive.add(path, arcname=f"media/{path.relative_to(media)}")
            data = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return manifest


def backup_restore(source: Path) -> dict[str, Any]:
    """Put the database and the uploaded files back as the archive holds them (the files the
    archive does not name are removed: the site is as it was at the backup)."""
    media = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory() as work, tarfile.open(source, "r:gz") as archive:
        archive.extractall(work, filter="data")  # no absolute paths, no links out of `work`
        manifest = json.loads((Path(work) / MANIFEST).read_text())
        _load_database(Path(work) / "database", manifest["database"])
        if media.exists():
            shutil.rmtree(media)
        restored = Path(work) / "media"
        if restored.exists():
            shutil.copytree(restored, media)
        else:
            media.mkdir(parents=True, exist_ok=True)
    return dict(manifest)
