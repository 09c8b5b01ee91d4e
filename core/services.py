"""The write path every app's services build on: permission, validation, save, audit, atomic.

Domain services (``spaces.services.unit_create`` …) call these so that views, API endpoints,
imports and the demo loader all write the same way.
"""

from __future__ import annotations

import datetime
import unicodedata
from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models.deletion import ProtectedError, RestrictedError
from django.utils.translation import gettext as _

from core import audit
from core.choices import AuditAction
from core.errors import ConflictError
from core.permissions import require, require_add

__all__ = ["check_inputs", "create_record", "delete_record", "update_record"]

M = TypeVar("M", bound=models.Model)


# The one input policy of every write (forms, API, imports, demo): no control characters in
# text (a NUL breaks PostgreSQL, a bell breaks exports), dates in a sane range.
EARLIEST, LATEST = datetime.date(1900, 1, 1), datetime.date(2199, 12, 31)
_KEPT_IN_LONG_TEXT = {"\n", "\r", "\t"}


def check_inputs(instance: models.Model) -> None:
    """Refuse, naming the field, text with control characters and dates outside 1900–2199."""
    errors: dict[str, list[str]] = {}
    for field in instance._meta.concrete_fields:
        value = getattr(instance, field.attname, None)
        if isinstance(value, str):
            kept = _KEPT_IN_LONG_TEXT if isinstance(field, models.TextField) else set()
            bad = [c for c in value if unicodedata.category(c) == "Cc" and c not in kept]
            if bad:
                errors[field.name] = [
                    _("Contains a control character (U+%(code)04X); remove it and try again.")
                    % {"code": ord(bad[0])}
                ]
        elif (
            isinstance(value, datetime.date)
            and not isinstance(value, datetime.datetime)
            and not (EARLIEST <= value <= LATEST)
        ):
            errors[field.name] = [
                _("%(date)s is outside the years 1900–2199; check the date.")
                % {"date": value.isoformat()}
            ]
    if errors:
        raise ValidationError(errors)


def _derive(instance: models.Model) -> None:
    derive = getattr(instance, "derive", None)
    if derive is not None:
        derive()


def _set_m2m(instance: models.Model, m2m: Mapping[str, Iterable[Any]] | None) -> None:
    for name, values in (m2m or {}).items():
        getattr(instance, name).set(values)


@transaction.atomic
def create_record(
    *,
    actor: Any,
    instance: M,
    m2m: Mapping[str, Iterable[Any]] | None = None,
    comment: str = "",
) -> M:
    _derive(instance)
    require_add(actor, instance)
    check_inputs(instance)
    instance.full_clean()
    instance.save()
    _set_m2m(instance, m2m)
    after = audit.snapshot(instance)
    audit.record(
        actor=actor,
        instance=instance,
        action=AuditAction.CREATE,
        changes={k: [None, v] for k, v in after.items() if v not in (None, "")},
        comment=comment,
    )
    return instance


@transaction.atomic
def update_record(*, actor: Any, instance: M, data: Mapping[str, Any], comment: str = "") -> M:
    """Apply ``data`` to a saved row; the row must stay in the actor's scope after the change.

    Many-to-many fields in ``data`` are set after the row is saved.
    """
    require(actor, "change", instance)
    before = audit.snapshot(instance)
    m2m_names = {f.name for f in instance._meta.many_to_many}
    m2m = {k: v for k, v in data.items() if k in m2m_names}
    for name, value in data.items():
        if name not in m2m_names:
            setattr(instance, name, value)
    _derive(instance)
    require_add(actor, instance, action="change")  # still in scope where it now points
    check_inputs(instance)
    instance.full_clean()
    instance.save()
    _set_m2m(instance, m2m)
    changes = audit.diff(before, audit.snapshot(instance))
    if changes:
        audit.record(
            actor=actor,
            instance=instance,
            action=AuditAction.UPDATE,
            changes=changes,
            comment=comment,
        )
    return instance


@transaction.atomic
def delete_record(*, actor: Any, instance: models.Model, comment: str = "") -> None:
    require(actor, "delete", instance)
    before = audit.snapshot(instance)
    pk = instance.pk
    try:
        with transaction.atomic():
            instance.delete()
    except (ProtectedError, RestrictedError) as exc:
        raise ConflictError(
            _(
                "%(record)s cannot be deleted while %(count)d related records exist; "
                "delete or move them first."
            )
            % {"record": instance, "count": len(exc.args[1])}
        ) from exc
    audit.record(
        actor=actor,
        instance=instance,
        action=AuditAction.DELETE,
        changes={k: [v, None] for k, v in before.items() if v not in (None, "")},
        comment=comment,
        object_id=pk,
    )
