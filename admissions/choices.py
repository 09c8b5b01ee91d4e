"""States of an application and who may move it where, as data (the workflow)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.choices import Role
from core.workflow import Transition

__all__ = [
    "CHANNEL_OF_ROLE",
    "LIST_RULES",
    "OPEN_STATES",
    "TRANSITIONS",
    "AppState",
    "Channel",
    "Decision",
    "RuleKind",
    "Side",
    "Transition",
]


class AppState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    SCREENING = "screening", _("Screening")
    RISK = "risk", _("Risk assessment")
    REVIEW = "review", _("Joint review")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    CONVERTED = "converted", _("Converted to a lease")


OPEN_STATES = (
    AppState.DRAFT,
    AppState.SUBMITTED,
    AppState.SCREENING,
    AppState.RISK,
    AppState.REVIEW,
)


class Channel(models.TextChoices):
    GOV = "gov", _("Government recommended")
    OPERATOR = "operator", _("Operator sourced")
    SELF = "self", _("Self-applied")


# The channel each role's new applications come through.
CHANNEL_OF_ROLE = {
    Role.GOV: Channel.GOV,
    Role.OPERATOR: Channel.OPERATOR,
    Role.TENANT: Channel.SELF,
    Role.ADMIN: Channel.OPERATOR,
}


class Side(models.TextChoices):
    GOV = "gov", _("Government")
    OPERATOR = "operator", _("Operator")


class Decision(models.TextChoices):
    APPROVE = "approve", _("Approve")
    REJECT = "reject", _("Reject")
    REQUEST_INFO = "request_info", _("Request information")


class RuleKind(models.TextChoices):
    INDUSTRY_ALLOWED = "industry_allowed", _("Industry must be one of")
    INDUSTRY_EXCLUDED = "industry_excluded", _("Industry must not be one of")
    TAG_REQUIRED = "tag_required", _("Must carry one of the catalog tags")
    ACTIVITY_EXCLUDED = "activity_excluded", _("Business must not involve")
    MIN_RD_INTENSITY = "min_rd_intensity", _("Minimum R&D intensity (%)")
    MIN_OUTPUT_PER_M2 = "min_output_per_m2", _("Minimum committed output per m² (元/年)")
    MIN_TALENT_SHARE = "min_talent_share", _("Minimum share of talents (%)")
    MIN_HEADCOUNT = "min_headcount", _("Minimum committed headcount")


LIST_RULES = {
    RuleKind.INDUSTRY_ALLOWED,
    RuleKind.INDUSTRY_EXCLUDED,
    RuleKind.TAG_REQUIRED,
    RuleKind.ACTIVITY_EXCLUDED,
}


OPERATOR = frozenset({Role.OPERATOR})
TRANSITIONS: dict[str, Transition] = {
    t.action: t
    for t in [
        Transition(
            "submit", _("Submit"), (AppState.DRAFT,), AppState.SUBMITTED, frozenset(), creator=True
        ),
        Transition(
            "start_screening",
            _("Start screening"),
            (AppState.SUBMITTED,),
            AppState.SCREENING,
            OPERATOR,
        ),
        Transition(
            "rescreen", _("Screen again"), (AppState.SCREENING,), AppState.SCREENING, OPERATOR
        ),
        Transition(
            "to_risk", _("Go to risk assessment"), (AppState.SCREENING,), AppState.RISK, OPERATOR
        ),
        Transition(
            "to_review", _("Send to joint review"), (AppState.RISK,), AppState.REVIEW, OPERATOR
        ),
        Transition(
            "reject",
            _("Reject"),
            (AppState.SUBMITTED, AppState.SCREENING, AppState.RISK),
            AppState.REJECTED,
            OPERATOR,
            danger=True,
        ),
        Transition(
            "withdraw",
            _("Withdraw"),
            OPEN_STATES,
            AppState.WITHDRAWN,
            frozenset(),
            creator=True,
            danger=True,
        ),
    ]
}
