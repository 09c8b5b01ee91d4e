"""``manage.py fund_report FUND_CODE --as-of YYYY-MM-DD --format json|table``: a fund's
figures (DESIGN.md → Contracts), the same as its page and the API."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandError, CommandParser

from core.management.reports import ReportCommand
from fund.models import Fund
from fund.selectors import fund_metrics


class Command(ReportCommand):
    help = "Print a fund's metrics on a day (committed, called, invested, NAV, TVPI, XIRR …)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("fund_code")
        super().add_arguments(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        fund = Fund.objects.filter(code=options["fund_code"].upper()).first()
        if fund is None:
            raise CommandError(f"No fund with code {options['fund_code']!r}.")
        self.write_report(fund_metrics(fund, self.as_of(options)).report(), options)
