"""统一社会信用代码 (GB 32100-2015): normalisation and check-digit validation via python-stdnum."""

from __future__ import annotations

import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from stdnum.cn import uscc
from stdnum.exceptions import InvalidChecksum, InvalidLength

__all__ = ["normalize_credit_code", "validate_credit_code"]

_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def normalize_credit_code(value: str) -> str:
    """Trim, full-width to half-width (NFKC), drop inner spaces and dashes, upper-case."""
    text = unicodedata.normalize("NFKC", value or "")
    return "".join(ch for ch in text if not ch.isspace() and ch != "-").upper()


def validate_credit_code(value: str) -> None:
    code = normalize_credit_code(value)
    if len(code) != 18:
        raise ValidationError(
            _("The unified social credit code must have 18 characters; this one has %(n)d.")
            % {"n": len(code)},
            code="length",
        )
    bad = sorted({ch for ch in code if ch not in _ALPHABET})
    if bad:
        raise ValidationError(
            _(
                "The unified social credit code may not contain %(chars)s "
                "(letters I, O, S, V, Z are never used)."
            )
            % {"chars": "、".join(bad)},
            code="character",
        )
    try:
        uscc.validate(code)
    except InvalidChecksum:
        raise ValidationError(
            _("Check digit of the unified social credit code is wrong: it should be %(digit)s.")
            % {"digit": uscc.calc_check_digit(code[:17])},
            code="checksum",
        ) from None
    except (InvalidLength, Exception):
        raise ValidationError(
            _("The first 8 characters of the unified social credit code must be digits."),
            code="format",
        ) from None
