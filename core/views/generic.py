"""Generic list / detail / edit / delete pages that every app configures, NetBox-style.

Each view names its ``model`` and the ``action`` it needs; the permission layer decides, so a
row outside the user's scope is a 404. Writes go through the app's service functions.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views import View

from core import audit
from core.errors import ConflictError
from core.pagination import InvalidCursor, keyset_page
from core.permissions import HIDDEN, can, get_restricted_or_404, shown_value
from core.tables import Column, columns_for, relations_shown

__all__ = [
    "ObjectDeleteView",
    "ObjectDetailView",
    "ObjectEditView",
    "ObjectListView",
    "PrefilledEditView",
    "Tab",
    "object_urls",
    "record_pages",
    "register_context",
    "register_tab",
]


class ScopedView(LoginRequiredMixin, View):
    """A page about one model that needs one action on it."""

    model: ClassVar[type[models.Model]]
    action: ClassVar[str] = "view"

    @classmethod
    def required_action(cls, kwargs: dict[str, Any]) -> str:
        """The action this page needs, given its URL arguments."""
        return cls.action

    def allowed(self, request: HttpRequest) -> bool:
        action = self.required_action(self.kwargs)
        return self.model.policy.allows_role(request.user, action)  # type: ignore[attr-defined]

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if request.user.is_authenticated and not self.allowed(request):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def url(self, verb: str, *args: Any) -> str:
        meta = self.model._meta
        return reverse(f"{meta.app_label}:{meta.model_name}_{verb}", args=args)

    def optional_url(self, verb: str, *args: Any) -> str | None:
        """The URL of a page this model may not have (users have no delete page)."""
        try:
            return self.url(verb, *args)
        except NoReverseMatch:
            return None

    def base_context(self) -> dict[str, Any]:
        meta = self.model._meta
        return {
            "model_meta": meta,
            "verbose_name": meta.verbose_name,
            "verbose_name_plural": meta.verbose_name_plural,
        }


def dress_filters(filterset: Any, user: Any) -> None:
    """The filter bar as people use it, the API's filters unchanged: a park (given by code)
    is chosen from the parks in the user's scope, a filter by a raw id (``lease_id``,
    ``enterprise_id``) is no box to type in (kept hidden for the links that set it), and a
    yes/no filter reads 全部 / 是 / 否."""
    from django_filters import BooleanFilter, CharFilter, NumberFilter

    from core.selectors import switchable_parks

    fields = filterset.form.fields
    for name, flt in filterset.filters.items():
        if name not in fields:
            continue
        if name == "park" and isinstance(flt, CharFilter):
            parks = [(c, f"{c} {n}") for c, n in switchable_parks(user)]
            fields[name] = forms.ChoiceField(
                label=_("Park"), required=False, choices=[("", _("All parks")), *parks]
            )
        elif isinstance(flt, NumberFilter) and flt.field_name.endswith("_id"):
            fields[name].widget = forms.HiddenInput()
        elif isinstance(flt, BooleanFilter):
            fields[name].widget = forms.Select(
                choices=[("", _("All")), ("true", _("Yes")), ("false", _("No"))]
            )


class ObjectListView(ScopedView):
    """Filter bar, sortable columns, keyset pagination; htmx requests get the table only."""

    template_name = "core/object_list.html"
    columns: ClassVar[list[Column]]
    filterset_class: ClassVar[Any] = None
    default_order: ClassVar[str] = "pk"
    page_size: ClassVar[int] = 25
    select_related: ClassVar[tuple[str, ...]] = ()
    # (label, URL name[, action on the model]) buttons, shown to roles granted that action
    # ("add" unless named: most lead to writing, an import or a combined payment)
    extra_actions: ClassVar[list[tuple[Any, ...]]] = []

    def get_queryset(self, request: HttpRequest) -> models.QuerySet:
        qs = self.model._default_manager.restrict(request.user, "view")  # type: ignore[attr-defined]
        return qs.select_related(*self.select_related)

    def get_columns(self, request: HttpRequest) -> list[Column]:
        return self.columns

    def filter_data(self, request: HttpRequest) -> Any:
        data = request.GET.copy()
        park = request.session.get("park")
        if (
            park
            and "park" not in data
            and self.filterset_class is not None
            and "park" in self.filterset_class.base_filters
        ):
            data["park"] = park
        return data

    def get(self, request: HttpRequest) -> HttpResponse:
        qs = self.get_queryset(request)
        filterset = None
        if self.filterset_class is not None:
            filterset = self.filterset_class(
                self.filter_data(request), queryset=qs, request=request
            )
            dress_filters(filterset, request.user)
            qs = filterset.qs if filterset.is_valid() else qs.none()
        columns = columns_for(request.user, self.model, self.get_columns(request))
        qs = qs.select_related(*relations_shown(self.model, columns))
        sortable = {c.sort_key() for c in columns if c.sortable} | {"pk"}
        order = request.GET.get("sort") or self.default_order
        if order.lstrip("-") not in sortable:
            order = self.default_order
        try:
            page = keyset_page(
                qs, order=order, cursor=request.GET.get("cursor"), size=self.page_size
            )
        except InvalidCursor:
            page = keyset_page(qs, order=order, cursor=None, size=self.page_size)
        context = {
            **self.base_context(),
            "columns": columns,
            "headers": [(c, c.label_for(self.model)) for c in columns],
            "page": page,
            "filterset": filterset,
            "order": order,
            "can_add": self.model.policy.allows_role(request.user, "add"),  # type: ignore[attr-defined]
            "add_url": self.optional_url("add"),
            "extra_actions": [
                (label, reverse(name))
                for label, name, *action in self.extra_actions
                if self.model.policy.allows_role(request.user, (action or ["add"])[0])  # type: ignore[attr-defined]
            ],
            "detail_url_name": f"{self.model._meta.app_label}:{self.model._meta.model_name}_detail",
        }
        template = "core/partials/table.html" if request.htmx else self.template_name  # type: ignore[attr-defined]
        return render(request, template, context)


@dataclass(frozen=True)
class Tab:
    """A tab of a detail page: a label and a template fragment rendered with the page context.

    ``context`` (request, obj) -> dict adds what the fragment needs; it runs only when the tab
    is open. ``visible`` (user) -> bool hides a tab from roles it means nothing to.
    """

    key: str
    label: Any
    template: str
    context: Callable[[HttpRequest, Any], dict[str, Any]] | None = None
    visible: Callable[[Any], bool] | None = None


# Tabs that higher apps add to a lower app's detail page (the enterprise page shows its
# applications once admissions is installed), keyed by model label: registered in ready().
_EXTRA_TABS: dict[str, list[Tab]] = {}


# Facts that higher apps add to a lower app's detail page context (the stacking plan shows
# tenants and expiries once leasing is installed): (request, obj) -> dict, in ready().
_EXTRA_CONTEXT: dict[str, list[Callable[[HttpRequest, Any], dict[str, Any]]]] = {}


def register_context(
    model_label: str, provider: Callable[[HttpRequest, Any], dict[str, Any]]
) -> None:
    providers = _EXTRA_CONTEXT.setdefault(model_label.lower(), [])
    if provider not in providers:
        providers.append(provider)


def register_tab(model_label: str, tab: Tab) -> None:
    tabs = _EXTRA_TABS.setdefault(model_label.lower(), [])
    if all(t.key != tab.key for t in tabs):
        tabs.append(tab)


class ObjectDetailView(ScopedView):
    """Tabs: overview (fields), the app's own tabs, and the change log (操作记录)."""

    template_name = "core/object_detail.html"
    fields: ClassVar[list[str]] = []
    tabs: ClassVar[list[Tab]] = []
    default_tab: ClassVar[str] = "overview"

    def get_object(self, request: HttpRequest, pk: int) -> Any:
        return get_restricted_or_404(self.model, request.user, "view", pk=pk)

    def extra_context(self, request: HttpRequest, obj: Any) -> dict[str, Any]:
        return {}

    def field_rows(self, obj: Any) -> list[tuple[Any, Any]]:
        """(label, value) of ``fields`` as the user may read them (the policy's field rules)."""
        rows = []
        for name in self.fields:
            field = self.model._meta.get_field(name)
            display = getattr(obj, f"get_{name}_display", None)
            value = shown_value(
                self.request.user, self.model, name, display() if display else getattr(obj, name)
            )
            if value is not HIDDEN:
                rows.append((getattr(field, "verbose_name", name), value))
        return rows

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        obj = self.get_object(request, pk)
        user = request.user
        tabs = [
            Tab("overview", _("Overview"), "core/partials/tab_fields.html"),
            *self.tabs,
            *_EXTRA_TABS.get(self.model._meta.label_lower, []),
            Tab("history", _("History"), "core/partials/tab_history.html"),
        ]
        tabs = [t for t in tabs if t.visible is None or t.visible(user)]
        active = request.GET.get("tab", self.default_tab)
        if active not in {t.key for t in tabs}:
            active = "overview"
        context = {
            **self.base_context(),
            "object": obj,
            "field_rows": self.field_rows(obj),
            "tabs": tabs,
            "active_tab": active,
            "history": audit.history(user, obj) if active == "history" else None,
            "can_change": can(user, "change", obj),
            "can_delete": can(user, "delete", obj),
            "edit_url": self.optional_url("edit", obj.pk),
            "delete_url": self.optional_url("delete", obj.pk),
            "list_url": self.url("list"),
            **self.extra_context(request, obj),
        }
        for provider in _EXTRA_CONTEXT.get(self.model._meta.label_lower, []):
            context.update(provider(request, obj))
        tab = next(t for t in tabs if t.key == active)
        if tab.context is not None:
            context.update(tab.context(request, obj))
        if request.htmx and request.GET.get("tab"):  # type: ignore[attr-defined]
            return render(request, tab.template, context)
        return render(request, self.template_name, context)


