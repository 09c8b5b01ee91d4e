"""Scenario matching: companies ranked by fit for an application scenario, and the open
scenarios that fit a company — from the Chinese text of their descriptions (segmented by
``jieba``, ranked by BM25 from ``rank_bm25``, offline) plus the structured facts (catalogue
tags shared, industry under the scenario's codes). Every rank comes with its reasons: the
terms matched and the fields they came from.

The index over companies is built once per call (and reused for many scenarios), so ranking
50 scenarios against 20,000 companies segments each company's text once.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import jieba
from django.utils.translation import gettext as _
from rank_bm25 import BM25Okapi

from enterprises.models import Enterprise
from programs.models import Scenario

__all__ = ["CompanyIndex", "Ranked", "scenarios_for", "tokens"]

jieba.setLogLevel(60)  # the dictionary loads quietly
TAG_WEIGHT, INDUSTRY_WEIGHT = 2.0, 1.5
# words that say nothing about fit (a company, a service, a need…)
STOP = frozenset(
    [
        "的",
        "和",
        "与",
        "及",
        "等",
        "为",
        "在",
        "对",
        "于",
        "了",
        "是",
        "有",
        "我们",
        "企业",
        "公司",
        "有限公司",
        "北京",
        "科技",
        "服务",
        "提供",
        "需求",
        "场景",
        "进行",
        "相关",
        "开展",
        "一个",
        "以及",
        "通过",
        "研发",
        "技术",
        "应用",
    ]
)


@lru_cache(maxsize=20000)
def tokens(text: str) -> tuple[str, ...]:
    """The content words of a Chinese (or mixed) text, for search."""
    words = jieba.cut_for_search(text or "")
    return tuple(
        w.lower()
        for w in words
        if len(w.strip()) > 1 and w not in STOP and not re.fullmatch(r"\W+", w)
    )


@dataclass
class Ranked:
    enterprise: Any
    scenario: Any
    score: float
    terms: list[str] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)


def _company_text(company: Enterprise) -> str:
    industry = company.industry.name if company.industry else ""
    return " ".join([company.name, company.description, industry])


class CompanyIndex:
    """BM25 over the companies' texts, with their tags and industry lineages beside."""

    def __init__(self, companies: Iterable[Enterprise]) -> None:
        self.companies = list(companies)
        self.docs = [tokens(_company_text(c)) for c in self.companies]
        self.sets = [set(d) for d in self.docs]
        self.bm25 = BM25Okapi([list(d) or ["∅"] for d in self.docs]) if self.companies else None
        self.tags = [{t.name for t in c.tags.all()} for c in self.companies]
        self.lineages = [set(c.industry.lineage) if c.industry else set() for c in self.companies]

    @classmethod
    def of(cls, companies: Any) -> CompanyIndex:
        return cls(companies.select_related("industry").prefetch_related("tags"))

    def rank(self, scenario: Scenario, *, limit: int = 10, only: int | None = None) -> list[Ranked]:
        """The companies that fit ``scenario`` best, each with why (``only``: that one
        company's fit, scored against the whole index)."""
        if self.bm25 is None:
            return []
        query = list(dict.fromkeys(tokens(f"{scenario.title} {scenario.setting}")))
        wanted_tags = {t.name for t in scenario.tags.all()}
        codes = set(scenario.industry_list())
        text_scores = self.bm25.get_scores(query) if query else [0.0] * len(self.companies)
        ranked = []
        for i, company in enumerate(self.companies):
            if only is not None and company.pk != only:
                continue
            shared_tags = sorted(self.tags[i] & wanted_tags)
            industry_hit = sorted(self.lineages[i] & codes)
            terms = [w for w in query if w in self.sets[i]]
            score = float(text_scores[i]) + TAG_WEIGHT * len(shared_tags)
            score += INDUSTRY_WEIGHT if industry_hit else 0.0
            if score <= 0:
                continue
            reasons = []
            if terms:
                reasons.append(_("description mentions %(t)s") % {"t": "、".join(terms[:6])})
            if shared_tags:
                reasons.append(_("tags %(t)s") % {"t": "、".join(shared_tags)})
            if industry_hit:
                reasons.append(_("industry under %(c)s") % {"c": "、".join(industry_hit)})
            ranked.append(Ranked(company, scenario, round(score, 3), terms, reasons))
        ranked.sort(key=lambda r: (-r.score, r.enterprise.pk))
        return ranked[:limit]


def scenarios_for(company: Enterprise, scenarios: Any, *, limit: int = 10) -> list[Ranked]:
    """The open scenarios that fit one company, best first (its portal). The words are
    weighed against every company's texts, so a word all companies share counts little."""
    index = CompanyIndex.of(Enterprise.objects.all())
    found = [
        r
        for s in scenarios.prefetch_related("tags")
        for r in index.rank(s, limit=1, only=company.pk)
    ]
    found.sort(key=lambda r: -r.score)
    return found[:limit]
