"""Platform endpoints: who am I, and the change log of any record the caller may see."""

from __future__ import annotations

import datetime
from typing import Annotated, Any

from django.apps import apps
from django.http import Http404, HttpRequest
from ninja import Path, Router, Schema

from core import audit
from core.api.base import ERRORS, PathId, describe_fields, signed_in
from core.choices import AuditAction, Role
from core.models import User
from core.permissions import get_restricted_or_404
from core.scopes import role_scope

__all__ = ["router"]

router = Router(tags=["platform"])


class MeOut(Schema):
    username: str
    display_name: str
    role: Role
    operator_id: int | None
    operator: str | None
    jurisdiction_id: int | None
    jurisdiction: str | None
    enterprise_id: int | None


describe_fields(
    MeOut,
    User,
    operator="The operator's code",
    jurisdiction="The jurisdiction's code",
    enterprise_id="A tenant user's company (null for other roles)",
)


class AuditOut(Schema):
    at: datetime.datetime
    actor: str | None
    action: AuditAction
    changes: dict[str, list[Any]]
    comment: str


describe_fields(
    AuditOut,
    at="When the change was made",
    actor="Who made it (null: the system)",
    action="create, update or delete",
    changes="Field name -> [old value, new value], only the fields the caller may see",
    comment="Why, where the change said so",
)


class AuditPage(Schema):
    items: list[AuditOut]
    next: str | None = None


describe_fields(
    AuditPage,
    items="The changes, newest first (at most 500)",
    next="Always null: the log is one page",
)


def _company(user: Any) -> Any:
    """A tenant user's company, from the app that keeps it (core.scopes)."""
    scope = role_scope(user.role)
    return scope.value_of(user) if scope is not None and scope.kind == "enterprise" else None


@router.get(
    "/me",
    response={200: MeOut, **ERRORS},
    summary="The authenticated user",
    operation_id="me_get",
    **signed_in("Who the caller is: username, role and the scope that role has."),
)
def me(request: HttpRequest) -> Any:
    user: Any = request.user
    return {
        "username": user.username,
        "display_name": str(user),
        "role": user.role,
        "operator_id": user.operator_id,
        "operator": user.operator.code if user.operator_id else None,
        "jurisdiction_id": user.jurisdiction_id,
        "jurisdiction": user.jurisdiction.code if user.jurisdiction_id else None,
        "enterprise_id": getattr(_company(user), "pk", None),
    }


@router.get(
    "/audit/{app_label}/{model_name}/{object_id}",
    response={200: AuditPage, **ERRORS},
    summary="Change log of one record",
    operation_id="audit_list",
    **signed_in(
        "The change log of one record: who changed which field when, old and new values, "
        "without the fields the record's policy hides from the caller. 404 for a record "
        "outside the caller's scope, as for its page."
    ),
)
def record_history(
    request: HttpRequest,
    app_label: Annotated[str, Path(..., description="The record's app, e.g. admissions")],
    model_name: Annotated[str, Path(..., description="The record's model, e.g. application")],
    object_id: PathId,
) -> Any:
    try:
        model = apps.get_model(app_label, model_name)
    except (LookupError, ValueError) as exc:
        raise Http404 from exc
    if not hasattr(model, "policy"):
        raise Http404
    obj = get_restricted_or_404(model, request.user, "view", pk=object_id)
    return {
        "items": [
            {
                "at": e.at,
                "actor": str(e.actor) if e.actor else None,
                "action": e.action,
                "changes": e.changes,
                "comment": e.comment,
            }
            for e in audit.history(request.user, obj, limit=500)
        ]
    }
