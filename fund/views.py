"""Pages of the fund: the fund page (figures, J-curve, holdings, LPs, waterfall), the deal
board with its moves, the investment page, and the records' lists and forms."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.errors import ConflictError
from core.forms import errors_as_text
from core.permissions import can, get_restricted_or_404
from core.tables import Column, status_tag
from core.views import (
    ObjectDeleteView,
    ObjectDetailView,
    ObjectEditView,
    ObjectListView,
    Tab,
    generic,
)
from core.views.generic import ScopedView
from fund import filters, forms, services
from fund.charts import cash_flow_chart
from fund.choices import DEAL_FLOW, DealStage
from fund.metrics import concentration, fund_figures
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
from fund.selectors import (
    fund_inputs,
    fund_metrics,
    fund_proposals,
    lp_accounts,
    mark_proposals,
    pipeline,
)


def _crumbs(*pairs: tuple[Any, str | None]) -> list[tuple[Any, str | None]]:
    return [(gettext_lazy("Funds"), reverse("fund:fund_list")), *pairs]


def as_of_of(request: HttpRequest) -> datetime.date:
    """The page's date (?as_of=YYYY-MM-DD), today when absent or unreadable."""
    try:
        return datetime.date.fromisoformat(request.GET.get("as_of", ""))
    except ValueError:
        return timezone.localdate()


# --- funds ------------------------------------------------------------------------------------


class FundList(ObjectListView):
    model = Fund
    filterset_class = filters.FundFilter
    default_order = "code"
    columns = [
        Column("code", sortable=True, link=True),
        Column("name"),
        Column("vintage", sortable=True),
        Column("committed", numeric=True),
        Column("first_close_on"),
    ]


class FundDetail(ObjectDetailView):
    model = Fund
    template_name = "fund/fund_detail.html"
    fields = [f for f in forms.FundForm.Meta.fields if f != "managers"]

    def extra_context(self, request: HttpRequest, obj: Fund) -> dict[str, Any]:
        as_of = as_of_of(request)
        inputs = fund_inputs(obj, as_of)  # once, for the figures, the chart and the proposals
        figures = fund_figures(inputs, as_of)
        holdings = sorted(figures.holdings, key=lambda h: -(h.value))
        return {
            "as_of": as_of,
            "figures": figures,
            "holdings": holdings,
            "lp_accounts": lp_accounts(obj, figures),
            "concentration": _concentration(obj, figures),
            "chart": cash_flow_chart(inputs, as_of),
            "proposals": fund_proposals(obj, inputs, as_of)
            if can(request.user, "change", obj)
            else [],
            "managers": obj.managers.all(),
            "can_record": can(request.user, "change", obj),
            "breadcrumbs": _crumbs((obj, None)),
        }


def _concentration(fund: Fund, figures: Any) -> list[tuple[Any, Any, Any]]:
    """(title, slices, limit as a fraction or None) of each view of the fund's concentration."""
    slices = concentration(figures.holdings, fund.committed)
    return [
        (gettext_lazy("Largest companies"), slices["name"], fund.company_limit_pct / 100),
        (gettext_lazy("By industry"), slices["industry"], fund.industry_limit_pct / 100),
        (gettext_lazy("By park"), slices["park"], None),
    ]


class FundEdit(ObjectEditView):
    model = Fund
    form_class = forms.FundForm
    create = services.fund_create
    update = services.fund_update


class FundDelete(ObjectDeleteView):
    model = Fund
    delete = services.fund_record_delete


# --- the records of a fund: the same list / detail / form pages for each --------------------


def record_pages(
    model: Any,
    form_class: Any,
    filterset: Any,
    columns: list[Column],
    fields: list[str],
    *,
    create: Any = services.fund_record_create,
    order: str = "-pk",
) -> tuple[type, type, type, type]:
    """List, detail, edit and delete pages of one record kind of a fund."""
    return generic.record_pages(
        model,
        form_class=form_class,
        filterset=filterset,
        columns=columns,
        fields=fields,
        create=create,
        update=services.fund_record_update,
        delete=services.fund_record_delete,
        edit_base=_FundRecordEdit,
        default_order=order,
        select_related=("fund",),
    )


