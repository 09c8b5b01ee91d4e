"""``manage.py kpis --park CODE --as-of YYYY-MM-DD --format json|table``: every KPI of a park
(or of every park, without --park) on a day (DESIGN.md → Contracts), from the same registry
as the dashboard and the API."""

from __future__ import annotations

import datetime
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from analytics.kpis import Scope, as_json, compute
from spaces.models import Park


class Command(BaseCommand):
    help = "Print every KPI of a park on a day (occupancy, talents, unicorns, output …)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--park", help="Park code (default: every park)")
        parser.add_argument("--as-of", dest="as_of", help="YYYY-MM-DD (default: today)")
        parser.add_argument("--format", choices=["json", "table"], default="json")

    def handle(self, *args: Any, **options: Any) -> None:
        parks = Park.objects.order_by("code")
        if options["park"]:
            parks = parks.filter(code__iexact=options["park"])
            if not parks:
                raise CommandError(f"No park with code {options['park']!r}.")
        try:
            as_of = (
                datetime.date.fromisoformat(options["as_of"])
                if options["as_of"]
                else timezone.localdate()
            )
        except ValueError as exc:
            raise CommandError("--as-of is a date written YYYY-MM-DD.") from exc
        report = {k: as_json(v) for k, v in compute(Scope(parks, as_of)).items()}
        if options["format"] == "json":
            self.stdout.write(json.dumps(report, ensure_ascii=False, indent=2))
            return
        width = max(len(k) for k in report)
        for key, value in report.items():
            self.stdout.write(f"{key:<{width}}  {'null' if value is None else value}")
