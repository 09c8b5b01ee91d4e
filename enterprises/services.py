"""Every write to the enterprise registry (UI, API, import and demo alike).

Enterprises, qualifications and contacts have no rules beyond their fields, constraints and
the actor's scope, so their services are the platform's generic write path.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import audit
from core.choices import AuditAction, Role
from core.errors import ConflictError
from core.permissions import require
from core.services import create_record, delete_record, update_record
from enterprises.models import Contact, Enterprise, Membership, Qualification

__all__ = [
    "contact_create",
    "contact_delete",
    "contact_update",
    "enterprise_create",
    "enterprise_delete",
    "enterprise_update",
    "financing_create",
    "financing_delete",
    "financing_update",
    "membership_set",
    "qualification_create",
    "qualification_delete",
    "qualification_update",
    "qualification_verify",
]

enterprise_create = financing_create = create_record
contact_update = financing_update = update_record
enterprise_delete = qualification_delete = contact_delete = financing_delete = delete_record

# what identifies a company or places it in the park's catalogue is the platform's and the
# operator's to say, not the company's own
_NOT_THE_COMPANYS = {"credit_code": "admin", "tags": "staff"}


def enterprise_update(*, actor: Any, instance: Enterprise, data: dict[str, Any]) -> Enterprise:
    """A company's record: its unified credit code is corrected only by a platform admin, its
    park tags only by staff — a tenant user edits the rest of its own company."""
    errors: dict[str, list[str]] = {}
    for name, who in _NOT_THE_COMPANYS.items():
        if name not in data:
            continue
        if name == "tags":
            changed = sorted(t.pk if hasattr(t, "pk") else int(t) for t in data[name]) != sorted(
                instance.tags.values_list("pk", flat=True)
            )
        else:
            changed = data[name] != getattr(instance, name)
        allowed = actor.is_platform_admin or (who == "staff" and actor.role != Role.TENANT)
        if changed and not allowed:
            errors[name] = [
                _("Only the platform admin corrects a credit code.")
                if who == "admin"
                else _("Park tags are set by the park's staff, not by the company.")
            ]
    if errors:
        raise ValidationError(errors)
    return update_record(actor=actor, instance=instance, data=data)


def _verification(actor: Any) -> dict[str, Any]:
    """Staff entries are checked as they are entered; a company's own wait for staff."""
    if actor is None or actor.role == Role.TENANT:
        return {"verified_at": None, "verified_by": None}
    return {"verified_at": timezone.now(), "verified_by": actor}


def qualification_create(*, actor: Any, instance: Qualification, **kwargs: Any) -> Qualification:
    for name, value in _verification(actor).items():
        setattr(instance, name, value)
    return create_record(actor=actor, instance=instance, **kwargs)


def qualification_update(
    *, actor: Any, instance: Qualification, data: dict[str, Any]
) -> Qualification:
    """A change by the company sends the certificate back to 待核验 (and one by staff counts
    as checked); saving with nothing changed changes nothing, the verification included."""
    return update_record(
        actor=actor, instance=instance, data={**data, **(_verification(actor) if data else {})}
    )


def qualification_verify(*, actor: Any, qualification: Qualification) -> Qualification:
    """待核验 → 已核验: operator staff (or the admin) have checked the certificate."""
    require(actor, "verify", qualification)  # the policy's "verify": operator staff
    if qualification.verified_at is not None:
        raise ConflictError(_("This qualification is verified already."))
    return update_record(
        actor=actor,
        instance=qualification,
        data={"verified_at": timezone.now(), "verified_by": actor},
        comment=_("Certificate checked"),
    )


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
