"""Login, logout, home, park switcher, personal API tokens, background job progress."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.templatetags.static import static
from django.urls import reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRedirect

from core import tokens
from core.choices import JobStatus
from core.forms_account import LoginForm, TokenForm
from core.jobs import job_rerun
from core.models import ApiToken, BackgroundJob, User
from core.registry import parkops_apps
from core.selectors import switchable_parks

__all__ = [
    "LoginView",
    "PasswordChange",
    "favicon",
    "home",
    "job_detail",
    "notifications_page",
    "switch_park",
    "token_revoke",
    "tokens_page",
]


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)  # the views below are all behind login_required


class LoginView(auth_views.LoginView):
    template_name = "core/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico whatever the page says; point them at the static file
    (resolved per request: the manifest of hashed names exists only after collectstatic)."""
    return HttpResponsePermanentRedirect(static("core/favicon.svg"))


@login_required
def home(request: HttpRequest) -> HttpResponse:
    cards, todos = [], []
    park = request.session.get("park") or None
    for config in parkops_apps():
        todos.extend(config.home_todos(_user(request), park))
        cards.extend(config.home_cards(_user(request), park))
    return render(request, "core/home.html", {"cards": cards, "todos": todos})


@require_POST
@login_required
def switch_park(request: HttpRequest) -> HttpResponse:
    code = request.POST.get("switch_park", "")
    if code and code not in {c for c, _name in switchable_parks(_user(request))}:
        raise Http404
    request.session["park"] = code
    target = request.POST.get("next", "/")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}):
        target = "/"
    return redirect(target)


@login_required
def tokens_page(request: HttpRequest) -> HttpResponse:
    new_key = None
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        token, new_key = tokens.token_create(actor=_user(request), name=form.cleaned_data["name"])
        messages.success(
            request,
            _("Token “%(name)s” created. Copy it now: it is shown only once.")
            % {"name": token.name},
        )
        form = TokenForm()
    return render(
        request,
        "core/tokens.html",
        {
            "form": form,
            "new_key": new_key,
            "tokens": ApiToken.objects.filter(user=_user(request)),
        },
    )


@require_POST
@login_required
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=pk, user=_user(request))
    tokens.token_revoke(actor=_user(request), token=token)
    messages.success(request, _("Token “%(name)s” revoked.") % {"name": token.name})
    return redirect("core:tokens")


@login_required
def notifications_page(request: HttpRequest) -> HttpResponse:
    """Everything that waited for the user, newest first; opening the page reads them."""
    from core.notifications import mark_read

    items = list(_user(request).notifications.all()[:100])
    mark_read(_user(request))
    return render(request, "core/notifications.html", {"items": items})


@login_required
def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_object_or_404(BackgroundJob, pk=pk, user=_user(request))
    job.fail_if_stale()  # a worker killed mid-way leaves no job "running" for ever
    context: dict[str, Any] = {"job": job}
    if request.htmx:  # type: ignore[attr-defined]
        if job.status == JobStatus.DONE and job.result.get("open_when_done"):
            return HttpResponseClientRedirect(job.result["url"])  # e.g. the dry run's result
        return render(request, "core/partials/job_progress.html", context)
    return render(request, "core/job.html", context)


@login_required
@require_POST
def job_rerun_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Run a failed job again from the same file or selection."""
    job = get_object_or_404(BackgroundJob, pk=pk, user=_user(request), status=JobStatus.FAILED)
    try:
        again = job_rerun(actor=request.user, job=job)
    except ValueError as exc:
        raise Http404 from exc
    return redirect("core:job_detail", again.pk)


class PasswordChange(auth_views.PasswordChangeView):
    """Change one's own password, in the product's layout; the session stays signed in."""

    template_name = "core/password_change.html"

    def get_success_url(self) -> str:
        return str(reverse_lazy("core:home"))

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        messages.success(self.request, _("Your password is changed."))
        return response


class ProfileForm(forms.Form):
    display_name = forms.CharField(
        label=gettext_lazy("display name"), max_length=100, required=False
    )
    email = forms.EmailField(label=gettext_lazy("email address"), required=False)


@login_required
def profile_page(request: HttpRequest) -> HttpResponse:
    """One's own account: who one is and in which scope (read only), name and e-mail (edited)."""
    from core.scopes import role_scope
    from core.users import profile_update

    user = _user(request)
    form = ProfileForm(
        request.POST or None, initial={"display_name": user.display_name, "email": user.email}
    )
    if request.method == "POST" and form.is_valid():
        try:
            profile_update(actor=user, **form.cleaned_data)
            messages.success(request, _("Your profile is saved."))
            return redirect("core:profile")
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
    scope = role_scope(user.role)
    facts: list[tuple[Any, Any]] = [
        (gettext_lazy("username"), user.username),
        (gettext_lazy("role"), user.get_role_display()),
        (gettext_lazy("operator"), user.operator or "—"),
        (gettext_lazy("jurisdiction"), user.jurisdiction or "—"),
    ]
    if scope is not None:
        facts.append((scope.label, scope.value_of(user) or "—"))
    facts.append((gettext_lazy("last sign-in"), user.last_login))
    return render(request, "core/profile.html", {"form": form, "facts": facts})
