"""Kinds and stages of the fund's records, and the deal pipeline's moves, as data."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.choices import Role
from core.workflow import Transition, Workflow

__all__ = [
    "DEAL_FLOW",
    "OPEN_STAGES",
    "DealSource",
    "DealStage",
    "ExitKind",
    "ExpenseKind",
    "FeeBasis",
    "FlowKind",
    "Instrument",
    "LpKind",
    "MarkMethod",
]


class FeeBasis(models.TextChoices):
    COMMITTED = "committed", _("Committed capital")
    INVESTED = "invested", _("Invested capital")


class LpKind(models.TextChoices):
    GOVERNMENT = "government", _("Government guidance fund")
    OPERATOR = "operator", _("Park operator")
    CORPORATE = "corporate", _("Corporate")
    INSTITUTION = "institution", _("Financial institution")
    INDIVIDUAL = "individual", _("Individual")


class FlowKind(models.TextChoices):
    CALL = "call", _("Capital call")
    DISTRIBUTION = "distribution", _("Distribution")


class ExpenseKind(models.TextChoices):
    MANAGEMENT_FEE = "management_fee", _("Management fee")
    EXPENSE = "expense", _("Fund expense")


class DealSource(models.TextChoices):
    TENANT = "tenant", _("Park tenant")
    APPLICANT = "applicant", _("Admission applicant")
    GOVERNMENT = "government", _("Government recommendation")
    GROWTH_SIGNAL = "growth_signal", _("Growth signal")
    EXTERNAL = "external", _("External")


class DealStage(models.TextChoices):
    LEAD = "lead", _("Lead")
    SCREENING = "screening", _("Screening")
    DILIGENCE = "diligence", _("Due diligence")
    COMMITTEE = "committee", _("Investment committee")
    INVESTED = "invested", _("Invested")
    PASSED = "passed", _("Passed")


OPEN_STAGES = (DealStage.LEAD, DealStage.SCREENING, DealStage.DILIGENCE, DealStage.COMMITTEE)


class Instrument(models.TextChoices):
    EQUITY = "equity", _("Equity")
    CONVERTIBLE = "convertible", _("Convertible loan")
    SAFE = "safe", _("SAFE-like agreement")


class MarkMethod(models.TextChoices):
    COST = "cost", _("Cost")
    LATEST_ROUND = "latest_round", _("Latest round")
    COMPARABLES = "comparables", _("Comparables")
    WRITE_DOWN = "write_down", _("Write-down")


class ExitKind(models.TextChoices):
    TRADE_SALE = "trade_sale", _("Trade sale")
    IPO = "ipo", _("IPO")
    BUY_BACK = "buy_back", _("Buy-back")
    WRITE_OFF = "write_off", _("Write-off")


_MANAGERS = frozenset({Role.FUND})
_ADVANCE = (
    (DealStage.LEAD, DealStage.SCREENING, "screen", _("Start screening")),
    (DealStage.SCREENING, DealStage.DILIGENCE, "diligence", _("Start due diligence")),
    (DealStage.DILIGENCE, DealStage.COMMITTEE, "to_committee", _("Send to committee")),
    (DealStage.COMMITTEE, DealStage.INVESTED, "invest", _("Mark invested")),
)

# The pipeline (线索 → 初筛 → 尽调 → 投决 → 已投 / 放弃): forward one stage at a time, back
# one stage where new facts send it back, and out (放弃, with a reason) from any open stage.
DEAL_FLOW = Workflow.of(
    "stage",
    [
        *(Transition(a, label, (s,), t, roles=_MANAGERS) for s, t, a, label in _ADVANCE),
        Transition(
            "back_to_lead",
            _("Back to lead"),
            (DealStage.SCREENING,),
            DealStage.LEAD,
            roles=_MANAGERS,
        ),
        Transition(
            "back_to_screening",
            _("Back to screening"),
            (DealStage.DILIGENCE,),
            DealStage.SCREENING,
            roles=_MANAGERS,
        ),
        Transition(
            "back_to_diligence",
            _("Back to due diligence"),
            (DealStage.COMMITTEE,),
            DealStage.DILIGENCE,
            roles=_MANAGERS,
        ),
        Transition("pass", _("Pass"), OPEN_STAGES, DealStage.PASSED, roles=_MANAGERS, danger=True),
        Transition("reopen", _("Reopen"), (DealStage.PASSED,), DealStage.LEAD, roles=_MANAGERS),
    ],
)
