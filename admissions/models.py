"""Admission records: applications, park thresholds, screening results, risk assessments,
joint reviews, and each operator's admission settings (risk weights, quorum)."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from admissions.choices import LIST_RULES, AppState, Channel, Decision, RuleKind, Side
from core.choices import Role
from core.models import Operator, TimeStampedModel
from core.permissions import ALL_ACTIONS, READ, Policy, RestrictedQuerySet
from enterprises.models import Enterprise
from spaces.models import Park

INDUSTRY_RULES = {RuleKind.INDUSTRY_ALLOWED, RuleKind.INDUSTRY_EXCLUDED}
PERCENT_RULES = {RuleKind.MIN_RD_INTENSITY, RuleKind.MIN_TALENT_SHARE}

__all__ = [
    "AdmissionSettings",
    "Application",
    "Review",
    "RiskAssessment",
    "ScreeningResult",
    "ThresholdRule",
    "plain_number",
]

PERCENT = [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))]
POSITIVE = [MinValueValidator(Decimal("0"))]
WORK = frozenset({"view", "add", "change"})

# Documented default weights of the customer risk assessment (客户风险评估); an operator may
# change them on its admission settings. See admissions/risk.py for each factor's scale.
DEFAULT_WEIGHTS = {
    "years": 10,
    "capital": 10,
    "revenue_trend": 15,
    "debt_ratio": 15,
    "rent_to_revenue": 15,
    "litigation": 10,
    "dishonest": 15,
    "arrears": 10,
}


def plain_number(value: Any) -> str:
    """3 rather than 3.00, 3.5 rather than 3.50; a dash for no value."""
    if value is None:
        return "—"
    number = Decimal(value)
    return f"{number.normalize():f}" if number == number.to_integral() else f"{number:f}"


class AdmissionSettings(TimeStampedModel):
    """One operator's admission rules: risk weights, review quorum, separation of duties."""

    operator = models.OneToOneField(
        Operator,
        verbose_name=_("operator"),
        on_delete=models.CASCADE,
        related_name="admission_settings",
    )
    weights: models.JSONField[Any] = models.JSONField(
        _("risk factor weights"), default=dict, blank=True
    )
    gov_approvals_required = models.PositiveSmallIntegerField(
        _("government approvals required"), default=1, validators=[MinValueValidator(1)]
    )
    operator_approvals_required = models.PositiveSmallIntegerField(
        _("operator approvals required"), default=1, validators=[MinValueValidator(1)]
    )
    separation_of_duties = models.BooleanField(
        _("separation of duties"),
        default=True,
        help_text=_("Whoever created an application may not review it."),
    )

    objects = RestrictedQuerySet.as_manager()
    # the quorums bind both sides of a review: the platform admin's to set for every operator
    policy = Policy(
        grants={Role.OPERATOR: frozenset({"view", "change"})}, operator="operator", platform=True
    )

    class Meta:
        verbose_name = _("admission settings")
        verbose_name_plural = _("admission settings")

    str_related = ("operator",)  # the relations __str__ reads: lists join them

    def __str__(self) -> str:
        return str(_("Admission settings of %(operator)s") % {"operator": self.operator})

    def clean(self) -> None:
        if sum(self.weight_table().values()) <= 0:
            raise ValidationError(
                {"weights": _("The weights must add up to more than 0, or every company scores 0.")}
            )
        unknown = set(self.weights) - set(DEFAULT_WEIGHTS)
        bad = [k for k, v in self.weights.items() if not isinstance(v, int | float) or v < 0]
        if unknown or bad:
            raise ValidationError(
                {
                    "weights": _("Weights are non-negative numbers for the factors %(factors)s.")
                    % {"factors": ", ".join(DEFAULT_WEIGHTS)}
                }
            )

    def weight_table(self) -> dict[str, Decimal]:
        return {k: Decimal(str(self.weights.get(k, v))) for k, v in DEFAULT_WEIGHTS.items()}

    @classmethod
    def for_operator(cls, operator: Operator) -> AdmissionSettings:
        found, _created = cls.objects.get_or_create(operator=operator)
        return found


