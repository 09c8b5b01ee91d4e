"""The audit log's pages: every entry, newest first (business changes and security events),
and one entry with its full change, address, device and place in the hash chain. Read by
the platform admin and the security auditor (AuditEntry.policy); nothing here writes."""

from __future__ import annotations

from typing import Any

import django_filters as df
from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext_lazy as _

from core.audit.models import AuditEntry
from core.choices import AuditAction
from core.permissions import get_restricted_or_404
from core.tables import Column
from core.views.generic import ObjectListView, ScopedView

__all__ = ["SECURITY_EVENTS", "AuditFilter", "urlpatterns"]

SECURITY_EVENTS = [
    AuditAction.LOGIN,
    AuditAction.LOGOUT,
    AuditAction.LOGIN_FAILED,
    AuditAction.LOCKOUT,
    AuditAction.EXPORT,
    AuditAction.PERSONAL,
    AuditAction.REVEAL,
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


def _record(entry: AuditEntry) -> str:
    model = entry.content_type.model_class()
    kind = str(model._meta.verbose_name) if model is not None else entry.content_type.model
    return f"{kind}：{entry.object_repr}"


def _changes(entry: AuditEntry) -> str:
    rows = entry.change_rows()
    shown = "；".join(f"{label}: {old or '—'} → {new or '—'}" for label, old, new in rows[:3])
    return (shown + ("…" if len(rows) > 3 else "")) or entry.comment


class AuditLog(ObjectListView):
    model = AuditEntry
    filterset_class = AuditFilter
    default_order = "-at"
    page_size = 50
    select_related = ("content_type",)
    template_name = "core/audit_log.html"
    columns = [
        Column("at", sortable=True, link=True),
        Column("actor_name", label=_("Actor")),
        Column("action"),
        Column("record", label=_("Record"), render=_record),
        Column("changes", label=_("Changes"), render=_changes),
        Column("ip"),
    ]


class AuditEntryDetail(ScopedView):
    model = AuditEntry

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        entry: Any = get_restricted_or_404(AuditEntry, request.user, "view", pk=pk)
        return render(
            request,
            "core/auditentry_detail.html",
            {"entry": entry, "record": _record(entry), "rows": entry.change_rows()},
        )


urlpatterns = [
    path("audit/", AuditLog.as_view(), name="auditentry_list"),
    path("audit/<int:pk>/", AuditEntryDetail.as_view(), name="auditentry_detail"),
]
