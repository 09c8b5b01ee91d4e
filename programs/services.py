"""Every write of the service desk: the catalogue, requests and their moves (with the SLA
clock), messages, assignment and the company's rating. Pages, the API and the demo loader
all call these; a refused move is a ConflictError (409) saying why."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import DatabaseError, IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from core.choices import Role
from core.errors import ConflictError
from core.models import User
from core.notifications import complete, notify
from core.permissions import require
from core.services import create_record, delete_record, update_record
from core.workflow import Transition, Workflow
from enterprises.selectors import company_of, users_of
from programs import sla
from programs.choices import (
    GRANT_TRANSITIONS,
    PROPOSAL_TRANSITIONS,
    TRANSITIONS,
    BookingState,
    GrantState,
    ProposalState,
    RequestState,
    ScenarioState,
)
from programs.models import (
    Booking,
    PolicyApplication,
    Proposal,
    RequestMessage,
    ServiceRequest,
)

__all__ = [
    "allowed_transitions",
    "booking_cancel",
    "booking_complete",
    "booking_create",
    "equipment_create",
    "equipment_delete",
    "equipment_update",
    "grant_application_create",
    "grant_application_move",
    "grant_application_update",
    "grant_moves",
    "is_company_side",
    "kind_create",
    "kind_delete",
    "kind_update",
    "may_edit",
    "message_add",
    "policy_create",
    "policy_delete",
    "policy_update",
    "proposal_create",
    "proposal_move",
    "proposal_moves",
    "proposal_update",
    "request_assign",
    "request_open",
    "request_rate",
    "request_transition",
    "request_update",
    "scenario_create",
    "scenario_delete",
    "scenario_update",
]

kind_create = create_record
kind_update = update_record
kind_delete = delete_record


def _is_company_side(user: Any, request: ServiceRequest) -> bool:
    """The company's own users (and whoever opened the request for it) act as its side."""
    if user.pk == request.opened_by_id and user.role == Role.TENANT:
        return True
    return user.role == Role.TENANT and getattr(company_of(user), "pk", None) == (
        request.enterprise_id
    )


REQUEST_FLOW = Workflow("state", TRANSITIONS, is_creator=_is_company_side)


def allowed_transitions(user: Any, request: ServiceRequest) -> list[Transition]:
    return REQUEST_FLOW.allowed(user, request)


def _today(day: datetime.date | None) -> datetime.date:
    """The day a write happens: today, or the day a record entered later happened on (the
    demo's history, a request taken by phone last week)."""
    return day or timezone.localdate()


def _staff(request: ServiceRequest) -> list[Any]:
    """Who hears of a request: its assignee, else the service's manager, else the park's
    staff."""
    if request.assignee_id:
        return [request.assignee]
    if request.kind.manager_id:
        return [request.kind.manager]
    return list(User.objects.filter(assigned_parks=request.park_id, is_active=True))


def _company(request: ServiceRequest) -> list[Any]:
    return [request.opened_by, *users_of(request.enterprise_id)]


def _tell(users: list[Any], request: ServiceRequest, message: str, task: str = "") -> None:
    notify(
        users,
        message,
        about=request,
        params={"subject": request.subject},
        url=reverse("programs:servicerequest_detail", args=[request.pk]),
        task=task,
    )


def _task(request: ServiceRequest) -> str:
    return f"programs.request:{request.pk}"


@transaction.atomic
def request_open(
    *, actor: Any, instance: ServiceRequest, today: datetime.date | None = None, **_kw: Any
) -> ServiceRequest:
    """A new request: a company opens it for itself, staff for a company of their park. It
    goes to the service manager's queue with its due day counted in working days."""
    if actor.role == Role.TENANT:
        company = company_of(actor)
        if company is None:
            raise ConflictError(_("Your account acts for no company; ask the platform admin."))
        instance.enterprise = company
    kind = instance.kind
    if kind.operator_id != instance.park.operator_id:
        raise ValidationError({"kind": [_("Choose a service of this park's operator.")]})
    if not kind.is_active:
        raise ValidationError({"kind": [_("This service is no longer offered.")]})
    due = sla.add_workdays(_today(today), kind.sla_days)
    instance.opened_by = actor
    instance.state = RequestState.OPEN
    instance.assignee = instance.assignee or kind.manager
    instance.due_on, instance.due_provisional = due.day, due.provisional
    created = create_record(actor=actor, instance=instance)
    _tell(
        _staff(created),
        created,
        gettext_noop("New service request: %(subject)s."),
        task=_task(created),
    )
    return created


