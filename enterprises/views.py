"""Pages of the enterprise registry: list, the one-company page, qualifications, contacts."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.errors import ConflictError
from core.permissions import can, get_restricted_or_404, shown_value
from core.tables import Column, status_tag
from core.views import ObjectDeleteView, ObjectDetailView, ObjectEditView, ObjectListView, Tab
from core.views.generic import ScopedView, _attach_errors
from enterprises import filings, filters, forms, services
from enterprises.choices import FilingState
from enterprises.models import (
    FILING_FIGURES,
    Contact,
    Enterprise,
    FinancingRound,
    Qualification,
    StatFiling,
)


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
    return {
        "contacts": [(c, shown_value(request.user, c, "phone", c.phone)) for c in contacts],
        "can_reveal": bool(Contact.policy.revealable(request.user)),  # type: ignore[attr-defined]
    }


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
    template_name = "enterprises/contact_detail.html"
    fields = ["enterprise", "operator", "name", "title", "phone", "email", "is_primary"]

    def extra_context(self, request: HttpRequest, obj: Any) -> dict[str, Any]:
        return {"can_reveal": bool(Contact.policy.revealable(request.user))}  # type: ignore[attr-defined]


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


def _filing_tag(filing: StatFiling) -> Any:
    """Filed, to be filed, or late (red) once the deadline has passed."""
    late = filing.state == FilingState.DUE and filing.period.is_late()
    label = _("Late") if late else filing.get_state_display()
    return status_tag("overdue" if late else filing.state, label)


class FilingList(ObjectListView):
    model = StatFiling
    filterset_class = filters.FilingFilter
    default_order = "-created_at"
    select_related = ("enterprise", "period")
    columns = [
        Column("period", label=pgettext_lazy("statistics", "Period"), link=True),
        Column("enterprise"),
        Column("state", label=_("Status"), render=_filing_tag),
        Column("filed_at", sortable=True),
        Column("headcount"),
        Column("revenue_wan", numeric=True),
        Column("output_value_wan", numeric=True),
    ]
    extra_actions = [(_("Import / export"), "enterprises:statfiling_import")]


class FilingDetail(ObjectDetailView):
    model = StatFiling
    fields = ["enterprise", "period", "state", "filed_at", "filed_by", *FILING_FIGURES]
    template_name = "enterprises/filing_detail.html"

    def extra_context(self, request: HttpRequest, obj: StatFiling) -> dict[str, Any]:
        filed = obj.state == FilingState.FILED
        user = request.user
        return {
            "state_tag": _filing_tag(obj),
            "can_file": not filed and can(user, "change", obj),
            "can_correct": filed and can(user, "delete", obj),
            "flags": obj.confirmed_flags,
            "edit_url": None,  # figures change through filing or correcting, not a plain edit
            "delete_url": None,
        }


class FilingFile(ScopedView):
    """File a period's figures (the company, or staff for it); staff correct filed ones."""

    model = StatFiling
    action = "change"
    template_name = "enterprises/filing_form.html"

    def _page(self, request: HttpRequest, filing: StatFiling, form: Any) -> HttpResponse:
        return render(
            request,
            self.template_name,
            {
                **self.base_context(),
                "object": filing,
                "form": form,
                "correcting": filing.state == FilingState.FILED,
                # a company files once; corrections are staff's
                "closed": filing.state == FilingState.FILED
                and not can(request.user, "delete", filing),
                "cancel_url": reverse("enterprises:statfiling_detail", args=[filing.pk]),
            },
        )

    def _filing(self, request: HttpRequest, pk: int) -> StatFiling:
        return get_restricted_or_404(StatFiling, request.user, "change", pk=pk)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        filing = self._filing(request, pk)
        correcting = filing.state == FilingState.FILED
        return self._page(
            request,
            filing,
            forms.FilingForm(instance=filing, user=request.user, correcting=correcting),
        )

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        filing = self._filing(request, pk)
        correcting = filing.state == FilingState.FILED
        form = forms.FilingForm(
            request.POST,
            instance=StatFiling.objects.get(pk=pk),
            user=request.user,
            correcting=correcting,
        )
        if form.is_valid():
            data = {name: form.cleaned_data[name] for name in FILING_FIGURES}
            confirm = form.cleaned_data["confirm"]
            try:
                if correcting:
                    filings.filing_correct(
                        actor=request.user,
                        filing=filing,
                        data=data,
                        reason=form.cleaned_data["reason"],
                        confirm=confirm,
                    )
                else:
                    filings.filing_submit(
                        actor=request.user, filing=filing, data=data, confirm=confirm
                    )
            except ValidationError as exc:
                _attach_errors(form, exc)
            except ConflictError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(
                    request,
                    _("Figures corrected.") if correcting else _("Statistics filed. Thank you."),
                )
                return redirect("enterprises:statfiling_detail", pk=pk)
        return self._page(request, filing, form)
