"""REST endpoints of the admission workflow (``/api/v1/admissions/``)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema

from admissions import filters, services
from admissions.choices import TRANSITIONS, AppState, Channel, Decision, RuleKind, Side
from admissions.models import (
    AdmissionSettings,
    Application,
    Review,
    RiskAssessment,
    ScreeningResult,
    ThresholdRule,
)
from admissions.selectors import match_units
from core.api.base import (
    ERRORS,
    DecimalIn,
    IsoDate,
    PathId,
    RowId,
    RowOut,
    describe_fields,
    get_or_404,
    scoped,
)
from core.api.crud import Crud, register_crud
from leasing.models import Lease
from spaces.models import Unit

__all__ = ["router"]

router = Router(tags=["admissions"])

Area = Annotated[Decimal, DecimalIn(ge=1, max_digits=10, decimal_places=2)]
Num = Annotated[Decimal, DecimalIn(ge=0, max_digits=14, decimal_places=2)]
Pct = Annotated[Decimal, DecimalIn(ge=0, le=100, max_digits=5, decimal_places=2)]


# the moves of the admission workflow, published as an enum
AppAction = Literal[tuple(TRANSITIONS)]  # type: ignore[valid-type]


class ApplicationOut(RowOut):
    policy_model = Application

    id: int
    enterprise_id: int
    enterprise: str = Field(alias="enterprise.name")
    park_id: int
    park: str = Field(alias="park.code")
    lease_id: int | None = Field(
        None, description="The lease it became (once converted), else null"
    )
    channel: Channel
    state: AppState
    description: str
    area_min_m2: Decimal
    area_max_m2: Decimal | None
    clear_height_min_m: Decimal | None
    floor_load_min_kn_m2: Decimal | None
    power_min_kva: Decimal | None
    budget_rent: Decimal | None
    move_in_on: datetime.date | None
    rd_intensity_pct: Decimal | None
    output_per_m2: Decimal | None
    headcount: int | None
    talent_share_pct: Decimal | None
    submitted_at: datetime.datetime | None
    decided_at: datetime.datetime | None
    actions: list[AppAction] = Field(  # type: ignore[valid-type]
        ...,
        description="The workflow moves the caller may make now (POST one to /transition)",
    )

    @staticmethod
    def resolve_actions(obj: Application, context: dict[str, Any]) -> list[str]:
        return [t.action for t in services.allowed_transitions(context["request"].user, obj)]


class ApplicationIn(Schema):
    enterprise_id: int
    park_id: int
    description: Annotated[str, Field(max_length=5000)] = ""
    area_min_m2: Area
    area_max_m2: Area | None = None
    clear_height_min_m: (
        Annotated[Decimal, DecimalIn(ge=0, le=30, max_digits=5, decimal_places=2)] | None
    ) = None
    floor_load_min_kn_m2: (
        Annotated[Decimal, DecimalIn(ge=0, max_digits=6, decimal_places=2)] | None
    ) = None
    power_min_kva: Annotated[Decimal, DecimalIn(ge=0, max_digits=8, decimal_places=1)] | None = None
    budget_rent: Annotated[Decimal, DecimalIn(ge=0, max_digits=8, decimal_places=2)] | None = None
    move_in_on: IsoDate | None = None
    rd_intensity_pct: Pct | None = None
    output_per_m2: Num | None = None
    headcount: Annotated[int, Field(ge=0, le=1000000)] | None = None
    talent_share_pct: Pct | None = None


class ApplicationPatch(Schema):
    description: Annotated[str, Field(max_length=5000)] | None = None
    area_min_m2: Area | None = None
    area_max_m2: Area | None = None
    budget_rent: Annotated[Decimal, DecimalIn(ge=0, max_digits=8, decimal_places=2)] | None = None
    move_in_on: IsoDate | None = None
    rd_intensity_pct: Pct | None = None
    output_per_m2: Num | None = None
    headcount: Annotated[int, Field(ge=0, le=1000000)] | None = None
    talent_share_pct: Pct | None = None


class TransitionIn(Schema):
    action: AppAction = Field(  # type: ignore[valid-type]
        ..., description="The move to make; an application lists the caller's in `actions`"
    )
    comment: Annotated[str, Field(max_length=500)] = ""


describe_fields(TransitionIn, comment="Why, kept in the change log")


class RiskIn(Schema):
    revenue_last_year: Num | None = None
    revenue_prev_year: Num | None = None
    debt_ratio_pct: Pct | None = None
    litigation: bool = False
    dishonest_debtor: bool = False


describe_fields(RiskIn, RiskAssessment)


class FactorOut(Schema):
    key: str
    value: str
    scale: str
    weight: str
    points: str


describe_fields(
    FactorOut,
    key="The risk factor",
    value="The input as shown",
    scale="Its score on 0–1",
    weight="Its weight in the operator's settings",
    points="Points it adds to the score of 100",
)


class RiskOut(RowOut):
    policy_model = RiskAssessment

    score: Decimal
    grade: Literal["A", "B", "C", "D"]
    factors: list[FactorOut] | None


class ReviewIn(Schema):
    decision: Decision
    conditions: Annotated[str, Field(max_length=2000)] = ""
    comment: Annotated[str, Field(max_length=2000)] = ""
    exception_reason: Annotated[str, Field(max_length=2000)] = ""


describe_fields(ReviewIn, Review)


class ReviewOut(Schema):
    id: int
    side: Side
    reviewer: str
    decision: Decision
    conditions: str
    comment: str
    exception_reason: str
    info_open: bool = Field(..., description="An information request nobody answered yet")
    answer: str
    answered_at: datetime.datetime | None
    withdrawn_at: datetime.datetime | None

    @staticmethod
    def resolve_reviewer(obj: Review) -> str:
        return str(obj.reviewer)


describe_fields(ReviewOut, Review)


class ScreeningOut(Schema):
    rule: str = Field(alias="rule_label")
    passed: bool
    hard: bool
    reason: str


describe_fields(ScreeningOut, ScreeningResult)


class ScreeningPage(Schema):
    items: list[ScreeningOut]
    next: str | None = None


describe_fields(ScreeningPage, items="One result per threshold rule", next="Always null")


class MatchOut(Schema):
    unit_ids: list[int]
    units: list[str]
    park_id: int
    park: str
    area_m2: Decimal
    rent: Decimal
    reasons: list[str]


describe_fields(
    MatchOut,
    unit_ids="Unit ids: one unit, or neighbours on one floor",
    units="Their codes, in the same order",
    park_id="Id of the park",
    park="Park code",
    area_m2="Their area in m²",
    rent="The highest list rent among them, 元/m²/day",
    reasons="Why they match, in the caller's language",
)


class MatchPage(Schema):
    items: list[MatchOut]
    next: str | None = None


describe_fields(MatchPage, items="Best first", next="Always null")


class ThresholdOut(Schema):
    id: int
    park_id: int
    park: str = Field(alias="park.code")
    kind: RuleKind
    items: str
    value: Decimal | None
    is_hard: bool
    is_active: bool


class ThresholdIn(Schema):
    park_id: int
    kind: RuleKind
    items: Annotated[str, Field(max_length=500)] = ""
    value: Num | None = None
    is_hard: bool = True
    is_active: bool = True


class ThresholdPatch(Schema):
    items: Annotated[str, Field(max_length=500)] | None = None
    value: Num | None = None
    is_hard: bool | None = None
    is_active: bool | None = None


class SettingsOut(Schema):
    id: int
    operator_id: int
    operator: str = Field(alias="operator.code")
    weights: dict[str, float]
    gov_approvals_required: int
    operator_approvals_required: int
    separation_of_duties: bool


class SettingsIn(Schema):
    operator_id: int
    weights: dict[str, Annotated[float, Field(ge=0, le=1000)]] = {}
    gov_approvals_required: Annotated[int, Field(ge=1, le=20)] = 1
    operator_approvals_required: Annotated[int, Field(ge=1, le=20)] = 1
    separation_of_duties: bool = True


class SettingsPatch(Schema):
    weights: dict[str, Annotated[float, Field(ge=0, le=1000)]] | None = None
    gov_approvals_required: Annotated[int, Field(ge=1, le=20)] | None = None
    operator_approvals_required: Annotated[int, Field(ge=1, le=20)] | None = None
    separation_of_duties: bool | None = None


register_crud(
    router,
    "/applications",
    Crud(
        Application,
        ApplicationOut,
        ApplicationIn,
        ApplicationPatch,
        filters.ApplicationFilter,
        services.application_create,
        services.application_update,
        services.application_delete,
        order="-created_at",
        sortable=("created_at", "updated_at"),
        select_related=("enterprise", "park"),
    ),
)


@router.post(
    "/applications/{id}/transition",
    response={200: ApplicationOut, **ERRORS},
    summary="Move an application along the workflow",
    operation_id="application_transition",
    **scoped(Application, "change"),
)
def transition(request: HttpRequest, id: PathId, payload: TransitionIn) -> Any:
    app = get_or_404(Application, request, "change", id)
    return services.application_transition(
        actor=request.user, application=app, action=payload.action, comment=payload.comment
    )


@router.put(
    "/applications/{id}/risk",
    response={200: RiskOut, **ERRORS},
    summary="Assess customer risk",
    operation_id="application_assess",
    **scoped(RiskAssessment, "add", Application),
)
def assess(request: HttpRequest, id: PathId, payload: RiskIn) -> Any:
    app = get_or_404(Application, request, "view", id)
    return services.risk_assess(actor=request.user, application=app, **payload.dict())


@router.post(
    "/applications/{id}/reviews",
    response={200: ReviewOut, **ERRORS},
    summary="Record a joint-review decision",
    operation_id="application_review",
    **scoped(Review, "add", Application),
)
def review(request: HttpRequest, id: PathId, payload: ReviewIn) -> Any:
    app = get_or_404(Application, request, "view", id)
    return services.review_record(actor=request.user, application=app, **payload.dict())


class AnswerIn(Schema):
    answer: Annotated[str, Field(min_length=1, max_length=2000)]


describe_fields(AnswerIn, answer="The answer to the reviewer's information request")


@router.post(
    "/applications/{id}/reviews/{review_id}/answer",
    response={200: ReviewOut, **ERRORS},
    summary="Answer a reviewer's information request",
    operation_id="application_review_answer",
    **scoped(Application, "view"),
)
def review_answer(request: HttpRequest, id: PathId, review_id: PathId, payload: AnswerIn) -> Any:
    app = get_or_404(Application, request, "view", id)
    found = get_object_or_404(app.reviews, pk=review_id)
    return services.info_answer(actor=request.user, review=found, answer=payload.answer)


@router.post(
    "/applications/{id}/reviews/{review_id}/withdraw",
    response={200: ApplicationOut, **ERRORS},
    summary="Withdraw your own open information request",
    operation_id="application_review_withdraw",
    **scoped(Review, "add", Application),
)
def review_withdraw(request: HttpRequest, id: PathId, review_id: PathId) -> Any:
    app = get_or_404(Application, request, "view", id)
    found = get_object_or_404(app.reviews, pk=review_id)
    services.info_withdraw(actor=request.user, review=found)
    return get_or_404(Application, request, "view", id)


@router.get(
    "/applications/{id}/screening",
    response={200: ScreeningPage, **ERRORS},
    summary="Threshold screening results",
    operation_id="application_screening",
    **scoped(Application, "view"),
)
def screening(request: HttpRequest, id: PathId) -> Any:
    app = get_or_404(Application, request, "view", id)
    return {"items": list(app.screening_results.all())}


@router.get(
    "/applications/{id}/matches",
    response={200: MatchPage, **ERRORS},
    summary="Units that meet the space requirements, best first",
    operation_id="application_matches",
    **scoped(Unit, "view", Application),
)
def matches(request: HttpRequest, id: PathId) -> Any:
    app = get_or_404(Application, request, "view", id)
    return {
        "items": [
            {
                "unit_ids": [u.pk for u in m.units],
                "units": [u.code for u in m.units],
                "park_id": m.park.pk,
                "park": m.park.code,
                "area_m2": m.area_m2,
                "rent": m.rent,
                "reasons": [str(r) for r in m.reasons],
            }
            for m in match_units(app, request.user)
        ]
    }


register_crud(
    router,
    "/thresholds",
    Crud(
        ThresholdRule,
        ThresholdOut,
        ThresholdIn,
        ThresholdPatch,
        filters.ThresholdFilter,
        services.threshold_create,
        services.threshold_update,
        services.threshold_delete,
        select_related=("park",),
    ),
)
register_crud(
    router,
    "/settings",
    Crud(
        AdmissionSettings,
        SettingsOut,
        SettingsIn,
        SettingsPatch,
        filters.SettingsFilter,
        services.threshold_create,
        services.settings_update,
        services.threshold_delete,
        select_related=("operator",),
    ),
)


class ConvertIn(Schema):
    unit_ids: list[RowId] = Field(..., min_length=1, max_length=20)
    start_on: IsoDate
    end_on: IsoDate
    rent_per_m2_day: Annotated[Decimal, DecimalIn(ge=0, max_digits=8, decimal_places=2)]
    deviation_reason: Annotated[str, Field(max_length=500)] = ""


describe_fields(
    ConvertIn,
    deviation_reason="Why units that miss the application's requirements are agreed "
    "(required then; kept in the lease's notes)",
    unit_ids="The units of the lease (ids of units the caller may see)",
    start_on="First day of the lease",
    end_on="Last day of the lease",
)


@router.post(
    "/applications/{id}/convert",
    response={200: ApplicationOut, **ERRORS},
    summary="Turn an approved application into a draft lease",
    operation_id="application_convert",
    **scoped(Lease, "add", Application),
)
def convert(request: HttpRequest, id: PathId, payload: ConvertIn) -> Any:
    app = get_or_404(Application, request, "change", id)
    units = list(
        Unit.objects.restrict(request.user).filter(pk__in=payload.unit_ids).select_related("park")
    )
    if len(units) != len(set(payload.unit_ids)):
        raise ValidationError({"unit_ids": [_("Choose units you manage.")]})
    return services.application_convert(
        actor=request.user,
        application=app,
        units=units,
        start_on=payload.start_on,
        end_on=payload.end_on,
        rent_per_m2_day=payload.rent_per_m2_day,
        deviation_reason=payload.deviation_reason,
    )
