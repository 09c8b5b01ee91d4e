"""REST endpoints of the sci-tech fund (``/api/v1/fund/``): every record, the deal moves,
mark proposals and the fund's metrics (the same figures as its page and ``fund_report``)."""

# No `from __future__ import annotations`: ninja reads the signatures at run time.

import datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status

from core.api.base import ERRORS, DecimalIn, IsoDate, PathId, describe_fields, get_or_404, scoped
from core.api.crud import Crud, register_crud
from enterprises.choices import FundingRound
from fund import filters, services
from fund.choices import (
    DEAL_FLOW,
    DealSource,
    DealStage,
    ExitKind,
    ExpenseKind,
    FeeBasis,
    FlowKind,
    Instrument,
    LpKind,
    MarkMethod,
)
from fund.models import (
    Deal,
    DealDocument,
    Exit,
    Fund,
    FundExpense,
    Investment,
    LedgerEntry,
    LimitedPartner,
    Valuation,
)
from fund.selectors import fund_metrics, mark_proposals

__all__ = ["router"]

router = Router(tags=["fund"])

Money = Annotated[Decimal, DecimalIn(ge=0, max_digits=16, decimal_places=2)]
Positive = Annotated[Decimal, DecimalIn(gt=0, max_digits=16, decimal_places=2)]
Pct = Annotated[Decimal, DecimalIn(ge=0, le=100, max_digits=5, decimal_places=2)]
Note = Annotated[str, Field(max_length=200)]
LongNote = Annotated[str, Field(max_length=300)]


# --- funds ------------------------------------------------------------------------------------


class FundOut(Schema):
    id: int
    code: str
    name: str
    operator_id: int
    vintage: int
    first_close_on: datetime.date
    committed: Decimal
    term_years: int
    extension_years: int
    fee_basis: FeeBasis
    fee_rate_pct: Decimal
    hurdle_pct: Decimal
    carry_pct: Decimal
    company_limit_pct: Decimal
    industry_limit_pct: Decimal
    manager_ids: list[int]

    @staticmethod
    def resolve_manager_ids(obj: Fund) -> list[int]:
        return [u.pk for u in obj.managers.all()]


class FundIn(Schema):
    code: Annotated[str, Field(pattern=r"^[A-Z0-9]{2,20}$")]
    name: Annotated[str, Field(max_length=100)]
    operator_id: int | None = Field(
        None, description="The admin names it; a fund manager's is their operator"
    )
    vintage: Annotated[int, Field(ge=1990, le=2199)]
    first_close_on: IsoDate
    committed: Positive
    term_years: Annotated[int, Field(ge=1, le=30)] = 7
    extension_years: Annotated[int, Field(ge=0, le=10)] = 2
    fee_basis: FeeBasis = FeeBasis.COMMITTED
    fee_rate_pct: Pct = Decimal("2")
    hurdle_pct: Pct = Decimal("8")
    carry_pct: Pct = Decimal("20")
    company_limit_pct: Pct = Decimal("20")
    industry_limit_pct: Pct = Decimal("40")
    manager_ids: list[int] = []


class FundPatch(Schema):
    name: Annotated[str, Field(max_length=100)] | None = None
    committed: Positive | None = None
    term_years: Annotated[int, Field(ge=1, le=30)] | None = None
    extension_years: Annotated[int, Field(ge=0, le=10)] | None = None
    fee_basis: FeeBasis | None = None
    fee_rate_pct: Pct | None = None
    hurdle_pct: Pct | None = None
    carry_pct: Pct | None = None
    company_limit_pct: Pct | None = None
    industry_limit_pct: Pct | None = None
    manager_ids: list[int] | None = None


register_crud(
    router,
    "/funds",
    Crud(
        Fund,
        FundOut,
        FundIn,
        FundPatch,
        filters.FundFilter,
        services.fund_create,
        services.fund_update,
        services.fund_record_delete,
        order="code",
        prefetch_related=("managers",),
    ),
)


class LpOut(Schema):
    id: int
    fund_id: int
    name: str
    kind: LpKind
    commitment: Decimal


class LpIn(Schema):
    fund_id: int
    name: Annotated[str, Field(max_length=100)]
    kind: LpKind
    commitment: Positive


class LpPatch(Schema):
    name: Annotated[str, Field(max_length=100)] | None = None
    kind: LpKind | None = None
    commitment: Positive | None = None


