"""统一社会信用代码: normalisation and the GB 32100-2015 check digit (python-stdnum)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from enterprises.models import Enterprise
from enterprises.validators import normalize_credit_code, validate_credit_code

VALID = "91110000600037341L"  # a published code whose check digit is L


def test_valid_code_passes():
    validate_credit_code(VALID)


@pytest.mark.parametrize(
    "raw",
    [" 91110000600037341l ", "９１１１００００６０００３７３４１Ｌ", "9111-0000-6000-3734-1L"],
)
def test_normalised_forms_pass(raw):
    assert normalize_credit_code(raw) == VALID
    validate_credit_code(raw)


@pytest.mark.parametrize(
    ("raw", "code", "zh"),
    [
        ("91110000600037341", "length", "应为 18 位，当前为 17 位"),
        ("91110000600037341LX", "length", "当前为 19 位"),
        ("91110000600037341A", "checksum", "校验位错误：应为 L"),
        ("91110000600037342L", "checksum", "校验位错误"),
        ("9111000060003734IL", "character", "不能包含 I"),
        ("91110000600O37341L", "character", "不能包含 O"),
        ("9A110000600037341L", "format", "前 8 位应为数字"),
    ],
)
def test_invalid_codes_say_what_is_wrong(raw, code, zh):
    with translation.override("zh-hans"), pytest.raises(ValidationError) as exc:
        validate_credit_code(raw)
    assert exc.value.code == code
    assert zh in exc.value.messages[0]


def test_english_message():
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        validate_credit_code("91110000600037341A")
    assert exc.value.messages == [
        "Check digit of the unified social credit code is wrong: it should be L."
    ]


@pytest.mark.django_db
def test_model_stores_the_normalised_code_and_keeps_it_unique():
    enterprise = Enterprise(name="测试", credit_code="９１１１００００６０００３７３４１ｌ")
    enterprise.full_clean()
    enterprise.save()
    assert enterprise.credit_code == VALID
    duplicate = Enterprise(name="重复", credit_code=VALID.lower())
    with pytest.raises(ValidationError) as exc:
        duplicate.full_clean()
    assert "credit_code" in exc.value.message_dict
