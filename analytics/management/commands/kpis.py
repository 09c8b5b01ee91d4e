"""``manage.py kpis --park CODE --as-of YYYY-MM-DD --format json|table``: every KPI of a park
(or of every park, without --park) on a day (DESIGN.md → Contracts), from the same registry
as the dashboard and the API."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandError, CommandParser

from analytics.kpis import Scope, as_json, compute
from core.management.reports import ReportCommand
from spaces.models import Park


class Command(ReportCommand):
    help = "Print every KPI of a park on a day (occupancy, talents, unicorns, output …)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--park", help="Park code (default: every park)")
        super().add_arguments(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        parks = Park.objects.order_by("code")
        if options["park"]:
            parks = parks.filter(code__iexact=options["park"])
            if not parks:
                raise CommandError(f"No park with code {options['park']!r}.")
        figures = compute(Scope(parks, self.as_of(options)))
        self.write_report({k: as_json(v) for k, v in figures.items()}, options)
