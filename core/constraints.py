"""Check constraints decided in Python when they compare a row's own fields.

Django checks a CheckConstraint before a save by asking the database (one query per
constraint per row: ``SELECT 1 WHERE <condition on the values>``). For a form that is nothing;
for an import of 50,000 units with five constraints each it was 250,000 queries and 90 % of
the dry run (bench/imports.py). The constraints of this project are comparisons of a row's own
fields with constants or with each other, which Python decides with SQL's three-valued logic
(a comparison with NULL is unknown, and a CHECK fails only when its condition is false).
Anything else (joins, functions, other lookups) still goes to the database, as Django does.
"""

from __future__ import annotations

import functools
import operator
from collections.abc import Collection
from typing import Any

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models, router
from django.db.models import F, Q

__all__ = ["validate_constraints"]

_COMPARE = {
    "exact": operator.eq,
    "gt": operator.gt,
    "gte": operator.ge,
    "lt": operator.lt,
    "lte": operator.le,
}


class _Undecided(Exception):
    """Python cannot decide this condition: the database does."""


class _Excluded(Exception):
    """The condition reads a field left out of this validation: skipped, as Django skips it."""


def _field(instance: models.Model, name: str, exclude: Collection[str]) -> Any:
    try:
        field = instance._meta.get_field(name)
    except FieldDoesNotExist as exc:
        raise _Undecided from exc
    if not getattr(field, "concrete", False):
        raise _Undecided
    if field.name in exclude:
        raise _Excluded
    return getattr(instance, field.attname)  # type: ignore[union-attr]


def _operand(instance: models.Model, value: Any, exclude: Collection[str]) -> Any:
    if isinstance(value, F):
        return _field(instance, value.name, exclude)
    if hasattr(value, "resolve_expression"):
        raise _Undecided
    return value


def _truth(node: Any, instance: models.Model, exclude: Collection[str]) -> bool | None:
    """True, False or None (unknown: a NULL was compared)."""
    if isinstance(node, Q):
        if node.connector not in (Q.AND, Q.OR):
            raise _Undecided
        values = [_truth(child, instance, exclude) for child in node.children]
        if node.connector == Q.AND:
            value = False if False in values else (None if None in values else True)
        else:
            value = True if True in values else (None if None in values else False)
        return value if value is None or not node.negated else not value
    if not isinstance(node, tuple):
        raise _Undecided
    lookup, rhs = node
    name, _, op = lookup.rpartition("__")
    if op not in _COMPARE and op != "isnull":
        name, op = lookup, "exact"
    if "__" in name:
        raise _Undecided  # a join or a transform
    lhs = _field(instance, name, exclude)
    rhs = _operand(instance, rhs, exclude)
    if op == "isnull":
        return (lhs is None) is bool(rhs)
    if lhs is None or rhs is None:
        return None
    try:
        return bool(_COMPARE[op](lhs, rhs))
    except TypeError as exc:  # a value not cleaned yet: let the database compare
        raise _Undecided from exc


def _holds(
    constraint: models.CheckConstraint, instance: models.Model, exclude: Collection[str]
) -> bool:
    return _truth(Q(constraint.condition), instance, exclude) is not False


@functools.cache
def _constraints_of(model: type[models.Model]) -> list[tuple[Any, Any]]:
    """The model's constraints and its parents', as ``Model.get_constraints`` lists them."""
    parents = [(p, p._meta.constraints) for p in model._meta.all_parents if p._meta.constraints]
    return [(model, model._meta.constraints), *parents]


def validate_constraints(instance: models.Model, exclude: Collection[str] | None = None) -> None:
    """What ``Model.validate_constraints`` does, deciding check constraints in Python where
    it can."""
    exclude = set(exclude or ())
    errors: dict[str, Any] = {}
    for model_class, constraints in _constraints_of(type(instance)):
        for constraint in constraints:
            try:
                if isinstance(constraint, models.CheckConstraint):
                    try:
                        if not _holds(constraint, instance, exclude):
                            raise ValidationError(
                                constraint.get_violation_error_message(),
                                code=constraint.violation_error_code,
                            )
                        continue
                    except _Excluded:
                        continue
                    except _Undecided:
                        pass
                if isinstance(constraint, models.UniqueConstraint) and exclude.intersection(
                    constraint.fields
                ):
                    continue  # Django's validate returns here too, after building a queryset
                using = router.db_for_write(type(instance), instance=instance)
                constraint.validate(model_class, instance, exclude=exclude, using=using)
            except ValidationError as e:
                fields: tuple[str, ...] = tuple(getattr(constraint, "fields", ()))
                if getattr(e, "code", None) == "unique" and len(fields) == 1:
                    errors.setdefault(fields[0], []).append(e)
                else:
                    errors = e.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)
