"""Demo enterprises (first part: the tenant user's company). Credit codes carry valid check
digits computed with python-stdnum, as real ones do."""

from __future__ import annotations

from typing import Any

from stdnum.cn import uscc

from core.choices import Role
from core.models import User
from core.services import create_record
from core.users import user_create
from enterprises.models import Enterprise

__all__ = ["credit_code", "load"]


def credit_code(body17: str) -> str:
    return body17 + uscc.calc_check_digit(body17)


DEMO_ENTERPRISES = [
    ("北京智元机器人科技有限公司", "91110108MA01A2B3C"),
    ("北京芯视界半导体有限公司", "91110108MA01D4E5F"),
    ("北京数智工联科技有限公司", "91110108MA01G6H7J"),
]


def load(ctx: dict[str, Any]) -> None:
    from core.demo import DEMO_PASSWORD

    enterprises = []
    for name, body in DEMO_ENTERPRISES:
        code = credit_code(body)
        enterprises.append(
            Enterprise.objects.filter(credit_code=code).first()
            or create_record(actor=ctx["admin"], instance=Enterprise(name=name, credit_code=code))
        )
    ctx["enterprises"] = enterprises
    ctx["users"]["tenant"] = User.objects.filter(username="tenant").first() or user_create(
        actor=ctx["admin"],
        username="tenant",
        password=DEMO_PASSWORD,
        role=Role.TENANT,
        display_name="陈企业",
        enterprise=enterprises[0],
    )
