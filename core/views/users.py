"""Users page for platform admins: a role and the scope it needs, password, active or not.

Users are deactivated rather than deleted, so the change log keeps naming who did what.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.password_validation import validate_password
from django.http import HttpRequest
from django.urls import path
from django.utils.translation import gettext_lazy as _

from core.forms import ScopedModelForm
from core.models import User
from core.scopes import RoleScope, role_scopes
from core.tables import Column
from core.users import user_save, user_update
from core.views.generic import ObjectDetailView, ObjectEditView, ObjectListView

__all__ = ["urlpatterns"]


class UserForm(ScopedModelForm):
    new_password = forms.CharField(
        label=_("Password"),
        required=False,
        strip=False,
        widget=forms.PasswordInput,
        help_text=_(
            "At least 8 characters, three kinds of characters. The user sets a new one at the "
            "next sign-in. Leave empty to keep the current password."
        ),
    )

    class Meta:
        model = User
        fields = [
            "username",
            "display_name",
            "role",
            "operator",
            "jurisdiction",
            "is_active",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for scope in role_scopes():  # the scopes apps keep (a tenant user's company)
            field = scope.form_field()
            field.required = False
            field.label = scope.label
            if self.instance.pk is not None:
                field.initial = scope.value_of(self.instance)
            self.fields[scope.name] = field
        if self.instance.pk is None:
            self.fields["new_password"].required = True
            self.fields["new_password"].help_text = _(
                "At least 8 characters of three kinds (upper-case, lower-case, digits, "
                "symbols). The user sets a new one at the first sign-in."
            )

    def clean_new_password(self) -> str:
        password: str = self.cleaned_data["new_password"]
        if password:
            validate_password(password, self.instance)
        return password

    def save(self, commit: bool = True) -> User:
        user: User = super().save(commit=False)
        if self.cleaned_data.get("new_password"):
            user.set_password(self.cleaned_data["new_password"])
            # a password the admin chose is the user's to replace at the next sign-in
            user.must_change_password = True
        if commit:
            user.save()
        return user


def _scope_column(scope: RoleScope) -> Column:
    return Column(scope.name, label=scope.label, render=lambda u: scope.value_of(u) or "")


class UserList(ObjectListView):
    model = User
    default_order = "username"
    select_related = ("operator", "jurisdiction")
    columns = [
        Column("username", sortable=True, link=True),
        Column("display_name"),
        Column("role"),
        Column("operator"),
        Column("jurisdiction"),
        Column("is_active"),
    ]

    def get_queryset(self, request: HttpRequest) -> Any:
        joins = [s.select_related for s in role_scopes() if s.select_related]
        return super().get_queryset(request).select_related(*joins)

    def get_columns(self, request: HttpRequest) -> list[Column]:
        # the scopes apps keep (a tenant user's company) as columns of their own
        return [*self.columns, *(_scope_column(s) for s in role_scopes())]


class UserDetail(ObjectDetailView):
    model = User
    fields = [*UserForm.Meta.fields, "must_change_password", "last_login"]

    def field_rows(self, obj: User) -> list[tuple[Any, Any]]:
        scopes = [(s.label, s.value_of(obj)) for s in role_scopes() if s.role == obj.role]
        return [*super().field_rows(obj), *scopes]


class UserEdit(ObjectEditView):
    model = User
    form_class = UserForm
    create = user_save
    update = user_update

    def create_kwargs(self, form: forms.ModelForm) -> dict[str, Any]:
        return {"scoped": {s.name: form.cleaned_data.get(s.name) for s in role_scopes()}}

    def changed_data(self, form: forms.ModelForm) -> dict[str, Any]:
        data = super().changed_data(form)
        if form.cleaned_data.get("new_password"):
            data["password"] = form.instance.password  # the hash set by form.save()
            data["password_changed_at"] = form.instance.password_changed_at
            data["must_change_password"] = form.instance != self.request.user
        data.pop("new_password", None)
        data.update({s.name: form.cleaned_data.get(s.name) for s in role_scopes()})
        return data


urlpatterns = [
    path("users/", UserList.as_view(), name="user_list"),
    path("users/add/", UserEdit.as_view(), name="user_add"),
    path("users/<int:pk>/", UserDetail.as_view(), name="user_detail"),
    path("users/<int:pk>/edit/", UserEdit.as_view(), name="user_edit"),
]
