"""Demo innovation services: the operator's service catalogue and twenty service requests from
tenants of the parks, in every state, two of them past their SLA over a holiday (the Spring
Festival and National Day 2026); shared equipment with bookings, the used ones billed to the
companies' leases — all written through the services the pages call, on the days they
happened."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone

from leasing.models import Lease
from programs import growth_demo, services
from programs.choices import ServiceCategory as C
from programs.models import ServiceKind, ServiceRequest

__all__ = ["load"]

CATALOGUE = [
    ("政策申报辅导", C.POLICY, 10, "高新技术企业认定、专精特新申报材料辅导与预审。"),
    ("融资对接", C.FINANCING, 15, "对接园区科创基金与合作银行、投资机构。"),
    ("知识产权代理", C.IP, 5, "专利、商标、软著申请与布局。"),
    ("人才与人事服务", C.TALENT, 5, "人才公寓、落户、社保与招聘会。"),
    ("法务税务咨询", C.LEGAL_TAX, 7, "合同审阅、股权架构与税务筹划咨询。"),
    ("技术转移", C.TECH_TRANSFER, 20, "高校院所成果对接与技术合同登记。"),
    ("共享设备与实验室", C.EQUIPMENT, 2, "检测设备、洁净间与中试线预约。"),
    ("市场推广", C.MARKETING, 10, "路演、展会与园区渠道推广。"),
]
D = datetime.date
DAY = datetime.timedelta(days=1)
# service, subject, opened on (a date, or days before load), the steps after opening:
# (move or "reply" or "rate", the day, text or stars)
HISTORY: list[tuple[Any, ...]] = [
    # over the Spring Festival 2026 (15–23 Feb off, 14 and 28 Feb worked): resolved late
    (
        "知识产权代理",
        "PCT 国际专利申请",
        D(2026, 2, 12),
        [
            ("accept", D(2026, 2, 12), ""),
            ("resolve", D(2026, 3, 3), "已完成 PCT 申请提交，申请号已发送企业邮箱。"),
            ("rate", D(2026, 3, 4), 3),
        ],
    ),
    # over National Day 2026: resolved after its due day
    (
        "人才与人事服务",
        "两名博士人才公寓申请",
        D(2026, 9, 28),
        [
            ("accept", D(2026, 9, 29), ""),
            ("resolve", D(2026, 10, 16), "两套人才公寓已分配，钥匙可到园区服务中心领取。"),
            ("rate", D(2026, 10, 17), 4),
        ],
    ),
    (
        "政策申报辅导",
        "高新技术企业认定材料预审",
        D(2026, 5, 11),
        [
            ("accept", D(2026, 5, 11), ""),
            ("wait", D(2026, 5, 13), "请补充近三年研发费用专项审计报告。"),
            ("reply", D(2026, 5, 20), "专项审计报告已上传。"),
            ("resolve", D(2026, 5, 22), "材料预审通过，已提交区科委。"),
            ("rate", D(2026, 5, 25), 5),
        ],
    ),
    (
        "融资对接",
        "A 轮融资对接科创基金",
        D(2026, 6, 2),
        [
            ("accept", D(2026, 6, 3), ""),
            ("resolve", D(2026, 6, 18), "已安排与科创基金投委会路演，并推荐两家合作机构。"),
            ("rate", D(2026, 6, 19), 5),
        ],
    ),
    (
        "法务税务咨询",
        "股权激励方案税务咨询",
        D(2026, 7, 6),
        [
            ("accept", D(2026, 7, 6), ""),
            ("resolve", D(2026, 7, 10), "已出具咨询意见书。"),
            ("rate", D(2026, 7, 13), 4),
        ],
    ),
    (
        "共享设备与实验室",
        "洁净间两天使用预约",
        D(2026, 8, 3),
        [
            ("accept", D(2026, 8, 3), ""),
            ("resolve", D(2026, 8, 4), "已预约 8 月 6–7 日洁净间 B。"),
            ("rate", D(2026, 8, 5), 5),
        ],
    ),
    (
        "市场推广",
        "参加中关村论坛展区",
        D(2026, 3, 9),
        [
            ("accept", D(2026, 3, 10), ""),
            ("resolve", D(2026, 3, 20), "已报名园区联合展区。"),
        ],
    ),
    (
        "技术转移",
        "对接高校视觉算法成果",
        D(2026, 4, 1),
        [
            ("accept", D(2026, 4, 2), ""),
            ("resolve", D(2026, 4, 24), "已促成技术许可合同并完成技术合同登记。"),
            ("rate", D(2026, 4, 27), 5),
        ],
    ),
    (
        "知识产权代理",
        "商标续展",
        D(2026, 10, 12),
        [
            ("accept", D(2026, 10, 12), ""),
            ("resolve", D(2026, 10, 15), "续展已提交。"),
            ("rate", D(2026, 10, 16), 4),
        ],
    ),
    (
        "人才与人事服务",
        "校园招聘会展位",
        D(2026, 9, 1),
        [
            ("cancel", D(2026, 9, 2), "企业改为线上招聘。"),
        ],
    ),
    # recent requests: days before load day
    (
        "政策申报辅导",
        "专精特新中小企业申报",
        12,
        [("accept", 11, ""), ("wait", 9, "请提供主导产品市场占有率证明。")],
    ),
    ("融资对接", "银行知识产权质押贷款", 8, [("accept", 7, "")]),
    ("知识产权代理", "软件著作权登记 3 件", 6, [("accept", 6, "")]),
    ("共享设备与实验室", "X 射线检测设备预约", 3, [("accept", 2, "")]),
    ("法务税务咨询", "海外子公司设立咨询", 2, []),
    ("技术转移", "产学研联合实验室合作", 5, [("accept", 4, "")]),
    ("市场推广", "新品发布会场地", 1, []),
    (
        "人才与人事服务",
        "外籍专家工作许可",
        4,
        [("accept", 3, ""), ("wait", 2, "请提供专家学历认证。")],
    ),
    (
        "政策申报辅导",
        "首台套保险补偿申报",
        20,
        [("accept", 19, ""), ("resolve", 10, "材料已提交市经信局。")],
    ),
    ("融资对接", "设备融资租赁方案", 0, []),
]


def _day(value: Any, today: datetime.date) -> datetime.date:
    return value if isinstance(value, datetime.date) else today - value * DAY


def load(ctx: dict[str, Any]) -> None:
    tenancies = list(
        Lease.objects.filter(state="active")
        .order_by("enterprise_id")
        .values_list("enterprise_id", "park_id")
        .distinct()
    )
    load_equipment(ctx, tenancies)
    load_policies(ctx)
    load_scenarios(ctx)
    growth_demo.load(ctx)
    if ServiceRequest.objects.exists():
        return
    operator, users = ctx["operator"], ctx["users"]
    staff, today = users["operator"], timezone.localdate()
    kinds = {}
    for name, category, sla_days, text in CATALOGUE:
        kinds[name] = ServiceKind.objects.filter(operator=operator, name=name).first() or (
            services.kind_create(
                actor=ctx["admin"],
                instance=ServiceKind(
                    operator=operator,
                    name=name,
                    category=category,
                    sla_days=sla_days,
                    manager=staff,
                    description=text,
                ),
            )
        )
    # the companies that rent in the parks, each with its park: the tenant user's first
    tenant = users["tenant"]
    mine = [t for t in tenancies if t[0] == tenant.membership.enterprise_id]
    tenancies = mine + [t for t in tenancies if t not in mine]
    for n, (service, subject, opened, steps) in enumerate(HISTORY):
        company_id, park_id = tenancies[n % len(tenancies)]
        company_side = tenant if company_id == tenant.membership.enterprise_id else staff
        request = services.request_open(
            actor=company_side,
            instance=ServiceRequest(
                park_id=park_id,
                enterprise_id=company_id,
                kind=kinds[service],
                subject=subject,
                description=f"{subject}，请园区协助办理。",
            ),
            today=_day(opened, today),
        )
        for step, when, text in steps:
            day = _day(when, today)
            if step == "reply" and company_side is tenant:  # its reply resumes the clock
                services.message_add(actor=tenant, request=request, body=text, today=day)
            elif step == "reply":  # answered by phone: staff note it and resume
                services.message_add(actor=staff, request=request, body=text, today=day)
                services.request_transition(
                    actor=staff, request=request, action="resume", today=day
                )
            elif step == "rate" and company_side is tenant:
                services.request_rate(actor=tenant, request=request, rating=text, today=day)
            elif step == "rate":  # a company without a user of its own: staff close it
                services.request_transition(actor=staff, request=request, action="close", today=day)
            else:
                actor = company_side if step == "cancel" else staff
                services.request_transition(
                    actor=actor, request=request, action=step, comment=text, today=day
                )
                if step == "wait":
                    services.message_add(actor=staff, request=request, body=text, today=day)


EQUIPMENT = [
    ("ZZGC", "EQ-01", "工业 CT 检测系统", "350", "三维无损检测，最大工件 600 mm。"),
    ("ZZGC", "EQ-02", "五轴联动加工中心", "280", "中试样件加工。"),
    ("ZHZX", "EQ-11", "洁净间（千级）B", "160", "芯片封装与光学器件装调。"),
]
# equipment, days from load day (negative: past), start hour, hours, used (billed) or not
BOOKINGS = [
    ("EQ-01", -20, 9, 3, True),
    ("EQ-01", -6, 14, 2, True),
    ("EQ-02", -3, 9, 4, True),
    ("EQ-11", -2, 10, 2, False),
    ("EQ-01", 2, 9, 2, False),
    ("EQ-01", 2, 11, 1, False),
    ("EQ-11", 5, 13, 3, False),
]


def load_equipment(ctx: dict[str, Any], tenancies: list[tuple[int, int]]) -> None:
    from programs.models import Booking, Equipment

    if Equipment.objects.exists():
        return
    staff, parks, today = ctx["users"]["operator"], ctx["parks"], timezone.localdate()
    found = {}
    for park, code, name, rate, text in EQUIPMENT:
        found[code] = services.equipment_create(
            actor=ctx["admin"],
            instance=Equipment(
                park=parks[park], code=code, name=name, hourly_rate=Decimal(rate), description=text
            ),
        )
    zone = timezone.get_current_timezone()
    for code, days, hour, hours, used in BOOKINGS:
        equipment = found[code]
        renters = [e for e, p in tenancies if p == equipment.park_id]
        start = datetime.datetime.combine(today + days * DAY, datetime.time(hour), tzinfo=zone)
        booking = services.booking_create(
            actor=staff,
            instance=Booking(
                equipment=equipment,
                enterprise_id=renters[(days + hour) % len(renters)],
                starts_at=start,
                ends_at=start + datetime.timedelta(hours=hours),
                purpose="中试样件检测",
            ),
        )
        if used:
            services.booking_complete(actor=staff, booking=booking)


# title, issuer, level, benefit, up to 万元, criteria
POLICIES: list[tuple[Any, ...]] = [
    (
        "高新技术企业认定奖励",
        "海淀区科学技术委员会",
        "district",
        "首次认定的高新技术企业一次性奖励。",
        "30",
        {"qualification": "high_tech"},
    ),
    (
        "专精特新中小企业培育资金",
        "北京市经济和信息化局",
        "municipal",
        "市级专精特新企业研发投入补贴（上年研发投入强度不低于 5%，从业人员不少于 20 人）。",
        "100",
        {
            "qualification": "specialised",
            "qualification_level": "municipal",
            "min_headcount": 20,
            "min_rd_intensity_pct": Decimal(5),
        },
    ),
    (
        "集成电路设计企业流片补贴",
        "北京市经济和信息化局",
        "municipal",
        "首轮流片费用最高 30% 补贴。",
        "500",
        {"industry_codes": "39、65"},  # electronics and IT services: the demo records divisions
    ),
    (
        "智能制造示范园区入驻支持",
        "海淀区商务局",
        "district",
        "入驻智造工场的制造业企业首年租金补贴。",
        "80",
        {"industry_codes": "C", "parks": ["ZZGC"]},
    ),
    (
        "初创企业孵化支持",
        "海淀区科学技术委员会",
        "district",
        "成立三年内企业的孵化服务补贴。",
        "20",
        {"max_age_years": 3, "stages": ["startup"]},
    ),
    (
        "国家级重点实验室配套支持",
        "科学技术部",
        "national",
        "国家级重点实验室依托企业配套资金。",
        "1000",
        {"qualification": "key_lab", "qualification_level": "national"},
    ),
]


def load_policies(ctx: dict[str, Any]) -> None:
    from programs.models import PolicyApplication, SupportPolicy
    from programs.policies import matches_for_policy

    if SupportPolicy.objects.exists():
        return
    admin, staff, parks = ctx["admin"], ctx["users"]["operator"], ctx["parks"]
    today = timezone.localdate()
    made = []
    for title, issuer, level, benefit, most, criteria in POLICIES:
        criteria = dict(criteria)
        park_codes = criteria.pop("parks", [])
        made.append(
            services.policy_create(
                actor=admin,
                instance=SupportPolicy(
                    operator=ctx["operator"],
                    title=title,
                    issuer=issuer,
                    level=level,
                    benefit=benefit,
                    max_amount_wan=Decimal(most),
                    valid_from=datetime.date(today.year, 1, 1),
                    valid_to=datetime.date(today.year, 12, 31),
                    **criteria,
                ),
                m2m={"parks": [parks[c] for c in park_codes]},
            )
        )
    # applications from the companies that qualify, found by the matching itself
    from enterprises.models import Enterprise

    companies = Enterprise.objects.all()
    outcomes = ["granted", "submitted", "refused", "draft"]
    n = 0
    for policy in made:
        qualify, _nearly = matches_for_policy(policy, companies, today)
        for fit in qualify[:2]:
            application = services.grant_application_create(
                actor=staff,
                instance=PolicyApplication(support_policy=policy, enterprise=fit.facts.enterprise),
            )
            outcome, n = outcomes[n % len(outcomes)], n + 1
            if outcome == "draft":
                continue
            services.grant_application_move(actor=staff, application=application, action="submit")
            if outcome == "granted":
                services.grant_application_move(
                    actor=staff,
                    application=application,
                    action="grant",
                    amount_wan=min(policy.max_amount_wan or Decimal(20), Decimal(20)),
                )
            elif outcome == "refused":
                services.grant_application_move(
                    actor=staff,
                    application=application,
                    action="refuse",
                    note="本年度额度已用完，建议明年再申报。",
                )


# title, offered by, the setting, tags, industry codes, budget 万元, days until the deadline
SCENARIOS: list[tuple[Any, ...]] = [
    (
        "总装产线视觉质检",
        "京西智造集团",
        "汽车零部件总装产线需要基于机器视觉的表面缺陷与装配错误检测，"
        "节拍 30 秒，需与现有 MES 系统对接。",
        ["智能制造", "人工智能"],
        "C、65",
        "300",
        45,
    ),
    (
        "园区楼宇能耗优化",
        "京西科创园区运营有限公司",
        "三栋研发楼的空调与照明能耗监测、预测与节能控制，目标年节电 15%。",
        ["节能环保", "新一代信息技术"],
        "",
        "150",
        30,
    ),
    (
        "厂区无人巡检",
        "京西智造集团",
        "厂区安防与设备巡检机器人，夜间自主巡检并识别跑冒滴漏。",
        ["智能制造", "人工智能"],
        "34、65",
        "200",
        60,
    ),
    (
        "物业服务数字化",
        "京西科创园区运营有限公司",
        "报修、访客与停车一体化小程序，对接门禁与园区账单。",
        ["新一代信息技术"],
        "65",
        "80",
        20,
    ),
]
# scenario index, how many of the best-fitting companies propose, the path of the first
PROPOSED = [
    (0, 3, ["shortlist", "pilot", "adopt"]),
    (1, 2, ["shortlist"]),
    (2, 1, []),
    (3, 2, ["decline"]),
]


def load_scenarios(ctx: dict[str, Any]) -> None:
    from enterprises.models import CatalogTag, Enterprise
    from programs.models import Proposal, Scenario
    from programs.scenario_match import CompanyIndex

    if Scenario.objects.exists():
        return
    staff, today = ctx["users"]["operator"], timezone.localdate()
    made = []
    for title, owner, setting, tags, codes, budget, days in SCENARIOS:
        made.append(
            services.scenario_create(
                actor=ctx["admin"],
                instance=Scenario(
                    operator=ctx["operator"],
                    title=title,
                    owner=owner,
                    setting=setting,
                    industry_codes=codes,
                    budget_wan=Decimal(budget),
                    deadline=today + days * DAY,
                    contact="园区产业服务部",
                ),
                m2m={"tags": list(CatalogTag.objects.filter(name__in=tags))},
            )
        )
    # the companies that propose are the ones the matching ranks best
    index = CompanyIndex.of(Enterprise.objects.all())
    for n, count, path in PROPOSED:
        for k, fit in enumerate(index.rank(made[n], limit=count)):
            proposal = services.proposal_create(
                actor=staff,
                instance=Proposal(
                    scenario=made[n],
                    enterprise=fit.enterprise,
                    summary=f"{fit.enterprise.name}针对“{made[n].title}”的解决方案。",
                ),
            )
            for step in path if k == 0 else []:
                services.proposal_move(
                    actor=staff,
                    proposal=proposal,
                    action=step,
                    outcome={
                        "adopt": "试点验收通过，签订采购合同。",
                        "decline": "方案与需求不符。",
                    }.get(step, ""),
                    value_wan=Decimal(120) if step == "adopt" else None,
                )
