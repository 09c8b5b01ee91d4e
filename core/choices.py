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


class AuditAction(models.TextChoices):
    CREATE = "create", _("Created")
    UPDATE = "update", _("Updated")
    DELETE = "delete", _("Deleted")


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")
