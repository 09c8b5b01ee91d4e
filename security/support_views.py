"""Pages of support grants (运维授权): operator staff give a platform admin a few days in
their operator's data and end it; the admin sees their own grants; the auditor every one."""

from __future__ import annotations

from typing import Any

import django_filters as df
from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from core.choices import Role
from core.forms import ScopedModelForm
from core.models import Operator, User
from core.permissions import can, get_restricted_or_404
from core.tables import Column
from core.views.generic import ObjectDetailView, ObjectEditView, ObjectListView, ScopedView
from security import support
from security.models import SupportGrant

__all__ = ["GrantAdd", "GrantDetail", "GrantList", "GrantRevoke"]


def _operators(request: HttpRequest | None) -> Any:
    return Operator.objects.restrict(request.user) if request else Operator.objects.none()


class GrantFilter(df.FilterSet):
    operator = df.ModelChoiceFilter(label=gettext_lazy("Operator"), queryset=_operators)
    live = df.BooleanFilter(method="_live", label=pgettext_lazy("support grant", "In force"))

    class Meta:
        model = SupportGrant
        fields = ["operator", "admin"]

    def _live(self, queryset: Any, name: str, value: bool | None) -> Any:
        if value is None:
            return queryset
        live = queryset.in_force()
        return live if value else queryset.exclude(pk__in=live.values("pk"))


class GrantForm(ScopedModelForm):
    days = forms.IntegerField(
        label=gettext_lazy("Days"),
        min_value=1,
        max_value=support.MAX_DAYS,
        initial=3,
        help_text=gettext_lazy("The grant ends by itself after this many days."),
    )

    class Meta:
        model = SupportGrant
        fields = ["admin", "operator", "reason"]

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        # staff choose among the platform's admins (they may read no user otherwise)
        self.fields["admin"].queryset = User.objects.filter(role=Role.ADMIN, is_active=True)  # type: ignore[attr-defined]
        if user.role == Role.OPERATOR:
            self.fields["operator"].initial = user.operator_id


def _grant_create(*, actor: Any, instance: SupportGrant, days: int, **_: Any) -> SupportGrant:
    return support.support_grant(
        actor=actor,
        admin=instance.admin,
        operator=instance.operator,
        reason=instance.reason,
        days=days,
    )


class GrantList(ObjectListView):
    model = SupportGrant
    filterset_class = GrantFilter
    default_order = "-granted_at"
    select_related = ("admin", "operator", "granted_by")
    columns = [
        Column("admin", link=True),
        Column("operator"),
        Column("reason"),
        Column("granted_by"),
        Column("granted_at"),
        Column("expires_at"),
        Column("revoked_at"),
    ]


class GrantDetail(ObjectDetailView):
    model = SupportGrant
    template_name = "security/supportgrant_detail.html"
    fields = ["admin", "operator", "reason", "granted_by", "granted_at", "expires_at"]
    fields += ["revoked_at", "revoked_by"]

    def extra_context(self, request: HttpRequest, obj: Any) -> dict[str, Any]:
        return {"can_revoke": obj.live and can(request.user, "change", obj)}


class GrantAdd(ObjectEditView):
    model = SupportGrant
    form_class = GrantForm
    create = staticmethod(_grant_create)

    def create_kwargs(self, form: forms.ModelForm) -> dict[str, Any]:
        return {"days": form.cleaned_data["days"]}


class GrantRevoke(ScopedView):
    """Asks, then ends the grant at once: the admin's next request sees none of the data."""

    model = SupportGrant
    action = "change"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        grant = get_restricted_or_404(SupportGrant, request.user, "change", pk=pk)
        return render(
            request,
            "security/supportgrant_revoke.html",
            {**self.base_context(), "object": grant, "cancel_url": self.url("detail", pk)},
        )

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        grant = get_restricted_or_404(SupportGrant, request.user, "change", pk=pk)
        try:
            support.support_revoke(actor=request.user, grant=grant)
            messages.success(request, _("Support grant revoked."))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return redirect(self.url("detail", pk))
