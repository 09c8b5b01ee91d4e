"""Unit search at 1,000 and 100,000 units: the answer should take the same order of time.

    python bench/unit_search.py [--sizes 1000 100000] [--repeat 20]

Builds a synthetic portfolio in a throw-away database (a temporary SQLite file, or the
PostgreSQL database named by BENCH_DATABASE_URL, which it empties), then times the searches
the UI and API run: filters by park, clear height, area, load, power and availability, first
page and a deep keyset page. Prints the median per query and the 100k / 1k ratio.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup_django() -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.dev"
    os.environ["PARKOPS_VAR_DIR"] = tempfile.mkdtemp(prefix="parkops-bench-")
    if url := os.environ.get("BENCH_DATABASE_URL"):
        os.environ["DATABASE_URL"] = url
    else:
        os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def build_portfolio(units: int) -> None:
    """Parks of 20 buildings × 10 floors × 25 units, written in bulk (synthetic data)."""
    from core.models import Jurisdiction, Operator
    from spaces.models import Building, Floor, Park, Unit

    Unit.objects.all().delete()
    Floor.objects.all().delete()
    Building.objects.all().delete()
    Park.objects.all().delete()
    operator, _ = Operator.objects.get_or_create(code="BENCH", defaults={"name": "bench"})
    district, _ = Jurisdiction.objects.get_or_create(code="BENCH", defaults={"name": "bench"})
    per_park = 20 * 10 * 25
    uses = ["office", "lab", "workshop", "warehouse"]
    statuses = ["vacant", "leased", "leased", "leased", "reserved", "not_leasable"]
    for p in range(max(1, -(-units // per_park))):
        park = Park.objects.create(
            code=f"P{p:03d}",
            name=f"园区{p}",
            kind="manufacturing",
            operator=operator,
            jurisdiction=district,
        )
        buildings = Building.objects.bulk_create(
            [
                Building(park=park, code=f"B{b:02d}", name=f"楼{b}", floors_above=10)
                for b in range(20)
            ]
        )
        floors = Floor.objects.bulk_create(
            [Floor(building=b, number=n) for b in buildings for n in range(1, 11)]
        )
        batch = []
        for f_index, floor in enumerate(floors):
            for u in range(25):
                i = p * per_park + f_index * 25 + u
                if i >= units:
                    break
                batch.append(
                    Unit(
                        floor=floor,
                        building=floor.building,
                        park=park,
                        code=f"{floor.pk}-{u:02d}",
                        use=uses[i % 4],
                        area_m2=Decimal(50 + (i * 37) % 3000),
                        clear_height_m=Decimal(3 + (i * 7) % 10),
                        floor_load_kn_m2=Decimal(3 + i % 20),
                        power_kva=Decimal((i * 13) % 800),
                        list_rent=Decimal("3.50"),
                        status=statuses[i % 6],
                    )
                )
        Unit.objects.bulk_create(batch, batch_size=5000)


SEARCHES = {
    "park + clear height ≥ 8 + area 500–2000": "park=P000&clear_height_min=8&area_min=500&area_max=2000",
    "park + load ≥ 15 + power ≥ 400": "park=P000&floor_load_min=15&power_min=400",
    "available on a date, portfolio": "available_on=2027-01-01",
    "all units, sorted by area desc": "sort=-area_m2",
}


def time_search(query: str, repeat: int) -> float:
    from django.http import QueryDict

    from core.pagination import keyset_page
    from spaces.filters import UnitFilter
    from spaces.models import Unit

    params = QueryDict(query, mutable=True)
    order = params.pop("sort", ["code"])[0]
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        qs = UnitFilter(
            params, queryset=Unit.objects.select_related("park", "building", "floor")
        ).qs
        page = keyset_page(qs, order=order, cursor=None, size=25)
        if page.next_cursor:  # and the next page, as a user paging on would
            keyset_page(qs, order=order, cursor=page.next_cursor, size=25)
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 100000])
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    setup_django()
    from django.db import connection

    results: dict[int, dict[str, float]] = {}
    for size in args.sizes:
        start = time.perf_counter()
        build_portfolio(size)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        print(f"built {size:,} units in {time.perf_counter() - start:.1f} s ({connection.vendor})")
        results[size] = {name: time_search(q, args.repeat) for name, q in SEARCHES.items()}
    small, large = args.sizes[0], args.sizes[-1]
    print(f"\n{'search':45} {small:>10,} {large:>10,}   ratio")
    for name in SEARCHES:
        a, b = results[small][name] * 1000, results[large][name] * 1000
        print(f"{name:45} {a:8.2f}ms {b:8.2f}ms {b / a:7.1f}×")


if __name__ == "__main__":
    main()