register_crud(
    router,
    "/lps",
    Crud(
        LimitedPartner,
        LpOut,
        LpIn,
        LpPatch,
        filters.LpFilter,
        services.fund_record_create,
        services.fund_record_update,
        services.fund_record_delete,
    ),
)


class LedgerOut(Schema):
    id: int
    fund_id: int
    lp_id: int
    kind: FlowKind
    on: datetime.date
    amount: Decimal
    note: str


class LedgerIn(Schema):
    lp_id: int
    kind: FlowKind
    on: IsoDate
    amount: Positive
    note: Note = ""


class LedgerPatch(Schema):
    on: IsoDate | None = None
    amount: Positive | None = None
    note: Note | None = None


register_crud(
    router,
    "/ledger",
    Crud(
        LedgerEntry,
        LedgerOut,
        LedgerIn,
        LedgerPatch,
        filters.LedgerFilter,
        services.fund_record_create,
        services.fund_record_update,
        services.fund_record_delete,
        order="pk",
        sortable=("on",),
    ),
)


class ExpenseOut(Schema):
    id: int
    fund_id: int
    kind: ExpenseKind
    on: datetime.date
    amount: Decimal
    note: str


class ExpenseIn(Schema):
    fund_id: int
    kind: ExpenseKind
    on: IsoDate
    amount: Positive
    note: Note = ""


class ExpensePatch(Schema):
    kind: ExpenseKind | None = None
    on: IsoDate | None = None
    amount: Positive | None = None
    note: Note | None = None


register_crud(
    router,
    "/expenses",
    Crud(
        FundExpense,
        ExpenseOut,
        ExpenseIn,
        ExpensePatch,
        filters.ExpenseFilter,
        services.fund_record_create,
        services.fund_record_update,
        services.fund_record_delete,
        order="pk",
        sortable=("on",),
    ),
)


# --- deals ------------------------------------------------------------------------------------

DealAction = Literal[tuple(DEAL_FLOW.transitions)]  # type: ignore[valid-type]


class DealOut(Schema):
    id: int
    fund_id: int
    enterprise_id: int
    enterprise: str = Field(alias="enterprise.name")
    source: DealSource
    stage: DealStage
    owner_id: int | None
    amount_sought: Decimal | None
    next_step: str
    next_step_on: datetime.date | None
    pass_reason: str
    notes: str
    actions: list[DealAction] = Field(  # type: ignore[valid-type]
        ..., description="The moves the caller may make now (POST one to /move)"
    )

    @staticmethod
    def resolve_actions(obj: Deal, context: dict[str, Any]) -> list[str]:
        return [t.action for t in DEAL_FLOW.allowed(context["request"].user, obj)]


class DealIn(Schema):
    fund_id: int
    enterprise_id: int
    source: DealSource
    owner_id: int | None = None
    amount_sought: Positive | None = None
    next_step: Note = ""
    next_step_on: IsoDate | None = None
    notes: Annotated[str, Field(max_length=5000)] = ""


class DealPatch(Schema):
    source: DealSource | None = None
    owner_id: int | None = None
    amount_sought: Positive | None = None
    next_step: Note | None = None
    next_step_on: IsoDate | None = None
    notes: Annotated[str, Field(max_length=5000)] | None = None


register_crud(
    router,
    "/deals",
    Crud(
        Deal,
        DealOut,
        DealIn,
        DealPatch,
        filters.DealFilter,
        services.fund_record_create,
        services.fund_record_update,
        services.fund_record_delete,
        order="pk",
        sortable=("next_step_on", "updated_at"),
        select_related=("enterprise",),
    ),
)


class MoveIn(Schema):
    action: DealAction = Field(  # type: ignore[valid-type]
        ..., description="The move; a deal lists the caller's in `actions`"
    )
    reason: LongNote = Field("", description="Why (required to pass on a deal)")


@router.post(
    "/deals/{id}/move",
    response={200: DealOut, **ERRORS},
    summary="Move a deal along the pipeline",
    operation_id="deal_move",
    **scoped(Deal, "change"),
)
def deal_move(request: HttpRequest, id: PathId, payload: MoveIn) -> Any:
    deal = get_or_404(Deal, request, "change", id)
    return services.deal_move(
        actor=request.user, deal=deal, action=payload.action, reason=payload.reason
    )


class DocumentOut(Schema):
    id: int
    deal_id: int
    title: str
    size: int
    created_at: datetime.datetime
    download_url: str

    @staticmethod
    def resolve_download_url(obj: DealDocument) -> str:
        from django.urls import reverse

        return reverse("fund:dealdocument_download", args=[obj.pk])


