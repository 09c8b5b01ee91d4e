"""Load the demo portfolio: each project app's ``demo.load``, lowest layer first."""

from __future__ import annotations

from importlib import import_module
from importlib.util import find_spec
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction

from core.demo import DEMO_PASSWORD


class Command(BaseCommand):
    help = "Load the demo parks, companies and one user per role (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        ctx: dict[str, Any] = {}
        with transaction.atomic():
            for app in settings.PARKOPS_APPS:
                if find_spec(f"{app}.demo") is not None:
                    import_module(f"{app}.demo").load(ctx)
                    self.stdout.write(f"  demo: {app}")
        self.stdout.write(
            self.style.SUCCESS(
                "Demo loaded. Log in as admin / operator / gov / fund / tenant, "
                f"password {DEMO_PASSWORD}"
            )
        )
