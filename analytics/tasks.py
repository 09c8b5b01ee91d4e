"""Background work of analytics (run by `make worker`): the weekly early-warning digest."""

from __future__ import annotations

from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_noop
from django_tasks import task

from analytics.kpis import Scope
from analytics.models import ParkFigures
from analytics.radar import warnings
from core.notifications import notify

__all__ = ["send_warning_digests", "warning_digest"]


def warning_digest() -> int:
    """Tell each park's staff how many of its tenants are at risk today, with a link to the
    list; the number of parks with warnings."""
    today = timezone.localdate()
    told = 0
    for park in ParkFigures.objects.order_by("code"):
        at_risk = warnings(Scope([park], today))
        staff = park.staff.filter(is_active=True)
        if not at_risk or not staff:
            continue
        notify(
            staff,
            gettext_noop(
                "%(park)s: %(n)s tenants at risk this week (arrears, shrinking, "
                "leases ending, qualifications expiring)."
            ),
            about=park,
            params={"park": park.name, "n": len(at_risk)},
            url=reverse("analytics:warnings") + "?" + urlencode({"park": park.code}),
        )
        told += 1
    return told


@task()
def send_warning_digests() -> None:
    """The weekly digest, on the worker (``manage.py warning_digest`` enqueues it)."""
    warning_digest()
