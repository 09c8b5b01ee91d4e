"""One state machine for every workflow: states and moves as data, one way to move.

An app declares its moves (:class:`Transition`) and a :class:`Workflow` over the model's state
field; :meth:`Workflow.move` checks the caller's scope, locks the row, checks the move (does it
exist, may this role make it, does the state allow it, the app's guard), changes the state and
writes the audit entry in the same transaction. A refusal is a :class:`core.errors.ConflictError`
whose ``code`` says which (``unknown_action``, ``action_not_allowed``, ``wrong_state``) and
whose text names what would be allowed. Admissions, leasing, and next the fund's deal stages and
programs' service requests move this way.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import models, transaction
from django.utils.translation import gettext as _

from core import audit
from core.choices import AuditAction
from core.errors import ConflictError
from core.permissions import require

__all__ = ["Transition", "Workflow"]


@dataclass(frozen=True)
class Transition:
    """One move: its name, the states it may start from, where it ends, who may make it.

    ``creator``: whoever is on the record's creator side (the workflow's ``is_creator``) may
    make it whatever their role. ``danger``: pages ask for confirmation first.
    """

    action: str
    label: Any
    sources: tuple[str, ...]
    target: str
    roles: frozenset[str] = frozenset()
    creator: bool = False
    danger: bool = False


@dataclass(frozen=True)
class Workflow:
    field: str
    transitions: Mapping[str, Transition]
    # (user, row) -> is the user on the side that created the row (for ``creator`` moves)
    is_creator: Callable[[Any, Any], bool] | None = None

    @classmethod
    def of(cls, field: str, moves: Iterable[Transition], **options: Any) -> Workflow:
        return cls(field, {t.action: t for t in moves}, **options)

    def state_of(self, row: models.Model) -> str:
        return str(getattr(row, self.field))

    def may(self, user: Any, row: models.Model, t: Transition) -> bool:
        """May ``user``'s role make this move on this row (whatever its state)?"""
        return (
            user.is_platform_admin
            or user.role in t.roles
            or (t.creator and self.is_creator is not None and self.is_creator(user, row))
        )

    def allowed(self, user: Any, row: models.Model) -> list[Transition]:
        """The moves ``user`` may make now, for buttons and the API's next actions."""
        state = self.state_of(row)
        return [
            t for t in self.transitions.values() if state in t.sources and self.may(user, row, t)
        ]

    def check(self, user: Any, row: models.Model, action: str) -> Transition:
        """The move, or the ConflictError that says why not (and what is allowed)."""
        t = self.transitions.get(action)
        if t is None:
            raise ConflictError(
                _("“%(action)s” is not a step of this workflow; the steps are: %(valid)s.")
                % {"action": action, "valid": ", ".join(self.transitions)},
                code="unknown_action",
            )
        if not self.may(user, row, t):
            raise ConflictError(
                _("Your role may not “%(action)s” this record.") % {"action": t.label},
                code="action_not_allowed",
            )
        if self.state_of(row) not in t.sources:
            now = ", ".join(a.action for a in self.allowed(user, row)) or "—"
            raise ConflictError(
                _("A record that is %(state)s cannot be “%(action)s”; possible now: %(now)s.")
                % {"state": _display(row, self.field), "action": t.label, "now": now},
                code="wrong_state",
            )
        return t

    @transaction.atomic
    def move(
        self,
        *,
        actor: Any,
        row: models.Model,
        action: str,
        comment: str = "",
        guard: Callable[[Any, Transition], None] | None = None,
        also: Mapping[str, Any] | None = None,
    ) -> tuple[Any, Transition, str]:
        """Make the move: the locked row in its new state, the move, and the state before.

        ``guard(row, t)`` raises ConflictError for the app's own conditions (risk assessed
        before review); ``also`` sets more fields in the same save (submitted_at).
        """
        locked: Any = type(row)._default_manager.select_for_update().get(pk=row.pk)
        require(actor, "change", locked)
        t = self.check(actor, locked, action)
        if guard is not None:
            guard(locked, t)
        before = self.state_of(locked)
        setattr(locked, self.field, t.target)
        for name, value in (also or {}).items():
            setattr(locked, name, value)
        fields = [self.field, *(also or {})]
        if any(f.name == "updated_at" for f in locked._meta.concrete_fields):
            fields.append("updated_at")
        locked.save(update_fields=fields)
        for name in fields:  # the caller's copy of the row says the same from now on
            setattr(row, name, getattr(locked, name))
        audit.record(
            actor=actor,
            instance=locked,
            action=AuditAction.UPDATE,
            changes={self.field: [before, t.target]},
            comment=comment or str(t.label),
        )
        return locked, t, before


def _display(row: models.Model, field: str) -> Any:
    display = getattr(row, f"get_{field}_display", None)
    return display() if display is not None else getattr(row, field)