describe_fields(
    DocumentOut,
    download_url="Where the file is served, to whoever may see the deal",
    created_at="When it was attached",
)


register_crud(
    router,
    "/documents",
    Crud.reads(DealDocument, DocumentOut, filters.DocumentFilter, order="pk"),
)


# --- investments, marks, exits ---------------------------------------------------------------


class InvestmentOut(Schema):
    id: int
    fund_id: int
    enterprise_id: int
    enterprise: str = Field(alias="enterprise.name")
    deal_id: int | None
    follow_on_of_id: int | None
    round: FundingRound
    instrument: Instrument
    invested_on: datetime.date
    amount: Decimal
    pre_money: Decimal
    post_money: Decimal
    ownership_pct: Decimal
    rent_free_id: int | None
    lease_id: int | None
    concession_value: Decimal
    note: str


describe_fields(
    InvestmentOut,
    concession_value="Rent given up for equity (以租代投), part of the cost",
    ownership_pct="Cost ÷ post-money valuation, in %, unless entered from the share register",
)


class InvestmentIn(Schema):
    fund_id: int
    enterprise_id: int
    deal_id: int | None = None
    follow_on_of_id: int | None = None
    round: FundingRound
    instrument: Instrument = Instrument.EQUITY
    invested_on: IsoDate
    amount: Money = Decimal("0")
    pre_money: Positive
    post_money: Positive
    ownership_pct: (
        Annotated[Decimal, DecimalIn(ge=0, le=100, max_digits=9, decimal_places=6)] | None
    ) = None
    rent_free_id: int | None = Field(
        None, description="A rent-free period of a lease of the same company, given for equity"
    )
    note: LongNote = ""
    override_reason: LongNote = Field(
        "",
        description="Why to record it although it breaks a concentration limit (409 `concentration_limit` otherwise)",
    )


class InvestmentPatch(Schema):
    round: FundingRound | None = None
    instrument: Instrument | None = None
    invested_on: IsoDate | None = None
    amount: Money | None = None
    pre_money: Positive | None = None
    post_money: Positive | None = None
    ownership_pct: (
        Annotated[Decimal, DecimalIn(ge=0, le=100, max_digits=9, decimal_places=6)] | None
    ) = None
    note: LongNote | None = None


register_crud(
    router,
    "/investments",
    Crud(
        Investment,
        InvestmentOut,
        InvestmentIn,
        InvestmentPatch,
        filters.InvestmentFilter,
        services.investment_create,
        services.investment_update,
        services.fund_record_delete,
        order="pk",
        sortable=("invested_on",),
        select_related=("enterprise",),
    ),
)


class ValuationOut(Schema):
    id: int
    fund_id: int
    investment_id: int
    on: datetime.date
    method: MarkMethod
    fair_value: Decimal
    source_round_id: int | None
    note: str


class ValuationIn(Schema):
    investment_id: int
    on: IsoDate
    method: MarkMethod
    fair_value: Money
    note: LongNote = ""


class ValuationPatch(Schema):
    on: IsoDate | None = None
    method: MarkMethod | None = None
    fair_value: Money | None = None
    note: LongNote | None = None


register_crud(
    router,
    "/valuations",
    Crud(
        Valuation,
        ValuationOut,
        ValuationIn,
        ValuationPatch,
        filters.ValuationFilter,
        services.valuation_create,
        services.fund_record_update,
        services.fund_record_delete,
        order="pk",
        sortable=("on",),
    ),
)


class ExitOut(Schema):
    id: int
    fund_id: int
    investment_id: int
    kind: ExitKind
    on: datetime.date
    proceeds: Decimal
    note: str


class ExitIn(Schema):
    investment_id: int
    kind: ExitKind
    on: IsoDate
    proceeds: Money = Decimal("0")
    note: LongNote = ""


class ExitPatch(Schema):
    on: IsoDate | None = None
    proceeds: Money | None = None
    note: LongNote | None = None


register_crud(
    router,
    "/exits",
    Crud(
        Exit,
        ExitOut,
        ExitIn,
        ExitPatch,
        filters.ExitFilter,
        services.exit_record,
        services.fund_record_update,
        services.fund_record_delete,
        order="pk",
    ),
)


# --- figures ----------------------------------------------------------------------------------


