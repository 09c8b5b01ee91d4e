"""Demo admission pipeline: park thresholds, and applications in every state from all three
channels, some failing thresholds with visible reasons, reviewed by both sides — all moved
through the same services the pages call."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone

from admissions import services
from admissions.choices import RuleKind
from admissions.models import AdmissionSettings, Application, ThresholdRule
from core.choices import Role
from core.models import User
from core.users import user_create
from enterprises.models import Enterprise

__all__ = ["load"]

D = Decimal
HARD, SOFT = True, False  # a soft rule only informs the reviewers; rules are hard unless said
THRESHOLDS: dict[str, list[tuple[Any, ...]]] = {
    "ZZGC": [
        (RuleKind.INDUSTRY_ALLOWED, "C、I、M", None),
        (RuleKind.INDUSTRY_EXCLUDED, "2611、2612、2619", None),  # basic chemicals, by class
        (RuleKind.ACTIVITY_EXCLUDED, "仓储物流、餐饮、一般性制造", None),
        (RuleKind.MIN_RD_INTENSITY, "", D(3)),
        (RuleKind.MIN_OUTPUT_PER_M2, "", D(15000), SOFT),
    ],
    "ZHZX": [
        (RuleKind.INDUSTRY_ALLOWED, "I、M、C", None),
        (RuleKind.TAG_REQUIRED, "新一代信息技术、人工智能、集成电路", None),
        (RuleKind.MIN_TALENT_SHARE, "", D(20), SOFT),
    ],
    "FHQ": [
        (RuleKind.INDUSTRY_EXCLUDED, "K、F、H", None),
        (RuleKind.MIN_HEADCOUNT, "", D(3), SOFT),
    ],
}

# company index in enterprises.demo, park, who creates it, requirements, commitments, path
PIPELINE: list[tuple[Any, ...]] = [
    (8, "ZHZX", "gov", (D(600), D("3.3"), D(4)), (D(12), D(30000), 45, D(60)), "approved"),
    (9, "ZZGC", "operator", (D(1500), D(8), D("3.3")), (D(5), D(20000), 40, D(25)), "review"),
    (10, "ZZGC", "gov", (D(3000), D(9), D("2.8")), (D(0), D(5000), 80, D(2)), "rejected"),
    (0, "ZZGC", "tenant", (D(1800), D(9), D("3.4")), (D(8), D(60000), 200, D(40)), "submitted"),
    (7, "ZHZX", "operator", (D(500), D("4.5"), D(6)), (D(15), D(25000), 30, D(55)), "risk"),
    (6, "ZZGC", "gov", (D(1200), D(7), D("3.5")), (D(6), D(30000), 60, D(30)), "screening"),
    (11, "FHQ", "operator", (D(80), None, D("5.5")), (D(20), None, 6, D(50)), "draft"),
    (None, "ZZGC", "gov", (D(900), D(6), D("3.2")), (D(4), D(18000), 25, D(20)), "withdrawn"),
    # fails the innovation centre's hard tag rule: admitted as an exception by both sides
    (4, "ZHZX", "operator", (D(400), D("3.3"), D(5)), (D(18), D(40000), 35, D(15)), "exception"),
    # fails only the soft output rule (12,000 < 15,000 元/m²): approved without an exception
    (3, "ZZGC", "gov", (D(2000), D(8), D("3.2")), (D(9), D(12000), 90, D(30)), "approved"),
]
STEPS = {
    "draft": [],
    "submitted": ["submit"],
    "screening": ["submit", "start_screening"],
    "risk": ["submit", "start_screening", "to_risk"],
    "review": ["submit", "start_screening", "to_risk", "assess", "to_review"],
    "approved": ["submit", "start_screening", "to_risk", "assess", "to_review"],
    "exception": ["submit", "start_screening", "to_risk", "assess", "to_review"],
    "rejected": ["submit", "start_screening"],
    "withdrawn": ["submit"],
}


def load(ctx: dict[str, Any]) -> None:
    if Application.objects.exists():
        return
    admin, parks, users = ctx["admin"], ctx["parks"], ctx["users"]
    AdmissionSettings.for_operator(ctx["operator"])
    for code, rules in THRESHOLDS.items():
        for kind, items, value, *strength in rules:
            services.threshold_create(
                actor=admin,
                instance=ThresholdRule(
                    park=parks[code],
                    kind=kind,
                    items=items,
                    value=value,
                    is_hard=strength[0] if strength else HARD,
                ),
            )
    # a second operator reviewer: whoever sourced an application may not review it
    from core.demo import DEMO_PASSWORD

    checker = User.objects.filter(username="risk").first() or user_create(
        actor=admin,
        username="risk",
        password=DEMO_PASSWORD,
        role=Role.OPERATOR,
        display_name="周风控",
        operator=ctx["operator"],
    )
    for park in parks.values():
        park.staff.add(checker)
    users["gov2"] = User.objects.filter(username="gov2").first() or user_create(
        actor=admin,
        username="gov2",
        password=DEMO_PASSWORD,
        role=Role.GOV,
        display_name="孙科委",
        jurisdiction=ctx["jurisdiction"],
    )
    today = timezone.localdate()
    for i, (index, park, creator, needs, commits, goal) in enumerate(PIPELINE):
        actor = users[creator]
        company = ctx["enterprises"][index] if index is not None else None
        new = (
            None
            if company
            else Enterprise(name="北京海创新材科技有限公司", credit_code="91110108MA05B6C7DB")
        )
        area, height, budget = needs
        rd, output, heads, talents = commits
        app = services.application_create(
            actor=actor,
            new_enterprise=new,
            instance=Application(
                enterprise=company,
                park=parks[park],
                area_min_m2=area,
                clear_height_min_m=height,
                budget_rent=budget,
                move_in_on=today + datetime.timedelta(days=45 + 15 * i),
                rd_intensity_pct=rd,
                output_per_m2=output,
                headcount=heads,
                talent_share_pct=talents,
                description="研发与中试" if index != 10 else "仓储物流与配送",
            ),
        )
        _walk(app, goal, users, checker)


def _walk(app: Application, goal: str, users: dict[str, Any], checker: Any) -> None:
    operator = users["operator"] if app.created_by_id != users["operator"].pk else checker
    gov = users["gov"] if app.created_by_id != users["gov"].pk else users["gov2"]
    for step in STEPS[goal]:
        if step == "assess":
            services.risk_assess(
                actor=operator,
                application=app,
                revenue_last_year=D(86_000_000),
                revenue_prev_year=D(61_000_000),
                debt_ratio_pct=D(38),
                litigation=False,
                dishonest_debtor=False,
            )
        else:
            actor = app.created_by if step == "submit" else operator
            services.application_transition(actor=actor, application=app, action=step)
    if goal == "review":
        services.review_record(
            actor=checker,
            application=app,
            decision="approve",
            conditions="入驻后一年内研发投入强度不低于 5%",
        )
    if goal == "approved":
        services.review_record(actor=operator, application=app, decision="approve")
        services.review_record(
            actor=gov,
            application=app,
            decision="approve",
            conditions="纳入区级重点企业服务名单",
        )
    if goal == "exception":
        services.review_record(
            actor=operator,
            application=app,
            decision="approve",
            exception_reason="国家级专精特新“小巨人”，精密测量仪器补齐园区集成电路检测环节",
        )
        services.review_record(
            actor=gov,
            application=app,
            decision="approve",
            conditions="两年内取得园区目录标签或参与一项集成电路应用场景",
            exception_reason="同意作为产业链补链企业例外引进",
        )
    if goal == "rejected":
        services.application_transition(
            actor=operator,
            application=app,
            action="reject",
            comment="行业不符合园区产业门槛（仓储物流）",
        )
    if goal == "withdrawn":
        services.application_transition(
            actor=app.created_by, application=app, action="withdraw", comment="企业另择选址"
        )
