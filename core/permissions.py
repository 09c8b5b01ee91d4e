"""The one permission layer: who may do what with which rows.

Each model states a :class:`Policy`: the actions each role is granted and the lookup paths
that place a row in a park, an operator or an enterprise. ``Model.objects.restrict(user,
action)`` turns that into a filter, so a list shows only what the user may see and a detail
page of anything else is a 404. Views, API endpoints and services all ask this module.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.db.models import Exists, Q
from django.http import Http404

from core.choices import Role
from core.scopes import scope_ids, support_operator_ids

# A user is typed ``Any`` here: core.models imports this module (models declare their
# Policy), so naming the User class would make the two import each other.

__all__ = [
    "ALL_ACTIONS",
    "HIDDEN",
    "HIDE",
    "MASK",
    "READ",
    "SHOW",
    "Policy",
    "RestrictedQuerySet",
    "can",
    "can_add",
    "field_access",
    "get_restricted_or_404",
    "redact_changes",
    "require",
    "require_add",
    "shown_value",
    "users_who_may",
]

READ = frozenset({"view"})
ALL_ACTIONS = frozenset({"view", "add", "change", "delete"})
NOTHING = Q(pk__in=[])

# What a role gets of one field (Policy.hidden / Policy.masked).
SHOW, MASK, HIDE = "show", "mask", "hide"


def mask_text(value: Any) -> Any:
    """The default mask: keep the first and last character of a text, hide the rest."""
    if value is None or value == "":
        return value
    text = str(value)
    return text[0] + "*" * max(len(text) - 2, 1) + (text[-1] if len(text) > 2 else "")


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
    # A role's own scope where the park/operator/enterprise paths do not say it (contacts an
    # operator collected are that operator's): role -> (user -> Q). Apps add roles (the fund
    # app its fund managers' funds) without editing core.
    scopes: Mapping[str, Callable[[Any], Q]] = field(default_factory=dict)
    # Field rules, per role: fields the role never sees (absent from pages, API output, the
    # change log, exports and notifications) and fields it sees masked (``maskers[name]``,
    # else :func:`mask_text`). A platform admin sees every field.
    hidden: Mapping[str, frozenset[str]] = field(default_factory=dict)
    masked: Mapping[str, frozenset[str]] = field(default_factory=dict)
    maskers: Mapping[str, Callable[[Any], Any]] = field(default_factory=dict)
    # Personal information (PIPL), declared once: the fields about a person, which the
    # data-subject request page finds, exports and erases (core.personal).
    personal: frozenset[str] = frozenset()
    # Personal fields a role sees masked everywhere (lists, pages, API, exports, notices) and
    # may reveal one record at a time, with a purpose the audit log keeps (PIPL art. 51;
    # core.views.reveal): staff who call a tenant's contact, not those who browse.
    revealed: Mapping[str, frozenset[str]] = field(default_factory=dict)
    # The platform admin's grants: every action unless named (an admin reads support grants
    # but may not give themselves one). A "platform" record (operators, users, the rules
    # binding both sides of a review) is the admin's to manage whatever their support scope;
    # any other record with a place (park, operator, the shared registry) is business data
    # the admin reaches only inside the operators they support (core.scopes).
    admin_actions: frozenset[str] = frozenset({"view", "add", "change", "delete"})
    platform: bool = False

    def field_access(self, user: Any, name: str) -> str:
        """SHOW, MASK or HIDE: what ``user`` gets of field ``name`` of a row it may see."""
        if not getattr(user, "is_authenticated", False):
            return HIDE
        if user.is_platform_admin:
            return SHOW
        if name in self.hidden.get(user.role, ()):
            return HIDE
        if name in self.masked.get(user.role, ()) or name in self.revealed.get(user.role, ()):
            return MASK
        return SHOW

    def revealable(self, user: Any) -> list[str]:
        """The fields ``user`` may reveal with a purpose (none unless granted "reveal")."""
        if not self.allows_role(user, "reveal"):
            return []
        return sorted(self.revealed.get(user.role, ()))

    def mask(self, name: str, value: Any) -> Any:
        return self.maskers.get(name, mask_text)(value)

    def allows_role(self, user: Any, action: str) -> bool:
        if not user.is_authenticated:
            return False
        if user.is_platform_admin:
            return action in self.admin_actions
        return action in self.grants.get(user.role, frozenset())

    def scope_q(self, user: Any) -> Q:
        """Rows of this model inside the user's scope, whatever the action."""
        role = user.role
        if user.is_platform_admin:
            return self.support_q(user)
        if role in self.unscoped_roles:
            return Q()
        if role in self.scopes:
            return self.scopes[role](user)
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
            return Q(**{_join(self.enterprise, "pk__in"): scope_ids(user, "enterprise")})
        return NOTHING

    def support_q(self, user: Any) -> Q:
        """A platform admin's rows: platform records all; business data only of the
        operators they support now (what those operators' staff could reach, every park)."""
        if Role.ADMIN in self.scopes:
            return self.scopes[Role.ADMIN](user)
        if self.platform or (
            self.park is None and self.operator is None and self.enterprise is None
        ):
            return Q()
        operators = support_operator_ids(user)
        if operators is None:
            return Q()
        if self.park is not None:
            return Q(**{_join(self.park, "operator__in"): operators})
        if self.operator is not None:
            return Q(**{_join(self.operator, "pk__in"): operators})
        if Role.OPERATOR in self.unscoped_roles:  # the shared registry: any support will do
            return Q(Exists(operators))
        return NOTHING

    def q(self, user: Any, action: str) -> Q:
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

    def restrict(self, user: Any, action: str = "view") -> RestrictedQuerySet:
        policy: Policy = self.model.policy
        return self.filter(policy.q(user, action))


