"""Pickers: a record chosen by typing part of its name instead of scrolling a select of every
company or lease (a registry holds tens of thousands). Apps register the models people pick
and the fields to search; forms (core.forms) give such a foreign key the picker widget, and
``core:pick`` answers the matches the user may see."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.db import models
from django.db.models import Q
from django.urls import reverse

__all__ = ["PickerWidget", "picker_for", "register_picker", "search"]

LIMIT = 20


@dataclass(frozen=True)
class Picker:
    model: type[models.Model]
    fields: tuple[str, ...]  # searched with icontains, any of them
    order: str


_PICKERS: dict[str, Picker] = {}


def register_picker(model: type[models.Model], fields: tuple[str, ...], order: str) -> None:
    """Called from an app's ``ready()``."""
    _PICKERS[model._meta.label_lower] = Picker(model, fields, order)


def picker_for(model: type[models.Model]) -> Picker | None:
    return _PICKERS.get(model._meta.label_lower)


def search(label: str, text: str, user: Any) -> list[Any]:
    """Up to 20 records of ``label`` the user may see whose fields contain ``text``."""
    picker = _PICKERS.get(label)
    text = text.strip()
    if picker is None or not text:
        return []
    match = Q()
    for name in picker.fields:
        match |= Q(**{f"{name}__icontains": text})
    rows = picker.model._default_manager.restrict(user, "view")  # type: ignore[attr-defined]
    return list(rows.filter(match).order_by(picker.order)[:LIMIT])


class PickerWidget(forms.Widget):
    """The chosen record's id in a hidden input, its name in a search box that lists matches
    as one types (htmx); a click on a match fills both."""

    template_name = "core/widgets/picker.html"

    def __init__(self, queryset: models.QuerySet, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs)
        self.queryset = queryset  # the user's choices: a posted id outside them shows no name
        self.model = queryset.model

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        shown = ""
        if value not in (None, ""):
            row = self.queryset.filter(pk=value).first() if str(value).isdigit() else None
            shown = str(row) if row is not None else ""
        context["picker"] = {
            "url": reverse("core:pick") + f"?model={self.model._meta.label_lower}",
            "shown": shown,
        }
        return context
