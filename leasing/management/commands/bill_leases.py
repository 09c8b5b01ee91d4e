"""The daily billing run: issue every bill due by today and mark leases past their end as
expired. Run it once a day (cron or a systemd timer: `manage.py bill_leases`); it is
idempotent, so a missed or repeated day does no harm."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from core.choices import Role
from core.models import User
from leasing import billing, services
from leasing.choices import LeaseState
from leasing.models import Lease


class Command(BaseCommand):
    help = "Issue the bills due by today and expire leases past their end date."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--user", help="Acting user (default: the first platform admin)")

    def handle(self, *args: Any, **options: Any) -> None:
        users = (
            User.objects.filter(username=options["user"])
            if options["user"]
            else (User.objects.filter(role=Role.ADMIN, is_active=True).order_by("id"))
        )
        actor = users.first()
        if actor is None:
            raise CommandError("No acting user: create a platform admin or pass --user.")
        today = timezone.localdate()
        issued = expired = 0
        every = Lease.objects.filter(state__in=(LeaseState.ACTIVE, LeaseState.RENEWED))
        # only the leases the acting user may bill: a platform admin those of the operators
        # they hold a support grant for (security), a staff account its parks'
        running = every.restrict(actor, "change")
        skipped = every.count() - running.count()
        for lease in running.order_by("id").iterator():
            issued += len(billing.invoices_issue(actor=actor, lease=lease, on=today))
            if lease.state == LeaseState.ACTIVE and lease.end_on < today:
                services.lease_transition(actor=actor, lease=lease, action="expire")
                expired += 1
        self.stdout.write(f"{issued} bills issued, {expired} leases expired ({today}).")
        if skipped:
            self.stderr.write(
                f"{skipped} running leases skipped: {actor} may not bill them. Give the admin a "
                "support grant for their operator, or pass --user with a staff account."
            )