def _resume_clock(request: ServiceRequest, today: datetime.date) -> dict[str, Any]:
    """Leaving “waiting for the company”: the working days it waited move the due day."""
    if request.paused_on is None:
        return {}
    waited = sla.workdays_between(request.paused_on, today)
    due = sla.add_workdays(request.due_on, waited)
    return {
        "paused_on": None,
        "paused_days": request.paused_days + waited,
        "due_on": due.day,
        "due_provisional": request.due_provisional or due.provisional,
    }


@transaction.atomic
def request_transition(
    *,
    actor: Any,
    request: ServiceRequest,
    action: str,
    comment: str = "",
    today: datetime.date | None = None,
) -> ServiceRequest:
    """Move a request (core.workflow): waiting for the company pauses the SLA clock and the
    days waited extend the due day; resolving needs the resolution in words."""
    current = ServiceRequest.objects.select_for_update().get(pk=request.pk)
    day = _today(today)
    also: dict[str, Any] = {}
    target = TRANSITIONS[action].target if action in TRANSITIONS else None
    if target == RequestState.WAITING:
        also["paused_on"] = day
    elif current.state == RequestState.WAITING:
        also.update(_resume_clock(current, day))
    if target == RequestState.RESOLVED:
        if not comment.strip():
            raise ConflictError(
                _("Say how the request was resolved: the company reads it."),
                code="reason_required",
            )
        also.update(resolved_on=day, resolution=comment.strip())
    if target == RequestState.IN_PROGRESS and current.state == RequestState.RESOLVED:
        also.update(resolved_on=None)  # reopened: the clock runs again from where it was
    row, t, _before = REQUEST_FLOW.move(
        actor=actor, row=current, action=action, comment=comment, also=also
    )
    if t.target == RequestState.WAITING:
        _tell(_company(row), row, gettext_noop("The park needs more from you: %(subject)s."))
    if t.target == RequestState.RESOLVED:
        complete(_task(row))
        _tell(
            _company(row),
            row,
            gettext_noop("Your request was resolved; please rate it: %(subject)s."),
            task=_task(row),
        )
    if t.target in (RequestState.CLOSED, RequestState.CANCELLED):
        complete(_task(row))
    request.refresh_from_db()
    return request


@transaction.atomic
def request_assign(*, actor: Any, request: ServiceRequest, assignee: Any) -> ServiceRequest:
    """Give the request to a member of the park's staff (staff decide who handles what)."""
    if actor.role == Role.TENANT:
        raise ConflictError(_("The park's staff assign requests."))
    if assignee is not None and not (
        assignee.role == Role.OPERATOR
        and assignee.is_active
        and assignee.assigned_parks.filter(pk=request.park_id).exists()
    ):
        raise ValidationError({"assignee": [_("Choose a member of this park's staff.")]})
    updated = update_record(actor=actor, instance=request, data={"assignee": assignee})
    if assignee is not None and assignee.pk != actor.pk:
        _tell(
            [assignee], updated, gettext_noop("A service request was assigned to you: %(subject)s.")
        )
    return updated


@transaction.atomic
def message_add(
    *,
    actor: Any,
    request: ServiceRequest,
    body: str,
    internal: bool = False,
    today: datetime.date | None = None,
) -> RequestMessage:
    """A reply or an internal note. Only staff write internal notes; a company's reply to a
    request waiting for it starts the clock again."""
    require(actor, "view", request)
    body = body.strip()
    if not body:
        raise ValidationError({"body": [_("Write the message.")]})
    if internal and actor.role != Role.OPERATOR and not actor.is_platform_admin:
        raise ConflictError(_("Only the park's staff write internal notes."))
    if request.state in (RequestState.CLOSED, RequestState.CANCELLED):
        raise ConflictError(_("The request is closed; open a new one."))
    message = create_record(
        actor=actor,
        instance=RequestMessage(request=request, author=actor, body=body, internal=internal),
    )
    company_side = _is_company_side(actor, request)
    if company_side and request.state == RequestState.WAITING:
        request_transition(actor=actor, request=request, action="resume", today=today)
    if not internal:
        others = _staff(request) if company_side else _company(request)
        _tell(others, request, gettext_noop("New message on “%(subject)s”."))
    return message


