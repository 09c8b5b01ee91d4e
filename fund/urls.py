from django.urls import path

from core.views import object_urls
from fund import views

app_name = "fund"

urlpatterns = [
    *object_urls(
        "funds",
        "fund",
        list_view=views.FundList,
        detail=views.FundDetail,
        edit=views.FundEdit,
        delete=views.FundDelete,
    ),
    path("funds/<int:pk>/marks/accept/", views.MarkAccept.as_view(), name="mark_accept"),
    *object_urls(
        "lps",
        "limitedpartner",
        list_view=views.LpList,
        detail=views.LpDetail,
        edit=views.LpEdit,
        delete=views.LpDelete,
    ),
    path("lps/<int:pk>/statement/", views.LpStatement.as_view(), name="lp_statement"),
    *object_urls(
        "ledger",
        "ledgerentry",
        list_view=views.LedgerList,
        detail=views.LedgerDetail,
        edit=views.LedgerEdit,
        delete=views.LedgerDelete,
    ),
    *object_urls(
        "expenses",
        "fundexpense",
        list_view=views.ExpenseList,
        detail=views.ExpenseDetail,
        edit=views.ExpenseEdit,
        delete=views.ExpenseDelete,
    ),
    *object_urls(
        "deals",
        "deal",
        list_view=views.DealList,
        detail=views.DealDetail,
        edit=views.DealEdit,
        delete=views.DealDelete,
    ),
    path("deals/<int:pk>/move/", views.DealMove.as_view(), name="deal_move"),
    path("pipeline/", views.BoardView.as_view(), name="board"),
    path("deals/<int:pk>/documents/", views.DocumentUpload.as_view(), name="deal_document_add"),
    path("documents/<int:pk>/", views.DocumentDownload.as_view(), name="dealdocument_download"),
    *object_urls(
        "investments",
        "investment",
        list_view=views.InvestmentList,
        detail=views.InvestmentDetail,
        edit=views.InvestmentEdit,
        delete=views.InvestmentDelete,
    ),
    *object_urls(
        "valuations",
        "valuation",
        list_view=views.ValuationList,
        detail=views.ValuationDetail,
        edit=views.ValuationEdit,
        delete=views.ValuationDelete,
    ),
    *object_urls(
        "exits",
        "exit",
        list_view=views.ExitList,
        detail=views.ExitDetail,
        edit=views.ExitEdit,
        delete=views.ExitDelete,
    ),
]
