"""The weekly early-warning digest: run it once a week (cron or a systemd timer:
`manage.py warning_digest`); the worker sends it, or ``--now`` sends it from here."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from analytics.tasks import send_warning_digests, warning_digest


class Command(BaseCommand):
    help = "Tell each park's staff which tenants are at risk (the weekly digest)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--now", action="store_true", help="Send it now, not by the worker")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["now"]:
            parks = warning_digest()
            self.stdout.write(f"Digest sent for {parks} parks.")
            return
        send_warning_digests.enqueue()
        self.stdout.write("Digest queued for the worker.")
