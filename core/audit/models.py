from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.choices import AuditAction

__all__ = ["AuditEntry"]


class AuditEntry(models.Model):
    """One change to one business record, written in the same transaction as the change."""

    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    action = models.CharField(_("action"), max_length=10, choices=AuditAction.choices)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.CharField(max_length=64)
    object_repr = models.CharField(_("record"), max_length=200)
    changes: models.JSONField[Any] = models.JSONField(_("changes"), default=dict)
    comment = models.CharField(_("comment"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id", "-at"])]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.object_repr}"

    @staticmethod
    def _shown(choices: dict[Any, Any], value: Any) -> Any:
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            return "、".join(value)
        if isinstance(value, list | dict):
            return "…"  # structured data (risk factors): see the record itself
        return choices.get(value, value)

    def change_rows(self) -> list[tuple[str, Any, Any]]:
        """(field label, old, new) for display; labels from the model when it still exists."""
        model = self.content_type.model_class()
        rows = []
        for name, (old, new) in self.changes.items():
            label: Any = name
            choices: dict[Any, Any] = {}
            if model is not None:
                try:
                    field = model._meta.get_field(name)
                except FieldDoesNotExist:  # a field removed since: show its name
                    field = None
                if field is not None:
                    label = getattr(field, "verbose_name", name)
                    choices = dict(getattr(field, "flatchoices", None) or ())
            rows.append((label, self._shown(choices, old), self._shown(choices, new)))
        return rows
