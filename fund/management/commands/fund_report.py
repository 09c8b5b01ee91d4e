"""``manage.py fund_report FUND_CODE --as-of YYYY-MM-DD --format json|table``: a fund's
figures (DESIGN.md → Contracts), the same as its page and the API."""

from __future__ import annotations

import datetime
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from fund.models import Fund
from fund.selectors import fund_metrics


class Command(BaseCommand):
    help = "Print a fund's metrics on a day (committed, called, invested, NAV, TVPI, XIRR …)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("fund_code")
        parser.add_argument("--as-of", dest="as_of", help="YYYY-MM-DD (default: today)")
        parser.add_argument("--format", choices=["json", "table"], default="json")

    def handle(self, *args: Any, **options: Any) -> None:
        fund = Fund.objects.filter(code=options["fund_code"].upper()).first()
        if fund is None:
            raise CommandError(f"No fund with code {options['fund_code']!r}.")
        try:
            as_of = (
                datetime.date.fromisoformat(options["as_of"])
                if options["as_of"]
                else timezone.localdate()
            )
        except ValueError as exc:
            raise CommandError("--as-of is a date written YYYY-MM-DD.") from exc
        report = fund_metrics(fund, as_of).report()
        if options["format"] == "json":
            self.stdout.write(json.dumps(report, ensure_ascii=False, indent=2))
            return
        width = max(len(k) for k in report)
        for key, value in report.items():
            self.stdout.write(f"{key:<{width}}  {'null' if value is None else value}")
