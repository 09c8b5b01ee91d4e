"""Model fields the apps share."""

from __future__ import annotations

from typing import Any

from django.db import models
from encrypted_fields import fields as encrypted

__all__ = ["EncryptedCharField"]


class EncryptedCharField(encrypted.EncryptedCharField):
    """A text encrypted at rest with Fernet (django-fernet-encrypted-fields; key from
    SECRET_KEY and settings.SALT_KEY), read back plain.

    The library's ``clean()`` marks the field object, which every thread shares, as "already
    decrypted" while it validates, and leaves the mark when validation fails: after one
    invalid value no row would be decrypted again in that process. Validation here goes
    straight to Django's, which reads a plain value as it is (not a Fernet token)."""

    def clean(self, value: Any, model_instance: models.Model | None) -> Any:
        return models.Field.clean(self, value, model_instance)
