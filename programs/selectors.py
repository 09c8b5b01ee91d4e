"""Reads of the service desk: the queue with SLA flags, and a company's requests."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import BooleanField, Case, QuerySet, When

from programs.models import ServiceRequest, breached_q

__all__ = ["queue", "with_breach"]


def with_breach(qs: QuerySet[ServiceRequest], today: datetime.date) -> QuerySet[ServiceRequest]:
    """Each request with ``is_breached``: computed in the query, so a queue of any length
    costs one query."""
    return qs.annotate(
        is_breached=Case(
            When(breached_q(today), then=True), default=False, output_field=BooleanField()
        )
    )


def queue(user: Any, today: datetime.date) -> QuerySet[ServiceRequest]:
    """The requests a user may see, with their service, company and assignee, breach
    flags, most urgent first."""
    qs = ServiceRequest.objects.restrict(user).select_related(
        "kind", "enterprise", "park", "assignee"
    )
    return with_breach(qs, today).order_by("due_on", "id")