class _FundRecordEdit(generic.PrefilledEditView):
    """A new record starts in the fund (or with the LP / holding) named in the query."""

    prefill = ("fund", "lp", "investment", "enterprise")


LpList, LpDetail, LpEdit, LpDelete = record_pages(
    LimitedPartner,
    forms.LpForm,
    filters.LpFilter,
    [Column("name", link=True), Column("fund"), Column("kind"), Column("commitment", numeric=True)],
    ["fund", "name", "kind", "commitment"],
    order="name",
)
LedgerList, LedgerDetail, LedgerEdit, LedgerDelete = record_pages(
    LedgerEntry,
    forms.LedgerForm,
    filters.LedgerFilter,
    [
        Column("on", sortable=True, link=True),
        Column("fund"),
        Column("lp"),
        Column("kind"),
        Column("amount", numeric=True),
        Column("note"),
    ],
    ["fund", "lp", "kind", "on", "amount", "note"],
    order="-on",
)
ExpenseList, ExpenseDetail, ExpenseEdit, ExpenseDelete = record_pages(
    FundExpense,
    forms.ExpenseForm,
    filters.ExpenseFilter,
    [
        Column("on", sortable=True, link=True),
        Column("fund"),
        Column("kind"),
        Column("amount", numeric=True),
        Column("note"),
    ],
    ["fund", "kind", "on", "amount", "note"],
    order="-on",
)
ValuationList, ValuationDetail, ValuationEdit, ValuationDelete = record_pages(
    Valuation,
    forms.ValuationForm,
    filters.ValuationFilter,
    [
        Column("on", sortable=True, link=True),
        Column("investment"),
        Column("method"),
        Column("fair_value", numeric=True),
        Column("note"),
    ],
    ["fund", "investment", "on", "method", "fair_value", "source_round", "note"],
    create=services.valuation_create,
    order="-on",
)
ExitList, ExitDetail, ExitEdit, ExitDelete = record_pages(
    Exit,
    forms.ExitForm,
    filters.ExitFilter,
    [
        Column("on", sortable=True, link=True),
        Column("investment"),
        Column("kind"),
        Column("proceeds", numeric=True),
    ],
    ["fund", "investment", "kind", "on", "proceeds", "note"],
    create=services.exit_record,
    order="-on",
)


# --- deals ------------------------------------------------------------------------------------


def _stage_tag(deal: Deal) -> Any:
    tone = {"invested": "done", "passed": "rejected"}.get(deal.stage, "open")
    return status_tag(tone, deal.get_stage_display())


class DealList(ObjectListView):
    model = Deal
    filterset_class = filters.DealFilter
    default_order = "-updated_at"
    select_related = ("enterprise", "fund", "owner")
    columns = [
        Column("enterprise", link=True),
        Column("stage", render=_stage_tag),
        Column("fund"),
        Column("source"),
        Column("owner"),
        Column("next_step"),
        Column("next_step_on", sortable=True),
        Column("updated_at", sortable=True),
    ]
    extra_actions = [(gettext_lazy("Board"), "fund:board", "view")]


def _documents(request: HttpRequest, deal: Deal) -> dict[str, Any]:
    return {
        "documents": DealDocument.objects.restrict(request.user).filter(deal=deal),
        "document_form": forms.DocumentForm() if can(request.user, "change", deal) else None,
    }


class DealDetail(ObjectDetailView):
    model = Deal
    template_name = "fund/deal_detail.html"
    tabs = [
        Tab(
            "documents",
            gettext_lazy("Documents"),
            "fund/partials/deal_documents.html",
            context=_documents,
        )
    ]
    fields = [
        "enterprise",
        "fund",
        "stage",
        "source",
        "owner",
        "amount_sought",
        "next_step",
        "next_step_on",
        "pass_reason",
        "notes",
    ]

    def extra_context(self, request: HttpRequest, obj: Deal) -> dict[str, Any]:
        return {
            "moves": DEAL_FLOW.allowed(request.user, obj)
            if can(request.user, "change", obj)
            else [],
            "investments": obj.investments.all(),
            "may_invest": obj.stage == DealStage.COMMITTEE and can(request.user, "change", obj),
            "breadcrumbs": [(gettext_lazy("Deal pipeline"), reverse("fund:board")), (obj, None)],
        }


