"""`make run` loads the demo only into an empty database, so a second run starts at once."""

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand

from core.models import User


class Command(BaseCommand):
    help = "Load the demo portfolio if the database has no users yet."

    def handle(self, *args: Any, **options: Any) -> None:
        if User.objects.exists():
            self.stdout.write("Database already has data; demo not reloaded.")
            return
        call_command("load_demo", stdout=self.stdout)