@transaction.atomic
def request_rate(
    *,
    actor: Any,
    request: ServiceRequest,
    rating: int,
    comment: str = "",
    today: datetime.date | None = None,
) -> ServiceRequest:
    """The company rates a resolved request (1–5) and closes it."""
    if not _is_company_side(actor, request):
        raise ConflictError(_("The company that asked rates the service."))
    if request.state not in (RequestState.RESOLVED, RequestState.CLOSED):
        raise ConflictError(_("Rate a request once it is resolved."))
    if not 1 <= int(rating) <= 5:
        raise ValidationError({"rating": [_("Give 1 to 5 stars.")]})
    updated = update_record(
        actor=actor,
        instance=request,
        data={"rating": int(rating), "rating_comment": comment.strip()},
    )
    if updated.state == RequestState.RESOLVED:
        request_transition(actor=actor, request=updated, action="close", today=today)
    complete(_task(updated), users=[actor])
    updated.refresh_from_db()
    return updated


EDITABLE = frozenset({"subject", "description"})


def may_edit(user: Any, request: ServiceRequest) -> bool:
    """Whoever may change the request, while it is not done (its texts only)."""
    from core.permissions import can

    return request.state not in (
        RequestState.RESOLVED,
        RequestState.CLOSED,
        RequestState.CANCELLED,
    ) and can(user, "change", request)


def is_company_side(user: Any, request: ServiceRequest) -> bool:
    return _is_company_side(user, request)


def request_update(*, actor: Any, instance: ServiceRequest, data: dict[str, Any]) -> ServiceRequest:
    """The subject and description change while the request is not done; everything else
    moves through the workflow, assignment and rating."""
    blocked = set(data) - EDITABLE
    if blocked:
        raise ValidationError(
            {name: [_("Changed through the request's actions, not edited.")] for name in blocked}
        )
    if instance.state in (RequestState.RESOLVED, RequestState.CLOSED, RequestState.CANCELLED):
        raise ConflictError(_("A request that is done is not edited; open a new one."))
    return update_record(actor=actor, instance=instance, data=data)


# shared equipment ----------------------------------------------------------------------
equipment_create = create_record
equipment_update = update_record
equipment_delete = delete_record
SLOT = datetime.timedelta(minutes=30)


def _overlap_refused(exc: Exception, booking: Booking) -> None:
    if "booking_no_overlap" in str(exc).lower():
        raise ConflictError(
            _("%(equipment)s is already booked at that time; choose another time.")
            % {"equipment": booking.equipment}
        ) from exc


def _billing_lease(booking: Booking, day: datetime.date) -> Any:
    """The signed lease of the company in the equipment's park on ``day``, which a booking's
    fee is billed to; a company without one cannot book there."""
    from leasing.billing import BILLED_STATES
    from leasing.models import Lease

    lease = (
        Lease.objects.filter(
            enterprise=booking.enterprise_id,
            park=booking.equipment.park_id,
            state__in=BILLED_STATES,
            start_on__lte=day,
        )
        .order_by("-start_on")
        .first()
    )
    if lease is None:
        raise ConflictError(
            _("%(company)s has no signed lease in %(park)s to bill the fee to.")
            % {"company": booking.enterprise, "park": booking.equipment.park}
        )
    return lease


