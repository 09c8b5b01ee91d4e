"""What the report commands (``kpis``, ``fund_report``) share: the day they report on, and
printing a flat report as JSON or as an aligned table."""

from __future__ import annotations

import datetime
import json
from collections.abc import Mapping
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

__all__ = ["ReportCommand"]


class ReportCommand(BaseCommand):
    """A command that prints one report on a day: ``--as-of`` and ``--format``."""

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--as-of", dest="as_of", help="YYYY-MM-DD (default: today)")
        parser.add_argument("--format", choices=["json", "table"], default="json")

    @staticmethod
    def as_of(options: Mapping[str, Any]) -> datetime.date:
        if not options["as_of"]:
            return timezone.localdate()
        try:
            return datetime.date.fromisoformat(options["as_of"])
        except ValueError as exc:
            raise CommandError("--as-of is a date written YYYY-MM-DD.") from exc

    def write_report(self, report: Mapping[str, Any], options: Mapping[str, Any]) -> None:
        if options["format"] == "json":
            self.stdout.write(json.dumps(report, ensure_ascii=False, indent=2))
            return
        width = max(len(k) for k in report)
        for key, value in report.items():
            self.stdout.write(f"{key:<{width}}  {'null' if value is None else value}")
