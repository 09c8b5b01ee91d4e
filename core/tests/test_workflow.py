"""The one state machine (core.workflow): refusals say why and what is possible, with a code;
a move is atomic with its audit entry; the caller's copy of the row follows."""

from __future__ import annotations

import pytest

from admissions.choices import AppState
from admissions.models import Application
from admissions.services import APPLICATION_FLOW
from core.audit import entries_for
from core.errors import ConflictError
from leasing.choices import LEASE_FLOW
from leasing.models import Lease

pytestmark = pytest.mark.django_db


def _refusal(user, row, action, flow=APPLICATION_FLOW, **kwargs):
    before = (row.__class__.objects.get(pk=row.pk).state, entries_for(row).count())
    with pytest.raises(ConflictError) as exc:
        flow.move(actor=user, row=row, action=action, **kwargs)
    assert (row.__class__.objects.get(pk=row.pk).state, entries_for(row).count()) == before
    return exc.value


def test_an_unknown_action_names_the_steps(world):
    error = _refusal(world.users["gov"], world.sample(Application), "approve")
    assert error.code == "unknown_action"
    assert "submit" in error.message and "to_review" in error.message


def test_a_role_that_may_not_move_is_told_so(world):
    error = _refusal(world.users["operator"], world.sample(Application), "submit")
    assert error.code == "action_not_allowed"


def test_a_wrong_state_says_what_is_possible_now(world):
    error = _refusal(world.users["gov"], world.sample(Application), "to_risk")
    assert error.code in ("action_not_allowed", "wrong_state")
    app = world.sample(Application)
    error = _refusal(world.users["admin"], app, "to_review")
    assert error.code == "wrong_state"
    assert "submit" in error.message and "withdraw" in error.message  # what a draft allows


def test_a_guard_refuses_and_nothing_changes(world):
    app = world.sample(Application)
    Application.objects.filter(pk=app.pk).update(state=AppState.RISK)
    app.refresh_from_db()

    def guard(row, t):
        raise ConflictError("不行", code="guard_failed")

    error = _refusal(world.users["operator"], app, "to_review", guard=guard)
    assert error.code == "guard_failed"


def test_a_move_changes_the_state_writes_the_log_and_updates_the_callers_copy(world):
    app = world.sample(Application)
    locked, t, before = APPLICATION_FLOW.move(
        actor=world.users["gov"], row=app, action="submit", comment="请审"
    )
    assert (before, t.target, app.state, locked.state) == (
        "draft",
        "submitted",
        "submitted",
        "submitted",
    )
    entry = entries_for(app).first()
    assert entry.changes == {"state": ["draft", "submitted"]} and entry.comment == "请审"
    assert [m.action for m in APPLICATION_FLOW.allowed(world.users["operator"], app)] == [
        "start_screening",
        "reject",
    ]


def test_a_row_outside_the_scope_is_not_found(world):
    from django.http import Http404

    with pytest.raises(Http404):
        LEASE_FLOW.move(
            actor=world.users["operator"], row=world.sample(Lease, "B"), action="activate"
        )
