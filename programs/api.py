"""REST endpoints of the innovation services (``/api/v1/programs/``): the service catalogue,
service requests with their SLA (opened, moved, assigned and rated through the same services
as the pages) and the messages on them (a company never receives internal notes)."""

# No `from __future__ import annotations`: ninja reads the signatures at run time.

import datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from core.api.base import ERRORS, DecimalIn, PathId, describe_fields, get_or_404, scoped
from core.api.crud import Crud, register_crud
from core.models import User
from enterprises.choices import GrowthStage, QualificationKind, QualificationLevel
from programs import filters, growth_api, services
from programs.choices import (
    PROPOSAL_TRANSITIONS,
    TRANSITIONS,
    BookingState,
    GrantState,
    PolicyLevel,
    ProposalState,
    RequestState,
    ScenarioState,
    ServiceCategory,
)
from programs.models import (
    Booking,
    Equipment,
    PolicyApplication,
    Proposal,
    RequestMessage,
    Scenario,
    ServiceKind,
    ServiceRequest,
    SupportPolicy,
)
from programs.policies import matches_for_policy
from programs.scenario_match import CompanyIndex

__all__ = ["router"]

router = Router(tags=["programs"])
RequestAction = Literal[tuple(TRANSITIONS)]  # type: ignore[valid-type]
Text = Annotated[str, Field(max_length=4000)]


class ServiceKindOut(Schema):
    id: int
    operator_id: int
    name: str
    category: ServiceCategory
    sla_days: int
    manager_id: int | None
    description: str
    is_active: bool


class ServiceKindIn(Schema):
    operator_id: int
    name: Annotated[str, Field(max_length=60)]
    category: ServiceCategory
    sla_days: Annotated[int, Field(ge=1, le=60)]
    manager_id: int | None = None
    description: Text = ""
    is_active: bool = True


class ServiceKindPatch(Schema):
    name: Annotated[str, Field(max_length=60)] | None = None
    sla_days: Annotated[int, Field(ge=1, le=60)] | None = None
    manager_id: int | None = None
    description: Text | None = None
    is_active: bool | None = None


class ServiceRequestOut(Schema):
    id: int
    park_id: int
    enterprise_id: int
    kind_id: int
    subject: str
    description: str
    state: RequestState
    opened_by_id: int
    assignee_id: int | None
    due_on: datetime.date
    due_provisional: bool
    paused_days: int
    breached: bool = Field(..., description="Past its SLA (a paused request is not late)")
    resolved_on: datetime.date | None
    resolution: str
    rating: int | None
    rating_comment: str
    actions: list[RequestAction] = Field(  # type: ignore[valid-type]
        ..., description="The moves the caller may make now, by POST /transition"
    )

    @staticmethod
    def resolve_breached(obj: ServiceRequest) -> bool:
        return obj.breached(timezone.localdate())

    @staticmethod
    def resolve_actions(obj: ServiceRequest, context: dict[str, Any]) -> list[str]:
        return [t.action for t in services.allowed_transitions(context["request"].user, obj)]


class ServiceRequestIn(Schema):
    park_id: int
    enterprise_id: int | None = Field(
        None, description="Staff name the company; a company user asks for its own"
    )
    kind_id: int
    subject: Annotated[str, Field(min_length=1, max_length=120)]
    description: Annotated[str, Field(min_length=1, max_length=4000)]


class ServiceRequestPatch(Schema):
    subject: Annotated[str, Field(min_length=1, max_length=120)] | None = None
    description: Annotated[str, Field(min_length=1, max_length=4000)] | None = None


class ServiceMessageOut(Schema):
    id: int
    request_id: int
    author: str
    body: str
    internal: bool
    created_at: datetime.datetime

    @staticmethod
    def resolve_author(obj: RequestMessage) -> str:
        return str(obj.author)


