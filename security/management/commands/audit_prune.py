"""`manage.py audit_prune [--days N]`: delete audit entries older than the retention period
(settings.PARKOPS_AUDIT_RETENTION_DAYS, never under 180 days); the chain still verifies."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from core import audit
from core.audit.log import MIN_RETENTION_DAYS


class Command(BaseCommand):
    help = "Delete audit entries past their retention period (at least 180 days)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--days", type=int, default=settings.PARKOPS_AUDIT_RETENTION_DAYS)

    def handle(self, *args: Any, days: int, **options: Any) -> None:
        if days < MIN_RETENTION_DAYS:
            raise CommandError(
                f"审计日志至少保存 {MIN_RETENTION_DAYS} 天：--days 请设为 {MIN_RETENTION_DAYS} 或以上。"
                f" Audit entries are kept at least {MIN_RETENTION_DAYS} days: use --days "
                f"{MIN_RETENTION_DAYS} or more."
            )
        count = audit.prune(older_than_days=days)
        self.stdout.write(f"已删除 {count} 条超过 {days} 天的审计记录。Pruned {count} entries.")
