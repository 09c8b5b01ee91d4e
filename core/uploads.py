"""The one check of an uploaded file kept with a record (a lease's contract scan, a deal's
documents): a known type and at most 20 MB, each refused with a message naming the fix."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

__all__ = ["ATTACHMENT_MAX_BYTES", "ATTACHMENT_TYPES", "check_upload"]

ATTACHMENT_TYPES = (".pdf", ".jpg", ".jpeg", ".png", ".docx", ".xlsx", ".zip")
ATTACHMENT_MAX_BYTES = 20 * 1024 * 1024


def check_upload(file: Any) -> int:
    """The file's size in bytes, or a ValidationError on ``file`` saying what to do."""
    name = getattr(file, "name", "") or ""
    if not name.lower().endswith(ATTACHMENT_TYPES):
        raise ValidationError(
            {
                "file": _("Attach a PDF, image, Word, Excel or zip file (%(types)s).")
                % {"types": " ".join(ATTACHMENT_TYPES)}
            }
        )
    if file.size > ATTACHMENT_MAX_BYTES:
        raise ValidationError({"file": _("The file is larger than 20 MB; compress or split it.")})
    return int(file.size)
