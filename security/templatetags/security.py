"""``{{ entry.device|device }}``: a User-Agent as people say it (Chrome 130 · Windows 10),
parsed by ua-parser; the raw string stays in the record and in the title."""

from __future__ import annotations

from functools import lru_cache

from django import template
from ua_parser import parse

register = template.Library()


@register.filter
@lru_cache(maxsize=512)
def device(user_agent: str) -> str:
    if not user_agent:
        return ""
    result = parse(user_agent)
    parts = []
    if result.user_agent is not None and result.user_agent.family != "Other":
        parts.append(" ".join(p for p in (result.user_agent.family, result.user_agent.major) if p))
    if result.os is not None and result.os.family != "Other":
        parts.append(" ".join(p for p in (result.os.family, result.os.major) if p))
    return " · ".join(parts) or user_agent[:40]
