"""安全合规 (the controls and their settings), the audit log, and one's own sign-ins and
sessions."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core import audit
from core.choices import AuditAction, Role
from core.models import AuditEntry
from core.tables import Column
from core.views.generic import ObjectListView
from security import services
from security.controls import controls
from security.filters import SECURITY_EVENTS, AuditFilter
from security.models import SignInSession

__all__ = [
    "AuditLog",
    "account_security",
    "compliance",
    "end_other_sessions",
    "settings_save",
    "two_factor",
    "two_factor_codes",
    "two_factor_remove",
    "two_factor_verify",
    "user_two_factor_reset",
    "verify_chain",
]

SIGN_IN_EVENTS = [
    AuditAction.LOGIN,
    AuditAction.LOGOUT,
    AuditAction.LOGIN_FAILED,
    AuditAction.LOCKOUT,
]


def _may_audit(request: HttpRequest) -> None:
    if not AuditEntry.policy.allows_role(request.user, "view"):  # type: ignore[attr-defined]
        raise Http404


def _record(entry: AuditEntry) -> str:
    model = entry.content_type.model_class()
    kind = str(model._meta.verbose_name) if model is not None else entry.content_type.model
    return f"{kind}：{entry.object_repr}"


def _changes(entry: AuditEntry) -> str:
    rows = entry.change_rows()
    shown = "；".join(f"{label}: {old or '—'} → {new or '—'}" for label, old, new in rows[:4])
    return shown + ("…" if len(rows) > 4 else "") or entry.comment


class AuditLog(ObjectListView):
    """Every audit entry, newest first: business changes and security events."""

    model = AuditEntry
    filterset_class = AuditFilter
    default_order = "-at"
    page_size = 50
    select_related = ("content_type",)
    template_name = "security/audit_log.html"
    columns = [
        Column("at", sortable=True),
        Column("actor_name", label=gettext_lazy("Actor")),
        Column("action"),
        Column("record", label=gettext_lazy("Record"), render=_record),
        Column("changes", label=gettext_lazy("Changes"), render=_changes),
        Column("ip"),
        Column("seq", label=gettext_lazy("Chain position")),
    ]

    def url(self, verb: str, *args: Any) -> str:
        return reverse(f"security:audit_{verb}", args=args)


@login_required
def compliance(request: HttpRequest) -> HttpResponse:
    _may_audit(request)
    since = timezone.now() - datetime.timedelta(days=7)
    recent = AuditEntry.objects.filter(
        action__in=[AuditAction.LOCKOUT, AuditAction.LOGIN_FAILED], at__gte=since
    ).order_by("-at")[:20]
    counts = {
        "events_7d": AuditEntry.objects.filter(action__in=SECURITY_EVENTS, at__gte=since).count(),
        "sessions": SignInSession.objects.count(),
        "unsealed": AuditEntry.objects.filter(seq__isnull=True).count(),
    }
    from security.models import SecuritySettings

    current = SecuritySettings.current()
    return render(
        request,
        "security/compliance.html",
        {
            "controls": controls(),
            "recent": recent,
            "counts": counts,
            "settings_form": SettingsForm(initial={"two_factor_roles": current.two_factor_roles}),
            "can_change": SecuritySettings.policy.allows_role(request.user, "change"),  # type: ignore[attr-defined]
        },
    )


@require_POST
@login_required
def verify_chain(request: HttpRequest) -> HttpResponse:
    """Recompute the audit log's hash chain now and say what was found."""
    _may_audit(request)
    checked, broken = audit.verify()
    if broken is None:
        messages.success(
            request, _("The audit chain holds: %(n)s entries verified.") % {"n": checked}
        )
    else:
        messages.error(
            request,
            _(
                "The audit chain is broken at entry #%(id)s (%(reason)s): it was altered, "
                "removed or inserted outside the product."
            )
            % {"id": broken.entry_id, "reason": broken.reason},
        )
    return redirect("security:compliance")


@login_required
def account_security(request: HttpRequest) -> HttpResponse:
    """One's own sign-in history and signed-in sessions."""
    history = AuditEntry.objects.filter(
        action__in=SIGN_IN_EVENTS,
        content_type__app_label="core",
        content_type__model="user",
        object_id=str(request.user.pk),
    ).order_by("-at")[:30]
    sessions = SignInSession.objects.filter(user_id=request.user.pk or 0)
    return render(
        request,
        "security/account.html",
        {"history": history, "sessions": sessions, "current": request.session.session_key},
    )


