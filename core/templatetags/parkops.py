"""Template helpers: table cells, query strings, money and areas in 万/亿."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django import template
from django.http import QueryDict
from django.utils.translation import get_language

from core.tables import Column, cell_value, status_tag
from core.tables import shown as shown_value

register = template.Library()


@register.simple_tag
def cell(obj: Any, column: Column) -> Any:
    return cell_value(obj, column)


@register.simple_tag(takes_context=True)
def query(context: dict[str, Any], **changes: Any) -> str:
    """The current query string with ``changes`` applied (None removes a key)."""
    params: QueryDict = context["request"].GET.copy()
    for key, value in changes.items():
        if value is None:
            params.pop(key, None)
        else:
            params[key] = value
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.filter
def status(obj: Any, field: str = "state") -> Any:
    """A record's state as the coloured tag every list shows (core.tables' palette)."""
    return status_tag(getattr(obj, field), getattr(obj, f"get_{field}_display")())


@register.filter
def big_number(value: Any) -> str:
    """Summaries show 万 and 亿: 52,340,000 → 5,234万; 5,200,000,000 → 52.00亿."""
    if value in (None, ""):
        return "—"
    number = Decimal(str(value))
    if (get_language() or "").startswith("zh"):
        scales = [(Decimal("100000000"), "亿", 2), (Decimal("10000"), "万", 1)]
    else:
        scales = [(Decimal("1000000000"), " bn", 2), (Decimal("1000000"), " M", 2)]
    for scale, suffix, digits in scales:
        if abs(number) >= scale:
            return f"{number / scale:,.{digits}f}{suffix}"
    return f"{number:,.2f}".rstrip("0").rstrip(".")


@register.filter
def percent(value: Any, digits: int = 1) -> str:
    if value in (None, ""):
        return "—"
    return f"{Decimal(str(value)) * 100:.{digits}f}%"


@register.filter
def shown_money(value: Any) -> Any:
    """An exact amount rounded half-up to the 分, with separators: 1,643,658.88."""
    if value in (None, ""):
        return "—"
    return shown_value(Decimal(str(value)).quantize(Decimal("0.01"), ROUND_HALF_UP))


@register.filter
def multiple(value: Any) -> str:
    """A multiple (TVPI, MOIC) as 1.3712x: a ratio to 4 decimals, rounded half-up (the API
    keeps full precision); — where there is none."""
    if value in (None, ""):
        return "—"
    return f"{Decimal(str(value)).quantize(Decimal('0.0001'), ROUND_HALF_UP)}x"


@register.filter
def rate(value: Any) -> str:
    """An annual rate (0.12345) as 12.35 % (the ratio to 4 decimals), rounded half-up; —
    where no rate exists."""
    if value in (None, ""):
        return "—"
    shown = (Decimal(str(value)) * 100).quantize(Decimal("0.01"), ROUND_HALF_UP)
    return f"{abs(shown) if shown == 0 else shown}%"  # never "-0.0%"


@register.filter
def shown(value: Any) -> Any:
    """A field's value as pages show it (core.tables.shown)."""
    return shown_value(value)


@register.filter
def get_item(mapping: dict[Any, Any] | None, key: Any) -> Any:
    return mapping.get(key) if mapping else None


@register.filter
def figure(value: Any, unit: str) -> str:
    """A KPI as its unit reads: rate 98.5%, area 101,025 ㎡, money in 万/亿, counts grouped."""
    if value in (None, ""):
        return "—"
    if unit == "rate":
        return percent(value)
    if unit == "multiple":
        return multiple(value)
    if unit == "yuan":
        return big_number(value)
    number = Decimal(str(value))
    text = f"{number:,.0f}" if unit in ("count", "m2") else f"{number:,.2f}"
    return f"{text} ㎡" if unit == "m2" else text
