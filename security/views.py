"""安全合规 (the controls and their settings), one's own sign-ins and sessions, and two-factor sign-in (set up, the second step of signing in, the admin's reset).

Pages about a model (the log's check, the settings, a user) are scoped views, so the authorization
matrix checks them; one's own account pages open for every signed-in user."""

from __future__ import annotations

import datetime
from base64 import b32encode
from typing import Any

import qrcode
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django_otp.plugins.otp_totp.models import TOTPDevice
from qrcode.image.svg import SvgPathImage

from core import audit
from core.choices import AuditAction, Role
from core.documents import xlsx_response
from core.models import AuditEntry, User
from core.permissions import get_restricted_or_404
from core.views.audit import SECURITY_EVENTS
from core.views.generic import ScopedView
from security import personal, services
from security.controls import controls
from security.models import SecuritySettings, SignInSession

__all__ = [
    "Compliance",
    "PersonalData",
    "SettingsSave",
    "UserTwoFactorReset",
    "VerifyChain",
    "account_security",
    "sign_ins_of",
    "two_factor",
    "two_factor_verify",
]

SIGN_IN_EVENTS = [
    AuditAction.LOGIN,
    AuditAction.LOGOUT,
    AuditAction.LOGIN_FAILED,
    AuditAction.LOCKOUT,
]


def sign_ins_of(user: Any, limit: int = 50) -> Any:
    """A user's sign-in history: successes, failures, lockouts, sign-outs, newest first."""
    return AuditEntry.objects.filter(
        action__in=SIGN_IN_EVENTS,
        content_type__app_label="core",
        content_type__model="user",
        object_id=str(user.pk),
    ).order_by("-at")[:limit]