@require_POST
@login_required
def end_other_sessions(request: HttpRequest) -> HttpResponse:
    ended = services.sessions_end_all(
        actor=request.user, user=request.user, keep=request.session.session_key
    )
    messages.success(request, _("Signed out of %(n)s other sessions.") % {"n": ended})
    return redirect("security:account")


# --- two-factor sign-in ----------------------------------------------------------------------


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code"),
        max_length=16,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )


def _qr_svg(url: str) -> str:
    from io import BytesIO

    from django_otp.qr import write_qrcode_image

    out = BytesIO()
    write_qrcode_image(url, out)
    return out.getvalue().decode()


@login_required
def two_factor(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator app (scan, enter a code, keep the recovery codes), or see
    that it is set up, renew the recovery codes, remove it where the role allows."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user = request.user
    enrolled = services.has_two_factor(user)
    context: dict[str, Any] = {
        "enrolled": enrolled,
        "required": services.two_factor_required(user),
        "form": CodeForm(),
    }
    if not enrolled:
        device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
        if request.method == "POST" and device is not None:
            form = CodeForm(request.POST)
            if form.is_valid():
                codes = services.totp_confirm(request, user, device, form.cleaned_data["code"])
                if codes is not None:
                    messages.success(request, _("Two-factor sign-in is on."))
                    context.update(enrolled=True, codes=codes)
                    return render(request, "security/two_factor.html", context)
                form.add_error(
                    "code", _("The code is wrong or has expired: enter the 6 digits shown now.")
                )
            context["form"] = form
        else:
            device = services.totp_start(user)
        context.update(
            device=device,
            qr=_qr_svg(device.config_url),
            secret=_base32(device),
        )
    return render(request, "security/two_factor.html", context)


def _base32(device: Any) -> str:
    from base64 import b32encode

    text = b32encode(device.bin_key).decode()
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


@require_POST
@login_required
def two_factor_codes(request: HttpRequest) -> HttpResponse:
    if not services.has_two_factor(request.user):
        raise Http404
    codes = services.recovery_codes_renew(request.user)
    return render(
        request,
        "security/two_factor.html",
        {"enrolled": True, "codes": codes, "required": services.two_factor_required(request.user)},
    )


@require_POST
@login_required
def two_factor_remove(request: HttpRequest) -> HttpResponse:
    if services.two_factor_required(request.user):
        messages.error(request, _("Your role must sign in with a second factor."))
        return redirect("security:two_factor")
    services.two_factor_reset(actor=request.user, user=request.user)
    request.session[services.OTP_ENROLLED] = False
    messages.success(request, _("Two-factor sign-in is off."))
    return redirect("security:two_factor")


@login_required
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    """The second step of signing in."""
    target = request.GET.get("next") or request.POST.get("next") or reverse("core:home")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}):
        target = reverse("core:home")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if services.two_factor_verify(request, request.user, form.cleaned_data["code"]):
            return redirect(target)
        form.add_error(
            "code",
            _(
                "The code is wrong: enter the 6 digits your authenticator shows, or a recovery code."
            ),
        )
    return render(request, "security/two_factor_verify.html", {"form": form, "next": target})


@require_POST
@login_required
def user_two_factor_reset(request: HttpRequest, pk: int) -> HttpResponse:
    """The platform admin removes a user's authenticator (a lost phone)."""
    from core.models import User

    if not User.policy.allows_role(request.user, "change"):  # type: ignore[attr-defined]
        raise Http404
    user = get_object_or_404(User, pk=pk)
    services.two_factor_reset(actor=request.user, user=user)
    messages.success(request, _("The user sets up two-factor sign-in again at the next sign-in."))
    return redirect(reverse("core:user_detail", args=[pk]) + "?tab=security")


class SettingsForm(forms.Form):
    two_factor_roles = forms.MultipleChoiceField(
        label=gettext_lazy("Roles that must use two-factor sign-in"),
        choices=Role.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


@require_POST
@login_required
def settings_save(request: HttpRequest) -> HttpResponse:
    from security.models import SecuritySettings

    if not SecuritySettings.policy.allows_role(request.user, "change"):  # type: ignore[attr-defined]
        raise Http404
    form = SettingsForm(request.POST)
    if form.is_valid():
        services.settings_update(
            actor=request.user, two_factor_roles=form.cleaned_data["two_factor_roles"]
        )
        messages.success(request, _("Security settings saved."))
    return redirect("security:compliance")