def can(user: Any, action: str, instance: models.Model) -> bool:
    """May ``user`` do ``action`` on this saved row?"""
    model = type(instance)
    return (
        model._default_manager.filter(pk=instance.pk)
        .filter(
            model.policy.q(user, action)  # type: ignore[attr-defined]
        )
        .exists()
    )


def users_who_may(action: str, instance: models.Model, users: Iterable[Any]) -> list[Any]:
    """Those of ``users`` (active ones, each once) who may do ``action`` on this saved row:
    whom a notification about the row may be addressed to. One query per role-holder, for the
    few people a notification names."""
    model = type(instance)
    policy: Policy = model.policy  # type: ignore[attr-defined]
    unique = {u.pk: u for u in users if u is not None and u.is_active}
    rows = model._default_manager.filter(pk=instance.pk)
    return [
        user
        for user in unique.values()
        if policy.allows_role(user, action) and rows.filter(policy.q(user, action)).exists()
    ]


def can_add(
    user: Any, instance: models.Model, action: str = "add", *, known: dict[Any, bool] | None = None
) -> bool:
    """May ``user`` write this row where it now points (its parent in the user's scope)?

    Used for a new row (``add``) and for a changed row (``change``), so that an operator can
    neither create nor move a building into a park they are not assigned to. ``known`` keeps
    the answer per parent across calls (an import checks 50,000 units in a few parks).
    """
    policy: Policy = type(instance).policy  # type: ignore[attr-defined]
    if not policy.allows_role(user, action):
        return False
    if user.is_platform_admin:  # type: ignore[union-attr]
        return _admin_may_write(policy, user, instance, known)
    if user.role in policy.unscoped_roles:  # type: ignore[union-attr]
        return True
    root = policy.root_of(instance, user.role)  # type: ignore[union-attr]
    if root is None:
        return False
    root_policy, target = root
    return _root_in(target, lambda: root_policy.scope_q(user), known, "scope")


def _root_in(
    target: models.Model, scope: Callable[[], Any], known: dict[Any, bool] | None, how: str
) -> bool:
    """Is the parent row ``target`` within ``scope()`` (remembered in ``known``)?"""
    key = (how, type(target), target.pk)
    if known is not None and key in known:
        return known[key]
    inside = type(target)._default_manager.filter(pk=target.pk).filter(scope()).exists()
    if known is not None:
        known[key] = inside
    return inside


def _admin_may_write(
    policy: Policy, user: Any, instance: models.Model, known: dict[Any, bool] | None = None
) -> bool:
    """A platform admin writes a platform record anywhere, business data only where it
    points into an operator they support (a new park of that operator, a unit of its park)."""
    if support_operator_ids(user) is None:
        return True
    scope = policy.support_q(user)
    if scope == Q():
        return True
    if policy.park == "":  # a park itself: in scope where its operator is supported
        return _supports(user, getattr(instance, "operator_id", None))
    if policy.park is None and policy.operator is None:  # the shared registry
        return Role.OPERATOR in policy.unscoped_roles and _supports_any(user)
    root = policy.root_of(instance, Role.OPERATOR)
    if root is None:  # a record of no operator (a company's own contact): the registry's
        return policy.park is None and policy.enterprise is not None and _supports_any(user)
    root_policy, target = root
    return _root_in(target, lambda: root_policy.support_q(user), known, "support")


def _supports_any(user: Any) -> bool:
    return bool(support_operator_ids(user).exists())


def _supports(user: Any, operator_id: Any) -> bool:
    return operator_id is not None and operator_id in list(support_operator_ids(user))


def require(user: Any, action: str, instance: models.Model) -> None:
    """Raise 404 (never 403, which would leak that the row exists) unless permitted."""
    if not can(user, action, instance):
        raise Http404


def require_add(
    user: Any, instance: models.Model, action: str = "add", *, known: dict[Any, bool] | None = None
) -> None:
    if not can_add(user, instance, action, known=known):
        raise Http404


def get_restricted_or_404(
    model: type[models.Model], user: Any, action: str = "view", **lookup: Any
) -> Any:
    try:
        return model._default_manager.restrict(user, action).get(**lookup)  # type: ignore[attr-defined]
    except model.DoesNotExist as exc:  # type: ignore[attr-defined]
        raise Http404 from exc


def _policy(model: type[models.Model] | models.Model) -> Policy:
    return model.policy  # type: ignore[union-attr,return-value]


def field_access(user: Any, model: type[models.Model] | models.Model, name: str) -> str:
    """SHOW, MASK or HIDE for one field of ``model`` (a class or a row) as ``user`` reads it."""
    policy = getattr(model, "policy", None)
    return SHOW if policy is None else policy.field_access(user, name)


class _Hidden:
    def __repr__(self) -> str:
        return "HIDDEN"


HIDDEN: Any = _Hidden()  # what shown_value answers for a hidden field; never displayed


def shown_value(user: Any, model: type[models.Model] | models.Model, name: str, value: Any) -> Any:
    """``value`` of field ``name`` as ``user`` may read it: itself, masked, or ``HIDDEN``."""
    access = field_access(user, model, name)
    if access == HIDE:
        return HIDDEN
    if access == MASK:
        return _policy(model).mask(name, value)
    return value


def redact_changes(
    user: Any, model: type[models.Model], changes: Mapping[str, list[Any]]
) -> dict[str, list[Any]]:
    """A change log entry (field -> [old, new]) as ``user`` may read it."""
    out = {}
    for name, values in changes.items():
        access = field_access(user, model, name)
        if access == HIDE:
            continue
        if access == MASK:
            values = [None if v is None else _policy(model).mask(name, v) for v in values]
        out[name] = list(values)
    return out
