"""The one write path of the security app: sign-in sessions started, seen and ended, every
session of a user ended at once, and the security events they leave in the audit log."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.sessions.backends.base import SessionBase
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.module_loading import import_string

from core import audit
from core.choices import AuditAction
from security.models import SignInSession

__all__ = [
    "client_device",
    "client_ip",
    "locked_out",
    "login_failed",
    "session_ended",
    "session_seen",
    "session_started",
    "sessions_end_all",
]

SEEN_EVERY = datetime.timedelta(minutes=1)  # how often "last active" is written


def client_ip(request: HttpRequest | None) -> str | None:
    """The peer address. A proxy's X-Forwarded-For is not trusted: anyone can send one."""
    return (request.META.get("REMOTE_ADDR") or None) if request is not None else None


def client_device(request: HttpRequest | None) -> str:
    return (request.META.get("HTTP_USER_AGENT", "") if request is not None else "")[:200]


def _event(request: HttpRequest | None, user: Any, action: str, comment: str = "") -> None:
    audit.event(
        actor=user,
        action=action,
        model=get_user_model(),
        object_id=user.pk,
        object_repr=str(user.username),
        comment=comment,
        ip=client_ip(request),
        device=client_device(request),
    )


@transaction.atomic
def session_started(request: HttpRequest, user: Any) -> None:
    """After a successful sign-in: the event, and the session in the user's list."""
    _event(request, user, AuditAction.LOGIN)
    session = getattr(request, "session", None)
    if session is None:
        return
    session["signed_in_at"] = timezone.now().isoformat()
    session[OTP_ENROLLED] = has_two_factor(user)
    if session.session_key is None:
        session.save()
    SignInSession.objects.update_or_create(
        session_key=session.session_key,
        defaults={"user": user, "ip": client_ip(request), "device": client_device(request)},
    )


@transaction.atomic
def session_ended(request: HttpRequest | None, user: Any, reason: str = "") -> None:
    if user is None or not getattr(user, "pk", None):
        return
    _event(request, user, AuditAction.LOGOUT, reason)
    key = getattr(getattr(request, "session", None), "session_key", None)
    if key:
        SignInSession.objects.filter(session_key=key).delete()


def session_seen(request: HttpRequest) -> None:
    """Note the session's last activity, at most once a minute (one UPDATE)."""
    key = request.session.session_key
    if key:
        SignInSession.objects.filter(
            session_key=key, last_seen__lt=timezone.now() - SEEN_EVERY
        ).update(last_seen=timezone.now())


def _by_name(request: HttpRequest | None, username: str, action: str, comment: str = "") -> None:
    """An event about a sign-in by the name as typed (there may be no such user)."""
    user = get_user_model().objects.filter(username=username).first()
    if user is not None:
        _event(request, user, action, comment)
        return
    audit.event(
        actor=None,
        action=action,
        model=get_user_model(),
        object_repr=username,
        comment=comment,
        ip=client_ip(request),
        device=client_device(request),
    )


@transaction.atomic
def login_failed(request: HttpRequest | None, username: str) -> None:
    _by_name(request, username, AuditAction.LOGIN_FAILED)


@transaction.atomic
def locked_out(request: HttpRequest | None, username: str) -> None:
    _by_name(request, username, AuditAction.LOCKOUT, "连续登录失败，锁定 15 分钟")


def _store(session_key: str) -> SessionBase:
    engine = import_string(f"{settings.SESSION_ENGINE}.SessionStore")
    return engine(session_key)  # type: ignore[no-any-return]


@transaction.atomic
def sessions_end_all(*, actor: Any, user: Any, keep: str | None = None) -> int:
    """Sign ``user`` out everywhere (but the session ``keep``, the one asking); returns how
    many sessions ended."""
    ended = 0
    for row in SignInSession.objects.filter(user=user).exclude(session_key=keep or ""):
        _store(row.session_key).delete()
        row.delete()
        ended += 1
    audit.event(
        actor=actor,
        action=AuditAction.LOGOUT,
        model=get_user_model(),
        object_id=user.pk,
        object_repr=str(user.username),
        comment=f"退出其他所有设备：{ended} 个会话",
    )
    return ended


