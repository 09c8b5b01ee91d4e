"""Role scopes that apps add: what places a user of one role, beyond core's own records.

Core knows the operator and the jurisdiction (its own records). A tenant user's company
lives with ``enterprises`` and a fund manager's funds with ``fund``: each app registers a
:class:`RoleScope`, and core's pieces ask it — the permission layer for the rows in scope, the
users page for the field to fill, ``user_create`` for the value to keep. Core holds no foreign
key into an app.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

__all__ = [
    "RoleScope",
    "register_role_scope",
    "register_support_scope",
    "role_scope",
    "role_scopes",
    "scope_ids",
    "support_operator_ids",
]


@dataclass(frozen=True)
class RoleScope:
    """``kind`` is the Policy path it fills ("enterprise"); ``name`` the field on the users
    page; ``ids(user)`` the ids of the user's scope records, as a queryset the permission
    layer embeds as a subquery (no extra query per check)."""

    role: str
    kind: str
    name: str
    label: Any
    form_field: Callable[[], Any]  # a new form field for the users page
    value_of: Callable[[Any], Any]  # user -> the record(s) the user is placed in, or None
    assign: Callable[..., None]  # (*, actor, user, value): keep the value, audited
    ids: Callable[[Any], Any]  # user -> queryset of scope record ids
    select_related: str = ""  # what a users list joins to show value_of without a query a row


_SCOPES: dict[str, RoleScope] = {}


def register_role_scope(scope: RoleScope) -> None:
    """Called from the app's ``ready()``."""
    _SCOPES[scope.role] = scope


def role_scopes() -> list[RoleScope]:
    return list(_SCOPES.values())


def role_scope(role: str) -> RoleScope | None:
    return _SCOPES.get(role)


def scope_ids(user: Any, kind: str) -> Any:
    """The ids of ``user``'s scope records of ``kind`` (empty when no app provides them)."""
    scope = _SCOPES.get(getattr(user, "role", ""))
    if scope is None or scope.kind != kind:
        return []
    return scope.ids(user)


# The platform admin's support scope (等保 2.0: the system administrator reads no business
# data beyond what they were given to support): user -> flat queryset of operator ids whose
# records the admin may read and write now. The security app keeps the grants and registers
# the function; without it (core alone) an admin is not limited.
_SUPPORT: list[Callable[[Any], Any]] = []


def register_support_scope(operator_ids: Callable[[Any], Any]) -> None:
    """Called from the security app's ``ready()``."""
    _SUPPORT[:] = [operator_ids]


def support_operator_ids(user: Any) -> Any:
    """The operators ``user`` (a platform admin) supports now, or None when nothing limits."""
    return _SUPPORT[0](user) if _SUPPORT else None
