"""Print a new personal API token for a user: `manage.py create_api_token USERNAME`."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from core.models import User
from core.tokens import token_create


class Command(BaseCommand):
    help = "Create an API token for USERNAME and print it (send as Authorization: Bearer …)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--name", default="command line")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"], is_active=True).first()
        if user is None:
            raise CommandError(f"No active user {options['username']!r}.")
        _token, key = token_create(actor=user, name=options["name"])
        self.stdout.write(key)
