"""Pages of the admission workflow: board, inbox, application page with its panels,
thresholds and settings."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from admissions import filters, forms, services
from admissions.choices import AppState, Side
from admissions.models import AdmissionSettings, Application, RiskAssessment, ThresholdRule
from admissions.risk import FACTOR_LABELS, YES_NO
from admissions.selectors import board, inbox, match_units
from core.choices import Role
from core.dates import term_end
from core.errors import ConflictError
from core.forms import errors_as_text
from core.permissions import SHOW, field_access, get_restricted_or_404
from core.tables import Column
from core.views import ObjectDeleteView, ObjectDetailView, ObjectEditView, ObjectListView, Tab
from core.views.generic import ScopedView
from leasing.models import Lease
from spaces.choices import UnitStatus
from spaces.models import Unit


def _may(model: Any, action: str) -> Any:
    """A tab's ``visible``: the roles the model's policy grants the action."""
    return lambda user: model.policy.allows_role(user, action)


def _screening(request: HttpRequest, app: Application) -> dict[str, Any]:
    results = list(app.screening_results.all())
    return {"results": results, "failed": sum(1 for r in results if not r.passed)}


def _risk(request: HttpRequest, app: Application) -> dict[str, Any]:
    assessment = getattr(app, "risk", None) if hasattr(app, "risk") else None
    rows = []
    if assessment is not None:
        rows = [
            {
                **f,
                "label": FACTOR_LABELS.get(f["key"], f["key"]),
                "value": YES_NO.get(f["value"], f["value"]),
            }
            for f in assessment.factors
        ]
    initial = {}
    if assessment is not None:
        initial = {k: getattr(assessment, k) for k in forms.RiskForm.base_fields}
    return {
        "assessment": assessment,
        "factor_rows": rows,
        "risk_details": field_access(request.user, RiskAssessment, "factors") == SHOW,
        "risk_form": forms.RiskForm(initial=initial)
        if app.state == AppState.RISK and RiskAssessment.policy.allows_role(request.user, "add")
        else None,
    }


def _reviews(request: HttpRequest, app: Application) -> dict[str, Any]:
    user: Any = request.user
    may_review = app.state == AppState.REVIEW and user.role in (Role.GOV, Role.OPERATOR)
    settings = AdmissionSettings.for_operator(app.park.operator)
    reviews = list(app.reviews.select_related("reviewer", "answered_by"))
    return {
        "reviews": reviews,
        "review_form": forms.ReviewForm() if may_review else None,
        "hard_failed": [r for r in app.screening_results.all() if r.hard and not r.passed],
        "may_answer": app.state == AppState.REVIEW and services.may_answer(user, app),
        "quorum": {
            Side.GOV: settings.gov_approvals_required,
            Side.OPERATOR: settings.operator_approvals_required,
        },
    }


def _matches(request: HttpRequest, app: Application) -> dict[str, Any]:
    start = app.move_in_on or timezone.localdate()
    convertible = app.state == AppState.APPROVED and Lease.policy.allows_role(request.user, "add")
    return {
        "matches": match_units(app, request.user),
        "convertible": convertible,
        "park_units": Unit.objects.restrict(request.user)
        .filter(park=app.park_id)
        .exclude(status=UnitStatus.NOT_LEASABLE)
        .order_by("code")
        if convertible
        else [],
        "default_start": start,
        "default_end": term_end(start, 36),  # a three-year lease unless changed
    }


class ApplicationList(ObjectListView):
    model = Application
    filterset_class = filters.ApplicationFilter
    default_order = "-created_at"
    select_related = ("enterprise", "park")
    columns = [
        Column("enterprise", link=True),
        Column("park"),
        Column("channel"),
        Column("state"),
        Column("area_min_m2", numeric=True),
        Column("created_at", sortable=True),
        Column("updated_at", sortable=True),
    ]


class ApplicationDetail(ObjectDetailView):
    model = Application
    template_name = "admissions/application_detail.html"
    fields = [
        "enterprise",
        "park",
        "channel",
        "state",
        "created_by",
        "description",
        *forms.REQUIREMENTS,
        *forms.COMMITMENTS,
        "submitted_at",
        "decided_at",
    ]
    tabs = [
        Tab(
            "screening",
            gettext_lazy("Threshold screening"),
            "admissions/partials/screening.html",
            context=_screening,
        ),
        Tab(
            "risk",
            gettext_lazy("Risk assessment"),
            "admissions/partials/risk.html",
            context=_risk,
            visible=_may(RiskAssessment, "view"),
        ),
        Tab(
            "reviews",
            gettext_lazy("Joint review"),
            "admissions/partials/reviews.html",
            context=_reviews,
        ),
        Tab(
            "matching",
            gettext_lazy("Space matching"),
            "admissions/partials/matching.html",
            context=_matches,
            visible=_may(Unit, "view"),  # the units the user may see (the layer decides)
        ),
    ]

    def extra_context(self, request: HttpRequest, obj: Application) -> dict[str, Any]:
        return {
            "transitions": services.allowed_transitions(request.user, obj),
            "lease": obj.lease,
            "states": [
                (v, label)
                for v, label in AppState.choices
                if v not in (AppState.WITHDRAWN, AppState.REJECTED, AppState.CONVERTED)
                or v == obj.state
            ],
            "can_change": services.may_edit(request.user, obj),
            "can_delete": services.may_edit(request.user, obj),
            "breadcrumbs": [(gettext_lazy("Admissions"), reverse("admissions:board")), (obj, None)],
        }


class ApplicationEdit(ObjectEditView):
    model = Application
    form_class = forms.ApplicationForm
    create = services.application_create
    update = services.application_update
    refusal = services.application_edit_refusal

    def create_kwargs(self, form: Any) -> dict[str, Any]:
        return {"new_enterprise": form.new_enterprise()}


class ApplicationDelete(ObjectDeleteView):
    model = Application
    delete = services.application_delete


class ApplicationAction(ScopedView):
    """POST-only endpoints of the application page: a transition, a risk assessment, a
    review. Each calls its service; a refusal comes back as a message on the page."""

    model = Application
    action = "view"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        app = get_restricted_or_404(Application, request.user, "view", pk=pk)
        tab = "overview"
        try:
            tab = self.perform(request, app) or tab
        except ConflictError as exc:
            messages.error(request, exc.message)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return redirect(reverse("admissions:application_detail", args=[pk]) + f"?tab={tab}")

    def perform(self, request: HttpRequest, app: Application) -> str | None:
        raise NotImplementedError


class TransitionView(ApplicationAction):
    def perform(self, request: HttpRequest, app: Application) -> str | None:
        services.application_transition(
            actor=request.user,
            application=app,
            action=request.POST.get("action", ""),
            comment=request.POST.get("comment", "")[:500],
        )
        messages.success(
            request,
            _("Done: the application is now %(state)s.")
            % {"state": Application.objects.get(pk=app.pk).get_state_display()},
        )
        return (
            "screening" if request.POST.get("action") in ("start_screening", "rescreen") else None
        )


class RiskView(ApplicationAction):
    def perform(self, request: HttpRequest, app: Application) -> str | None:
        form = forms.RiskForm(request.POST)
        if not form.is_valid():
            messages.error(request, errors_as_text(form))
            return "risk"
        result = services.risk_assess(actor=request.user, application=app, **form.cleaned_data)
        messages.success(
            request,
            _("Risk assessed: %(score)s points, grade %(grade)s.")
            % {"score": result.score, "grade": result.grade},
        )
        return "risk"


class ReviewView(ApplicationAction):
    def perform(self, request: HttpRequest, app: Application) -> str | None:
        form = forms.ReviewForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Choose a decision."))
            return "reviews"
        services.review_record(actor=request.user, application=app, **form.cleaned_data)
        messages.success(request, _("Your review is recorded."))
        return "reviews"


class AnswerView(ApplicationAction):
    """The applicant (or the park's staff) answers a reviewer's information request."""

    def perform(self, request: HttpRequest, app: Application) -> str | None:
        form = forms.AnswerForm(request.POST)
        if not form.is_valid():
            messages.error(request, errors_as_text(form))
            return "reviews"
        review = get_object_or_404(app.reviews, pk=form.cleaned_data["review"])
        services.info_answer(actor=request.user, review=review, answer=form.cleaned_data["answer"])
        messages.success(request, _("Your answer is sent to the reviewer."))
        return "reviews"


class WithdrawView(ApplicationAction):
    """The reviewer who asked for information withdraws the request."""

    def perform(self, request: HttpRequest, app: Application) -> str | None:
        review = get_object_or_404(app.reviews, pk=request.POST.get("review") or 0)
        services.info_withdraw(actor=request.user, review=review)
        messages.success(request, _("Your information request is withdrawn."))
        return "reviews"


class RulesView(LoginRequiredMixin, TemplateView):
    """联审规则: how the joint review decides, in words, with the quorums in force."""

    template_name = "admissions/rules.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        settings = AdmissionSettings.objects.restrict(self.request.user).select_related("operator")
        return {**super().get_context_data(**kwargs), "settings_list": settings}


class ConvertView(ApplicationAction):
    """Turn an approved application into a draft lease of one of the matched unit runs."""

    def perform(self, request: HttpRequest, app: Application) -> str | None:
        data = request.POST.copy()
        if data.getlist("unit"):  # the picker of other units sends one value per unit
            data["units"] = ",".join(data.getlist("unit"))
        form = forms.ConvertForm(data)
        if not form.is_valid():
            messages.error(request, errors_as_text(form))
            return "matching"
        ids = form.cleaned_data["units"]
        units = list(Unit.objects.restrict(request.user).filter(pk__in=ids).select_related("park"))
        if len(units) != len(ids):
            messages.error(request, _("Choose units from the matches shown."))
            return "matching"
        services.application_convert(
            actor=request.user,
            application=app,
            units=units,
            start_on=form.cleaned_data["start_on"],
            end_on=form.cleaned_data["end_on"],
            rent_per_m2_day=form.cleaned_data["rent_per_m2_day"],
            deviation_reason=form.cleaned_data["deviation_reason"],
        )
        messages.success(
            request,
            _("A draft lease was created; check its terms and activate it on the lease page."),
        )
        return "overview"


class BoardView(ScopedView):
    model = Application

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(
            request,
            "admissions/board.html",
            {
                "columns": board(request.user),
                "can_add": Application.policy.allows_role(request.user, "add"),
            },
        )


class InboxView(ScopedView):
    model = Application

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, "admissions/inbox.html", {"items": inbox(request.user)[:200]})


class ThresholdList(ObjectListView):
    model = ThresholdRule
    filterset_class = filters.ThresholdFilter
    default_order = "pk"
    select_related = ("park",)
    columns = [
        Column("park"),
        Column("kind", link=True),
        Column("items"),
        Column("value", numeric=True),
        Column("is_active"),
    ]


class ThresholdDetail(ObjectDetailView):
    model = ThresholdRule
    fields = ["park", "kind", "items", "value", "is_active"]


class ThresholdEdit(ObjectEditView):
    model = ThresholdRule
    form_class = forms.ThresholdForm
    create = services.threshold_create
    update = services.threshold_update


class ThresholdDelete(ObjectDeleteView):
    model = ThresholdRule
    delete = services.threshold_delete


class SettingsList(ObjectListView):
    model = AdmissionSettings
    filterset_class = filters.SettingsFilter
    default_order = "pk"
    select_related = ("operator",)
    columns = [
        Column("operator", link=True),
        Column("gov_approvals_required", numeric=True),
        Column("operator_approvals_required", numeric=True),
        Column("separation_of_duties"),
    ]


class SettingsDetail(ObjectDetailView):
    model = AdmissionSettings
    fields = [
        "operator",
        "weights",
        "gov_approvals_required",
        "operator_approvals_required",
        "separation_of_duties",
    ]


class SettingsEdit(ObjectEditView):
    model = AdmissionSettings
    form_class = forms.SettingsForm
    update = services.settings_update
