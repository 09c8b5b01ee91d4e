"""Support grants, the one write path: operator staff let a platform admin into their
operator's business data for a few days and for a stated reason, and end it when they like.

The admin cannot give themselves one (their policy grants them only ``view`` of grants);
the command line (``manage.py support_grant``) can, as the installation's first step and for
the demo, and says so in the audit log. Every grant and revocation is a security event the
auditor reads."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import audit
from core.choices import AuditAction, Role
from core.models import Operator
from core.permissions import require, require_add
from core.services import check_inputs
from security.models import SupportGrant

__all__ = ["MAX_DAYS", "operators_supported", "support_grant", "support_revoke"]

MAX_DAYS = 90  # a grant is for a piece of support work, not a standing right


def operators_supported(user: Any) -> Any:
    """Ids of the operators ``user`` holds a live grant for, as a subquery (no query here)."""
    return (
        SupportGrant.objects.in_force().filter(admin=user.pk).values_list("operator_id", flat=True)
    )


@transaction.atomic
def support_grant(
    *,
    actor: Any,
    admin: Any,
    operator: Operator,
    reason: str,
    days: int,
    comment: str = "",
) -> SupportGrant:
    """``actor`` None is the command line; otherwise operator staff of ``operator``."""
    if admin is None or admin.role != Role.ADMIN or not admin.is_active:
        raise ValidationError({"admin": _("Choose an active platform admin account.")})
    if not 1 <= int(days) <= MAX_DAYS:
        raise ValidationError(
            {
                "days": _("A grant lasts 1 to %(max)d days; ask again when it ends.")
                % {"max": MAX_DAYS}
            }
        )
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Say what the admin is to do, e.g. 核对 3 月账单.")})
    now = timezone.now()
    grant = SupportGrant(
        admin=admin,
        operator=operator,
        reason=reason.strip(),
        granted_by=actor,
        granted_at=now,
        expires_at=now + datetime.timedelta(days=int(days)),
    )
    if actor is not None:
        require_add(actor, grant)
    check_inputs(grant)
    grant.full_clean()
    grant.save()
    audit.record(
        actor=actor,
        instance=grant,
        action=AuditAction.CREATE,
        changes={
            "admin": [None, admin.username],
            "operator": [None, operator.code],
            "reason": [None, grant.reason],
            "expires_at": [None, grant.expires_at.isoformat()],
        },
        comment=comment or ("" if actor is not None else _("granted from the command line")),
    )
    return grant


@transaction.atomic
def support_revoke(*, actor: Any, grant: SupportGrant) -> SupportGrant:
    require(actor, "change", grant)
    if not grant.live:
        raise ValidationError(_("This grant has already ended."))
    grant.revoked_at, grant.revoked_by = timezone.now(), actor
    grant.save(update_fields=["revoked_at", "revoked_by"])
    audit.record(
        actor=actor,
        instance=grant,
        action=AuditAction.UPDATE,
        changes={"revoked_at": [None, grant.revoked_at.isoformat()]},
    )
    return grant
