"""The catalogs shipped with the project: the GB/T 4754-2017 industry classification at all four
levels (data/gbt4754_2017.json names its source) and default park tags.

Loaded by a data migration, and again (idempotently) by the demo loader, since a test
database flushed between tests loses what migrations wrote.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

__all__ = ["DEFAULT_TAGS", "catalogue_rows", "ensure_catalogs"]

DATA = Path(__file__).resolve().parent / "data" / "gbt4754_2017.json"
DEFAULT_TAGS = [
    "新一代信息技术",
    "人工智能",
    "集成电路",
    "智能制造",
    "高端装备",
    "生物医药",
    "医疗器械",
    "新材料",
    "新能源",
    "节能环保",
    "智能网联汽车",
    "科技服务",
]


def catalogue_rows() -> list[tuple[str, str, str]]:
    """(code, name, section) for every row of the four-level table, in the standard's order:
    sections A–T, two-digit divisions, three-digit groups, four-digit classes."""
    rows, section = [], ""
    for code, name in json.loads(DATA.read_text(encoding="utf-8"))["items"]:
        if code.isalpha():
            section = code
        rows.append((code, name, section))
    return rows


def ensure_catalogs(industry_model: Any, tag_model: Any) -> None:
    """Create missing catalog rows; takes the models so a migration can pass its own."""
    industry_model.objects.bulk_create(
        [industry_model(code=c, name=n, section=s) for c, n, s in catalogue_rows()],
        ignore_conflicts=True,
    )
    tag_model.objects.bulk_create([tag_model(name=n) for n in DEFAULT_TAGS], ignore_conflicts=True)
