"""One filter definition per list, for the UI filter bar and the API query alike."""

from __future__ import annotations

import datetime
from typing import Any

import django_filters as df
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from enterprises.choices import FilingState, FundingRound, GrowthStage, QualificationKind
from enterprises.models import (
    EXPIRY_WARNING_DAYS,
    CatalogTag,
    Contact,
    Enterprise,
    FinancingRound,
    Qualification,
    StatFiling,
    StatPeriod,
)

__all__ = [
    "ContactFilter",
    "EnterpriseFilter",
    "FilingFilter",
    "FinancingFilter",
    "QualificationFilter",
]

SECTIONS = [
    ("A", "A 农、林、牧、渔业"),
    ("B", "B 采矿业"),
    ("C", "C 制造业"),
    ("D", "D 电力、热力、燃气及水生产和供应业"),
    ("E", "E 建筑业"),
    ("F", "F 批发和零售业"),
    ("G", "G 交通运输、仓储和邮政业"),
    ("H", "H 住宿和餐饮业"),
    ("I", "I 信息传输、软件和信息技术服务业"),
    ("J", "J 金融业"),
    ("K", "K 房地产业"),
    ("L", "L 租赁和商务服务业"),
    ("M", "M 科学研究和技术服务业"),
    ("N", "N 水利、环境和公共设施管理业"),
    ("O", "O 居民服务、修理和其他服务业"),
    ("P", "P 教育"),
    ("Q", "Q 卫生和社会工作"),
    ("R", "R 文化、体育和娱乐业"),
    ("S", "S 公共管理、社会保障和社会组织"),
    ("T", "T 国际组织"),
]


class EnterpriseFilter(df.FilterSet):
    q = df.CharFilter(label=_("Name or credit code"), method="search")
    section = df.ChoiceFilter(
        label=_("Industry section"), choices=SECTIONS, field_name="industry__section"
    )
    tag = df.ModelChoiceFilter(
        label=_("Catalog tag"), queryset=CatalogTag.objects.all(), field_name="tags"
    )
    stage = df.ChoiceFilter(label=_("Growth stage"), choices=GrowthStage.choices)
    qualification = df.ChoiceFilter(
        label=_("Qualification"), choices=QualificationKind.choices, method="with_qualification"
    )

    class Meta:
        model = Enterprise
        fields: list[str] = []

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        from enterprises.validators import normalize_credit_code

        return queryset.filter(
            Q(name__icontains=value.strip())
            | Q(credit_code__startswith=normalize_credit_code(value))
        )

    def with_qualification(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        # a qualification counts once staff have checked it (待核验 ones do not)
        return queryset.filter(
            qualifications__kind=value, qualifications__verified_at__isnull=False
        ).distinct()


class QualificationFilter(df.FilterSet):
    kind = df.ChoiceFilter(label=_("Qualification"), choices=QualificationKind.choices)
    expiring = df.BooleanFilter(
        label=_("Expiring within 90 days or expired"), method="filter_expiring"
    )
    enterprise = df.NumberFilter(label=_("Enterprise id"), field_name="enterprise_id")

    class Meta:
        model = Qualification
        fields: list[str] = []

    def filter_expiring(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        limit = timezone.localdate() + datetime.timedelta(days=EXPIRY_WARNING_DAYS)
        soon = Q(expires_on__isnull=False, expires_on__lte=limit)
        return queryset.filter(soon) if value else queryset.exclude(soon)


class ContactFilter(df.FilterSet):
    enterprise = df.NumberFilter(label=_("Enterprise id"), field_name="enterprise_id")

    class Meta:
        model = Contact
        fields: list[str] = []


class FinancingFilter(df.FilterSet):
    round = df.ChoiceFilter(label=_("Round"), choices=FundingRound.choices)
    enterprise = df.NumberFilter(label=_("Enterprise id"), field_name="enterprise_id")

    class Meta:
        model = FinancingRound
        fields: list[str] = []


def _periods(request: Any) -> QuerySet[StatPeriod]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return StatPeriod.objects.none()
    return StatPeriod.objects.restrict(user)


class FilingFilter(df.FilterSet):
    q = df.CharFilter(
        label=_("Company name"), field_name="enterprise__name", lookup_expr="icontains"
    )
    period = df.ModelChoiceFilter(label=pgettext_lazy("statistics", "Period"), queryset=_periods)
    state = df.ChoiceFilter(label=_("Status"), choices=FilingState.choices)

    class Meta:
        model = StatFiling
        fields: list[str] = []