@transaction.atomic
def booking_create(*, actor: Any, instance: Booking, **_kw: Any) -> Booking:
    """Book shared equipment for half-hours within its opening hours on one day; the
    database refuses a time already booked."""
    if actor.role == Role.TENANT:
        company = company_of(actor)
        if company is None:
            raise ConflictError(_("Your account acts for no company; ask the platform admin."))
        instance.enterprise = company
    equipment = instance.equipment
    if not equipment.is_active:
        raise ValidationError({"equipment_id": [_("This equipment cannot be booked now.")]})
    start, end = timezone.localtime(instance.starts_at), timezone.localtime(instance.ends_at)
    if end <= start:
        raise ValidationError({"ends_at": [_("The end is after the start.")]})
    if start.date() != end.date() or not (
        equipment.opens_at <= start.time() and end.time() <= equipment.closes_at
    ):
        raise ValidationError(
            {
                "starts_at": [
                    _("Book within the opening hours of one day: %(opens)s–%(closes)s.")
                    % {
                        "opens": equipment.opens_at.strftime("%H:%M"),
                        "closes": equipment.closes_at.strftime("%H:%M"),
                    }
                ]
            }
        )
    if actor.role == Role.TENANT and instance.starts_at < timezone.now():
        raise ValidationError({"starts_at": [_("Choose a time ahead.")]})
    _billing_lease(instance, start.date())  # the fee must have a lease to go on
    if (end - start) % SLOT or start.minute % 30 or start.second:
        raise ValidationError({"starts_at": [_("Book whole half-hours (09:00, 09:30…).")]})
    instance.booked_by, instance.state = actor, BookingState.BOOKED
    try:
        with transaction.atomic():
            return create_record(actor=actor, instance=instance)
    except (IntegrityError, DatabaseError) as exc:
        _overlap_refused(exc, instance)
        raise


@transaction.atomic
def booking_cancel(*, actor: Any, booking: Booking) -> Booking:
    """The company or the staff cancel a booking that has not been used."""
    if booking.state != BookingState.BOOKED:
        raise ConflictError(_("Only a booking not used yet can be cancelled."))
    return update_record(actor=actor, instance=booking, data={"state": BookingState.CANCELLED})


@transaction.atomic
def booking_complete(*, actor: Any, booking: Booking) -> Booking:
    """Staff confirm the equipment was used: the fee (hours × price) becomes a line of the
    company's next bill, through leasing's one charge service, on its lease in that park."""
    from leasing.billing import charge_add
    from leasing.choices import ChargeKind

    if actor.role != Role.OPERATOR and not actor.is_platform_admin:
        raise ConflictError(_("The park's staff confirm that equipment was used."))
    if booking.state != BookingState.BOOKED:
        raise ConflictError(_("Only a booking not used yet can be billed."))
    used_on = timezone.localtime(booking.starts_at).date()
    lease = _billing_lease(booking, used_on)
    hours = booking.hours
    charge = charge_add(
        actor=actor,
        lease=lease,
        kind=ChargeKind.EQUIPMENT,
        description=f"{booking.equipment} {booking}",
        period_start=used_on,
        period_end=used_on,
        quantity=hours,
        quantity_unit=_("hours"),
        unit_price=booking.equipment.hourly_rate,
        source=f"programs.booking:{booking.pk}",
    )
    return update_record(
        actor=actor, instance=booking, data={"state": BookingState.USED, "fee": charge.amount}
    )


# support policies ------------------------------------------------------------------------
policy_create = create_record
policy_update = update_record
policy_delete = delete_record


def _is_applicant(user: Any, application: PolicyApplication) -> bool:
    return user.role == Role.TENANT and getattr(company_of(user), "pk", None) == (
        application.enterprise_id
    )


def grant_application_update(
    *, actor: Any, instance: PolicyApplication, data: dict[str, Any]
) -> PolicyApplication:
    """A draft's note changes; the rest moves through the workflow."""
    if instance.state != GrantState.DRAFT:
        raise ConflictError(_("Only a draft application is edited."))
    return update_record(actor=actor, instance=instance, data=data)


GRANT_FLOW = Workflow("state", GRANT_TRANSITIONS, is_creator=_is_applicant)


def grant_moves(user: Any, application: PolicyApplication) -> list[Transition]:
    return GRANT_FLOW.allowed(user, application)


@transaction.atomic
def grant_application_create(
    *, actor: Any, instance: PolicyApplication, **_kw: Any
) -> PolicyApplication:
    """A company (or staff for it) starts an application for a policy in force."""
    if actor.role == Role.TENANT:
        company = company_of(actor)
        if company is None:
            raise ConflictError(_("Your account acts for no company; ask the platform admin."))
        instance.enterprise = company
    policy, today = instance.support_policy, timezone.localdate()
    if not policy.valid_from <= today <= policy.valid_to:
        raise ValidationError({"support_policy": [_("This policy is not in force today.")]})
    if PolicyApplication.objects.filter(
        support_policy=policy, enterprise=instance.enterprise
    ).exists():
        raise ConflictError(_("This company has applied for this policy already."))
    instance.state = GrantState.DRAFT
    return create_record(actor=actor, instance=instance)


