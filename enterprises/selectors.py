"""Reads of the enterprise registry that other apps ask: whose company a tenant user is."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import QuerySet

from enterprises.models import Enterprise, Membership

__all__ = ["company_ids_of", "company_of", "users_of"]


def company_ids_of(user: Any) -> QuerySet:
    """The id of the company ``user`` acts for, as a subquery (the tenant scope)."""
    return Membership.objects.filter(user_id=user.pk).values("enterprise_id")


def company_of(user: Any) -> Enterprise | None:
    """The company a tenant user acts for (from the joined row where a list selected it)."""
    try:
        membership = user.membership
    except Membership.DoesNotExist:
        return None
    return membership.enterprise


def users_of(*enterprise_ids: Any) -> QuerySet:
    """The active users who act for these companies: whom a notice to a company goes to."""
    return get_user_model().objects.filter(
        is_active=True, membership__enterprise_id__in=enterprise_ids
    )
