"""Innovation services at scale: the SLA queue over 200,000 service requests, and matching 50
application scenarios against 20,000 companies.

    python bench/programs.py [--requests 200000] [--companies 20000] [--scenarios 50] [--repeat 3]

Builds, in a throw-away database (a temporary SQLite file, or the PostgreSQL database named by
BENCH_DATABASE_URL), one operator with a park, a service catalogue of eight services,
``--companies`` companies with Chinese descriptions drawn from a vocabulary of industry
phrases, ``--requests`` service requests in every state with due days around today, and
``--scenarios`` scenarios. Then times, each against its floor, and prints the ratio:

- the SLA queue as the page shows it (the requests past their SLA counted, and the first page
  of the queue with its breach flags), through ``programs.selectors.queue``, against the same
  count and page in hand-written SQL (the results must agree);
- ranking every scenario (``programs.scenario_match.CompanyIndex``, built once, then 50
  rankings with their reasons), against the floor of reading the same companies' texts with
  one SQL query (no matching can take less).
"""

from __future__ import annotations

import argparse
import datetime
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from unit_search import setup_django

TODAY = datetime.date(2026, 11, 27)  # fixed, so that runs compare
PHRASES = [
    "工业机器视觉",
    "表面缺陷检测",
    "汽车零部件",
    "装配质检",
    "激光雷达",
    "自动驾驶",
    "车规级芯片",
    "集成电路设计",
    "功率半导体",
    "储能系统",
    "锂离子电池",
    "光伏逆变器",
    "氢燃料电池",
    "工业机器人",
    "协作机器人",
    "数控机床",
    "增材制造",
    "精密测量",
    "实验分析仪器",
    "生物医药",
    "基因检测",
    "医疗器械",
    "创新药",
    "新材料",
    "碳纤维",
    "石墨烯",
    "节能环保",
    "污水处理",
    "楼宇能耗",
    "物联网平台",
    "工业互联网",
    "云计算",
    "大数据",
    "人工智能算法",
    "自然语言处理",
    "计算机视觉",
    "网络安全",
    "区块链",
    "智慧园区",
    "物业管理",
    "餐饮配送",
    "仓储物流",
    "无人机",
    "卫星导航",
    "航天器",
    "低空经济",
    "智能网联汽车",
    "充电桩",
]


def build(companies: int, requests: int, scenarios: int) -> Any:
    from core.choices import Role
    from core.models import Jurisdiction, Operator
    from core.users import user_create
    from enterprises.models import Enterprise
    from programs.choices import RequestState, ServiceCategory
    from programs.models import Scenario, ServiceKind, ServiceRequest
    from spaces.models import Park

    rng = random.Random(7)
    operator = Operator.objects.create(code="BENCH", name="bench")
    district = Jurisdiction.objects.create(code="BENCH", name="bench")
    park = Park.objects.create(
        code="P1", name="园区", kind="manufacturing", operator=operator, jurisdiction=district
    )
    admin = user_create(actor=None, username="bench", password="x-Bench-123", role=Role.ADMIN)
    kinds = ServiceKind.objects.bulk_create(
        [
            ServiceKind(operator=operator, name=f"服务{n}", category=c, sla_days=3 + n)
            for n, c in enumerate(ServiceCategory.values[:8])
        ]
    )
    firms = Enterprise.objects.bulk_create(
        [
            Enterprise(
                name=f"北京测试{n}科技有限公司",
                credit_code=f"BENCH{n:013d}",
                description="，".join(rng.sample(PHRASES, 4)) + "。",
            )
            for n in range(companies)
        ],
        batch_size=2000,
    )
    states = [
        RequestState.OPEN,
        RequestState.IN_PROGRESS,
        RequestState.WAITING,
        RequestState.RESOLVED,
        RequestState.CLOSED,
        RequestState.CLOSED,
    ]
    rows = []
    for n in range(requests):
        state = states[n % len(states)]
        due = TODAY + datetime.timedelta(days=rng.randint(-200, 30))
        done = state in (RequestState.RESOLVED, RequestState.CLOSED)
        rows.append(
            ServiceRequest(
                park=park,
                enterprise=firms[n % len(firms)],
                kind=kinds[n % len(kinds)],
                subject=f"请求{n}",
                description="—",
                state=state,
                opened_by=admin,
                due_on=due,
                resolved_on=due + datetime.timedelta(days=rng.randint(-5, 3)) if done else None,
            )
        )
    ServiceRequest.objects.bulk_create(rows, batch_size=5000)
    Scenario.objects.bulk_create(
        [
            Scenario(
                operator=operator,
                title="、".join(rng.sample(PHRASES, 2)) + "应用场景",
                owner="园区运营方",
                setting="需要" + "，".join(rng.sample(PHRASES, 5)) + "的解决方案。",
                deadline=TODAY,
            )
            for _ in range(scenarios)
        ]
    )
    return admin


