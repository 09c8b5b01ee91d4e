"""Demo companies: tenants of the manufacturing park (unicorns, a national key lab, STAR
Market candidates), innovation-centre and incubator firms, and applicants. Credit codes carry
valid check digits computed with python-stdnum, as real ones do."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone
from stdnum.cn import uscc

from core.choices import Role
from core.models import User
from core.users import user_create
from enterprises import services
from enterprises.catalogs import ensure_catalogs
from enterprises.choices import GrowthStage, QualificationKind
from enterprises.models import CatalogTag, Contact, Enterprise, Industry, Qualification

__all__ = ["DEMO_ENTERPRISES", "credit_code", "load"]


def credit_code(body17: str) -> str:
    return body17 + uscc.calc_check_digit(body17)


U, K, S, H, G, Z = (
    QualificationKind.UNICORN,
    QualificationKind.KEY_LAB,
    QualificationKind.STAR_CANDIDATE,
    QualificationKind.HIGH_TECH,
    QualificationKind.GAZELLE,
    QualificationKind.SPECIALISED,
)
# Each company's size in the year before the demo's (headcount, revenue, output value and R&D
# spend in 万元, IP items held) and its yearly growth: the one source of its quarterly
# statistics (analytics' demo files them) and of its registry figures for last year, so the
# two agree.
STATS: list[tuple[int, int, int, int, int, Decimal] | None] = [
    (2100, 210000, 240000, 16800, 1300, Decimal("0.30")),
    (1500, 160000, 180000, 14400, 1100, Decimal("0.25")),
    (900, 62000, 70000, 4400, 500, Decimal("0.20")),
    (1300, 130000, 150000, 9100, 800, Decimal("0.25")),
    (600, 30000, 36000, 2700, 600, Decimal("0.35")),
    (1600, 95000, 98000, 7600, 900, Decimal("0.40")),
    (350, 18000, 26000, 2300, 160, Decimal("0.50")),
    (240, 9000, 11000, 1500, 140, Decimal("0.15")),
    (14, 260, 300, 120, 12, Decimal("0.60")),
    (19, 820, 900, 95, 9, Decimal("-0.10")),
    (410, 36000, 36000, 180, 6, Decimal("0.05")),
    (45, 1200, 1100, 300, 30, Decimal("0.80")),
    (9, 60, 60, 45, 3, Decimal("0.90")),
    (6, 40, 40, 30, 2, Decimal("1.20")),
    (15, 140, 160, 70, 5, Decimal("0.70")),
]
TALENT_SHARE = Decimal("0.82")  # bachelor's and above, of the headcount


def quarter_stats(index: int, year: int, quarter: int, base_year: int) -> dict[str, Any] | None:
    """Company ``index``'s statistics for a quarter: people and IP at its end, money over it,
    grown smoothly from its ``base_year`` size (None for a company without figures)."""
    row = STATS[index] if index < len(STATS) else None
    if row is None:
        return None
    headcount, revenue, output, rd, ip, growth = row
    # years from the middle of the base year to the middle of the quarter
    t = Decimal(year - base_year) + Decimal(2 * quarter - 5) / 8
    size = Decimal(str(round((1 + float(growth)) ** float(t), 6)))
    people = int(headcount * size)
    patents = int(ip * size)

    def money(annual: int) -> Decimal:
        return (Decimal(annual) / 4 * size).quantize(Decimal("0.01"))

    return {
        "headcount": people,
        "doctorates": people * 6 // 100,
        "masters": people * 26 // 100,
        "bachelors": int(people * TALENT_SHARE) - people * 32 // 100,
        "returnees": people * 4 // 100,
        "revenue_wan": money(revenue),
        "output_value_wan": money(output),
        "rd_spend_wan": money(rd),
        "tax_paid_wan": money(revenue * 6 // 100),
        # a round in the second quarter of the demo's year, for the fastest growers
        "financing_wan": money(revenue // 2)
        if (year, quarter) == (base_year + 1, 2) and growth >= Decimal("0.3")
        else Decimal(0),
        "invention_patents": patents * 35 // 100,
        "utility_models": patents * 40 // 100,
        "designs": patents * 10 // 100,
        "software_copyrights": patents - patents * 85 // 100,
    }


def _figures(index: int, year: int) -> dict[str, Any]:
    """Registry figures for ``year``: its four quarters' statistics, added up."""
    quarters = [quarter_stats(index, year, q, year) for q in (1, 2, 3, 4)]
    if quarters[0] is None:
        return {}
    return {
        "figures_year": year,
        "headcount": quarters[-1]["headcount"],  # type: ignore[index]
        "revenue_wan": sum(q["revenue_wan"] for q in quarters),  # type: ignore[index]
        "rd_spend_wan": sum(q["rd_spend_wan"] for q in quarters),  # type: ignore[index]
    }


