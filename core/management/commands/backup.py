"""``manage.py backup [PATH]``: the database and the uploaded files in one .tar.gz."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from core.backup import BackupError, backup_create


class Command(BaseCommand):
    help = "Write a consistent backup of the database and the uploaded files (.tar.gz)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "path",
            nargs="?",
            help="Archive to write (default: var/backups/parkops-<time>.tar.gz)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        target = Path(
            options["path"]
            or Path(settings.VAR_DIR) / "backups" / f"parkops-{timezone.now():%Y%m%d-%H%M%S}.tar.gz"
        )
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            manifest = backup_create(target)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"{target}: {manifest['database']} database, {len(manifest['files'])} files"
        )