class SettingsForm(forms.Form):
    two_factor_roles = forms.MultipleChoiceField(
        label=gettext_lazy("Roles that must use two-factor sign-in"),
        choices=Role.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class Compliance(ScopedView):
    """Each control, how it is met, its setting; recent failures and lockouts."""

    model = AuditEntry

    def get(self, request: HttpRequest) -> HttpResponse:
        since = timezone.now() - datetime.timedelta(days=7)
        recent = AuditEntry.objects.filter(
            action__in=[AuditAction.LOCKOUT, AuditAction.LOGIN_FAILED], at__gte=since
        ).order_by("-at")[:20]
        counts = {
            "events_7d": AuditEntry.objects.filter(
                action__in=SECURITY_EVENTS, at__gte=since
            ).count(),
            "sessions": SignInSession.objects.count(),
            "unsealed": AuditEntry.objects.filter(seq__isnull=True).count(),
        }
        current = SecuritySettings.current()
        return render(
            request,
            "security/compliance.html",
            {
                "controls": controls(),
                "recent": recent,
                "counts": counts,
                "settings_form": SettingsForm(
                    initial={"two_factor_roles": current.two_factor_roles}
                ),
                "required_roles": "、".join(
                    str(label) for value, label in Role.choices if value in current.two_factor_roles
                ),
                "can_change": SecuritySettings.policy.allows_role(request.user, "change"),  # type: ignore[attr-defined]
            },
        )


class VerifyChain(ScopedView):
    """Recompute the audit log's hash chain now and say what was found."""

    model = AuditEntry

    def post(self, request: HttpRequest) -> HttpResponse:
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


class SettingsSave(ScopedView):
    model = SecuritySettings
    action = "change"

    def post(self, request: HttpRequest) -> HttpResponse:
        form = SettingsForm(request.POST)
        if form.is_valid():
            services.settings_update(
                actor=request.user, two_factor_roles=form.cleaned_data["two_factor_roles"]
            )
            messages.success(request, _("Security settings saved."))
        return redirect("security:compliance")


class UserTwoFactorReset(ScopedView):
    """The platform admin removes a user's authenticator (a lost phone)."""

    model = User
    action = "change"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        user = get_restricted_or_404(User, request.user, "change", pk=pk)
        services.two_factor_reset(actor=request.user, user=user)
        messages.success(
            request, _("The user sets up two-factor sign-in again at the next sign-in.")
        )
        return redirect(reverse("core:user_detail", args=[pk]) + "?tab=security")


@login_required
def account_security(request: HttpRequest) -> HttpResponse:
    """One's own sign-in history and signed-in sessions; POST signs out everywhere else."""
    if request.method == "POST":
        ended = services.sessions_end_all(
            actor=request.user, user=request.user, keep=request.session.session_key
        )
        messages.success(request, _("Signed out of %(n)s other sessions.") % {"n": ended})
        return redirect("security:account")
    return render(
        request,
        "security/account.html",
        {
            "history": sign_ins_of(request.user, 30),
            "sessions": SignInSession.objects.filter(user_id=request.user.pk or 0),
            "current": request.session.session_key,
        },
    )


class CodeForm(forms.Form):
    code = forms.CharField(
        label=pgettext_lazy("two-factor sign-in", "Code"),
        max_length=16,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )


def _qr_svg(url: str) -> str:
    """The QR code as inline SVG (one path: namespaced elements would not draw inside HTML)."""
    image = qrcode.make(url, image_factory=SvgPathImage, box_size=10, border=2)
    text = image.to_string(encoding="unicode")
    return text[text.index("<svg") :]


def _base32(device: TOTPDevice) -> str:
    text = b32encode(device.bin_key).decode()
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


@login_required
def two_factor(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator app (scan, enter a code, keep the recovery codes); once set
    up, renew the recovery codes or, where the role allows, turn it off (POST ``do``)."""
    user = request.user
    required = services.two_factor_required(user)
    context: dict[str, Any] = {"required": required, "form": CodeForm()}
    if services.has_two_factor(user):
        do = request.POST.get("do") if request.method == "POST" else None
        if do == "codes":
            context["codes"] = services.recovery_codes_renew(user)
        elif do == "remove":
            if required:
                messages.error(request, _("Your role must sign in with a second factor."))
            else:
                services.two_factor_reset(actor=user, user=user)
                request.session[services.OTP_ENROLLED] = False
                messages.success(request, _("Two-factor sign-in is off."))
            return redirect("security:two_factor")
        return render(request, "security/two_factor.html", {**context, "enrolled": True})

    device = TOTPDevice.objects.filter(user_id=user.pk or 0, confirmed=False).first()
    if request.method == "POST" and device is not None:
        form = CodeForm(request.POST)
        if form.is_valid():
            codes = services.totp_confirm(request, user, device, form.cleaned_data["code"])
            if codes is not None:
                messages.success(request, _("Two-factor sign-in is on."))
                return render(
                    request,
                    "security/two_factor.html",
                    {**context, "enrolled": True, "codes": codes},
                )
            form.add_error(
                "code", _("The code is wrong or has expired: enter the 6 digits shown now.")
            )
        context["form"] = form
    else:
        device = services.totp_start(user)
    context.update(device=device, qr=_qr_svg(device.config_url), secret=_base32(device))
    return render(request, "security/two_factor.html", context)


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
        wait = services.two_factor_wait(request.user)
        form.add_error(
            "code",
            _(
                "The code was not accepted. After a wrong code the next is checked only "
                "%(seconds)d s later (against guessing): wait, then enter the 6 digits your "
                "authenticator shows."
            )
            % {"seconds": wait}
            if wait
            else _(
                "The code is wrong: enter the 6 digits your authenticator shows, or a recovery code."
            ),
        )
    return render(request, "security/two_factor_verify.html", {"form": form, "next": target})


class SubjectForm(forms.Form):
    phone = forms.CharField(label=gettext_lazy("Phone number"), max_length=30, required=False)
    email = forms.EmailField(label=gettext_lazy("E-mail"), required=False)
    purpose = forms.CharField(
        label=gettext_lazy("Purpose"),
        max_length=200,
        help_text=gettext_lazy("Why this person's data is looked up, e.g. the request's number."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("phone") and not data.get("email"):
            raise forms.ValidationError(
                _("Enter the person's phone number or e-mail address (or both).")
            )
        return data


class PersonalData(ScopedView):
    """A data-subject request: find a person's records, export them, or erase them."""

    model = SecuritySettings
    action = "change"  # the platform admin's

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, "security/personal_data.html", {"form": SubjectForm()})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = SubjectForm(request.POST)
        if not form.is_valid():
            return render(request, "security/personal_data.html", {"form": form})
        subject = {k: form.cleaned_data[k] for k in ("phone", "email", "purpose")}
        do = request.POST.get("do")
        if do == "export":
            content = personal.request_export(actor=request.user, **subject)
            return xlsx_response(content, "personal-data.xlsx")
        if do == "erase":
            count = personal.request_erase(actor=request.user, **subject)
            messages.success(request, _("%(n)s records erased.") % {"n": count})
            return redirect("security:personal_data")
        found = personal.request_find(actor=request.user, **subject)
        groups = [
            {
                "label": group.model._meta.verbose_name_plural,
                "headers": group.labels,
                "rows": [(row, [getattr(row, n) for n in group.fields]) for row in group.rows],
                "edit": _edit_url_name(group.model),
            }
            for group in found
        ]
        return render(
            request,
            "security/personal_data.html",
            {"form": form, "groups": groups, "searched": True},
        )


def _edit_url_name(model: type[Any]) -> str | None:
    """The record's own edit page, where a correction is made (None if it has none)."""
    from django.urls import NoReverseMatch

    name = f"{model._meta.app_label}:{model._meta.model_name}_edit"
    try:
        reverse(name, args=[1])
    except NoReverseMatch:
        return None
    return name