# name, credit-code body, industry division, tags, stage, founded, capital 万元, qualifications
DEMO_ENTERPRISES: list[tuple[Any, ...]] = [
    (
        "北京智元机器人科技有限公司",
        "91110108MA01A2B3C",
        "34",
        ["智能制造", "人工智能"],
        GrowthStage.EXPANSION,
        2016,
        52000,
        [U, H, S],
    ),
    (
        "北京芯视界半导体有限公司",
        "91110108MA01D4E5F",
        "39",
        ["集成电路"],
        GrowthStage.EXPANSION,
        2015,
        80000,
        [U, H, (K, "national")],
    ),
    (
        "北京数智工联科技有限公司",
        "91110108MA01G6H7J",
        "65",
        ["新一代信息技术", "智能制造"],
        GrowthStage.GROWTH,
        2017,
        30000,
        [U, H, S],
    ),
    (
        "北京星河动力航天科技有限公司",
        "91110108MA01K8L9M",
        "37",
        ["高端装备"],
        GrowthStage.EXPANSION,
        2018,
        60000,
        [U, H],
    ),
    (
        "北京量子精测仪器有限公司",
        "91110108MA01N2P3Q",
        "40",
        ["高端装备", "新材料"],
        GrowthStage.GROWTH,
        2016,
        25000,
        [U, H, S, (Z, "national")],
    ),
    (
        "北京极光智驾科技有限公司",
        "91110108MA01R4T5U",
        "36",
        ["智能网联汽车", "人工智能"],
        GrowthStage.EXPANSION,
        2016,
        45000,
        [U, H],
    ),
    (
        "北京锐能储能科技有限公司",
        "91110108MA01W6X7Y",
        "38",
        ["新能源"],
        GrowthStage.GROWTH,
        2019,
        12000,
        [H, G],
    ),
    (
        "北京博远生物医药有限公司",
        "91110108MA02A3B4C",
        "27",
        ["生物医药"],
        GrowthStage.GROWTH,
        2018,
        9000,
        [H, (Z, "municipal")],
    ),
    (
        "北京云图智算科技有限公司",
        "91110108MA02D5E6F",
        "65",
        ["人工智能", "新一代信息技术"],
        GrowthStage.STARTUP,
        2022,
        1000,
        [G],
    ),
    (
        "北京绿源环保材料有限公司",
        "91110108MA02G7H8J",
        "30",
        ["新材料", "节能环保"],
        GrowthStage.STARTUP,
        2023,
        500,
        [],
    ),
    ("北京安途物流仓储有限公司", "91110108MA02K9L1M", "59", [], GrowthStage.MATURE, 2009, 3000, []),
    (
        "北京微光传感技术有限公司",
        "91110108MA02N3P4Q",
        "39",
        ["集成电路", "智能制造"],
        GrowthStage.STARTUP,
        2021,
        800,
        [H],
    ),
    # the incubator's own tenants: young firms in its 2026 autumn cohort
    (
        "北京星链量子通信科技有限公司",
        "91110108MA03B1C2D",
        "65",
        ["新一代信息技术"],
        GrowthStage.STARTUP,
        2024,
        300,
        [],
    ),
    (
        "北京原点合成生物科技有限公司",
        "91110108MA03E3F4G",
        "73",
        ["生物医药"],
        GrowthStage.STARTUP,
        2025,
        200,
        [],
    ),
    (
        "北京凌云低空智能科技有限公司",
        "91110108MA03H5J6K",
        "40",
        ["高端装备", "人工智能"],
        GrowthStage.STARTUP,
        2024,
        500,
        [],
    ),
]


def load(ctx: dict[str, Any]) -> None:
    from core.demo import DEMO_PASSWORD

    admin = ctx["admin"]
    ensure_catalogs(Industry, CatalogTag)
    last_year = timezone.localdate().year - 1
    today = timezone.localdate()
    tags = {t.name: t for t in CatalogTag.objects.all()}
    companies = []
    for i, (name, body, division, tag_names, stage, year, capital, quals) in enumerate(
        DEMO_ENTERPRISES
    ):
        code = credit_code(body)
        company = Enterprise.objects.filter(credit_code=code).first()
        if company is None:
            company = services.enterprise_create(
                actor=admin,
                instance=Enterprise(
                    name=name,
                    credit_code=code,
                    industry=Industry.objects.get(code=division),
                    stage=stage,
                    established_on=datetime.date(year, 3 + i % 9, 1 + i),
                    registered_capital_wan=capital,
                    paid_in_capital_wan=capital * 6 // 10,
                    **_figures(i, last_year),
                    legal_representative=["张伟", "王芳", "李强", "刘洋", "陈静", "杨帆"][i % 6],
                    address=f"北京市海淀区西三旗建材城中路 {10 + i} 号",
                    description=f"{name[2:-4]}，专注于{'、'.join(tag_names) or '仓储物流服务'}。",
                ),
                m2m={"tags": [tags[t] for t in tag_names]},
            )
            _qualifications(admin, company, quals, i, today)
            services.contact_create(
                actor=admin,
                instance=Contact(
                    enterprise=company,
                    name=["周明", "吴敏", "郑凯", "孙丽"][i % 4],
                    title="行政总监",
                    phone=f"1381000{i:04d}",
                    email=f"contact{i}@example.cn",
                    is_primary=True,
                ),
            )
        companies.append(company)
    ctx["enterprises"] = companies
    ctx["users"]["tenant"] = User.objects.filter(username="tenant").first() or user_create(
        actor=admin,
        username="tenant",
        password=DEMO_PASSWORD,
        role=Role.TENANT,
        display_name="陈企业",
        enterprise=companies[0],
    )


def _qualifications(
    admin: Any, company: Enterprise, quals: list[Any], i: int, today: datetime.date
) -> None:
    for item in quals:
        kind, level = item if isinstance(item, tuple) else (item, "")
        # one high-tech certificate runs out next quarter, so the expiry flag shows
        expires = (
            today + datetime.timedelta(days=60 if i == 2 else 700)
            if kind in (QualificationKind.HIGH_TECH, QualificationKind.SPECIALISED)
            else None
        )
        services.qualification_create(
            actor=admin,
            instance=Qualification(
                enterprise=company,
                kind=kind,
                level=level or "",
                certificate_no=f"GR{today.year - 1}1100{i:04d}"
                if kind == QualificationKind.HIGH_TECH
                else "",
                issued_on=today - datetime.timedelta(days=400) if expires else None,
                expires_on=expires,
            ),
        )
