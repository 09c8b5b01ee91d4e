"""Load the demo portfolio: each project app's ``demo.load``, lowest layer first."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from core.demo import DEMO_PASSWORD
from core.registry import app_modules


class Command(BaseCommand):
    help = "Load the demo parks, companies and one user per role (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        ctx: dict[str, Any] = {}
        with transaction.atomic():
            for app, demo in app_modules("demo"):
                demo.load(ctx)
                self.stdout.write(f"  demo: {app.label}")
        self.stdout.write(
            self.style.SUCCESS(
                "Demo loaded. Log in as admin / operator / gov / fund / tenant, "
                f"password {DEMO_PASSWORD}"
            )
        )
