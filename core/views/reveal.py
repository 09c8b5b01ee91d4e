"""One record's masked personal fields shown in full, for a stated purpose (PIPL art. 51):
the role sees them masked everywhere else, and each reveal is a security event naming the
fields, the purpose and where it came from. The values are in this response only."""

from __future__ import annotations

from typing import Any, ClassVar

from django import forms
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext_lazy as _

from core import audit
from core.choices import AuditAction
from core.permissions import get_restricted_or_404
from core.views.generic import ScopedView

__all__ = ["PURPOSES", "RevealView", "reveal_url"]

PURPOSES = [
    ("collection", _("Collection: call about bills due")),
    ("service", _("Service: follow up a request")),
    ("leasing", _("Leasing: renewal or move talks")),
    ("verify", _("Verify or correct the record")),
    ("emergency", _("Emergency in the park")),
    ("other", _("Other (say which in the note)")),
]


class PurposeForm(forms.Form):
    purpose = forms.ChoiceField(label=_("Purpose"), choices=[("", _("Choose…")), *PURPOSES])
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("purpose") == "other" and not data.get("note", "").strip():
            self.add_error("note", _("Say what the number is needed for."))
        return data


class RevealView(ScopedView):
    action = "reveal"
    template_name = "core/reveal.html"
    model: ClassVar[type[models.Model]]

    def _context(self, request: HttpRequest, obj: Any, form: PurposeForm) -> dict[str, Any]:
        policy = self.model.policy  # type: ignore[attr-defined]
        names = policy.revealable(request.user)
        fields = {f.name: f for f in self.model._meta.concrete_fields}
        return {
            **self.base_context(),
            "object": obj,
            "form": form,
            "rows": [
                (fields[n].verbose_name, policy.mask(n, getattr(obj, n)), getattr(obj, n))
                for n in names
            ],
            "detail_url": self.optional_url("detail", obj.pk),
        }

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        obj = get_restricted_or_404(self.model, request.user, "reveal", pk=pk)
        return render(request, self.template_name, self._context(request, obj, PurposeForm()))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        obj = get_restricted_or_404(self.model, request.user, "reveal", pk=pk)
        form = PurposeForm(request.POST)
        context = self._context(request, obj, form)
        if form.is_valid():
            label = dict(PURPOSES)[form.cleaned_data["purpose"]]
            note = form.cleaned_data["note"].strip()
            fields = self.model.policy.revealable(request.user)  # type: ignore[attr-defined]
            audit.request_event(
                request,
                action=AuditAction.REVEAL,
                model=self.model,
                object_id=obj.pk,
                object_repr=str(obj),
                comment=f"{','.join(fields)}: {label}{'：' + note if note else ''}",
            )
            context["revealed"] = True
        response = render(request, self.template_name, context)
        response["Cache-Control"] = "no-store"
        return response


def reveal_url(prefix: str, model: type[models.Model]) -> Any:
    """``<prefix>/<pk>/reveal/`` named ``<model>_reveal``."""
    view: Any = type(f"{model.__name__}Reveal", (RevealView,), {"model": model})
    return path(
        f"{prefix}/<int:pk>/reveal/", view.as_view(), name=f"{model._meta.model_name}_reveal"
    )