register_crud(
    router,
    "/services",
    Crud(
        ServiceKind,
        ServiceKindOut,
        ServiceKindIn,
        ServiceKindPatch,
        filters.KindFilter,
        services.kind_create,
        services.kind_update,
        services.kind_delete,
    ),
)
register_crud(
    router,
    "/requests",
    Crud(
        ServiceRequest,
        ServiceRequestOut,
        ServiceRequestIn,
        ServiceRequestPatch,
        filters.RequestFilter,
        services.request_open,
        services.request_update,
        None,
        order="due_on",
        sortable=("due_on", "created_at"),
    ),
)
register_crud(
    router,
    "/messages",
    Crud.reads(
        RequestMessage, ServiceMessageOut, filters.MessageFilter, select_related=("author",)
    ),
)


class ServiceTransitionIn(Schema):
    action: RequestAction = Field(  # type: ignore[valid-type]
        ..., description="The move; a request lists the caller's in `actions`"
    )
    comment: Text = ""


describe_fields(ServiceTransitionIn, comment="Why; for `resolve`, how it was resolved (required)")


@router.post(
    "/requests/{id}/transition",
    response={200: ServiceRequestOut, **ERRORS},
    summary="Move a service request (accept, wait, resume, resolve, reopen, close, cancel)",
    operation_id="service_request_transition",
    **scoped(ServiceRequest, "change"),
)
def transition(request: HttpRequest, id: PathId, payload: ServiceTransitionIn) -> Any:
    row = get_or_404(ServiceRequest, request, "view", id)
    return services.request_transition(
        actor=request.user, request=row, action=payload.action, comment=payload.comment
    )


class ServiceMessageIn(Schema):
    body: Annotated[str, Field(min_length=1, max_length=4000)]
    internal: bool = False


describe_fields(ServiceMessageIn, body="The message", internal="An internal note only staff see")


@router.post(
    "/requests/{id}/messages",
    response={200: ServiceMessageOut, **ERRORS},
    summary="Reply on a service request, or add an internal note (staff)",
    operation_id="service_request_message",
    **scoped(RequestMessage, "add", ServiceRequest),
)
def message(request: HttpRequest, id: PathId, payload: ServiceMessageIn) -> Any:
    row = get_or_404(ServiceRequest, request, "view", id)
    return services.message_add(
        actor=request.user, request=row, body=payload.body, internal=payload.internal
    )


class ServiceAssignIn(Schema):
    assignee_id: int | None


describe_fields(ServiceAssignIn, assignee_id="A member of the park's staff, or null")


@router.post(
    "/requests/{id}/assign",
    response={200: ServiceRequestOut, **ERRORS},
    summary="Assign a service request to a member of the park's staff",
    operation_id="service_request_assign",
    **scoped(ServiceRequest, "change"),
)
def assign(request: HttpRequest, id: PathId, payload: ServiceAssignIn) -> Any:
    row = get_or_404(ServiceRequest, request, "change", id)
    person = User.objects.filter(pk=payload.assignee_id).first() if payload.assignee_id else None
    if payload.assignee_id and person is None:
        raise ValidationError({"assignee_id": [_("Choose a member of this park's staff.")]})
    return services.request_assign(actor=request.user, request=row, assignee=person)


class ServiceRatingIn(Schema):
    rating: Annotated[int, Field(ge=1, le=5)]
    comment: Annotated[str, Field(max_length=300)] = ""


describe_fields(ServiceRatingIn, rating="1 to 5 stars", comment="What the company says")


@router.post(
    "/requests/{id}/rating",
    response={200: ServiceRequestOut, **ERRORS},
    summary="The company rates a resolved request and closes it",
    operation_id="service_request_rate",
    **scoped(ServiceRequest, "change"),
)
def rate(request: HttpRequest, id: PathId, payload: ServiceRatingIn) -> Any:
    row = get_or_404(ServiceRequest, request, "view", id)
    return services.request_rate(
        actor=request.user, request=row, rating=payload.rating, comment=payload.comment
    )


