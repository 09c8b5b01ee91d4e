"""The one permission layer: who may do what with which rows.

Each model states a :class:`Policy`: the actions each role is granted and the lookup paths
that place a row in a park, an operator or an enterprise. ``Model.objects.restrict(user,
action)`` turns that into a filter, so a list shows only what the user may see and a detail
page of anything else is a 404. Views, API endpoints and services all ask this module.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.db.models import Q
from django.http import Http404

from core.choices import Role

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from core.models import User

__all__ = [
    "ALL_ACTIONS",
    "READ",
    "Policy",
    "RestrictedQuerySet",
    "can",
    "can_add",
    "get_restricted_or_404",
    "require",
    "require_add",
]

READ = frozenset({"view"})
ALL_ACTIONS = frozenset({"view", "add", "change", "delete"})
NOTHING = Q(pk__in=[])


def _join(prefix: str, name: str) -> str:
    return f"{prefix}__{name}" if prefix else name


@dataclass(frozen=True)
class Policy:
    """Grants per role, and where a row sits: ``park``, ``operator`` or ``enterprise`` paths.

    A path is a lookup from the model to that record ("" for the record itself). A platform
    admin is granted every action on every row; other roles only what ``grants`` names, and
    only inside their scope: operator staff their assigned parks (or their operator's rows),
    government reviewers the parks of their jurisdiction, fund managers their operator's
    rows, tenant users their enterprise's rows.
    """

    grants: Mapping[str, frozenset[str]] = field(default_factory=dict)
    park: str | None = None
    operator: str | None = None
    enterprise: str | None = None
    # Roles that see every row they are granted, e.g. the shared enterprise registry.
    unscoped_roles: frozenset[str] = frozenset()

    def allows_role(self, user: User | AnonymousUser, action: str) -> bool:
        if not user.is_authenticated:
            return False
        if user.is_platform_admin:
            return True
        return action in self.grants.get(user.role, frozenset())

    def scope_q(self, user: User) -> Q:
        """Rows of this model inside the user's scope, whatever the action."""
        role = user.role
        if user.is_platform_admin or role in self.unscoped_roles:
            return Q()
        if role == Role.OPERATOR:
            if self.park is not None:
                return Q(**{_join(self.park, "staff"): user})
            if self.operator is not None:
                return Q(**{_join(self.operator, "pk"): user.operator_id})
        elif role == Role.GOV:
            if self.park is not None:
                return Q(**{_join(self.park, "jurisdiction"): user.jurisdiction_id})
        elif role == Role.FUND:
            if self.park is not None:
                return Q(**{_join(self.park, "operator"): user.operator_id})
            if self.operator is not None:
                return Q(**{_join(self.operator, "pk"): user.operator_id})
        elif role == Role.TENANT and self.enterprise is not None:
            return Q(**{_join(self.enterprise, "pk"): user.enterprise_id})
        return NOTHING

    def q(self, user: User | AnonymousUser, action: str) -> Q:
        if not self.allows_role(user, action):
            return NOTHING
        return self.scope_q(user)  # type: ignore[arg-type]

    def root_of(self, instance: models.Model, role: str) -> tuple[Policy, models.Model] | None:
        """For an unsaved or changed row: the saved record its scope path leads to (for this
        role: a tenant's company, anyone else's park or operator), and the policy to check it.

        A new unit is in scope when the park it will belong to is; this follows
        ``floor__building__park`` on the instance to find that park.
        """
        kinds = ("enterprise",) if role == Role.TENANT else ("park", "operator")
        for kind in kinds:
            path = getattr(self, kind)
            if path is None:
                continue
            root = Policy(unscoped_roles=self.unscoped_roles, **{kind: ""})  # type: ignore[arg-type]
            if not path:  # the record is its own scope root: only a saved one can be in scope
                return (root, instance) if instance.pk is not None else None
            target: Any = instance
            for attr in path.split("__"):
                try:
                    target = getattr(target, attr, None)
                except ObjectDoesNotExist:  # points at a row that does not exist
                    return None
                if target is None:
                    return None
            return root, target
        return None


class RestrictedQuerySet(models.QuerySet):
    """QuerySet with ``restrict(user, action)``; the model must define ``policy``."""

    def restrict(self, user: User | AnonymousUser, action: str = "view") -> RestrictedQuerySet:
        policy: Policy = self.model.policy
        return self.filter(policy.q(user, action))


def can(user: User | AnonymousUser, action: str, instance: models.Model) -> bool:
    """May ``user`` do ``action`` on this saved row?"""
    model = type(instance)
    return (
        model._default_manager.filter(pk=instance.pk)
        .filter(
            model.policy.q(user, action)  # type: ignore[attr-defined]
        )
        .exists()
    )


def can_add(user: User | AnonymousUser, instance: models.Model, action: str = "add") -> bool:
    """May ``user`` write this row where it now points (its parent in the user's scope)?

    Used for a new row (``add``) and for a changed row (``change``), so that an operator can
    neither create nor move a building into a park they are not assigned to.
    """
    policy: Policy = type(instance).policy  # type: ignore[attr-defined]
    if not policy.allows_role(user, action):
        return False
    if user.is_platform_admin or user.role in policy.unscoped_roles:  # type: ignore[union-attr]
        return True
    root = policy.root_of(instance, user.role)  # type: ignore[union-attr]
    if root is None:
        return False
    root_policy, target = root
    return (
        type(target)
        ._default_manager.filter(pk=target.pk)
        .filter(root_policy.scope_q(user))  # type: ignore[arg-type]
        .exists()
    )


def require(user: User | AnonymousUser, action: str, instance: models.Model) -> None:
    """Raise 404 (never 403, which would leak that the row exists) unless permitted."""
    if not can(user, action, instance):
        raise Http404


def require_add(user: User | AnonymousUser, instance: models.Model, action: str = "add") -> None:
    if not can_add(user, instance, action):
        raise Http404


def get_restricted_or_404(
    model: type[models.Model], user: User | AnonymousUser, action: str = "view", **lookup: Any
) -> Any:
    try:
        return model._default_manager.restrict(user, action).get(**lookup)  # type: ignore[attr-defined]
    except model.DoesNotExist as exc:  # type: ignore[attr-defined]
        raise Http404 from exc
