"""The audit log's filter bar."""

from __future__ import annotations

import django_filters as df
from django import forms
from django.utils.translation import gettext_lazy as _

from core.choices import AuditAction
from core.models import AuditEntry

__all__ = ["AuditFilter"]

SECURITY_EVENTS = [
    AuditAction.LOGIN,
    AuditAction.LOGOUT,
    AuditAction.LOGIN_FAILED,
    AuditAction.LOCKOUT,
    AuditAction.EXPORT,
    AuditAction.PRUNE,
]


class AuditFilter(df.FilterSet):
    action = df.ChoiceFilter(label=_("Action"), choices=AuditAction.choices)
    security = df.BooleanFilter(
        label=_("Security events only"), method="filter_security", widget=forms.CheckboxInput
    )
    actor = df.CharFilter(label=_("Actor"), field_name="actor_name", lookup_expr="iexact")
    after = df.DateFilter(label=_("From"), field_name="at", lookup_expr="date__gte")
    before = df.DateFilter(label=_("To"), field_name="at", lookup_expr="date__lte")

    class Meta:
        model = AuditEntry
        fields: list[str] = []

    def filter_security(self, queryset, name, value):  # type: ignore[no-untyped-def]
        return queryset.filter(action__in=SECURITY_EVENTS) if value else queryset
