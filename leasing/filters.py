"""One filter definition per list, for the UI filter bar and the API query alike."""

from __future__ import annotations

from typing import Any

import django_filters as df
from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from leasing.choices import ChargeKind, FapiaoStatus, InvoiceKind, InvoiceStatus, LeaseState
from leasing.models import Invoice, Lease, LeaseCharge, Payment, Reminder, Transfer, overdue_q
from spaces.filters import filter_park_code

__all__ = [
    "ChargeFilter",
    "InvoiceFilter",
    "LeaseFilter",
    "PaymentFilter",
    "ReminderFilter",
    "TransferFilter",
]


def _search_in(*fields: str) -> Any:
    """A filter method matching the typed text anywhere in any of ``fields``."""

    def search(self: df.FilterSet, queryset: QuerySet, name: str, value: str) -> QuerySet:
        match = Q()
        for field in fields:
            match |= Q(**{f"{field}__icontains": value})
        return queryset.filter(match)

    return search


class LeaseFilter(df.FilterSet):
    search = _search_in("contract_no", "enterprise__name")
    q = df.CharFilter(label=_("Contract or tenant"), method="search")
    park = df.CharFilter(label=_("Park code"), field_name="park_id", method=filter_park_code)
    state = df.ChoiceFilter(label=_("State"), choices=LeaseState.choices)
    ends_before = df.DateFilter(
        label=_("Ends on or before"), field_name="end_on", lookup_expr="lte"
    )

    class Meta:
        model = Lease
        fields: list[str] = []


class InvoiceFilter(df.FilterSet):
    search = _search_in("number", "lease__contract_no", "enterprise__name")
    q = df.CharFilter(label=_("Number, contract or tenant"), method="search")
    park = df.CharFilter(label=_("Park code"), field_name="park_id", method=filter_park_code)
    kind = df.ChoiceFilter(label=_("Kind"), choices=InvoiceKind.choices)
    status = df.ChoiceFilter(
        label=_("Status"),
        method="by_status",
        choices=InvoiceStatus.choices,
    )
    lease = df.NumberFilter(label=_("Lease id"), field_name="lease_id")
    fapiao = df.ChoiceFilter(label=_("Fapiao"), method="by_fapiao", choices=FapiaoStatus.choices)

    class Meta:
        model = Invoice
        fields: list[str] = []

    def by_fapiao(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if value == FapiaoStatus.ISSUED:
            return queryset.exclude(fapiao_no="")
        return queryset.filter(fapiao_no="").exclude(
            kind__in=(InvoiceKind.CREDIT, InvoiceKind.DEPOSIT)
        )

    def by_status(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        bills = queryset.exclude(kind=InvoiceKind.CREDIT)
        if value == "settled":
            return bills.filter(settled__gte=F("amount"))
        bills = bills.filter(settled__lt=F("amount"))
        if value == "overdue":
            return bills.filter(overdue_q(timezone.localdate()))
        if value == "partial":
            return bills.filter(settled__gt=0)
        return bills  # unsettled: every bill with something still owed, overdue or not


class PaymentFilter(df.FilterSet):
    search = _search_in("receipt_no", "lease__contract_no", "enterprise__name")
    q = df.CharFilter(label=_("Receipt, contract or tenant"), method="search")
    park = df.CharFilter(label=_("Park code"), field_name="park_id", method=filter_park_code)
    received_from = df.DateFilter(
        label=_("Received from"), field_name="received_on", lookup_expr="gte"
    )
    received_to = df.DateFilter(label=_("Received to"), field_name="received_on", lookup_expr="lte")
    lease = df.NumberFilter(label=_("Lease id"), field_name="lease_id")

    class Meta:
        model = Payment
        fields: list[str] = []


class TransferFilter(df.FilterSet):
    search = _search_in("receipt_no", "enterprise__name", "reference")
    q = df.CharFilter(label=_("Receipt, tenant or bank reference"), method="search")
    enterprise = df.NumberFilter(label=_("Tenant id"), field_name="enterprise_id")
    received_from = df.DateFilter(
        label=_("Received from"), field_name="received_on", lookup_expr="gte"
    )
    received_to = df.DateFilter(label=_("Received to"), field_name="received_on", lookup_expr="lte")

    class Meta:
        model = Transfer
        fields: list[str] = []


class ReminderFilter(df.FilterSet):
    search = _search_in("number", "enterprise__name")
    q = df.CharFilter(label=_("Notice number or tenant"), method="search")
    park = df.CharFilter(label=_("Park code"), field_name="park_id", method=filter_park_code)
    enterprise = df.NumberFilter(label=_("Tenant id"), field_name="enterprise_id")

    class Meta:
        model = Reminder
        fields: list[str] = []


class ChargeFilter(df.FilterSet):
    lease = df.NumberFilter(label=_("Lease id"), field_name="lease_id")
    kind = df.ChoiceFilter(label=_("Kind"), choices=ChargeKind.choices)
    pending = df.BooleanFilter(
        label=_("Not billed yet"), field_name="invoice", lookup_expr="isnull"
    )

    class Meta:
        model = LeaseCharge
        fields: list[str] = []
