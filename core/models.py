"""Platform records: operators, jurisdictions, users and their scopes, API tokens, jobs.

The operator is a scope from the first migration: parks, staff and (later) funds, thresholds
and risk weights belong to one operator, and no operator sees another's.
"""

from __future__ import annotations

import datetime
import hashlib
import secrets
from typing import Any, ClassVar

from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as AuthUserManager
from django.core.cache import caches
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.choices import JobStatus, Role
from core.constraints import validate_constraints
from core.permissions import READ, Policy, RestrictedQuerySet

__all__ = ["ApiToken", "BackgroundJob", "Jurisdiction", "Operator", "TimeStampedModel", "User"]


class TimeStampedModel(models.Model):
    """Base of every business record: when it was created and last changed."""

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    # Fields the audit log leaves out: they change on every save and say nothing.
    audit_exclude: ClassVar[tuple[str, ...]] = ("created_at", "updated_at")

    class Meta:
        abstract = True

    def validate_constraints(self, exclude: Any = None) -> None:
        # check constraints decided in Python, not one query each (core.constraints)
        validate_constraints(self, exclude)

    def derive(self) -> None:
        """Fill fields derived from others; services call it before checking scope or saving."""


class Jurisdiction(TimeStampedModel):
    """A district government's area (e.g. 海淀区); its reviewers see every park in it."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=100)

    objects = RestrictedQuerySet.as_manager()
    policy = Policy()  # managed by platform admins; others see it only through a park

    class Meta:
        verbose_name = _("jurisdiction")
        verbose_name_plural = _("jurisdictions")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Operator(TimeStampedModel):
    """A park operating company; owns parks, staff and (later) funds and settings."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=100)
    # 收款账户: printed on every bill and collection notice of the operator's parks
    account_name = models.CharField(_("account name"), max_length=100, blank=True)
    bank_name = models.CharField(
        _("bank"), max_length=100, blank=True, help_text=_("Bank and branch, e.g. 招商银行北京分行")
    )
    bank_account = models.CharField(
        _("bank account number"),
        max_length=40,
        blank=True,
        validators=[
            RegexValidator(r"^[0-9 ]{8,40}$", _("Digits only (spaces allowed), 8 to 40 of them."))
        ],
    )

    objects = RestrictedQuerySet.as_manager()
    # operator staff keep their own operator's collection account
    policy = Policy(
        grants={Role.OPERATOR: frozenset({"view", "change"}), Role.FUND: READ},
        operator="",
        platform=True,  # the admin creates operators and their users without support
    )

    class Meta:
        verbose_name = _("operator")
        verbose_name_plural = _("operators")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class UserManager(AuthUserManager.from_queryset(RestrictedQuerySet)):  # type: ignore[misc]
    """Django's user manager with the permission layer's ``restrict``."""


