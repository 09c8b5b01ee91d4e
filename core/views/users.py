"""Users page for platform admins: a role and the scope it needs, password, active or not.

Users are deactivated rather than deleted, so the change log keeps naming who did what.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.password_validation import validate_password
from django.urls import path
from django.utils.translation import gettext_lazy as _

from core.forms import ScopedModelForm
from core.models import User
from core.services import create_record, update_record
from core.tables import Column
from core.views.generic import ObjectDetailView, ObjectEditView, ObjectListView

__all__ = ["urlpatterns"]


class UserForm(ScopedModelForm):
    new_password = forms.CharField(
        label=_("Password"),
        required=False,
        strip=False,
        widget=forms.PasswordInput,
        help_text=_("At least 8 characters. Leave empty to keep the current password."),
    )

    class Meta:
        model = User
        fields = [
            "username",
            "display_name",
            "role",
            "operator",
            "jurisdiction",
            "enterprise",
            "is_active",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            self.fields["new_password"].required = True
            self.fields["new_password"].help_text = _("At least 8 characters.")

    def clean_new_password(self) -> str:
        password: str = self.cleaned_data["new_password"]
        if password:
            validate_password(password, self.instance)
        return password

    def save(self, commit: bool = True) -> User:
        user: User = super().save(commit=False)
        if self.cleaned_data.get("new_password"):
            user.set_password(self.cleaned_data["new_password"])
        if commit:
            user.save()
        return user


class UserList(ObjectListView):
    model = User
    default_order = "username"
    select_related = ("operator", "jurisdiction", "enterprise")
    columns = [
        Column("username", sortable=True, link=True),
        Column("display_name"),
        Column("role"),
        Column("operator"),
        Column("jurisdiction"),
        Column("enterprise"),
        Column("is_active"),
    ]


class UserDetail(ObjectDetailView):
    model = User
    fields = [*UserForm.Meta.fields, "last_login"]


class UserEdit(ObjectEditView):
    model = User
    form_class = UserForm
    create = create_record
    update = update_record

    def changed_data(self, form: forms.ModelForm) -> dict[str, Any]:
        data = super().changed_data(form)
        if form.cleaned_data.get("new_password"):
            data["password"] = form.instance.password  # the hash set by form.save()
        data.pop("new_password", None)
        return data


urlpatterns = [
    path("users/", UserList.as_view(), name="user_list"),
    path("users/add/", UserEdit.as_view(), name="user_add"),
    path("users/<int:pk>/", UserDetail.as_view(), name="user_detail"),
    path("users/<int:pk>/edit/", UserEdit.as_view(), name="user_edit"),
]
