"""Password rules beyond Django's (等保 2.0 身份鉴别: 口令复杂度, 定期更换): character classes,
and no reuse of the last passwords. Messages name the rule and the fix, in Chinese too."""

from __future__ import annotations

import string
from typing import Any

from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

__all__ = ["CharacterClassesValidator", "PasswordHistoryValidator"]

CLASSES = (
    ("upper", lambda c: c in string.ascii_uppercase),
    ("lower", lambda c: c in string.ascii_lowercase),
    ("digit", lambda c: c in string.digits),
    ("symbol", lambda c: not c.isalnum() and not c.isspace()),
)


class CharacterClassesValidator:
    def __init__(self, min_classes: int = 3) -> None:
        self.min_classes = min_classes

    def validate(self, password: str, user: Any = None) -> None:
        found = sum(1 for _name, test in CLASSES if any(test(c) for c in password))
        if found < self.min_classes:
            raise ValidationError(self.get_help_text(), code="password_too_simple")

    def get_help_text(self) -> str:
        return _(
            "Use at least %(count)d of: upper-case letters, lower-case letters, digits, symbols."
        ) % {"count": self.min_classes}


class PasswordHistoryValidator:
    """Refuse the current password and the ``keep`` before it; remember each new one."""

    def __init__(self, keep: int = 5) -> None:
        self.keep = keep

    def _recent(self, user: Any) -> list[str]:
        from security.models import PasswordHistory

        return list(
            PasswordHistory.objects.filter(user=user).values_list("password", flat=True)[
                : self.keep
            ]
        )

    def validate(self, password: str, user: Any = None) -> None:
        if user is None or user.pk is None:
            return
        hashes = self._recent(user)  # the current password is the newest of them
        if user.password and user.password not in hashes:
            hashes = [user.password, *hashes][: self.keep]
        if any(check_password(password, h) for h in hashes):
            raise ValidationError(self.get_help_text(), code="password_reused")

    def password_changed(self, password: str, user: Any = None) -> None:
        from security.models import PasswordHistory

        if user is None or user.pk is None:
            return
        PasswordHistory.objects.create(user=user, password=user.password)
        stale = PasswordHistory.objects.filter(user=user).values_list("pk", flat=True)[self.keep :]
        PasswordHistory.objects.filter(pk__in=list(stale)).delete()

    def get_help_text(self) -> str:
        return ngettext(
            "Do not reuse your last password.",
            "Do not reuse any of your last %(count)d passwords.",
            self.keep,
        ) % {"count": self.keep}