class MetricsOut(Schema):
    as_of: datetime.date
    committed: Decimal
    called: Decimal
    uncalled: Decimal
    invested: Decimal
    realised: Decimal
    nav: Decimal
    distributed: Decimal
    moic: Decimal | None
    tvpi: Decimal | None
    dpi: Decimal | None
    rvpi: Decimal | None
    xirr: float | None
    gross_xirr: float | None
    net_tvpi: Decimal | None
    carry: Decimal


describe_fields(
    MetricsOut,
    as_of="The day the figures are for",
    committed="Committed capital (元)",
    called="Capital called from LPs up to the day (元)",
    uncalled="Committed minus called (元)",
    invested="Cost of the holdings: cash plus rent given for equity (元)",
    realised="Exit proceeds (元)",
    nav="Holdings' value plus the fund's cash (元, to the 分)",
    distributed="Distributions to LPs (元)",
    moic="(Realised + unrealised) ÷ cost; null with no cost",
    tvpi="(Distributed + NAV) ÷ called, full precision; null with nothing called",
    dpi="Distributed ÷ called",
    rvpi="NAV ÷ called",
    xirr="Net annual rate of the LPs' flows with NAV at the end; null where no rate exists",
    gross_xirr="Annual rate of the investments' flows with the holdings' value at the end",
    net_tvpi="TVPI after the manager's carry in a liquidation on the day",
    carry="The manager's catch-up and carry in a liquidation on the day (元)",
)


class AsOf(Schema):
    as_of: IsoDate | None = Field(None, description="The day (YYYY-MM-DD); today when left out")


@router.get(
    "/funds/{id}/metrics",
    response={200: MetricsOut, **ERRORS},
    summary="A fund's figures on a day",
    operation_id="fund_metrics",
    **scoped(
        Fund, "view", description="The same figures as the fund page and `manage.py fund_report`."
    ),
)
def metrics(request: HttpRequest, id: PathId, query: Query[AsOf]) -> Any:
    fund = get_or_404(Fund, request, "view", id)
    return fund_metrics(fund, query.as_of or timezone.localdate()).report()


class ProposalOut(Schema):
    investment_id: int
    round_id: int
    closed_on: datetime.date
    stake_pct: Decimal
    fair_value: Decimal


describe_fields(
    ProposalOut,
    investment_id="Id of the holding (the first investment in the company)",
    round_id="Id of the company's financing round whose price the mark follows",
    closed_on="When that round closed: the mark's date",
    stake_pct="The fund's stake in the company, in %",
    fair_value="The stake at the round's pre-money valuation (元)",
)


class ProposalPage(Schema):
    items: list[ProposalOut]
    next: str | None = None


class AcceptIn(Schema):
    investment_id: int
    round_id: int


describe_fields(ProposalPage, items="The proposals", next="Always null: one page")
describe_fields(
    AcceptIn, investment_id="The proposal's investment_id", round_id="The proposal's round_id"
)


def _proposals(fund: Fund) -> list[Any]:
    return mark_proposals(Fund.objects.filter(pk=fund.pk), timezone.localdate())


@router.get(
    "/funds/{id}/mark-proposals",
    response={200: ProposalPage, **ERRORS},
    summary="Marks proposed by later financing rounds",
    operation_id="fund_mark_proposals",
    **scoped(
        Fund,
        "view",
        description="Holdings whose company closed a round after the last mark: the stake at that round's pre-money valuation. One page.",
    ),
)
def proposals(request: HttpRequest, id: PathId) -> Any:
    fund = get_or_404(Fund, request, "view", id)
    items = [
        {
            "investment_id": p.investment.pk,
            "round_id": p.round.pk,
            "closed_on": p.round.closed_on,
            "stake_pct": p.stake_pct,
            "fair_value": p.fair_value,
        }
        for p in _proposals(fund)
    ]
    return {"items": items, "next": None}


@router.post(
    "/funds/{id}/mark-proposals/accept",
    response={201: ValuationOut, **ERRORS},
    summary="Accept a proposed mark",
    operation_id="fund_mark_accept",
    **scoped(Valuation, "add", Fund),
)
def accept(request: HttpRequest, id: PathId, payload: AcceptIn) -> Any:
    from django.http import Http404

    fund = get_or_404(Fund, request, "change", id)
    proposal = next(
        (
            p
            for p in _proposals(fund)
            if (p.investment.pk, p.round.pk) == (payload.investment_id, payload.round_id)
        ),
        None,
    )
    if proposal is None:
        raise Http404
    return Status(201, services.mark_accept(actor=request.user, proposal=proposal))
