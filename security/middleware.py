"""Session rules on every signed-in page request: the idle timeout and absolute lifetime of
a session (per role), and a password that must be changed first (set by an admin, or past
its age). API calls with a bearer token carry no session and are not touched."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from security import services

__all__ = ["SessionPolicyMiddleware", "idle_minutes", "password_expired"]

LAST_SEEN = "security_last_seen"
REQUIRED = "security_2fa_required"


def per_role(table: dict[str, int], role: str) -> int:
    return table.get(role, table.get("*", 0))


def idle_minutes(user: Any) -> int:
    return per_role(settings.PARKOPS_IDLE_MINUTES, user.role)


def password_expired(user: Any, now: datetime.datetime | None = None) -> bool:
    days = per_role(settings.PARKOPS_PASSWORD_MAX_AGE, user.role)
    changed = user.password_changed_at
    return (
        bool(days)
        and changed is not None
        and (now or timezone.now()) - changed > (datetime.timedelta(days=days))
    )


def _always_open() -> tuple[str, ...]:
    return (reverse("core:logout"), settings.STATIC_URL, "/i18n/", "/jsi18n/")


def _open_paths() -> tuple[str, ...]:
    """Pages a user who must change the password may still open."""
    return (
        *_always_open(),
        reverse("core:password_change"),
        "/api/",  # token clients carry no session; a browser's API call is answered, not redirected
    )


def _go(request: HttpRequest, url: str) -> HttpResponse:
    """A redirect, as htmx needs it for a partial request (a whole page, not a fragment)."""
    if request.headers.get("HX-Request"):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return redirect(url)


class SessionPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and hasattr(request, "session")
            and "_auth_user_id" in request.session
        ):
            ended = self._ended(request, user) or self._second_factor(request, user)
            if ended is not None:
                return ended
            if (
                user.must_change_password or password_expired(user)
            ) and not request.path.startswith(_open_paths()):
                messages.warning(
                    request,
                    _("Please set a new password before you go on.")
                    if user.must_change_password
                    else _("Your password has expired: please set a new one."),
                )
                return _go(request, reverse("core:password_change"))
        return self.get_response(request)

    def _second_factor(self, request: HttpRequest, user: Any) -> HttpResponse | None:
        """A user with an authenticator enters its code before anything else; a user whose
        role must use one and has none sets it up first."""
        if request.path.startswith((*_always_open(), reverse("security:two_factor_verify"))):
            return None
        if request.session.get(services.OTP_ENROLLED):
            if not user.is_verified():
                next_url = urlencode({"next": request.get_full_path()})
                return _go(request, reverse("security:two_factor_verify") + "?" + next_url)
        elif request.session.get(REQUIRED) and not request.path.startswith(
            reverse("security:two_factor")
        ):
            messages.warning(
                request, _("Your role signs in with a second factor: set up an authenticator app.")
            )
            return _go(request, reverse("security:two_factor"))
        return None

    def _ended(self, request: HttpRequest, user: Any) -> HttpResponse | None:
        """Sign out a session idle too long or past its lifetime; else note this request."""
        now = timezone.now()
        session = request.session
        idle = idle_minutes(user)
        last = session.get(LAST_SEEN)
        started = session.get("signed_in_at")
        reason = ""
        if (
            idle
            and last
            and now - datetime.datetime.fromisoformat(last) > datetime.timedelta(minutes=idle)
        ):
            reason = _("You were signed out after %(minutes)s minutes without activity.") % {
                "minutes": idle
            }
        elif started and now - datetime.datetime.fromisoformat(started) > datetime.timedelta(
            hours=settings.PARKOPS_SESSION_HOURS
        ):
            reason = _("Your session reached its %(hours)s-hour limit.") % {
                "hours": settings.PARKOPS_SESSION_HOURS
            }
        if reason:
            # for the sign-out's audit event (security.signals)
            request.logout_reason = reason  # type: ignore[attr-defined]
            logout(request)
            messages.info(request, reason + " " + _("Please sign in again."))
            return _go(
                request,
                reverse("core:login") + "?" + urlencode({"next": request.get_full_path()}),
            )
        if not last or now - datetime.datetime.fromisoformat(last) > services.SEEN_EVERY:
            # once a minute, not on every request: note the activity, and read again whether
            # the role must use a second factor (the admin may have just changed it)
            session[LAST_SEEN] = now.isoformat()
            session[REQUIRED] = services.two_factor_required(user)
            services.session_seen(request)
        return None