class DealEdit(_FundRecordEdit):
    model = Deal
    form_class = forms.DealForm
    create = staticmethod(services.fund_record_create)
    update = staticmethod(services.fund_record_update)


class DealDelete(ObjectDeleteView):
    model = Deal
    delete = staticmethod(services.fund_record_delete)


class BoardView(ScopedView):
    """The pipeline as a kanban: a column a stage, each card with its next moves (htmx)."""

    model = Deal

    def get(self, request: HttpRequest) -> HttpResponse:
        deals = Deal.objects.restrict(request.user)
        fund = request.GET.get("fund", "")
        if fund.isdigit():
            deals = deals.filter(fund_id=fund)
        columns = [
            (stage, label, [(d, DEAL_FLOW.allowed(request.user, d)) for d in rows])
            for stage, label, rows in pipeline(deals)
        ]
        return render(
            request,
            "fund/board.html",
            {
                "columns": columns,
                "funds": Fund.objects.restrict(request.user),
                "fund": fund,
                "can_add": Deal.policy.allows_role(request.user, "add"),
            },
        )


class DealMove(ScopedView):
    """POST a move (``action``; ``reason`` to pass): from the board (htmx: the card's new
    column is the board again) or from the deal page."""

    model = Deal
    action = "change"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        deal = get_restricted_or_404(Deal, request.user, "change", pk=pk)
        try:
            services.deal_move(
                actor=request.user,
                deal=deal,
                action=request.POST.get("action", ""),
                reason=request.POST.get("reason", "")[:300],
            )
            messages.success(
                request,
                _("%(deal)s is now at %(stage)s.")
                % {"deal": deal.enterprise, "stage": deal.get_stage_display()},
            )
        except ConflictError as exc:
            messages.error(request, exc.message)
        if request.POST.get("next") == "board":
            return redirect(
                reverse("fund:board")
                + (f"?fund={deal.fund_id}" if request.POST.get("fund") else "")
            )
        return redirect("fund:deal_detail", pk=pk)


# --- investments ------------------------------------------------------------------------------


class InvestmentList(ObjectListView):
    model = Investment
    filterset_class = filters.InvestmentFilter
    default_order = "-invested_on"
    select_related = ("enterprise", "fund")
    columns = [
        Column("enterprise", link=True),
        Column("fund"),
        Column("round"),
        Column("invested_on", sortable=True),
        Column("amount", numeric=True),
        Column("concession_value", numeric=True),
        Column("post_money", numeric=True),
        Column("ownership_pct", numeric=True),
    ]


class InvestmentDetail(ObjectDetailView):
    model = Investment
    template_name = "fund/investment_detail.html"
    fields = [
        "fund",
        "enterprise",
        "deal",
        "follow_on_of",
        "round",
        "instrument",
        "invested_on",
        "amount",
        "concession_value",
        "pre_money",
        "post_money",
        "ownership_pct",
        "rent_free",
        "lease",
        "note",
    ]

    def extra_context(self, request: HttpRequest, obj: Investment) -> dict[str, Any]:
        from enterprises.models import FinancingRound
        from leasing.models import Invoice, Lease
        from leasing.selectors import overdue_total

        holding = obj.holding
        today = timezone.localdate()
        figures = next(
            (h for h in fund_metrics(obj.fund, today).holdings if h.key == holding.pk), None
        )
        user = request.user
        leases = (
            Lease.objects.restrict(user).filter(enterprise=obj.enterprise).select_related("park")
        )
        invoices = Invoice.objects.restrict(user).filter(enterprise=obj.enterprise)
        return {
            "holding": holding,
            "figures": figures,
            "tranches": [holding, *holding.follow_ons.all()],
            "marks": holding.valuations.all(),
            "exit": getattr(holding, "exit", None) if hasattr(holding, "exit") else None,
            "rounds": FinancingRound.objects.restrict(user)
            .filter(enterprise=obj.enterprise)
            .order_by("-closed_on"),
            "leases": leases if Lease.policy.allows_role(user, "view") else None,
            "overdue": overdue_total(invoices, today)
            if Invoice.policy.allows_role(user, "view")
            else None,
            "can_record": can(user, "change", obj),
            "breadcrumbs": _crumbs(
                (obj.fund, reverse("fund:fund_detail", args=[obj.fund_id])), (obj, None)
            ),
        }


