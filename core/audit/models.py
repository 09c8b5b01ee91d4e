from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.choices import AuditAction, Role
from core.permissions import READ, Policy, RestrictedQuerySet

__all__ = ["AuditEntry"]


class AuditEntry(models.Model):
    """One change to one business record, written in the same transaction as the change, or
    one security event (sign-in, export, …). Sealed into the hash chain after commit
    (:mod:`core.audit.chain`); nothing in the product changes or deletes an entry."""

    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_name = models.CharField(_("actor"), max_length=150, blank=True)  # as it was then
    action = models.CharField(_("action"), max_length=16, choices=AuditAction.choices)
    # no index of its own: the (content_type, object_id, -at) index leads with it
    content_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    object_id = models.CharField(max_length=64)
    object_repr = models.CharField(_("record"), max_length=200)
    changes: models.JSONField[Any] = models.JSONField(_("changes"), default=dict)
    # text, not varchar: a transition's reason may run to the length its form allows, and the
    # audit trail keeps it whole (varchar(500) made PostgreSQL refuse a 2,000-character one)
    comment = models.TextField(_("comment"), blank=True)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    device = models.CharField(_("device"), max_length=200, blank=True)
    # the hash chain: position, the previous entry's hash, this entry's hash (empty until sealed)
    seq = models.PositiveBigIntegerField(null=True, blank=True, unique=True, editable=False)
    prev_hash = models.CharField(max_length=64, blank=True, editable=False)
    hash = models.CharField(max_length=64, blank=True, editable=False)

    objects = RestrictedQuerySet.as_manager()
    # the security auditor reads the whole log and nothing else; the admin reads it too
    policy = Policy(grants={Role.AUDITOR: READ}, unscoped_roles=frozenset({Role.AUDITOR}))

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id", "-at"])]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.object_repr}"

    def chain_content(self) -> dict[str, Any]:
        """What the hash covers (see core.audit.chain for why names, not ids)."""
        content_type = ContentType.objects.get_for_id(self.content_type_id)
        return {
            "id": self.pk,
            "at": self.at.astimezone(datetime.UTC).isoformat(),
            "actor": self.actor_name,
            "action": self.action,
            "model": f"{content_type.app_label}.{content_type.model}",
            "object_id": self.object_id,
            "object_repr": self.object_repr,
            "changes": self.changes,
            "comment": self.comment,
            "ip": self.ip,
            "device": self.device,
        }

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
