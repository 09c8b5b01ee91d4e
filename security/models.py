"""What the security controls keep: past password hashes (no reuse of the last five) and the
signed-in sessions of each user (listed on the account page, ended all at once)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.permissions import Policy, RestrictedQuerySet

__all__ = ["PasswordHistory", "SecuritySettings", "SignInSession"]


class PasswordHistory(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="password_history"
    )
    password = models.CharField(max_length=128)  # the hash, as User.password holds it
    changed_at = models.DateTimeField(auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()
    policy = Policy()  # the admin's only; no page shows it

    class Meta:
        ordering = ["-changed_at", "-id"]
        verbose_name = _("password history")
        verbose_name_plural = _("password history")

    def __str__(self) -> str:
        return f"{self.user} {self.changed_at:%Y-%m-%d}"


class SignInSession(models.Model):
    """One signed-in browser session: where and on what it started, when it was last used."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="sign_in_sessions",
    )
    session_key = models.CharField(max_length=40, unique=True)
    started_at = models.DateTimeField(_("signed in"), auto_now_add=True)
    last_seen = models.DateTimeField(_("last active"), auto_now_add=True)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    device = models.CharField(_("device"), max_length=200, blank=True)

    objects = RestrictedQuerySet.as_manager()
    policy = Policy()
    # rows a sign-in writes (the authorization matrix signs in between its before and after)
    written_by_sign_in = True

    class Meta:
        ordering = ["-last_seen", "-id"]
        verbose_name = _("signed-in session")
        verbose_name_plural = _("signed-in sessions")

    def __str__(self) -> str:
        return f"{self.user} {self.device or self.ip or ''}".strip()


def _default_two_factor_roles() -> list[str]:
    return ["admin", "gov"]  # 等保 2.0 level 3: privileged and reviewing accounts


class SecuritySettings(models.Model):
    """The platform admin's security choices (one row): which roles must sign in with a
    second factor."""

    two_factor_roles: models.JSONField[list[str]] = models.JSONField(
        _("roles that must use two-factor sign-in"), default=_default_two_factor_roles
    )

    objects = RestrictedQuerySet.as_manager()
    policy = Policy()  # the platform admin's; the auditor reads it on the 安全合规 page

    class Meta:
        verbose_name = _("security settings")
        verbose_name_plural = _("security settings")

    def __str__(self) -> str:
        return str(_("security settings"))

    @classmethod
    def current(cls) -> SecuritySettings:
        return cls.objects.order_by("pk").first() or cls()
