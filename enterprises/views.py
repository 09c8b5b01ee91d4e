"""Pages of the enterprise registry: list, the one-company page, qualifications, contacts."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.errors import ConflictError
from core.permissions import get_restricted_or_404, shown_value
from core.tables import Column
from core.views import ObjectDeleteView, ObjectDetailView, ObjectEditView, ObjectListView, Tab
from core.views.generic import ScopedView
from enterprises import filters, forms, services
from enterprises.models import Contact, Enterprise, FinancingRound, Qualification


def _crumbs(*pairs: tuple[Any, str | None]) -> list[tuple[Any, str | None]]:
    return [(_("Enterprises"), reverse("enterprises:enterprise_list")), *pairs]


def _with_enterprise(model: type, request: HttpRequest) -> Any:
    """A new qualification or contact for the enterprise named in ?enterprise=."""
    enterprise = (
        Enterprise.objects.restrict(request.user)
        .filter(pk=request.GET.get("enterprise") or 0)
        .first()
    )
    return model(enterprise=enterprise) if enterprise else model()


class EnterpriseList(ObjectListView):
    model = Enterprise
    filterset_class = filters.EnterpriseFilter
    default_order = "name"
    select_related = ("industry",)
    columns = [
        Column("name", sortable=True, link=True),
        Column("credit_code", sortable=True),
        Column("industry"),
        Column("stage"),
        Column("established_on", sortable=True),
    ]
    extra_actions = [(_("Import / export"), "enterprises:enterprise_import")]


def _qualifications(request: HttpRequest, obj: Enterprise) -> dict[str, Any]:
    return {"qualifications": obj.qualifications.all()}


def _financing(request: HttpRequest, obj: Enterprise) -> dict[str, Any]:
    return {
        "rounds": obj.financing_rounds.order_by("-closed_on"),
        "can_add_round": FinancingRound.policy.allows_role(request.user, "add"),
    }


def _contacts(request: HttpRequest, obj: Enterprise) -> dict[str, Any]:
    contacts = Contact.objects.restrict(request.user).filter(enterprise=obj)
    return {"contacts": [(c, shown_value(request.user, c, "phone", c.phone)) for c in contacts]}


class EnterpriseDetail(ObjectDetailView):
    model = Enterprise
    template_name = "enterprises/enterprise_detail.html"
    # the form's fields; the catalog tags show as badges above the tabs
    fields = [f for f in forms.EnterpriseForm.Meta.fields if f != "tags"]
    tabs = [
        Tab(
            "qualifications",
            _("Qualifications"),
            "enterprises/partials/qualifications.html",
            context=_qualifications,
        ),
        Tab(
            "financing",
            _("Financing"),
            "enterprises/partials/financing.html",
            context=_financing,
        ),
        Tab(
            "contacts",
            _("Contacts"),
            "enterprises/partials/contacts.html",
            context=_contacts,
            visible=lambda user: Contact.policy.allows_role(user, "view"),
        ),
    ]

    def extra_context(self, request: HttpRequest, obj: Enterprise) -> dict[str, Any]:
        return {
            "badges": list(obj.qualifications.all()),
            "tags": list(obj.tags.all()),
            "can_add_detail": Qualification.policy.allows_role(request.user, "add")
            and self.model.policy.allows_role(request.user, "view"),
            "breadcrumbs": _crumbs((obj, None)),
        }


class EnterpriseEdit(ObjectEditView):
    model = Enterprise
    form_class = forms.EnterpriseForm
    create = services.enterprise_create
    update = services.enterprise_update


class EnterpriseDelete(ObjectDeleteView):
    model = Enterprise
    delete = services.enterprise_delete


class QualificationList(ObjectListView):
    model = Qualification
    filterset_class = filters.QualificationFilter
    default_order = "expires_on"
    select_related = ("enterprise",)
    columns = [
        Column("enterprise"),
        Column("kind", link=True),
        Column("level"),
        Column("certificate_no"),
        Column("expires_on", sortable=True),
        Column(
            "verified_at",
            label=_("Verification"),
            render=lambda q: _verification_tag(q),
        ),
    ]


def _verification_tag(q: Qualification) -> Any:
    from django.utils.html import format_html

    if q.verified_at is None:
        return format_html('<span class="tag tag-orange">{}</span>', _("To verify"))
    return format_html('<span class="tag tag-green">{}</span>', _("Verified"))


class QualificationDetail(ObjectDetailView):
    model = Qualification
    fields = ["enterprise", "kind", "level", "certificate_no", "issued_on", "expires_on"]
    template_name = "enterprises/qualification_detail.html"

    def extra_context(self, request: HttpRequest, obj: Qualification) -> dict[str, Any]:
        return {
            "verification": _verification_tag(obj),
            "can_verify": obj.verified_at is None
            and Qualification.policy.allows_role(request.user, "verify"),  # type: ignore[attr-defined]
            "breadcrumbs": _crumbs(
                (
                    obj.enterprise,
                    reverse("enterprises:enterprise_detail", args=[obj.enterprise_id]),
                ),
                (obj, None),
            ),
        }


class QualificationEdit(ObjectEditView):
    model = Qualification
    form_class = forms.QualificationForm
    create = services.qualification_create
    update = services.qualification_update

    def initial_instance(self, request: HttpRequest) -> Qualification:
        instance: Qualification = _with_enterprise(Qualification, request)
        return instance


class QualificationDelete(ObjectDeleteView):
    model = Qualification
    delete = services.qualification_delete


class FinancingList(ObjectListView):
    model = FinancingRound
    filterset_class = filters.FinancingFilter
    default_order = "-closed_on"
    select_related = ("enterprise",)
    columns = [
        Column("enterprise"),
        Column("round", link=True),
        Column("closed_on", sortable=True),
        Column("amount_raised", numeric=True),
        Column("pre_money", numeric=True),
        Column("post_money", numeric=True),
    ]


class FinancingDetail(ObjectDetailView):
    model = FinancingRound
    fields = [
        "enterprise",
        "round",
        "closed_on",
        "amount_raised",
        "pre_money",
        "post_money",
        "investors",
    ]

    def extra_context(self, request: HttpRequest, obj: FinancingRound) -> dict[str, Any]:
        return {
            "breadcrumbs": _crumbs(
                (
                    obj.enterprise,
                    reverse("enterprises:enterprise_detail", args=[obj.enterprise_id]),
                ),
                (obj, None),
            )
        }


class FinancingEdit(ObjectEditView):
    model = FinancingRound
    form_class = forms.FinancingForm
    create = services.financing_create
    update = services.financing_update

    def initial_instance(self, request: HttpRequest) -> FinancingRound:
        instance: FinancingRound = _with_enterprise(FinancingRound, request)
        return instance


class FinancingDelete(ObjectDeleteView):
    model = FinancingRound
    delete = services.financing_delete


class ContactList(ObjectListView):
    model = Contact
    filterset_class = filters.ContactFilter
    default_order = "name"
    select_related = ("enterprise",)
    columns = [Column("enterprise"), Column("name", sortable=True, link=True), Column("title")]


class ContactDetail(ObjectDetailView):
    model = Contact
    fields = ["enterprise", "operator", "name", "title", "phone", "email", "is_primary"]


class ContactEdit(ObjectEditView):
    model = Contact
    form_class = forms.ContactForm
    create = services.contact_create
    update = services.contact_update

    def initial_instance(self, request: HttpRequest) -> Contact:
        instance: Contact = _with_enterprise(Contact, request)
        return instance


class ContactDelete(ObjectDeleteView):
    model = Contact
    delete = services.contact_delete


class QualificationVerify(ScopedView):
    """POST: 待核验 → 已核验, after operator staff checked the certificate."""

    model = Qualification
    action = "verify"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        qualification = get_restricted_or_404(Qualification, request.user, "verify", pk=pk)
        try:
            services.qualification_verify(actor=request.user, qualification=qualification)
        except ConflictError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Qualification verified: it now counts."))
        return redirect("enterprises:qualification_detail", pk=pk)
