"""Roles of DESIGN.md and the statuses of background jobs."""

from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = ["AuditAction", "JobStatus", "Role"]


class Role(models.TextChoices):
    ADMIN = "admin", _("Platform admin")
    OPERATOR = "operator", _("Park operator")
    GOV = "gov", _("Government reviewer")
    FUND = "fund", _("Fund manager")
    TENANT = "tenant", _("Tenant user")
    # reads the audit log and security events, nothing else (等保 2.0: 审计员 apart from 系统管理员)
    AUDITOR = "auditor", _("Security auditor")


class AuditAction(models.TextChoices):
    CREATE = "create", _("Created")
    UPDATE = "update", _("Updated")
    DELETE = "delete", _("Deleted")
    # security events (等保 2.0 安全审计), written to the same chained log
    LOGIN = "login", _("Signed in")
    LOGOUT = "logout", _("Signed out")
    LOGIN_FAILED = "login_failed", _("Sign-in failed")
    LOCKOUT = "lockout", _("Locked out")
    EXPORT = "export", _("Exported")
    PERSONAL = "personal", _("Personal data request")
    REVEAL = "reveal", _("Personal data viewed")
    PRUNE = "prune", _("Pruned")


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")
