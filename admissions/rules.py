"""Industry thresholds (产业门槛): every rule kind, evaluated with a reason in words.

A failed rule never drops an application: screening stores each rule's outcome and the
reviewers see why.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from django.utils.translation import gettext as _

from admissions.choices import RuleKind
from admissions.models import Application, ThresholdRule, plain_number

__all__ = ["evaluate"]

Outcome = tuple[bool, str]


def _industry_codes(app: Application) -> set[str]:
    """The company's industry and every node above it: class 2611 lies under 261, 26 and C,
    so a rule naming any of them matches it (and a rule naming 2611 does not match 26)."""
    industry = app.enterprise.industry
    return set(industry.lineage) if industry else set()


def _industry_allowed(rule: ThresholdRule, app: Application) -> Outcome:
    codes = _industry_codes(app)
    if not codes:
        return False, _("The company's industry is not recorded, so it cannot be shown allowed.")
    hit = sorted(codes & set(rule.item_list()))
    if hit:
        return True, _("Industry %(industry)s lies under %(node)s, which is allowed.") % {
            "industry": app.enterprise.industry,
            "node": "、".join(hit),
        }
    return False, _("Industry %(industry)s lies under none of %(allowed)s.") % {
        "industry": app.enterprise.industry,
        "allowed": "、".join(rule.item_list()),
    }


def _industry_excluded(rule: ThresholdRule, app: Application) -> Outcome:
    codes = _industry_codes(app)
    if not codes:  # an unknown industry is never taken for an allowed one
        return False, _(
            "The company's industry is not recorded, so it cannot be shown not to be excluded."
        )
    hit = sorted(codes & set(rule.item_list()))
    if hit:
        return False, _("Industry %(industry)s lies under %(node)s, which is excluded.") % {
            "industry": app.enterprise.industry,
            "node": "、".join(hit),
        }
    return True, _("Industry %(industry)s lies under none of the excluded %(excluded)s.") % {
        "industry": app.enterprise.industry,
        "excluded": "、".join(rule.item_list()),
    }


def _tag_required(rule: ThresholdRule, app: Application) -> Outcome:
    tags = {t.name for t in app.enterprise.tags.all()}
    hit = tags & set(rule.item_list())
    if hit:
        return True, _("Carries %(tags)s.") % {"tags": "、".join(sorted(hit))}
    return False, _("Carries none of %(wanted)s (has: %(has)s).") % {
        "wanted": "、".join(rule.item_list()),
        "has": "、".join(sorted(tags)) or "—",
    }


def _activity_excluded(rule: ThresholdRule, app: Application) -> Outcome:
    text = f"{app.description} {app.enterprise.description}"
    hits = [k for k in rule.item_list() if k in text]
    if hits:
        return False, _("The business involves %(hits)s.") % {"hits": "、".join(hits)}
    return True, _("No excluded activity found in the business description.")


def _minimum(field: str, unit: str) -> Callable[[ThresholdRule, Application], Outcome]:
    def check(rule: ThresholdRule, app: Application) -> Outcome:
        value = getattr(app, field)
        if value is None:
            return False, _("No commitment given (at least %(min)s%(unit)s needed).") % {
                "min": plain_number(rule.value),
                "unit": unit,
            }
        if Decimal(value) >= Decimal(rule.value or 0):
            return True, _("%(value)s%(unit)s ≥ %(min)s%(unit)s.") % {
                "value": plain_number(value),
                "min": plain_number(rule.value),
                "unit": unit,
            }
        return False, _("%(value)s%(unit)s is below the minimum of %(min)s%(unit)s.") % {
            "value": plain_number(value),
            "min": plain_number(rule.value),
            "unit": unit,
        }

    return check


CHECKS: dict[str, Callable[[ThresholdRule, Application], Outcome]] = {
    RuleKind.INDUSTRY_ALLOWED: _industry_allowed,
    RuleKind.INDUSTRY_EXCLUDED: _industry_excluded,
    RuleKind.TAG_REQUIRED: _tag_required,
    RuleKind.ACTIVITY_EXCLUDED: _activity_excluded,
    RuleKind.MIN_RD_INTENSITY: _minimum("rd_intensity_pct", "%"),
    RuleKind.MIN_OUTPUT_PER_M2: _minimum("output_per_m2", " 元/㎡"),
    RuleKind.MIN_TALENT_SHARE: _minimum("talent_share_pct", "%"),
    RuleKind.MIN_HEADCOUNT: _minimum("headcount", " 人"),
}


def evaluate(rule: ThresholdRule, app: Application) -> Outcome:
    return CHECKS[rule.kind](rule, app)
