"""``manage.py support_grant ADMIN OPERATOR --reason ... [--days N]``: a support grant given
from the command line (the installation's first support, or when no operator staff exist
yet); the audit log records that it came from the command line."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from core.models import Operator, User
from security import support


class Command(BaseCommand):
    help = "Let a platform admin read and write one operator's business data for some days."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("admin", help="the platform admin's username")
        parser.add_argument("operator", help="the operator's code")
        parser.add_argument("--reason", required=True, help="what the admin is to do")
        parser.add_argument("--days", type=int, default=3, help="1 to 90 (default 3)")

    def handle(self, *args: Any, **options: Any) -> None:
        admin = User.objects.filter(username=options["admin"]).first()
        operator = Operator.objects.filter(code=options["operator"]).first()
        if operator is None:
            raise CommandError(f"No operator with code {options['operator']!r}.")
        try:
            grant = support.support_grant(
                actor=None,
                admin=admin,
                operator=operator,
                reason=options["reason"],
                days=options["days"],
            )
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        self.stdout.write(f"{grant} until {grant.expires_at:%Y-%m-%d %H:%M}.")
