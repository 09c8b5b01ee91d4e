"""Lease states, rent conventions and the allowed moves between states."""

from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = ["LEASE_TRANSITIONS", "Convention", "LeaseState"]


class LeaseState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ACTIVE = "active", _("Active")
    TERMINATED = "terminated", _("Terminated early")
    EXPIRED = "expired", _("Expired")
    RENEWED = "renewed", _("Renewed")


class Convention(models.TextChoices):
    """How a month's rent follows from the 元/㎡/天 price (stated in the contract)."""

    DAILY = "daily", _("By the days actually in each period")
    MONTHLY = "monthly", _("Price × area × 365 ÷ 12 per full month, broken months by days")


LEASE_TRANSITIONS: dict[str, tuple[tuple[str, ...], str]] = {
    "activate": ((LeaseState.DRAFT,), LeaseState.ACTIVE),
    "terminate": ((LeaseState.ACTIVE,), LeaseState.TERMINATED),
    "expire": ((LeaseState.ACTIVE,), LeaseState.EXPIRED),
    "renew": ((LeaseState.ACTIVE, LeaseState.EXPIRED), LeaseState.RENEWED),
}
