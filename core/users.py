"""Services for platform users (the admin's job): create or change with a role and its scope,
audited. A scope that lives in an app (a tenant user's company) is kept by the app's
registered :class:`core.scopes.RoleScope`, in the same transaction."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core import audit
from core.choices import AuditAction, Role
from core.models import User
from core.scopes import role_scope, role_scopes
from core.services import check_inputs, create_record, update_record

__all__ = ["profile_update", "user_create", "user_save", "user_update"]


def _split(values: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """User fields, and values of the apps' role scopes, by name."""
    names = {s.name for s in role_scopes()}
    return (
        {k: v for k, v in values.items() if k not in names},
        {k: v for k, v in values.items() if k in names},
    )


def _keep_scope(actor: Any, user: User, scoped: Mapping[str, Any]) -> None:
    """Give the user's role its scope value, and refuse a role left without one."""
    scope = role_scope(user.role)
    if scope is None:
        return
    if scope.name in scoped:
        scope.assign(actor=actor, user=user, value=scoped[scope.name])
    if not scope.value_of(user):
        raise ValidationError(
            {
                scope.name: _("A user of this role needs a %(what)s: choose one.")
                % {"what": scope.label}
            }
        )


@transaction.atomic
def user_create(
    *,
    actor: User | None,
    username: str,
    password: str,
    role: Role,
    display_name: str = "",
    **scope: Any,
) -> User:
    """A user with ``role`` and the scope it needs (operator, jurisdiction, or an app's:
    ``enterprise=`` for a tenant user)."""
    fields, scoped = _split(scope)
    user = User(username=username, role=role, display_name=display_name, **fields)
    if role == Role.ADMIN:
        user.is_staff = user.is_superuser = True
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    audit.record(
        actor=actor or user,
        instance=user,
        action=AuditAction.CREATE,
        changes={
            k: [None, v]
            for k, v in audit.snapshot(user).items()
            if v not in (None, "", False) and k not in ("password", "last_login")
        },
    )
    _keep_scope(actor or user, user, scoped)
    return user


@transaction.atomic
def user_save(*, actor: Any, instance: User, scoped: Mapping[str, Any], **kwargs: Any) -> User:
    """The users page's create: the generic write path, then the app scope."""
    user = create_record(actor=actor, instance=instance, **kwargs)
    _keep_scope(actor, user, scoped)
    return user


@transaction.atomic
def user_update(*, actor: Any, instance: User, data: Mapping[str, Any]) -> User:
    fields, scoped = _split(data)
    user = update_record(actor=actor, instance=instance, data=fields)
    _keep_scope(actor, user, scoped)
    return user


PROFILE_FIELDS = ("display_name", "email")


@transaction.atomic
def profile_update(*, actor: User, display_name: str, email: str) -> User:
    """One's own name and e-mail (the profile page): anyone signed in, for themselves only;
    role and scope stay the admin's to change. Audited like every change."""
    user = User.objects.select_for_update().get(pk=actor.pk)  # a refusal leaves actor as it was
    before = audit.snapshot(user)
    user.display_name, user.email = display_name.strip(), email.strip()
    check_inputs(user)
    user.full_clean(
        exclude=[f.name for f in User._meta.concrete_fields if f.name not in PROFILE_FIELDS]
    )
    user.save(update_fields=list(PROFILE_FIELDS))
    changes = audit.diff(before, audit.snapshot(user))
    if changes:
        audit.record(actor=user, instance=user, action=AuditAction.UPDATE, changes=changes)
    return user
