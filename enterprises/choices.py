"""Growth stages, qualification kinds and levels of the enterprise registry."""

from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = [
    "FilingState",
    "FundingRound",
    "GrowthStage",
    "QualificationKind",
    "QualificationLevel",
    "StatPeriodKind",
]


class GrowthStage(models.TextChoices):
    STARTUP = "startup", _("Start-up")
    GROWTH = "growth", _("Growth")
    EXPANSION = "expansion", _("Expansion")
    MATURE = "mature", _("Mature")


class QualificationKind(models.TextChoices):
    HIGH_TECH = "high_tech", _("High-tech enterprise")
    SPECIALISED = "specialised", _("Specialised and sophisticated SME")
    GAZELLE = "gazelle", _("Gazelle enterprise")
    UNICORN = "unicorn", _("Unicorn")
    STAR_CANDIDATE = "star_candidate", _("STAR Market IPO candidate")
    KEY_LAB = "key_lab", _("Key laboratory")


class QualificationLevel(models.TextChoices):
    NATIONAL = "national", _("National")
    PROVINCIAL = "provincial", _("Provincial / ministerial")
    MUNICIPAL = "municipal", _("Municipal")


# Which kinds carry a level, and which levels they accept (专精特新: 国家级小巨人 / 省级 / 市级).
LEVELS_BY_KIND: dict[str, tuple[str, ...]] = {
    QualificationKind.SPECIALISED: (
        QualificationLevel.NATIONAL,
        QualificationLevel.PROVINCIAL,
        QualificationLevel.MUNICIPAL,
    ),
    QualificationKind.KEY_LAB: (QualificationLevel.NATIONAL, QualificationLevel.PROVINCIAL),
}


class FundingRound(models.TextChoices):
    """A company's financing rounds (融资轮次), as the registry and the fund name them."""

    SEED = "seed", _("Seed")
    ANGEL = "angel", _("Angel")
    PRE_A = "pre_a", _("Pre-A")
    A = "a", _("Series A")
    B = "b", _("Series B")
    C = "c", _("Series C")
    D = "d", _("Series D and later")
    PRE_IPO = "pre_ipo", _("Pre-IPO")
    STRATEGIC = "strategic", _("Strategic")
    IPO = "ipo", _("IPO")


class StatPeriodKind(models.TextChoices):
    """How long a statistics period (企业统计报表的报告期) runs."""

    MONTH = "month", _("Monthly")
    QUARTER = "quarter", _("Quarterly")
    YEAR = "year", _("Annual")


class FilingState(models.TextChoices):
    DUE = "due", _("To be filed")
    FILED = "filed", _("Filed")
