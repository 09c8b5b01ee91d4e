"""Every write to the enterprise registry (UI, API, import and demo alike).

Enterprises, qualifications and contacts have no rules beyond their fields, constraints and
the actor's scope, so their services are the platform's generic write path.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from core import audit
from core.choices import AuditAction, Role
from core.services import create_record, delete_record, update_record
from enterprises.models import Contact, Enterprise, Membership

__all__ = [
    "contact_create",
    "contact_delete",
    "contact_update",
    "enterprise_create",
    "enterprise_delete",
    "enterprise_update",
    "membership_set",
    "qualification_create",
    "qualification_delete",
    "qualification_update",
]

enterprise_create = qualification_create = create_record
enterprise_update = qualification_update = contact_update = update_record
enterprise_delete = qualification_delete = contact_delete = delete_record


@transaction.atomic
def contact_create(*, actor: Any, instance: Contact, **kwargs: Any) -> Contact:
    """A contact belongs to who collected it: operator staff's to their operator, a
    company's own (no operator) when the company enters it; a platform admin says which."""
    if getattr(actor, "role", None) in (Role.OPERATOR, Role.FUND):
        instance.operator_id = actor.operator_id
    elif getattr(actor, "role", None) == Role.TENANT:
        instance.operator = None
    return create_record(actor=actor, instance=instance, **kwargs)


@transaction.atomic
def membership_set(*, actor: Any, user: Any, value: Enterprise | None) -> None:
    """Make ``user`` act for the company ``value`` (a tenant user's scope), audited on the
    user's change log; ``None`` leaves a user of another role without a company."""
    current = Membership.objects.filter(user=user).select_related("enterprise").first()
    before = current.enterprise if current else None
    if before == value:
        return
    if value is None:
        Membership.objects.filter(user=user).delete()
    else:
        Membership.objects.update_or_create(user=user, defaults={"enterprise": value})
    audit.record(
        actor=actor,
        instance=user,
        action=AuditAction.UPDATE,
        changes={"enterprise": [str(before) if before else None, str(value) if value else None]},
    )
