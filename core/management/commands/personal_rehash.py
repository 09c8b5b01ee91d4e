"""`manage.py personal_rehash`: recompute the keyed hashes of encrypted personal fields
(``<field>_digest``), after SECRET_KEY was rotated; the encrypted values themselves stay
readable through SECRET_KEY_FALLBACKS."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from core.personal import digest, personal_models


class Command(BaseCommand):
    help = "Recompute the keyed hashes of encrypted personal fields."

    def handle(self, *args: Any, **options: Any) -> None:
        total = 0
        for model in personal_models():
            names = [
                f.name[: -len("_digest")]
                for f in model._meta.concrete_fields
                if f.name.endswith("_digest")
            ]
            if not names:
                continue
            with transaction.atomic():
                rows = list(model._default_manager.all())
                for row in rows:
                    for name in names:
                        setattr(row, f"{name}_digest", digest(getattr(row, name)))
                model._default_manager.bulk_update(
                    rows, [f"{n}_digest" for n in names], batch_size=500
                )
            total += len(rows)
        self.stdout.write(f"已重算 {total} 条记录的检索哈希。Rehashed {total} records.")
