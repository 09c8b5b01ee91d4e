"""Operators: the park operating companies, and the collection account their bills print."""

from __future__ import annotations

from django import forms
from django.urls import path

from core.forms import ScopedModelForm
from core.models import Operator
from core.services import update_record
from core.tables import Column
from core.views import ObjectDetailView, ObjectEditView, ObjectListView

__all__ = ["urlpatterns"]


class OperatorForm(ScopedModelForm):
    class Meta:
        model = Operator
        fields = ["name", "account_name", "bank_name", "bank_account"]
        widgets = {"bank_account": forms.TextInput(attrs={"inputmode": "numeric"})}


class OperatorList(ObjectListView):
    model = Operator
    default_order = "code"
    columns = [
        Column("code", sortable=True, link=True),
        Column("name", sortable=True, link=True),
        Column("account_name"),
        Column("bank_name"),
        Column("bank_account"),
    ]


class OperatorDetail(ObjectDetailView):
    model = Operator
    fields = ["code", "name", "account_name", "bank_name", "bank_account"]


class OperatorEdit(ObjectEditView):
    model = Operator
    form_class = OperatorForm
    update = update_record


urlpatterns = [
    path("operators/", OperatorList.as_view(), name="operator_list"),
    path("operators/<int:pk>/", OperatorDetail.as_view(), name="operator_detail"),
    path("operators/<int:pk>/edit/", OperatorEdit.as_view(), name="operator_edit"),
]
