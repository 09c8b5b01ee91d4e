"""The catalogs shipped with the project: GB/T 4754-2017 industries and default park tags.

Loaded by a data migration, and again (idempotently) by the demo loader, since a test
database flushed between tests loses what migrations wrote.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

__all__ = ["DEFAULT_TAGS", "ensure_catalogs"]

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


def ensure_catalogs(industry_model: Any, tag_model: Any) -> None:
    """Create missing catalog rows; takes the models so a migration can pass its own."""
    rows = []
    for section in json.loads(DATA.read_text(encoding="utf-8"))["sections"]:
        rows.append(
            industry_model(code=section["code"], name=section["name"], section=section["code"])
        )
        rows += [
            industry_model(code=d["code"], name=d["name"], section=section["code"])
            for d in section["divisions"]
        ]
    industry_model.objects.bulk_create(rows, ignore_conflicts=True)
    tag_model.objects.bulk_create([tag_model(name=n) for n in DEFAULT_TAGS], ignore_conflicts=True)
