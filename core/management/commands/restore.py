"""``manage.py restore PATH``: put back the database and the uploaded files of a backup."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from core.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = "Restore the database and the uploaded files from a backup made by `backup`."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("path", help="The .tar.gz written by `manage.py backup`")
        parser.add_argument(
            "--yes", action="store_true", help="Do not ask: this replaces every record and file"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        source = Path(options["path"])
        if not source.is_file():
            raise CommandError(f"No backup at {source}.")
        if (
            not options["yes"]
            and input("This replaces every record and uploaded file with the backup's. Type yes: ")
            != "yes"
        ):
            raise CommandError("Nothing was restored.")
        try:
            manifest = backup_restore(source)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Restored the backup of {manifest['created_at']}.")
