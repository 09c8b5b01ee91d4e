"""Form base: choices of related records limited to what the user may see."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from core.permissions import SHOW, field_access

__all__ = ["ScopedModelForm", "errors_as_text", "html_date"]


class ScopedModelForm(forms.ModelForm):
    """A ModelForm whose foreign-key choices pass through the permission layer."""

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        model = self._meta.model
        for name in list(self.fields):  # a field the role may not read is not offered either
            if name in self._meta.fields and field_access(user, model, name) != SHOW:  # type: ignore[operator]
                del self.fields[name]
        for field in self.fields.values():
            queryset = getattr(field, "queryset", None)
            if queryset is not None and hasattr(queryset, "restrict"):
                field.queryset = queryset.restrict(user, "view")  # type: ignore[attr-defined]
            _say_choose(field)
            if isinstance(field.widget, forms.DateInput):
                html_date(field.widget)


def _say_choose(field: forms.Field) -> None:
    """An empty choice reads “请选择…”, not Django's “---------”."""
    if isinstance(field, forms.ModelChoiceField) and not isinstance(
        field, forms.ModelMultipleChoiceField
    ):
        if field.empty_label is not None:
            field.empty_label = _("Choose…")
    elif isinstance(field, forms.TypedChoiceField | forms.ChoiceField):
        choices: list[Any] = list(field.choices)  # type: ignore[arg-type]
        if choices and choices[0] == ("", "---------"):
            field.choices = [("", _("Choose…")), *choices[1:]]


def html_date(widget: Any) -> Any:
    """A browser date picker with an ISO value: a ``type=date`` input reads nothing else, and
    the Chinese locale's 2029/12/29 would show an empty field that saving then erases."""
    widget.input_type = "date"
    widget.format = "%Y-%m-%d"
    return widget


def errors_as_text(form: forms.BaseForm) -> str:
    """A form's errors in one line, field label first, for a flash message."""
    return "; ".join(
        f"{form.fields[name].label if name in form.fields else ''}: "
        f"{' '.join(str(m) for m in errors)}".lstrip(": ")
        for name, errors in form.errors.items()
    )
