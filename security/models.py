"""What the security controls keep: past password hashes (no reuse of the last five), the
signed-in sessions of each user (listed on the account page, ended all at once), and the
support grants that let a platform admin reach one operator's business data for a while."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.choices import Role
from core.models import Operator
from core.permissions import READ, Policy, RestrictedQuerySet

__all__ = ["PasswordHistory", "SecuritySettings", "SignInSession", "SupportGrant"]


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

    str_related = ("user",)  # the relations __str__ reads: lists join them

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

    str_related = ("user",)  # the relations __str__ reads: lists join them

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


class SupportGrantQuerySet(RestrictedQuerySet):
    def in_force(self) -> SupportGrantQuerySet:
        """Grants not revoked and not yet expired: the ones that open an operator's data."""
        return self.filter(revoked_at__isnull=True, expires_at__gt=timezone.now())


def _own_grants(user: Any) -> Q:
    return Q(admin=user)


class SupportGrant(models.Model):
    """Operator staff (the data's owner) let one platform admin read and write their
    operator's business data until ``expires_at``, for a stated reason; revoked at any time.
    Outside a live grant the admin manages users and platform rules and sees no business
    record (GB/T 22239-2019 8.1.4.2: the system administrator apart from the data)."""

    admin = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("platform admin"),
        on_delete=models.PROTECT,
        related_name="support_grants",
        limit_choices_to={"role": Role.ADMIN, "is_active": True},
    )
    operator = models.ForeignKey(
        Operator, verbose_name=_("operator"), on_delete=models.PROTECT, related_name="+"
    )
    reason = models.CharField(_("reason"), max_length=200)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("granted by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        help_text=_("Empty when granted from the command line (manage.py support_grant)."),
    )
    granted_at = models.DateTimeField(_("granted at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"))
    revoked_at = models.DateTimeField(
        pgettext_lazy("support grant", "revoked at"), null=True, blank=True
    )
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("revoked by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )

    objects = SupportGrantQuerySet.as_manager()
    # staff give and revoke their operator's grants; the admin reads their own; the auditor
    # reads every grant beside the audit log
    policy = Policy(
        grants={Role.OPERATOR: frozenset({"view", "add", "change"}), Role.AUDITOR: READ},
        operator="operator",
        unscoped_roles=frozenset({Role.AUDITOR}),
        scopes={Role.ADMIN: _own_grants},
        admin_actions=READ,
    )

    class Meta:
        verbose_name = _("support grant")
        verbose_name_plural = _("support grants")
        ordering = ["-granted_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_at__gt=models.F("granted_at")),
                name="support_grant_expires_after_granted",
            )
        ]

    str_related = ("admin", "operator")  # the relations __str__ reads: lists join them

    def __str__(self) -> str:
        return f"{self.admin} → {self.operator}"

    @property
    def live(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()
