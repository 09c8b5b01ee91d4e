"""Personal information (PIPL): the fields each model declares personal (Policy.personal),
a keyed hash that finds an encrypted value by exact match, and a person's records found by
phone number or e-mail address for a data-subject request.

Encrypted fields (django-fernet-encrypted-fields) store a new ciphertext each time, so an
exact search goes through ``<field>_digest``: an HMAC-SHA256 of the normalised value keyed
with SECRET_KEY, kept beside it. Rotating SECRET_KEY means recomputing the digests
(`manage.py personal_rehash`)."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.crypto import salted_hmac

__all__ = ["PersonalRecords", "digest", "find", "personal_models"]


def digest(value: str | None) -> str:
    """The keyed hash of a personal value ("" for none): equal values, equal digests (case,
    spaces and hyphens aside)."""
    text = unicodedata.normalize("NFKC", value or "").lower()
    text = "".join(c for c in text if not c.isspace() and c != "-")
    if not text:
        return ""
    return salted_hmac("parkops.personal", text, algorithm="sha256").hexdigest()


def personal_models() -> Iterator[type[models.Model]]:
    for model in apps.get_models():
        policy = getattr(model, "policy", None)
        if model._meta.app_label in settings.PARKOPS_APPS and getattr(policy, "personal", None):
            yield model


def _has(model: type[models.Model], name: str) -> bool:
    return any(f.name == name for f in model._meta.concrete_fields)


def _lookup(model: type[models.Model], field: str, value: str) -> Q | None:
    """Exact match on ``field``: through its digest where the field is encrypted."""
    if field not in model.policy.personal or not value:  # type: ignore[attr-defined]
        return None
    normal = getattr(model, "personal_normal", None)  # as the model stores it (+86 138…)
    value = normal(field, value) if normal is not None else value
    if _has(model, f"{field}_digest"):
        return Q(**{f"{field}_digest": digest(value)})
    if _has(model, field):
        return Q(**{f"{field}__iexact": value.strip()})
    return None


@dataclass
class PersonalRecords:
    model: type[models.Model]
    rows: list[Any]

    @property
    def fields(self) -> list[str]:
        personal = self.model.policy.personal  # type: ignore[attr-defined]
        return [f.name for f in self.model._meta.concrete_fields if f.name in personal]

    @property
    def labels(self) -> list[str]:
        named = {f.name: f.verbose_name for f in self.model._meta.concrete_fields}
        return [str(named[name]) for name in self.fields]


def find(*, phone: str = "", email: str = "") -> list[PersonalRecords]:
    """Every record of every model that holds this phone number or e-mail address."""
    found = []
    for model in personal_models():
        query = Q(pk__in=[])
        for field, value in (("phone", phone), ("email", email)):
            part = _lookup(model, field, value)
            if part is not None:
                query |= part
        rows = list(model._default_manager.filter(query))
        if rows:
            found.append(PersonalRecords(model, rows))
    return found
