"""Markers the suite shares."""

from __future__ import annotations

import pytest
from django.conf import settings

__all__ = ["ONCE"]

# A harness whose answer does not depend on the database runs once, in CI's SQLite pass: CI
# runs the whole suite on SQLite and again on PostgreSQL within 90 minutes.
ONCE = pytest.mark.skipif(
    "postgresql" in settings.DATABASES["default"]["ENGINE"],
    reason="does not depend on the database; CI runs it in its SQLite pass",
)
