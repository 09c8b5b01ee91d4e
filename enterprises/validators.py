"""统一社会信用代码 (GB 32100-2015, via python-stdnum) and phone numbers (via phonenumbers)."""

from __future__ import annotations

import re
import unicodedata

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from stdnum.cn import uscc
from stdnum.exceptions import InvalidChecksum, InvalidLength

__all__ = [
    "mask_phone",
    "normalize_credit_code",
    "normalize_phone",
    "validate_credit_code",
    "validate_phone",
]

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


def normalize_phone(value: str) -> str:
    """Digits as people dial them in China: 13812345678, 010-62345678 (via phonenumbers)."""
    text = unicodedata.normalize("NFKC", value or "").strip()
    try:
        number = phonenumbers.parse(text, "CN")
    except phonenumbers.NumberParseException:
        return text
    if not phonenumbers.is_valid_number(number):
        return text
    national = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return national.replace(" ", "")


def validate_phone(value: str) -> None:
    """A valid mainland mobile or landline number (Google's libphonenumber rules)."""
    text = unicodedata.normalize("NFKC", value or "").strip()
    try:
        valid = phonenumbers.is_valid_number(phonenumbers.parse(text, "CN"))
    except phonenumbers.NumberParseException:
        valid = False
    if not valid:
        raise ValidationError(
            _(
                "“%(value)s” is not a phone number: write a mobile number such as 13812345678 or "
                "a landline with area code such as 010-62345678."
            )
            % {"value": value},
            code="phone",
        )


def mask_phone(value: str) -> str:
    """138****5678: enough to recognise, not to call (a masked number stays as it is: the
    change log keeps numbers masked already)."""
    if "****" in (value or ""):
        return value
    digits = re.sub(r"\D", "", value or "")
    return digits[:3] + "****" + digits[-4:] if len(digits) >= 8 else "****"