class User(AbstractUser):
    """A person with exactly one role; the scope fields that role needs are set, others empty.

    Scopes that live in apps (a tenant user's company) are theirs: see core.scopes."""

    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.TENANT)
    display_name = models.CharField(_("display name"), max_length=100, blank=True)
    operator = models.ForeignKey(
        Operator,
        verbose_name=_("operator"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff",
    )
    jurisdiction = models.ForeignKey(
        Jurisdiction,
        verbose_name=_("jurisdiction"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reviewers",
    )

    # password policy (等保 2.0 身份鉴别): a password an admin set is changed at first sign-in;
    # its age decides expiry where a role's passwords expire (settings.PARKOPS_PASSWORD_MAX_AGE)
    must_change_password = models.BooleanField(_("must change password"), default=False)
    password_changed_at = models.DateTimeField(
        _("password changed"), default=timezone.now, editable=False
    )

    objects: ClassVar[UserManager] = UserManager()
    # users are the platform admin's to manage; a person's name and e-mail are personal
    policy = Policy(personal=frozenset({"display_name", "email", "first_name", "last_name"}))
    # the password hash and login times are not business data for the change log
    audit_exclude: ClassVar[tuple[str, ...]] = (
        "password",
        "last_login",
        "date_joined",
        "password_changed_at",
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.display_name or self.username

    def clean(self) -> None:
        super().clean()
        needs = {
            Role.OPERATOR: ("operator", _("An operator user needs an operator.")),
            Role.FUND: ("operator", _("A fund manager needs an operator.")),
            Role.GOV: ("jurisdiction", _("A government reviewer needs a jurisdiction.")),
        }  # a tenant user's company is enterprises' to check (core.scopes)
        if self.role in needs:
            field, message = needs[Role(self.role)]
            if getattr(self, f"{field}_id") is None:
                raise ValidationError({field: message})

    @property
    def is_platform_admin(self) -> bool:
        return self.role == Role.ADMIN or self.is_superuser

    def erase_personal(self) -> None:
        """A data-subject erasure: the account stays (the audit log and the records it
        signed name it) under a pseudonym, without name or e-mail, and can no longer sign in."""
        self.username = f"erased-{self.pk}"
        self.display_name = self.first_name = self.last_name = self.email = ""
        self.is_active = False
        self.set_unusable_password()
        self.save()

    def set_password(self, raw_password: str | None) -> None:
        """A new password restarts its age and settles a pending "change at first sign-in"
        (the admin's form sets that again when it is the admin who chose the password)."""
        super().set_password(raw_password)
        self.password_changed_at = timezone.now()
        self.must_change_password = False


class ApiToken(models.Model):
    """A personal API token; only its SHA-256 is stored, the key is shown once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("prefix"), max_length=12)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @staticmethod
    def new_key() -> str:
        return "pk_" + secrets.token_urlsafe(32)

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class BackgroundJob(models.Model):
    """Progress of one piece of long work (an import, a report) that a worker runs as a task."""

    kind = models.CharField(_("kind"), max_length=50)
    title = models.CharField(_("title"), max_length=200)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="jobs")
    status = models.CharField(
        _("status"), max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED
    )
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    message = models.TextField(blank=True)
    payload = models.BinaryField(blank=True, default=b"")
    result: models.JSONField[Any] = models.JSONField(default=dict, blank=True)
    # the language of whoever started it: the worker writes the job's messages in it
    language = models.CharField(max_length=10, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    # a running job that has not reported for this long lost its worker (killed, restarted)
    STALE_AFTER = datetime.timedelta(minutes=10)

    class Meta:
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title

    @property
    def progress_key(self) -> str:
        return f"parkops:job:{self.pk}:progress"

    @property
    def progress(self) -> tuple[int, int]:
        """(done, total) as the work last reported it, live while it runs."""
        if not self.finished:
            live = caches["progress"].get(self.progress_key)
            if live is not None:
                return live  # type: ignore[no-any-return]
        return self.done, self.total

    @property
    def percent(self) -> int:
        if self.status == JobStatus.DONE:
            return 100
        done, total = self.progress
        return int(100 * done / total) if total else 0

    @property
    def finished(self) -> bool:
        return self.status in (JobStatus.DONE, JobStatus.FAILED)

    def advance(self, done: int, total: int | None = None) -> None:
        """Report progress where other connections see it at once: the progress cache, not
        this row, which the work's own transaction (an import writes all rows or none) would
        keep from everyone else until it ends."""
        self.done = done
        if total is not None:
            self.total = total
        caches["progress"].set(self.progress_key, (self.done, self.total), timeout=86400)
        caches["progress"].set(f"{self.progress_key}:beat", timezone.now(), timeout=86400)

    def last_sign_of_life(self) -> Any:
        return caches["progress"].get(f"{self.progress_key}:beat") or self.started_at

    def fail_if_stale(self) -> bool:
        """Mark a running job whose worker went away failed, so that it can be run again."""
        if self.status != JobStatus.RUNNING:
            return False
        beat = self.last_sign_of_life()
        if beat is not None and timezone.now() - beat < self.STALE_AFTER:
            return False
        self.finish(
            JobStatus.FAILED,
            str(
                _(
                    "The worker stopped while running this (it has not reported for 10 "
                    "minutes); nothing was written. Run it again."
                )
            ),
        )
        return True

    def finish(self, status: str, message: str = "", result: dict[str, Any] | None = None) -> None:
        self.status = status
        self.message = message
        self.result = result or {}
        self.finished_at = timezone.now()
        self.save(update_fields=["status", "message", "result", "finished_at", "done", "total"])
        caches["progress"].delete(self.progress_key)


from core.audit.models import AuditEntry  # noqa: E402  (registers the model with the app)

__all__ += ["AuditEntry"]


class Notification(models.Model):
    """Something for a user to know or do (an application to review), shown under the bell.

    The text is stored as its message id and parameters and rendered in the reader's language
    when shown. A notification that asks for a task (``task``) is marked done when the task
    is done, by whoever does it.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notifications")
    message = models.CharField(_("message"), max_length=300)  # the message id (English source)
    params: models.JSONField[Any] = models.JSONField(default=dict, blank=True)
    url = models.CharField(max_length=300, blank=True)
    task = models.CharField(max_length=100, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self) -> str:
        return self.text

    @property
    def text(self) -> str:
        """The message in the active language, its parameters filled in."""
        template = gettext(self.message)
        try:
            return template % self.params if self.params else template
        except (KeyError, TypeError, ValueError):  # a catalogue that lost a placeholder
            return self.message


__all__ += ["Notification"]
