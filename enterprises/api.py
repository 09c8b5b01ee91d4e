"""REST endpoints of the enterprise registry (``/api/v1/enterprises/``)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from django.http import HttpRequest
from ninja import Field, Router, Schema

from core.api.auth import gate
from core.api.base import ERRORS, DecimalIn, IsoDate, RowOut, api_operation, describe_fields
from core.api.crud import Crud, register_crud
from enterprises import filters, services
from enterprises.choices import FundingRound, GrowthStage, QualificationKind, QualificationLevel
from enterprises.models import (
    CatalogTag,
    Contact,
    Enterprise,
    FinancingRound,
    Industry,
    Qualification,
)

__all__ = ["router"]

router = Router(tags=["enterprises"])

Money = Annotated[Decimal, DecimalIn(ge=0, max_digits=14, decimal_places=2)]
Text = Annotated[str, Field(max_length=200)]
Year = Annotated[int, Field(ge=2000, le=2100, description="The year the figures are for")]
Headcount = Annotated[
    int, Field(ge=0, le=10_000_000, description="Employees at the end of that year")
]
# "" for kinds without a level (the model stores an empty string, not null)
Level = Annotated[str, Field(pattern=f"^({'|'.join(QualificationLevel.values)})?$")]


class EnterpriseOut(Schema):
    id: int
    name: str
    credit_code: str
    industry_id: int | None
    industry: str | None = Field(None, alias="industry.code")
    tag_ids: list[int]
    tags: list[str]
    stage: GrowthStage
    established_on: datetime.date | None
    registered_capital_wan: Decimal | None
    paid_in_capital_wan: Decimal | None
    figures_year: int | None
    headcount: int | None
    revenue_wan: Decimal | None
    rd_spend_wan: Decimal | None
    legal_representative: str
    address: str
    description: str

    @staticmethod
    def resolve_tags(obj: Enterprise) -> list[str]:
        return [t.name for t in obj.tags.all()]

    @staticmethod
    def resolve_tag_ids(obj: Enterprise) -> list[int]:
        return [t.pk for t in obj.tags.all()]


class EnterpriseIn(Schema):
    name: Annotated[str, Field(min_length=1, max_length=200)]
    credit_code: Annotated[str, Field(min_length=1, max_length=40)]
    industry_id: int | None = None
    tag_ids: list[int] = []
    stage: GrowthStage = GrowthStage.STARTUP
    established_on: IsoDate | None = None
    registered_capital_wan: Money | None = None
    paid_in_capital_wan: Money | None = None
    figures_year: Year | None = None
    headcount: Headcount | None = None
    revenue_wan: Money | None = None
    rd_spend_wan: Money | None = None
    legal_representative: Annotated[str, Field(max_length=50)] = ""
    address: Text = ""
    description: Annotated[str, Field(max_length=5000)] = ""


class EnterprisePatch(Schema):
    name: Annotated[str, Field(min_length=1, max_length=200)] | None = None
    industry_id: int | None = None
    tag_ids: list[int] | None = None
    stage: GrowthStage | None = None
    established_on: IsoDate | None = None
    registered_capital_wan: Money | None = None
    paid_in_capital_wan: Money | None = None
    figures_year: Year | None = None
    headcount: Headcount | None = None
    revenue_wan: Money | None = None
    rd_spend_wan: Money | None = None
    legal_representative: Annotated[str, Field(max_length=50)] | None = None
    address: Text | None = None
    description: Annotated[str, Field(max_length=5000)] | None = None


class QualificationOut(Schema):
    id: int
    enterprise_id: int
    kind: QualificationKind
    level: str
    certificate_no: str
    issued_on: datetime.date | None
    expires_on: datetime.date | None
    status: Literal["valid", "expiring", "expired"]
    verified: bool = Field(
        ..., description="Checked by operator staff (a company's own entry waits: 待核验)"
    )

    @staticmethod
    def resolve_status(obj: Qualification) -> str:
        return obj.status()

    @staticmethod
    def resolve_verified(obj: Qualification) -> bool:
        return obj.verified_at is not None


describe_fields(QualificationOut, status="valid, expiring (within 90 days) or expired")


class QualificationIn(Schema):
    enterprise_id: int
    kind: QualificationKind
    level: Level = ""
    certificate_no: Annotated[str, Field(max_length=50)] = ""
    issued_on: IsoDate | None = None
    expires_on: IsoDate | None = None


class QualificationPatch(Schema):
    level: Level | None = None
    certificate_no: Annotated[str, Field(max_length=50)] | None = None
    issued_on: IsoDate | None = None
    expires_on: IsoDate | None = None


Valuation = Annotated[Decimal, DecimalIn(gt=0, max_digits=16, decimal_places=2)]


class FinancingOut(Schema):
    id: int
    enterprise_id: int
    round: FundingRound
    closed_on: datetime.date
    amount_raised: Decimal
    pre_money: Decimal
    post_money: Decimal
    investors: str


describe_fields(FinancingOut, post_money="Pre-money valuation plus the amount raised")


class FinancingIn(Schema):
    enterprise_id: int
    round: FundingRound
    closed_on: IsoDate
    amount_raised: Valuation
    pre_money: Valuation
    investors: Annotated[str, Field(max_length=300)] = ""


class FinancingPatch(Schema):
    round: FundingRound | None = None
    closed_on: IsoDate | None = None
    amount_raised: Valuation | None = None
    pre_money: Valuation | None = None
    investors: Annotated[str, Field(max_length=300)] | None = None


class ContactOut(RowOut):
    policy_model = Contact

    id: int
    enterprise_id: int
    operator_id: int | None
    name: str
    title: str
    phone: str
    email: str
    is_primary: bool


class ContactIn(Schema):
    enterprise_id: int
    name: Annotated[str, Field(min_length=1, max_length=50)]
    title: Annotated[str, Field(max_length=50)] = ""
    phone: Annotated[str, Field(min_length=1, max_length=20)]
    email: Annotated[str, Field(max_length=254)] = ""
    is_primary: bool = False


class ContactPatch(Schema):
    name: Annotated[str, Field(min_length=1, max_length=50)] | None = None
    title: Annotated[str, Field(max_length=50)] | None = None
    phone: Annotated[str, Field(min_length=1, max_length=20)] | None = None
    email: Annotated[str, Field(max_length=254)] | None = None
    is_primary: bool | None = None


class CatalogItem(Schema):
    code: str
    name: str


class CatalogPage(Schema):
    items: list[CatalogItem]
    next: str | None = None


describe_fields(CatalogItem, code="The code companies and rules use", name="Its name")
describe_fields(CatalogPage, items="Every entry", next="Always null: the catalogue is one page")


@router.get(
    "/industries",
    response={200: CatalogPage, **ERRORS},
    summary="GB/T 4754-2017 sections and divisions",
    operation_id="industry_list",
    description="The industry catalogue companies and threshold rules refer to; every "
    "business role may read it (the security auditor gets 403); 401 without a session or "
    "token.",
    openapi_extra=api_operation(Industry, "view"),
    auth=gate(Industry, "view"),
)
def industries(request: HttpRequest) -> Any:
    return {"items": [{"code": i.code, "name": i.name} for i in Industry.objects.all()]}


@router.get(
    "/tags",
    response={200: CatalogPage, **ERRORS},
    summary="Park catalog tags",
    operation_id="tag_list",
    description="The park catalog tags companies carry; every business role may read them "
    "(the security auditor gets 403); 401 without a session or token.",
    openapi_extra=api_operation(CatalogTag, "view"),
    auth=gate(CatalogTag, "view"),
)
def tags(request: HttpRequest) -> Any:
    return {"items": [{"code": str(t.pk), "name": t.name} for t in CatalogTag.objects.all()]}


register_crud(
    router,
    "/companies",
    Crud(
        Enterprise,
        EnterpriseOut,
        EnterpriseIn,
        EnterprisePatch,
        filters.EnterpriseFilter,
        services.enterprise_create,
        services.enterprise_update,
        services.enterprise_delete,
        order="name",
        sortable=("name", "credit_code", "established_on"),
        select_related=("industry",),
        prefetch_related=("tags",),
    ),
)
register_crud(
    router,
    "/qualifications",
    Crud(
        Qualification,
        QualificationOut,
        QualificationIn,
        QualificationPatch,
        filters.QualificationFilter,
        services.qualification_create,
        services.qualification_update,
        services.qualification_delete,
        order="pk",
        sortable=("expires_on",),
    ),
)
register_crud(
    router,
    "/financing-rounds",
    Crud(
        FinancingRound,
        FinancingOut,
        FinancingIn,
        FinancingPatch,
        filters.FinancingFilter,
        services.financing_create,
        services.financing_update,
        services.financing_delete,
        order="pk",
        sortable=("closed_on",),
    ),
)
register_crud(
    router,
    "/contacts",
    Crud(
        Contact,
        ContactOut,
        ContactIn,
        ContactPatch,
        filters.ContactFilter,
        services.contact_create,
        services.contact_update,
        services.contact_delete,
        order="pk",
    ),
)