# --- two-factor sign-in (django-otp) -------------------------------------------------------

RECOVERY_CODES = 10
OTP_ENROLLED = "security_otp_enrolled"  # session flag: the user has a confirmed device


def two_factor_required(user: Any) -> bool:
    from security.models import SecuritySettings

    return str(user.role) in SecuritySettings.current().two_factor_roles


def has_two_factor(user: Any) -> bool:
    from django_otp import user_has_device

    return bool(user_has_device(user, confirmed=True))


def totp_start(user: Any) -> Any:
    """A new, unconfirmed authenticator for ``user`` (an earlier unconfirmed one is dropped)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)


@transaction.atomic
def totp_confirm(request: HttpRequest, user: Any, device: Any, token: str) -> list[str] | None:
    """Confirm the authenticator with a code it shows; returns the new recovery codes (shown
    once), or None when the code is wrong."""
    from django_otp import login as otp_login
    from django_otp.plugins.otp_totp.models import TOTPDevice

    if not device.verify_token(token.strip()):
        return None
    TOTPDevice.objects.filter(user=user, confirmed=True).delete()  # one authenticator a user
    device.confirmed = True
    device.save()
    codes = recovery_codes_renew(user)
    otp_login(request, device)
    request.session[OTP_ENROLLED] = True
    audit.record(
        actor=user,
        instance=user,
        action=AuditAction.UPDATE,
        changes={"two_factor": [False, True]},
        comment="启用双因素登录",
    )
    return codes


def recovery_codes_renew(user: Any) -> list[str]:
    from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

    device, _new = StaticDevice.objects.get_or_create(user=user, name="recovery")
    device.confirmed = True
    device.save()
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=c) for c in codes)
    return codes


@transaction.atomic
def two_factor_verify(request: HttpRequest, user: Any, token: str) -> bool:
    """The second step of sign-in: a code from the authenticator or an unused recovery code."""
    from django_otp import login as otp_login
    from django_otp import match_token

    device = match_token(user, token.strip().replace(" ", ""))
    if device is None:
        _event(request, user, AuditAction.LOGIN_FAILED, "动态码错误")
        return False
    otp_login(request, device)
    return True


def two_factor_wait(user: Any) -> int:
    """Seconds until the user's authenticator takes a code again: django-otp refuses every
    code for 1, 2, 4 … seconds after each wrong one (against guessing), the right one too."""
    import math

    from django_otp.models import VerifyNotAllowed
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        return 0
    allowed, data = device.verify_is_allowed()
    if allowed or (data or {}).get("reason") != VerifyNotAllowed.N_FAILED_ATTEMPTS:
        return 0
    factor = device.get_throttle_factor() * 2 ** (device.throttling_failure_count - 1)
    elapsed = (timezone.now() - device.throttling_failure_timestamp).total_seconds()
    return max(1, math.ceil(factor - elapsed))


@transaction.atomic
def two_factor_reset(*, actor: Any, user: Any) -> None:
    """Remove a user's authenticator and recovery codes (a lost phone: the admin's job, or the
    user's own where the role does not require it); audited."""
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    audit.record(
        actor=actor,
        instance=user,
        action=AuditAction.UPDATE,
        changes={"two_factor": [True, False]},
        comment="关闭双因素登录",
    )


@transaction.atomic
def settings_update(*, actor: Any, two_factor_roles: list[str]) -> Any:
    from django.core.exceptions import PermissionDenied

    from security.models import SecuritySettings

    if not SecuritySettings.policy.allows_role(actor, "change"):  # type: ignore[attr-defined]
        raise PermissionDenied
    current = SecuritySettings.current()
    before = sorted(current.two_factor_roles)
    current.two_factor_roles = sorted(two_factor_roles)
    current.save()
    if before != current.two_factor_roles:
        audit.record(
            actor=actor,
            instance=current,
            action=AuditAction.UPDATE,
            changes={"two_factor_roles": [before, current.two_factor_roles]},
        )
    return current
