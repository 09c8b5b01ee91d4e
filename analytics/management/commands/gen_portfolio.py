"""manage.py gen_portfolio --scale S: the synthetic portfolio of benchmarks and load tests."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from analytics import synthetic


class Command(BaseCommand):
    help = (
        "Build a synthetic portfolio through bulk paths: at scale 1, 50 parks, 2,000 buildings, "
        "200,000 units, 100,000 enterprises and leases, 2,000,000 bills, three years of "
        "quarterly statistics. Replaces an earlier synthetic portfolio; leaves other data be."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--scale", type=float, default=0.01, help="1 = full size (default 0.01)"
        )
        parser.add_argument("--remove", action="store_true", help="only remove the portfolio")

    def handle(self, *args: Any, scale: float, remove: bool, **options: Any) -> None:
        if remove:
            synthetic.remove()
            self.stdout.write("synthetic portfolio removed")
            return
        if not 0 < scale <= 10:
            raise CommandError("--scale: give a number above 0 and at most 10, e.g. 0.01 or 1")
        start = time.perf_counter()
        counts = synthetic.generate(scale, progress=lambda m: self.stdout.write(f"  {m}"))
        self.stdout.write(
            ", ".join(f"{n:,} {kind}" for kind, n in counts.items())
            + f" in {time.perf_counter() - start:.0f} s"
        )
        self.stdout.write(
            f"users scale-operator, scale-gov, scale-fund, scale-tenant; "
            f"password {synthetic.PASSWORD}"
        )
