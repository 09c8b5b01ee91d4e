"""Form base: choices of related records limited to what the user may see."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from core.permissions import MASK, SHOW, field_access
from core.pickers import PickerWidget, picker_for

__all__ = ["ScopedModelForm", "errors_as_text", "html_date"]


class ScopedModelForm(forms.ModelForm):
    """A ModelForm whose foreign-key choices pass through the permission layer."""

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        model = self._meta.model
        policy = getattr(model, "policy", None)
        revealable = set(policy.revealable(user)) if policy is not None else set()
        self.kept_if_blank: set[str] = set()
        for name in list(self.fields):  # a field the role may not read is not offered either
            if name not in self._meta.fields:  # type: ignore[operator]
                continue
            access = field_access(user, model, name)
            if access == MASK and name in revealable:
                if self.instance.pk:  # a new value may be typed without reading the old
                    self._keep_if_blank(name)
            elif access != SHOW:
                del self.fields[name]
        for field in self.fields.values():
            queryset = getattr(field, "queryset", None)
            if queryset is not None and hasattr(queryset, "restrict"):
                field.queryset = queryset.restrict(user, "view")  # type: ignore[attr-defined]
            choices = getattr(field, "queryset", None)
            if (
                isinstance(field, forms.ModelChoiceField)
                and not isinstance(field, forms.ModelMultipleChoiceField)
                and isinstance(field.widget, forms.Select)
                and choices is not None
                and picker_for(choices.model) is not None
            ):  # a company or a lease is typed for, not scrolled to
                field.widget = PickerWidget(choices)
            _say_choose(field)
            if isinstance(field.widget, forms.DateInput):
                html_date(field.widget)

    def _keep_if_blank(self, name: str) -> None:
        field = self.fields[name]
        field.required = False
        field.widget.attrs["placeholder"] = str(
            self.instance.policy.mask(name, getattr(self.instance, name))  # type: ignore[attr-defined]
        )
        field.help_text = _("Leave empty to keep the number on record.")
        self.initial[name] = ""
        self.kept_if_blank.add(name)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name in self.kept_if_blank:
            if not data.get(name):
                data[name] = getattr(self.instance, name)
        return data


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
