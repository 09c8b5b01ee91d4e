"""Sign-in, sign-out, failures and lockouts become security events (and sessions)."""

from __future__ import annotations

from typing import Any

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from security import services


@receiver(user_logged_in, dispatch_uid="security.logged_in")
def _logged_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    services.session_started(request, user)


@receiver(user_logged_out, dispatch_uid="security.logged_out")
def _logged_out(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    services.session_ended(request, user, getattr(request, "logout_reason", ""))


@receiver(user_login_failed, dispatch_uid="security.login_failed")
def _login_failed(sender: Any, credentials: dict[str, Any], request: Any = None, **kw: Any) -> None:
    services.login_failed(request, str(credentials.get("username", ""))[:150])


@receiver(user_locked_out, dispatch_uid="security.locked_out")
def _locked_out(sender: Any, request: Any, username: str, **kwargs: Any) -> None:
    services.locked_out(request, str(username or "")[:150])