class ObjectEditView(ScopedView):
    """Create (no pk) or change (pk) through the app's services; errors inline on the form."""

    template_name = "core/object_edit.html"
    # (label, URL name) of a page that explains the rules behind the form, linked over it
    help_link: ClassVar[tuple[Any, str] | None] = None
    form_class: ClassVar[type[forms.ModelForm]]
    create: ClassVar[Callable[..., Any]]
    update: ClassVar[Callable[..., Any]]
    # (user, row) -> why the update service would refuse this row now, or None: the page
    # says so and goes back to the record instead of offering a form saved in vain
    refusal: ClassVar[Callable[[Any, Any], str | None] | None] = None

    @classmethod
    def required_action(cls, kwargs: dict[str, Any]) -> str:
        return "change" if kwargs.get("pk") else "add"

    def get_form(self, request: HttpRequest, instance: Any, data: Any = None) -> forms.ModelForm:
        return self.form_class(data, instance=instance, user=request.user)  # type: ignore[call-arg]

    def initial_instance(self, request: HttpRequest) -> Any:
        return self.model()

    def create_kwargs(self, form: forms.ModelForm) -> dict[str, Any]:
        """What the create service needs besides the instance: many-to-many values."""
        m2m = {
            f.name: form.cleaned_data[f.name]
            for f in self.model._meta.many_to_many
            if f.name in form.cleaned_data
        }
        return {"m2m": m2m}

    def changed_data(self, form: forms.ModelForm) -> dict[str, Any]:
        """The model fields the user changed, for the update service."""
        names = {f.name for f in self.model._meta.get_fields()}
        return {n: form.cleaned_data[n] for n in form.changed_data if n in names}

    def _instance(self, request: HttpRequest, pk: int | None) -> Any:
        if pk is None:
            return self.initial_instance(request)
        return get_restricted_or_404(self.model, request.user, "change", pk=pk)

    def _refused(self, request: HttpRequest, obj: Any) -> HttpResponse | None:
        """The page that says why, with the way back, in place of a form saved in vain."""
        refusal = type(self).refusal
        reason = refusal(request.user, obj) if refusal is not None and obj.pk else None
        if not reason:
            return None
        context = {**self.base_context(), "object": obj, "reason": reason}
        context["back_url"] = self.url("detail", obj.pk)
        return render(request, "core/object_refused.html", context)

    def _render(self, request: HttpRequest, form: forms.ModelForm, obj: Any) -> HttpResponse:
        return render(
            request,
            self.template_name,
            {
                **self.base_context(),
                "form": form,
                "object": obj if obj.pk else None,
                "cancel_url": self.url("detail", obj.pk) if obj.pk else self.url("list"),
                "help_link": (self.help_link[0], reverse(self.help_link[1]))
                if self.help_link
                else None,
            },
        )

    def get(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        obj = self._instance(request, pk)
        return self._refused(request, obj) or self._render(
            request, self.get_form(request, obj), obj
        )

    def post(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        obj = self._instance(request, pk)
        refused = self._refused(request, obj)
        if refused is not None:
            return refused
        form = self.get_form(request, obj, request.POST)
        if form.is_valid():
            try:
                if pk is None:
                    obj = type(self).create(
                        actor=request.user,
                        instance=form.save(commit=False),
                        **self.create_kwargs(form),
                    )
                    messages.success(request, _("%(name)s created.") % {"name": obj})
                else:
                    form.save(commit=False)  # lets a form derive values (a password hash)
                    data = self.changed_data(form)
                    fresh = self._instance(request, pk)  # form.is_valid() mutated obj
                    obj = type(self).update(actor=request.user, instance=fresh, data=data)
                    messages.success(request, _("%(name)s saved.") % {"name": obj})
                return redirect(self.url("detail", obj.pk))
            except ValidationError as exc:
                _attach_errors(form, exc)
            except ConflictError as exc:
                form.add_error(None, exc.message)
        return self._render(request, form, obj)


class PrefilledEditView(ObjectEditView):
    """A new record starts with the related records named in the query (``?fund=3``), where
    the user may see them: the "+ add" links of a parent's page."""

    prefill: ClassVar[tuple[str, ...]] = ()

    def prefilled(self, instance: Any, name: str, row: Any) -> None:
        """Set the related ``row`` found for ``name``; a subclass may fill more from it."""
        setattr(instance, name, row)

    def initial_instance(self, request: HttpRequest) -> Any:
        instance = self.model()
        for name in self.prefill:
            value = request.GET.get(name, "")
            field = next((f for f in self.model._meta.concrete_fields if f.name == name), None)
            if field is not None and value.isdigit():
                related: Any = field.related_model
                row = related.objects.restrict(request.user).filter(pk=value).first()
                if row is not None:
                    self.prefilled(instance, name, row)
        return instance


def record_pages(
    model: type[models.Model],
    *,
    form_class: Any,
    filterset: Any,
    columns: list[Any],
    fields: list[str],
    create: Callable[..., Any],
    update: Callable[..., Any],
    delete: Callable[..., Any],
    edit_base: type[ObjectEditView] = PrefilledEditView,
    **list_attrs: Any,
) -> tuple[type, type, type, type]:
    """List, detail, edit and delete pages of one kind of record, writing through the app's
    services: for the many small records an app keeps beside its main ones."""
    attrs = {"model": model}
    listing = type(
        f"{model.__name__}List",
        (ObjectListView,),
        {**attrs, "filterset_class": filterset, "columns": columns, **list_attrs},
    )
    detail = type(f"{model.__name__}Detail", (ObjectDetailView,), {**attrs, "fields": fields})
    edit = type(
        f"{model.__name__}Edit",
        (edit_base,),
        {
            **attrs,
            "form_class": form_class,
            "create": staticmethod(create),
            "update": staticmethod(update),
        },
    )
    remove = type(
        f"{model.__name__}Delete", (ObjectDeleteView,), {**attrs, "delete": staticmethod(delete)}
    )
    return listing, detail, edit, remove


def _attach_errors(form: forms.BaseForm, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


class ObjectDeleteView(ScopedView):
    """Asks for confirmation, then deletes through the app's service."""

    action = "delete"
    template_name = "core/object_delete.html"
    delete: ClassVar[Callable[..., Any]]

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        obj = get_restricted_or_404(self.model, request.user, "delete", pk=pk)
        return render(
            request,
            self.template_name,
            {**self.base_context(), "object": obj, "cancel_url": self.url("detail", pk)},
        )

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        obj = get_restricted_or_404(self.model, request.user, "delete", pk=pk)
        try:
            type(self).delete(actor=request.user, instance=obj)
        except ConflictError as exc:
            messages.error(request, exc.message)
            return redirect(self.url("detail", pk))
        messages.success(request, _("%(name)s deleted.") % {"name": obj})
        return redirect(self.url("list"))


def object_urls(
    prefix: str, name: str, *, list_view: Any, detail: Any, edit: Any, delete: Any
) -> list[Any]:
    """The five URLs of one model: list, add, detail, edit, delete."""
    from django.urls import path

    return [
        path(f"{prefix}/", list_view.as_view(), name=f"{name}_list"),
        path(f"{prefix}/add/", edit.as_view(), name=f"{name}_add"),
        path(f"{prefix}/<int:pk>/", detail.as_view(), name=f"{name}_detail"),
        path(f"{prefix}/<int:pk>/edit/", edit.as_view(), name=f"{name}_edit"),
        path(f"{prefix}/<int:pk>/delete/", delete.as_view(), name=f"{name}_delete"),
    ]