BREACHED_SQL = """
SELECT COUNT(*) FROM programs_servicerequest
WHERE (resolved_on IS NOT NULL AND resolved_on > due_on)
   OR (resolved_on IS NULL AND state IN ('open', 'in_progress') AND due_on < %s)
"""
PAGE_SQL = """
SELECT id, CASE WHEN (resolved_on IS NOT NULL AND resolved_on > due_on)
                  OR (resolved_on IS NULL AND state IN ('open', 'in_progress') AND due_on < %s)
           THEN 1 ELSE 0 END
FROM programs_servicerequest ORDER BY due_on, id LIMIT 50
"""


def queue_orm(user: Any) -> tuple[int, list[tuple[int, bool]]]:
    from programs.models import ServiceRequest, breached_q
    from programs.selectors import queue

    late = ServiceRequest.objects.restrict(user).filter(breached_q(TODAY)).count()
    page = [(r.pk, bool(r.is_breached)) for r in queue(user, TODAY)[:50]]
    return late, page


def queue_sql() -> tuple[int, list[tuple[int, bool]]]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(BREACHED_SQL, [TODAY])
        (late,) = cursor.fetchone()
        cursor.execute(PAGE_SQL, [TODAY])
        page = [(pk, bool(flag)) for pk, flag in cursor.fetchall()]
    return late, page


def match_all() -> int:
    from enterprises.models import Enterprise
    from programs.models import Scenario
    from programs.scenario_match import CompanyIndex, tokens

    tokens.cache_clear()  # each run segments every text again: no help from the last run
    index = CompanyIndex.of(Enterprise.objects.all())
    return sum(len(index.rank(s, limit=10)) for s in Scenario.objects.prefetch_related("tags"))


def read_texts() -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT id, name, description FROM enterprises_enterprise")
        return len(cursor.fetchall())


def median_time(fn: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    samples, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200_000)
    parser.add_argument("--companies", type=int, default=20_000)
    parser.add_argument("--scenarios", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    setup_django()
    from django.db import connection

    start = time.perf_counter()
    admin = build(args.companies, args.requests, args.scenarios)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(
        f"built {args.requests:,} requests, {args.companies:,} companies, {args.scenarios} "
        f"scenarios in {time.perf_counter() - start:.0f} s ({connection.vendor})"
    )
    mine_t, mine = median_time(lambda: queue_orm(admin), args.repeat)
    floor_t, floor = median_time(queue_sql, args.repeat)
    assert mine == floor, "the queue and the SQL disagree"
    print(
        f"SLA queue ({mine[0]:,} past their SLA, first page of 50): "
        f"{mine_t * 1000:.0f} ms vs SQL {floor_t * 1000:.0f} ms, ratio {mine_t / floor_t:.1f}"
    )
    match_t, found = median_time(match_all, max(1, args.repeat - 2))
    read_t, read = median_time(read_texts, args.repeat)
    print(
        f"matching {args.scenarios} scenarios against {read:,} companies ({found} ranked): "
        f"{match_t:.1f} s vs reading their texts {read_t * 1000:.0f} ms, "
        f"ratio {match_t / read_t:.0f}"
    )


if __name__ == "__main__":
    main()