Clock = Annotated[str, Field(pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]$")]


class EquipmentOut(Schema):
    id: int
    park_id: int
    code: str
    name: str
    description: str
    hourly_rate: Decimal
    opens_at: Clock = Field(..., description="Opening time, HH:MM (local time)")
    closes_at: Clock = Field(..., description="Closing time, HH:MM (local time)")
    is_active: bool

    @staticmethod
    def resolve_opens_at(obj: Equipment) -> str:
        return obj.opens_at.strftime("%H:%M")

    @staticmethod
    def resolve_closes_at(obj: Equipment) -> str:
        return obj.closes_at.strftime("%H:%M")


class EquipmentIn(Schema):
    park_id: int
    code: Annotated[str, Field(min_length=1, max_length=20)]
    name: Annotated[str, Field(min_length=1, max_length=80)]
    description: Text = ""
    hourly_rate: Annotated[Decimal, DecimalIn(ge=0, max_digits=10, decimal_places=2)]
    opens_at: Clock = "08:00"
    closes_at: Clock = "20:00"
    is_active: bool = True


class EquipmentPatch(Schema):
    name: Annotated[str, Field(min_length=1, max_length=80)] | None = None
    description: Text | None = None
    hourly_rate: Annotated[Decimal, DecimalIn(ge=0, max_digits=10, decimal_places=2)] | None = None
    opens_at: Clock | None = None
    closes_at: Clock | None = None
    is_active: bool | None = None


register_crud(
    router,
    "/equipment",
    Crud(
        Equipment,
        EquipmentOut,
        EquipmentIn,
        EquipmentPatch,
        filters.EquipmentFilter,
        services.equipment_create,
        services.equipment_update,
        services.equipment_delete,
        order="code",
    ),
)


class BookingOut(Schema):
    id: int
    equipment_id: int
    enterprise_id: int
    booked_by_id: int
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    state: BookingState
    purpose: str
    fee: Decimal | None


class BookingIn(Schema):
    equipment_id: int
    enterprise_id: int | None = Field(
        None, description="Staff name the company; a company user books for its own"
    )
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    purpose: Annotated[str, Field(max_length=200)] = ""


describe_fields(
    BookingIn,
    equipment_id="The instrument (an id of equipment the caller may see)",
    starts_at="Start, on a half-hour within the opening hours",
    ends_at="End, on the same day",
    purpose="What it is used for",
)
register_crud(
    router,
    "/bookings",
    Crud.reads(Booking, BookingOut, filters.BookingFilter, order="-starts_at"),
)


@router.post(
    "/bookings",
    response={201: BookingOut, **ERRORS},
    summary="Book shared equipment (half-hours within its opening hours)",
    operation_id="booking_create",
    **scoped(Booking, "add"),
)
def booking_create(request: HttpRequest, payload: BookingIn) -> Any:
    equipment = get_or_404(Equipment, request, "view", payload.equipment_id)
    company = None
    if payload.enterprise_id is not None:
        from enterprises.models import Enterprise

        company = get_or_404(Enterprise, request, "view", payload.enterprise_id)
    booking = services.booking_create(
        actor=request.user,
        instance=Booking(
            equipment=equipment,
            enterprise=company,
            starts_at=payload.starts_at,
            ends_at=payload.ends_at,
            purpose=payload.purpose,
        ),
    )
    return Status(201, booking)


@router.post(
    "/bookings/{id}/complete",
    response={200: BookingOut, **ERRORS},
    summary="Staff confirm the equipment was used: the fee goes on the company's next bill",
    operation_id="booking_complete",
    **scoped(Booking, "change"),
)
def booking_complete(request: HttpRequest, id: PathId) -> Any:
    booking = get_or_404(Booking, request, "change", id)
    return services.booking_complete(actor=request.user, booking=booking)


@router.post(
    "/bookings/{id}/cancel",
    response={200: BookingOut, **ERRORS},
    summary="Cancel a booking not used yet",
    operation_id="booking_cancel",
    **scoped(Booking, "change"),
)
def booking_cancel(request: HttpRequest, id: PathId) -> Any:
    booking = get_or_404(Booking, request, "change", id)
    return services.booking_cancel(actor=request.user, booking=booking)


class SupportPolicyOut(Schema):
    id: int
    operator_id: int
    title: str
    issuer: str
    level: PolicyLevel
    benefit: str
    max_amount_wan: Decimal | None
    valid_from: datetime.date
    valid_to: datetime.date
    qualification: str
    qualification_level: str
    industry_codes: str
    stages: list[str]
    park_ids: list[int]
    min_age_years: int | None
    max_age_years: int | None
    min_paid_in_capital_wan: Decimal | None
    min_headcount: int | None
    min_revenue_wan: Decimal | None
    min_rd_intensity_pct: Decimal | None

    @staticmethod
    def resolve_park_ids(obj: SupportPolicy) -> list[int]:
        return sorted(p.pk for p in obj.parks.all())


class SupportPolicyIn(Schema):
    operator_id: int
    title: Annotated[str, Field(min_length=1, max_length=120)]
    issuer: Annotated[str, Field(min_length=1, max_length=80)]
    level: PolicyLevel
    benefit: Annotated[str, Field(min_length=1, max_length=4000)]
    max_amount_wan: Annotated[Decimal, DecimalIn(ge=0, max_digits=12, decimal_places=2)] | None = (
        None
    )
    valid_from: datetime.date
    valid_to: datetime.date
    qualification: Literal[tuple(["", *QualificationKind.values])] = ""  # type: ignore[valid-type]
    qualification_level: Literal[tuple(["", *QualificationLevel.values])] = ""  # type: ignore[valid-type]
    industry_codes: Annotated[str, Field(max_length=200)] = ""
    stages: list[GrowthStage] = []
    park_ids: list[int] = []
    min_age_years: Annotated[int, Field(ge=0, le=100)] | None = None
    max_age_years: Annotated[int, Field(ge=0, le=100)] | None = None
    min_paid_in_capital_wan: (
        Annotated[Decimal, DecimalIn(ge=0, max_digits=14, decimal_places=2)] | None
    ) = None
    min_headcount: Annotated[int, Field(ge=0, le=10_000_000)] | None = None
    min_revenue_wan: Annotated[Decimal, DecimalIn(ge=0, max_digits=14, decimal_places=2)] | None = (
        None
    )
    min_rd_intensity_pct: (
        Annotated[Decimal, DecimalIn(ge=0, le=100, max_digits=5, decimal_places=2)] | None
    ) = None


class SupportPolicyPatch(Schema):
    title: Annotated[str, Field(min_length=1, max_length=120)] | None = None
    benefit: Annotated[str, Field(min_length=1, max_length=4000)] | None = None
    max_amount_wan: Annotated[Decimal, DecimalIn(ge=0, max_digits=12, decimal_places=2)] | None = (
        None
    )
    valid_to: datetime.date | None = None


register_crud(
    router,
    "/policies",
    Crud(
        SupportPolicy,
        SupportPolicyOut,
        SupportPolicyIn,
        SupportPolicyPatch,
        filters.PolicyFilter,
        services.policy_create,
        services.policy_update,
        services.policy_delete,
        order="-valid_to",
        prefetch_related=("parks",),
    ),
)


class PolicyFitOut(Schema):
    enterprise_id: int
    enterprise: str
    qualifies: bool
    met: list[str]
    missing: list[str]


class PolicyMatchPage(Schema):
    qualify: list[PolicyFitOut]
    nearly: list[PolicyFitOut]


describe_fields(
    PolicyFitOut,
    enterprise_id="The company",
    enterprise="Its name",
    qualifies="Meets every criterion now",
    met="The criteria met, in the caller's language",
    missing="The criteria not met (one for a company that nearly qualifies)",
)
describe_fields(
    PolicyMatchPage, qualify="Companies that qualify", nearly="Companies one criterion short"
)


def _fit(f: Any) -> dict[str, Any]:
    return {
        "enterprise_id": f.facts.enterprise.pk,
        "enterprise": f.facts.enterprise.name,
        "qualifies": f.qualifies,
        "met": f.met,
        "missing": f.missing,
    }


@router.get(
    "/policies/{id}/matches",
    response={200: PolicyMatchPage, **ERRORS},
    summary="The companies in the caller's scope that qualify for a policy, or nearly do",
    operation_id="policy_matches",
    **scoped(SupportPolicy, "change"),
)
def policy_matches(request: HttpRequest, id: PathId) -> Any:
    from enterprises.models import Enterprise

    policy = get_or_404(SupportPolicy, request, "view", id)
    qualify, nearly = matches_for_policy(
        policy, Enterprise.objects.restrict(request.user), timezone.localdate()
    )
    return {"qualify": [_fit(f) for f in qualify], "nearly": [_fit(f) for f in nearly]}


class PolicyApplicationOut(Schema):
    id: int
    support_policy_id: int
    enterprise_id: int
    state: GrantState
    submitted_on: datetime.date | None
    decided_on: datetime.date | None
    amount_granted_wan: Decimal | None
    note: str


class PolicyApplicationIn(Schema):
    support_policy_id: int
    enterprise_id: int | None = Field(
        None, description="Staff name the company; a company applies for itself"
    )
    note: Annotated[str, Field(max_length=2000)] = ""


class PolicyApplicationPatch(Schema):
    note: Annotated[str, Field(max_length=2000)] | None = None


register_crud(
    router,
    "/grants",
    Crud(
        PolicyApplication,
        PolicyApplicationOut,
        PolicyApplicationIn,
        PolicyApplicationPatch,
        filters.GrantFilter,
        services.grant_application_create,
        services.grant_application_update,
        None,
        order="-created_at",
    ),
)


class GrantMoveIn(Schema):
    action: Literal["submit", "grant", "refuse"]
    amount_granted_wan: (
        Annotated[Decimal, DecimalIn(ge=0, max_digits=12, decimal_places=2)] | None
    ) = None
    note: Annotated[str, Field(max_length=2000)] = ""


describe_fields(
    GrantMoveIn,
    action="submit (the company or staff), grant or refuse (staff)",
    amount_granted_wan="The amount granted, 万元 (for grant)",
    note="A note; for refuse, the reason (required)",
)


@router.post(
    "/grants/{id}/move",
    response={200: PolicyApplicationOut, **ERRORS},
    summary="Submit a policy application, or record its grant or refusal",
    operation_id="policy_application_move",
    **scoped(PolicyApplication, "change"),
)
def grant_move(request: HttpRequest, id: PathId, payload: GrantMoveIn) -> Any:
    row = get_or_404(PolicyApplication, request, "change", id)
    return services.grant_application_move(
        actor=request.user,
        application=row,
        action=payload.action,
        amount_wan=payload.amount_granted_wan,
        note=payload.note,
    )


class ScenarioOut(Schema):
    id: int
    operator_id: int
    title: str
    owner: str
    setting: str
    tag_ids: list[int]
    industry_codes: str
    budget_wan: Decimal | None
    deadline: datetime.date
    contact: str
    state: ScenarioState

    @staticmethod
    def resolve_tag_ids(obj: Scenario) -> list[int]:
        return sorted(t.pk for t in obj.tags.all())


class ScenarioIn(Schema):
    operator_id: int
    title: Annotated[str, Field(min_length=1, max_length=120)]
    owner: Annotated[str, Field(min_length=1, max_length=80)]
    setting: Annotated[str, Field(min_length=1, max_length=4000)]
    tag_ids: list[int] = []
    industry_codes: Annotated[str, Field(max_length=200)] = ""
    budget_wan: Annotated[Decimal, DecimalIn(ge=0, max_digits=12, decimal_places=2)] | None = None
    deadline: datetime.date
    contact: Annotated[str, Field(max_length=80)] = ""
    state: ScenarioState = ScenarioState.OPEN


class ScenarioPatch(Schema):
    setting: Annotated[str, Field(min_length=1, max_length=4000)] | None = None
    deadline: datetime.date | None = None
    state: ScenarioState | None = None


register_crud(
    router,
    "/scenarios",
    Crud(
        Scenario,
        ScenarioOut,
        ScenarioIn,
        ScenarioPatch,
        filters.ScenarioFilter,
        services.scenario_create,
        services.scenario_update,
        services.scenario_delete,
        order="-deadline",
        prefetch_related=("tags",),
    ),
)


class ScenarioFitOut(Schema):
    enterprise_id: int
    enterprise: str
    score: float
    terms: list[str]
    reasons: list[str]


class ScenarioMatchPage(Schema):
    items: list[ScenarioFitOut]
    next: str | None = None


describe_fields(
    ScenarioFitOut,
    enterprise_id="The company",
    enterprise="Its name",
    score="BM25 over the descriptions plus tag and industry bonuses; higher fits better",
    terms="The scenario's words found in the company's texts",
    reasons="Why, in the caller's language",
)
describe_fields(ScenarioMatchPage, items="Best first", next="Always null")


@router.get(
    "/scenarios/{id}/matches",
    response={200: ScenarioMatchPage, **ERRORS},
    summary="The companies in the caller's scope that fit a scenario, best first",
    operation_id="scenario_matches",
    **scoped(Scenario, "change"),
)
def scenario_matches(request: HttpRequest, id: PathId) -> Any:
    from enterprises.models import Enterprise

    scenario = get_or_404(Scenario, request, "view", id)
    index = CompanyIndex.of(Enterprise.objects.restrict(request.user))
    return {
        "items": [
            {
                "enterprise_id": r.enterprise.pk,
                "enterprise": r.enterprise.name,
                "score": r.score,
                "terms": r.terms,
                "reasons": r.reasons,
            }
            for r in index.rank(scenario, limit=20)
        ]
    }


class ScenarioProposalOut(Schema):
    id: int
    scenario_id: int
    enterprise_id: int
    summary: str
    state: ProposalState
    outcome: str
    value_wan: Decimal | None


class ScenarioProposalIn(Schema):
    scenario_id: int
    enterprise_id: int | None = Field(
        None, description="Staff name the company; a company proposes for itself"
    )
    summary: Annotated[str, Field(min_length=1, max_length=4000)]


class ScenarioProposalPatch(Schema):
    summary: Annotated[str, Field(min_length=1, max_length=4000)] | None = None


register_crud(
    router,
    "/proposals",
    Crud(
        Proposal,
        ScenarioProposalOut,
        ScenarioProposalIn,
        ScenarioProposalPatch,
        filters.ProposalFilter,
        services.proposal_create,
        services.proposal_update,
        None,
        order="-created_at",
    ),
)


class ScenarioProposalMoveIn(Schema):
    action: Literal[tuple(PROPOSAL_TRANSITIONS)]  # type: ignore[valid-type]
    outcome: Annotated[str, Field(max_length=2000)] = ""
    value_wan: Annotated[Decimal, DecimalIn(ge=0, max_digits=12, decimal_places=2)] | None = None


describe_fields(
    ScenarioProposalMoveIn,
    action="shortlist, pilot, adopt or decline",
    outcome="What came of it (required to adopt or decline)",
    value_wan="The contract value, 万元 (to adopt)",
)


@router.post(
    "/proposals/{id}/move",
    response={200: ScenarioProposalOut, **ERRORS},
    summary="Shortlist a proposal, pilot it, adopt it or decline it",
    operation_id="proposal_move",
    **scoped(Proposal, "change"),
)
def proposal_move(request: HttpRequest, id: PathId, payload: ScenarioProposalMoveIn) -> Any:
    row = get_or_404(Proposal, request, "change", id)
    return services.proposal_move(
        actor=request.user,
        proposal=row,
        action=payload.action,
        outcome=payload.outcome,
        value_wan=payload.value_wan,
    )


growth_api.register(router)  # the growth path's endpoints, on the same router
