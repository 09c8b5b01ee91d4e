"""The write path every app's services build on: permission, validation, save, audit, atomic.

Domain services (``spaces.services.unit_create`` …) call these so that views, API endpoints,
imports and the demo loader all write the same way.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

from django.db import models, transaction
from django.db.models.deletion import ProtectedError, RestrictedError
from django.utils.translation import gettext as _

from core import audit
from core.choices import AuditAction
from core.errors import ConflictError
from core.permissions import require, require_add

__all__ = ["create_record", "delete_record", "update_record"]

M = TypeVar("M", bound=models.Model)


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