class ThresholdRule(TimeStampedModel):
    """One industry threshold (产业门槛) of a park, of a typed kind with its parameters."""

    park = models.ForeignKey(
        Park, verbose_name=_("park"), on_delete=models.CASCADE, related_name="threshold_rules"
    )
    kind = models.CharField(_("rule"), max_length=30, choices=RuleKind.choices)
    items = models.CharField(
        _("values"),
        max_length=500,
        blank=True,
        help_text=_(
            "For list rules: industry codes (C, 39), tag names or keywords, separated "
            "by 、 or commas."
        ),
    )
    value = models.DecimalField(
        _("threshold"), max_digits=14, decimal_places=2, null=True, blank=True, validators=POSITIVE
    )
    is_hard = models.BooleanField(
        _("hard rule"),
        default=True,
        help_text=_(
            "A failed hard rule blocks approval unless both sides approve an exception with a "
            "written reason; a failed soft rule only informs the reviewers."
        ),
    )
    is_active = models.BooleanField(_("active"), default=True)

    objects = RestrictedQuerySet.as_manager()
    policy = Policy(grants={Role.OPERATOR: ALL_ACTIONS, Role.GOV: READ}, park="park")

    class Meta:
        verbose_name = _("industry threshold")
        verbose_name_plural = _("industry thresholds")
        ordering = ["park_id", "kind", "id"]

    def __str__(self) -> str:
        return self.describe()

    def describe(self) -> str:
        """The rule in words: its kind and what it checks (“R&D intensity at least: 3”)."""
        detail = "、".join(self.item_list()) if self.items else plain_number(self.value)
        return f"{self.get_kind_display()}：{detail}"

    @property
    def strength(self) -> str:
        return str(_("hard") if self.is_hard else _("soft"))

    def item_list(self) -> list[str]:
        return [i for i in re.split(r"[、,，;；\s]+", self.items or "") if i]

    def clean(self) -> None:
        if self.kind in LIST_RULES:
            if not self.item_list():
                raise ValidationError({"items": _("List the values this rule checks.")})
            self.value = None
            if self.kind in INDUSTRY_RULES:
                self.items = "、".join(self._industry_codes())
        else:
            if self.value is None:
                raise ValidationError({"value": _("Enter the threshold value.")})
            self.items = ""
            if self.kind in PERCENT_RULES and self.value > 100:
                raise ValidationError({"value": _("A share is at most 100 %.")})
            if self.kind == RuleKind.MIN_HEADCOUNT and self.value != self.value.to_integral():
                raise ValidationError({"value": _("A headcount is a whole number.")})

    def _industry_codes(self) -> list[str]:
        """The rule's industry codes, normalised (upper-case section letters, two-digit
        divisions) and each checked against the GB/T 4754-2017 catalogue, at any level."""
        from enterprises.models import Industry

        wanted = []
        for item in self.item_list():
            code = item.strip().upper()
            wanted.append(code.zfill(2) if code.isdigit() and len(code) < 2 else code)
        known = set(Industry.objects.filter(code__in=wanted).values_list("code", flat=True))
        unknown = [c for c in wanted if c not in known]
        if unknown:
            raise ValidationError(
                {
                    "items": _(
                        "“%(codes)s” is not a GB/T 4754-2017 code: use a section letter (A–T), "
                        "a division (39), a group (397) or a class (3973)."
                    )
                    % {"codes": "、".join(unknown)}
                }
            )
        return list(dict.fromkeys(wanted))