class InvestmentEdit(_FundRecordEdit):
    model = Investment
    form_class = forms.InvestmentForm
    create = staticmethod(services.investment_create)
    update = staticmethod(services.investment_update)
    prefill = ("fund", "enterprise", "deal", "follow_on_of")

    def initial_instance(self, request: HttpRequest) -> Any:
        instance = super().initial_instance(request)
        if instance.deal_id and not instance.enterprise_id:
            instance.enterprise_id, instance.fund_id = (
                instance.deal.enterprise_id,
                instance.deal.fund_id,
            )
        return instance

    def create_kwargs(self, form: Any) -> dict[str, Any]:
        return {"override_reason": form.cleaned_data.get("override_reason", "")}

    def changed_data(self, form: Any) -> dict[str, Any]:
        data = super().changed_data(form)
        data.pop("override_reason", None)
        return data


class InvestmentDelete(ObjectDeleteView):
    model = Investment
    delete = staticmethod(services.fund_record_delete)


class MarkAccept(ScopedView):
    """Accept a proposed mark: the stake at a later financing round's price."""

    model = Valuation
    action = "add"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        fund = get_restricted_or_404(Fund, request.user, "change", pk=pk)
        wanted = (request.POST.get("investment", ""), request.POST.get("round", ""))
        proposal = next(
            (
                p
                for p in mark_proposals(Fund.objects.filter(pk=fund.pk), timezone.localdate())
                if (str(p.investment.pk), str(p.round.pk)) == wanted
            ),
            None,
        )
        if proposal is None:
            raise Http404
        try:
            services.mark_accept(actor=request.user, proposal=proposal)
            messages.success(
                request,
                _("Marked %(company)s at %(value)s 元.")
                % {"company": proposal.investment.enterprise, "value": f"{proposal.fair_value:,}"},
            )
        except (ValidationError, ConflictError) as exc:
            messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
        return redirect("fund:fund_detail", pk=fund.pk)


class LpStatement(ScopedView):
    """An LP's capital account statement for the quarter of ?as_of= (.xlsx or PDF)."""

    model = LimitedPartner

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        from core.documents import pdf_document, pdf_response, xlsx_response, xlsx_workbook
        from fund.documents import lp_statement

        lp = get_restricted_or_404(LimitedPartner, request.user, "view", pk=pk)
        title, facts, sheets = lp_statement(lp, as_of_of(request))
        name = f"{lp.fund.code}-{lp.name}-{title}"
        if request.GET.get("format") == "pdf":
            return pdf_response(pdf_document(title, facts, sheets), f"{name}.pdf")
        return xlsx_response(xlsx_workbook(*sheets), f"{name}.xlsx")


class DocumentUpload(ScopedView):
    """Keep a file with a deal (its fund's managers)."""

    model = Deal
    action = "change"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        deal = get_restricted_or_404(Deal, request.user, "change", pk=pk)
        form = forms.DocumentForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                services.document_add(
                    actor=request.user, document=DealDocument(deal=deal, **form.cleaned_data)
                )
                messages.success(request, _("File attached."))
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
        else:
            messages.error(request, errors_as_text(form))
        return redirect(reverse("fund:deal_detail", args=[pk]) + "?tab=documents")


class DocumentDownload(ScopedView):
    """The file, to whoever may see the deal; never a public URL."""

    model = DealDocument

    def get(self, request: HttpRequest, pk: int) -> FileResponse:
        document = get_restricted_or_404(DealDocument, request.user, "view", pk=pk)
        name = document.file.name.rsplit("/", 1)[-1]
        return FileResponse(document.file.open("rb"), as_attachment=True, filename=name)