@transaction.atomic
def grant_application_move(
    *,
    actor: Any,
    application: PolicyApplication,
    action: str,
    amount_wan: Decimal | None = None,
    note: str = "",
    today: datetime.date | None = None,
) -> PolicyApplication:
    """Submit, then record the grant (with its amount) or the refusal (with the reason)."""
    day = _today(today)
    also: dict[str, Any] = {}
    if action == "submit":
        also["submitted_on"] = day
    if action == "grant":
        if amount_wan is None or amount_wan < 0:
            raise ValidationError({"amount_granted_wan": [_("Enter the amount granted (万元).")]})
        limit = application.support_policy.max_amount_wan
        if limit is not None and amount_wan > limit:
            raise ValidationError(
                {"amount_granted_wan": [_("The policy grants at most %(m)s 万元.") % {"m": limit}]}
            )
        also.update(decided_on=day, amount_granted_wan=amount_wan)
    if action == "refuse":
        if not note.strip():
            raise ConflictError(_("Say why it was refused."), code="reason_required")
        also.update(decided_on=day)
    if note.strip():
        also["note"] = note.strip()
    row, _t, _before = GRANT_FLOW.move(
        actor=actor, row=application, action=action, comment=note, also=also
    )
    return row


# application scenarios ---------------------------------------------------------------------
scenario_create = create_record
scenario_update = update_record
scenario_delete = delete_record


def _is_proposer(user: Any, proposal: Proposal) -> bool:
    return user.role == Role.TENANT and getattr(company_of(user), "pk", None) == (
        proposal.enterprise_id
    )


PROPOSAL_FLOW = Workflow("state", PROPOSAL_TRANSITIONS, is_creator=_is_proposer)


def proposal_update(*, actor: Any, instance: Proposal, data: dict[str, Any]) -> Proposal:
    """The company rewrites its solution until it is shortlisted."""
    if instance.state != ProposalState.SUBMITTED:
        raise ConflictError(_("A proposal under consideration is not rewritten."))
    return update_record(actor=actor, instance=instance, data=data)


def proposal_moves(user: Any, proposal: Proposal) -> list[Transition]:
    return PROPOSAL_FLOW.allowed(user, proposal)


@transaction.atomic
def proposal_create(*, actor: Any, instance: Proposal, **_kw: Any) -> Proposal:
    """A company proposes its solution for an open scenario before its deadline."""
    if actor.role == Role.TENANT:
        company = company_of(actor)
        if company is None:
            raise ConflictError(_("Your account acts for no company; ask the platform admin."))
        instance.enterprise = company
    scenario = instance.scenario
    if scenario.state != ScenarioState.OPEN or scenario.deadline < timezone.localdate():
        raise ConflictError(_("This scenario takes no more proposals."))
    if Proposal.objects.filter(scenario=scenario, enterprise=instance.enterprise).exists():
        raise ConflictError(_("This company has proposed for this scenario already."))
    instance.state = ProposalState.SUBMITTED
    proposal = create_record(actor=actor, instance=instance)
    staff = User.objects.filter(role=Role.OPERATOR, operator=scenario.operator_id, is_active=True)
    notify(
        staff,
        gettext_noop("New proposal for the scenario “%(title)s”."),
        about=proposal,
        params={"title": scenario.title},
        url=reverse("programs:proposal_detail", args=[proposal.pk]),
    )
    return proposal


@transaction.atomic
def proposal_move(
    *,
    actor: Any,
    proposal: Proposal,
    action: str,
    outcome: str = "",
    value_wan: Decimal | None = None,
) -> Proposal:
    """Shortlist, pilot, adopt (with the outcome and its value) or decline (with why)."""
    also: dict[str, Any] = {}
    if action in ("adopt", "decline"):
        if not outcome.strip():
            raise ConflictError(
                _("Say what came of it: the company reads it."), code="reason_required"
            )
        also["outcome"] = outcome.strip()
    if action == "adopt":
        if value_wan is None or value_wan < 0:
            raise ValidationError({"value_wan": [_("Enter the contract value (万元).")]})
        also["value_wan"] = value_wan
    row, _t, _before = PROPOSAL_FLOW.move(
        actor=actor, row=proposal, action=action, comment=outcome, also=also
    )
    return row
