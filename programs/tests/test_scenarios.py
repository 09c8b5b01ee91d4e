"""Application scenarios: companies ranked by fit (Chinese text by jieba and BM25, shared
tags, industry), with the reasons shown; the open scenarios that fit a company; proposals
from submission to adoption."""

from __future__ import annotations

import datetime
import json
from decimal import Decimal

import pytest
from django.utils import timezone

from core.errors import ConflictError
from enterprises.demo import credit_code
from enterprises.models import CatalogTag, Enterprise, Industry
from programs import services
from programs.choices import ProposalState
from programs.models import Proposal, Scenario
from programs.scenario_match import CompanyIndex, scenarios_for, tokens

pytestmark = pytest.mark.django_db
LATER = timezone.localdate() + datetime.timedelta(days=60)


def company(name, description, industry, tags=()):
    row = Enterprise.objects.create(
        name=name,
        credit_code=credit_code(f"91110108MA0{Enterprise.objects.count():06d}"),
        description=description,
        industry=Industry.objects.get(code=industry),
    )
    row.tags.set(CatalogTag.objects.filter(name__in=tags))
    return row


def scenario(world, **fields):
    tags = fields.pop("tags", [])
    row = Scenario.objects.create(
        operator=world.operators["A"],
        title=fields.pop("title", "总装产线视觉质检"),
        owner="园区运营方",
        setting=fields.pop(
            "setting", "汽车零部件总装产线需要基于机器视觉的表面缺陷检测，要求识别划痕与装配错误。"
        ),
        deadline=LATER,
        **fields,
    )
    row.tags.set(CatalogTag.objects.filter(name__in=tags))
    return row


def test_chinese_text_is_segmented_into_content_words():
    words = tokens("基于机器视觉的表面缺陷检测")
    assert "机器" in words and "视觉" in words and "缺陷" in words and "检测" in words
    assert "的" not in words


def test_an_obviously_fitting_company_ranks_above_an_unrelated_one_with_its_reasons(world):
    fitting = company(
        "北京慧眼智能科技有限公司",
        "专注工业机器视觉，为汽车产线提供表面缺陷检测和装配质检系统。",
        "65",
        tags=["人工智能", "智能制造"],
    )
    unrelated = company("北京甜园餐饮管理有限公司", "连锁餐饮与团餐配送。", "62")
    row = scenario(world, tags=["智能制造"])
    ranked = CompanyIndex.of(Enterprise.objects.filter(pk__in=[fitting.pk, unrelated.pk])).rank(row)
    assert ranked[0].enterprise == fitting
    assert unrelated not in [r.enterprise for r in ranked]  # nothing in common: not offered
    why = " ".join(ranked[0].reasons)
    assert "视觉" in why and "智能制造" in why and "缺陷" in ranked[0].terms


def test_industry_and_tags_lift_a_company_whose_text_says_less(world):
    plain = company("北京甲制造有限公司", "检测", "34")
    tagged = company("北京乙制造有限公司", "检测", "34", tags=["智能制造"])
    row = scenario(world, tags=["智能制造"], industry_codes="C")
    ranked = CompanyIndex.of(Enterprise.objects.filter(pk__in=[plain.pk, tagged.pk])).rank(row)
    assert [r.enterprise for r in ranked] == [tagged, plain]
    assert any("C" in reason for reason in ranked[1].reasons)


def test_a_company_sees_the_open_scenarios_that_fit_it(world):
    fitting = company("北京慧眼智能科技有限公司", "工业机器视觉缺陷检测", "65")
    good = scenario(world)
    other = scenario(world, title="园区食堂团餐供应", setting="员工食堂午餐与团餐配送服务。")
    found = scenarios_for(fitting, Scenario.objects.filter(pk__in=[good.pk, other.pk]))
    assert [r.scenario for r in found] == [good]


def test_a_proposal_from_submission_to_adoption(world):
    row = scenario(world)
    tenant, operator = world.users["tenant"], world.users["operator"]
    made = services.proposal_create(
        actor=tenant, instance=Proposal(scenario=row, summary="视觉质检方案")
    )
    assert made.enterprise == world.sample(Enterprise) and made.state == ProposalState.SUBMITTED
    with pytest.raises(ConflictError):
        services.proposal_create(actor=tenant, instance=Proposal(scenario=row, summary="再来一份"))
    with pytest.raises(ConflictError):  # a company does not shortlist itself
        services.proposal_move(actor=tenant, proposal=made, action="shortlist")
    services.proposal_move(actor=operator, proposal=made, action="shortlist")
    services.proposal_move(actor=operator, proposal=made, action="pilot")
    with pytest.raises(ConflictError) as exc:
        services.proposal_move(actor=operator, proposal=made, action="adopt", value_wan=Decimal(80))
    assert exc.value.code == "reason_required"
    services.proposal_move(
        actor=operator,
        proposal=made,
        action="adopt",
        outcome="试点检出率 99.2%，签订采购合同",
        value_wan=Decimal(80),
    )
    made.refresh_from_db()
    assert made.state == ProposalState.WON and made.value_wan == Decimal(80)


def test_a_closed_or_past_scenario_takes_no_proposal(world):
    row = scenario(world)
    Scenario.objects.filter(pk=row.pk).update(
        deadline=timezone.localdate() - datetime.timedelta(days=1)
    )
    row.refresh_from_db()
    with pytest.raises(ConflictError):
        services.proposal_create(
            actor=world.users["tenant"], instance=Proposal(scenario=row, summary="x")
        )


def test_the_api_ranks_for_staff_only(world, client_for):
    company("北京慧眼智能科技有限公司", "工业机器视觉缺陷检测", "65")
    row = scenario(world)
    url = f"/api/v1/programs/scenarios/{row.pk}/matches"
    answer = client_for("operator").get(url)
    assert answer.status_code == 200
    assert client_for("tenant").get(url).status_code == 403
    made = client_for("tenant").post(
        "/api/v1/programs/proposals",
        json.dumps({"scenario_id": row.pk, "summary": "方案"}),
        content_type="application/json",
    )
    assert made.status_code == 201, made.content