class Application(TimeStampedModel):
    """A company's request to enter a park, from one of three channels, through joint review."""

    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name=_("enterprise"),
        on_delete=models.PROTECT,
        related_name="applications",
    )
    park = models.ForeignKey(
        Park, verbose_name=_("target park"), on_delete=models.PROTECT, related_name="applications"
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    state = models.CharField(
        _("state"), max_length=12, choices=AppState.choices, default=AppState.DRAFT, db_index=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    description = models.TextField(_("business description"), blank=True)
    # space requirements
    area_min_m2 = models.DecimalField(
        _("area from (m²)"),
        max_digits=10,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("1"))],
    )
    area_max_m2 = models.DecimalField(
        _("area to (m²)"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=POSITIVE,
    )
    clear_height_min_m = models.DecimalField(
        _("min clear height (m)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=POSITIVE,
    )
    floor_load_min_kn_m2 = models.DecimalField(
        _("min floor load (kN/m²)"),
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        validators=POSITIVE,
    )
    power_min_kva = models.DecimalField(
        _("min power (kVA)"),
        max_digits=8,
        decimal_places=1,
        null=True,
        blank=True,
        validators=POSITIVE,
    )
    budget_rent = models.DecimalField(
        _("rent budget (元/m²/day)"),
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        validators=POSITIVE,
    )
    move_in_on = models.DateField(_("move-in date"), null=True, blank=True)
    # commitments
    rd_intensity_pct = models.DecimalField(
        _("committed R&D intensity (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=PERCENT,
    )
    output_per_m2 = models.DecimalField(
        _("committed output per m² (元/year)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=POSITIVE,
    )
    headcount = models.PositiveIntegerField(_("committed headcount"), null=True, blank=True)
    talent_share_pct = models.DecimalField(
        _("share of talents (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=PERCENT,
        help_text=_("PhD, master's and returnee staff."),
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    lease = models.OneToOneField(
        "leasing.Lease",
        verbose_name=_("lease"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="application",
    )

    objects = RestrictedQuerySet.as_manager()
    # Operator staff work on their parks' applications, reviewers on their jurisdiction's,
    # a company on its own; fund managers are not part of admission.
    policy = Policy(
        grants={Role.OPERATOR: WORK, Role.GOV: WORK, Role.TENANT: WORK},
        park="park",
        enterprise="enterprise",
        hidden={Role.GOV: frozenset({"budget_rent"})},  # reviewers never see what one pays
    )

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["-created_at"]
        # the board's columns: the newest of a state read from the index, not sorted from all
        indexes = [
            models.Index(fields=["state", "-updated_at"], name="application_state_recent"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(area_max_m2__isnull=True) | Q(area_max_m2__gte=models.F("area_min_m2")),
                name="application_area_range",
            ),
        ]

    str_related = ("enterprise", "park")  # the relations __str__ reads: lists join them

    def __str__(self) -> str:
        return f"{self.enterprise} → {self.park}" if self.pk or self.enterprise_id else "—"

    def clean(self) -> None:
        if (
            self.area_max_m2 is not None
            and self.area_min_m2 is not None
            and self.area_max_m2 < self.area_min_m2
        ):
            raise ValidationError(
                {
                    "area_max_m2": _("The largest area must be at least the smallest (%(min)s m²).")
                    % {"min": self.area_min_m2}
                }
            )

    @property
    def area_range(self) -> tuple[Decimal, Decimal]:
        """The areas a match may have: the stated range, or up to 30 % above the minimum."""
        low = self.area_min_m2
        return low, self.area_max_m2 or (low * Decimal("1.3")).quantize(Decimal("0.01"))


class ScreeningResult(models.Model):
    """The outcome of one threshold rule for one application, with the reason in words."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="screening_results"
    )
    rule = models.ForeignKey(ThresholdRule, null=True, on_delete=models.SET_NULL, related_name="+")
    rule_label = models.CharField(_("rule"), max_length=300)
    passed = models.BooleanField(_("passed"))
    hard = models.BooleanField(_("hard rule"), default=True)
    reason = models.CharField(_("reason"), max_length=500)
    evaluated_at = models.DateTimeField(auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()
    policy = Policy(
        grants={Role.OPERATOR: READ, Role.GOV: READ, Role.TENANT: READ},
        park="application__park",
        enterprise="application__enterprise",
    )

    class Meta:
        ordering = ["application_id", "id"]

    def __str__(self) -> str:
        return self.rule_label


RISK_INPUTS = frozenset(
    {
        "revenue_last_year",
        "revenue_prev_year",
        "debt_ratio_pct",
        "litigation",
        "dishonest_debtor",
        "arrears_count",
        "factors",
    }
)


class RiskAssessment(TimeStampedModel):
    """The customer risk assessment (客户风险评估) of an application: inputs entered by the
    operator's risk officer, and the score each factor contributed (admissions/risk.py)."""

    application = models.OneToOneField(Application, on_delete=models.CASCADE, related_name="risk")
    revenue_last_year = models.DecimalField(
        _("revenue last year (元)"),
        max_digits=16,
        decimal_places=2,
        null=True,
        blank=True,
        validators=POSITIVE,
    )
    revenue_prev_year = models.DecimalField(
        _("revenue the year before (元)"),
        max_digits=16,
        decimal_places=2,
        null=True,
        blank=True,
        validators=POSITIVE,
    )
    debt_ratio_pct = models.DecimalField(
        _("debt ratio (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=PERCENT,
    )
    litigation = models.BooleanField(_("pending litigation"), default=False)
    dishonest_debtor = models.BooleanField(_("listed as dishonest debtor"), default=False)
    arrears_count = models.PositiveSmallIntegerField(
        _("rent arrears in our parks (times)"),
        default=0,
        help_text=_("Times the company fell more than 30 days behind in this operator's parks."),
    )
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=1)
    grade = models.CharField(_("grade"), max_length=1)
    factors: models.JSONField[Any] = models.JSONField(_("factors"), default=list)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    objects = RestrictedQuerySet.as_manager()
    # Reviewers see the score and grade; the company's finances behind them stay with the
    # operator's risk officers.
    policy = Policy(
        grants={Role.OPERATOR: WORK, Role.GOV: READ},
        park="application__park",
        hidden={Role.GOV: RISK_INPUTS},
    )

    class Meta:
        verbose_name = _("risk assessment")
        verbose_name_plural = _("risk assessments")

    def __str__(self) -> str:
        return f"{self.grade} · {self.score}"


class Review(TimeStampedModel):
    """One reviewer's decision in the joint review (联审), with conditions."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="reviews")
    side = models.CharField(_("side"), max_length=10, choices=Side.choices)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewer"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    decision = models.CharField(_("decision"), max_length=15, choices=Decision.choices)
    conditions = models.TextField(_("conditions"), blank=True)
    comment = models.TextField(_("comment"), blank=True)
    exception_reason = models.TextField(
        _("exception reason"),
        blank=True,
        help_text=_("Why to admit the company although a hard threshold failed."),
    )
    # an information request (decision “request information”) is open until answered
    answer = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("request withdrawn at"), null=True, blank=True)

    objects = RestrictedQuerySet.as_manager()
    # "change": a reviewer changes their own vote while the application is in review (the
    # service lets no one touch another reviewer's vote)
    policy = Policy(
        grants={
            Role.OPERATOR: frozenset({"view", "add", "change"}),
            Role.GOV: frozenset({"view", "add", "change"}),
        },
        park="application__park",
    )

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        ordering = ["application_id", "created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "reviewer"], name="review_one_per_reviewer"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_side_display()} · {self.get_decision_display()}"

    @property
    def info_open(self) -> bool:
        """An information request nobody has answered or withdrawn: it holds the decision."""
        return (
            self.decision == Decision.REQUEST_INFO
            and self.answered_at is None
            and self.withdrawn_at is None
        )
