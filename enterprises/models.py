"""The enterprise registry, shared by every operator: one record per credit code.

Industries (GB/T 4754-2017) and park catalog tags are catalogs; qualifications and contacts
belong to one enterprise. What an operator notes about a company lives with that operator
(see the admissions app's risk records), never on the shared record.
"""

from __future__ import annotations

import datetime
from collections.abc import Collection
from decimal import Decimal
from typing import Any, ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.choices import Role
from core.dates import add_months
from core.fields import EncryptedCharField
from core.models import TimeStampedModel
from core.permissions import ALL_ACTIONS, READ, Policy, RestrictedQuerySet
from core.personal import digest
from core.scopes import scope_ids, support_operator_ids
from enterprises.choices import (
    LEVELS_BY_KIND,
    FilingState,
    FundingRound,
    GrowthStage,
    QualificationKind,
    QualificationLevel,
    StatPeriodKind,
)
from enterprises.validators import (
    mask_phone,
    normalize_credit_code,
    normalize_phone,
    validate_credit_code,
    validate_phone,
)

__all__ = [
    "CatalogTag",
    "Contact",
    "Enterprise",
    "FinancingRound",
    "Industry",
    "Membership",
    "Qualification",
    "StatFiling",
    "StatPeriod",
]

EXPIRY_WARNING_DAYS = 90
_EVERYONE_READS = Policy(
    grants={Role.OPERATOR: READ, Role.GOV: READ, Role.FUND: READ, Role.TENANT: READ},
    unscoped_roles=frozenset({Role.OPERATOR, Role.GOV, Role.FUND, Role.TENANT}),
)


class Industry(models.Model):
    """国民经济行业分类 GB/T 4754-2017 at all four levels: sections (门类 A–T), divisions
    (大类, two digits), groups (中类, three) and classes (小类, four). A code's digits spell its
    place in the hierarchy: class 2611 lies in group 261, division 26, section C."""

    code = models.CharField(_("code"), max_length=4, unique=True)
    name = models.CharField(_("name"), max_length=100)
    section = models.CharField(_("section"), max_length=1, db_index=True)

    objects = RestrictedQuerySet.as_manager()
    policy = _EVERYONE_READS

    class Meta:
        verbose_name = _("industry")
        verbose_name_plural = _("industries")
        ordering = ["section", "code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def is_section(self) -> bool:
        return len(self.code) == 1

    @property
    def level(self) -> int:
        """1 section, 2 division, 3 group, 4 class."""
        return 1 if self.is_section else len(self.code)

    @property
    def lineage(self) -> list[str]:
        """This node's code and the code of every node above it, the section first."""
        if self.is_section:
            return [self.code]
        return [self.section, *(self.code[:n] for n in range(2, len(self.code) + 1))]


class CatalogTag(models.Model):
    """A park catalog tag (新一代信息技术, 智能制造…) that thresholds and reports group by."""

    name = models.CharField(_("name"), max_length=50, unique=True)

    objects = RestrictedQuerySet.as_manager()
    policy = _EVERYONE_READS

    class Meta:
        verbose_name = _("catalog tag")
        verbose_name_plural = _("catalog tags")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Enterprise(TimeStampedModel):
    """A company, identified by its unified social credit code (统一社会信用代码)."""

    name = models.CharField(_("name"), max_length=200)
    credit_code = models.CharField(
        _("unified social credit code"),
        max_length=18,
        unique=True,
        validators=[validate_credit_code],
        help_text=_("18 characters; spaces, dashes and full-width input are accepted."),
    )
    industry = models.ForeignKey(
        Industry,
        verbose_name=_("industry"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="enterprises",
        limit_choices_to={"code__regex": r"^\d{2}$"},
    )
    tags = models.ManyToManyField(
        CatalogTag, verbose_name=_("catalog tags"), blank=True, related_name="enterprises"
    )
    stage = models.CharField(
        _("growth stage"), max_length=20, choices=GrowthStage.choices, default=GrowthStage.STARTUP
    )
    established_on = models.DateField(_("established on"), null=True, blank=True)
    registered_capital_wan = models.DecimalField(
        _("registered capital (万元)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    paid_in_capital_wan = models.DecimalField(
        _("paid-in capital (万元)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    # the latest yearly figures the company reported: support policies match on them
    figures_year = models.PositiveSmallIntegerField(
        _("figures for the year"),
        null=True,
        blank=True,
        validators=[MinValueValidator(2000), MaxValueValidator(2100)],
        help_text=_("The year the headcount, revenue and R&D spend below are for."),
    )
    headcount = models.PositiveIntegerField(
        _("headcount"), null=True, blank=True, validators=[MaxValueValidator(10_000_000)]
    )
    revenue_wan = models.DecimalField(
        _("revenue (万元)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    rd_spend_wan = models.DecimalField(
        _("R&D spend (万元)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    legal_representative = models.CharField(_("legal representative"), max_length=50, blank=True)
    address = models.CharField(_("registered address"), max_length=200, blank=True)
    description = models.TextField(_("business description"), blank=True)

    objects = RestrictedQuerySet.as_manager()
    # The registry is shared: staff of every operator, reviewers and fund managers read it and
    # may add a company (a reviewer recommends one); a tenant user edits only their own.
    policy = Policy(
        grants={
            Role.OPERATOR: frozenset({"view", "add", "change"}),
            Role.GOV: frozenset({"view", "add"}),
            Role.FUND: READ,
            Role.TENANT: frozenset({"view", "change"}),
        },
        enterprise="",
        unscoped_roles=frozenset({Role.OPERATOR, Role.GOV, Role.FUND}),
    )

    class Meta:
        verbose_name = _("enterprise")
        verbose_name_plural = _("enterprises")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(paid_in_capital_wan__isnull=True)
                | models.Q(registered_capital_wan__isnull=True)
                | models.Q(paid_in_capital_wan__lte=models.F("registered_capital_wan")),
                name="enterprise_paid_in_not_above_registered",
            ),
        ]
        indexes = [
            # the company list and the API page by name: the first page of 100,000 companies
            # walks this index instead of sorting them all (bench/scale.py)
            models.Index(fields=["name", "id"], name="enterprise_name_id"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def rd_intensity_pct(self) -> Decimal | None:
        """R&D spend over revenue, in per cent, unrounded (a threshold compares the exact
        ratio), where both are known."""
        if self.rd_spend_wan is None or not self.revenue_wan:
            return None
        return Decimal(self.rd_spend_wan) * 100 / Decimal(self.revenue_wan)

    def clean_fields(self, exclude: Collection[str] | None = None) -> None:
        # Normalise before the length check, so a code typed with spaces or in full width
        # is judged on its 18 characters.
        self.credit_code = normalize_credit_code(self.credit_code)
        super().clean_fields(exclude=exclude)

    def clean(self) -> None:
        if (
            self.paid_in_capital_wan is not None
            and self.registered_capital_wan is not None
            and self.paid_in_capital_wan > self.registered_capital_wan
        ):
            raise ValidationError(
                {
                    "paid_in_capital_wan": _(
                        "Paid-in capital cannot exceed registered capital (%(cap)s 万元)."
                    )
                    % {"cap": self.registered_capital_wan}
                }
            )
        if self.established_on and self.established_on > timezone.localdate():
            raise ValidationError(
                {"established_on": _("The date of establishment is in the future.")}
            )

    def years_in_operation(self, on: datetime.date | None = None) -> Decimal | None:
        if self.established_on is None:
            return None
        days = ((on or timezone.localdate()) - self.established_on).days
        return (Decimal(days) / Decimal("365.25")).quantize(Decimal("0.1"))


_OWN_ENTERPRISE = Policy(
    grants={Role.OPERATOR: ALL_ACTIONS, Role.GOV: READ, Role.FUND: READ, Role.TENANT: ALL_ACTIONS},
    enterprise="enterprise",
    unscoped_roles=frozenset({Role.OPERATOR, Role.GOV, Role.FUND}),
)


class Qualification(TimeStampedModel):
    """A recognised status with its certificate: 高新技术企业, 专精特新 (with level), 瞪羚…"""

    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name=_("enterprise"),
        on_delete=models.CASCADE,
        related_name="qualifications",
    )
    kind = models.CharField(_("qualification"), max_length=20, choices=QualificationKind.choices)
    level = models.CharField(
        _("level"), max_length=20, choices=QualificationLevel.choices, blank=True
    )
    certificate_no = models.CharField(_("certificate number"), max_length=50, blank=True)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    # A qualification a company enters itself waits for an operator's check of the certificate
    # (待核验 → 已核验) before it counts anywhere; staff-entered ones are checked on entry.
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("verified by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = RestrictedQuerySet.as_manager()
    # "verify": operator staff check a certificate a company entered (待核验 → 已核验)
    policy = Policy(
        grants={
            Role.OPERATOR: ALL_ACTIONS | {"verify"},
            Role.GOV: READ,
            Role.FUND: READ,
            Role.TENANT: ALL_ACTIONS,
        },
        enterprise="enterprise",
        unscoped_roles=frozenset({Role.OPERATOR, Role.GOV, Role.FUND}),
    )

    class Meta:
        verbose_name = _("qualification")
        verbose_name_plural = _("qualifications")
        ordering = ["enterprise_id", "kind"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expires_on__isnull=True)
                | models.Q(issued_on__isnull=True)
                | models.Q(expires_on__gt=models.F("issued_on")),
                name="qualification_expires_after_issue",
            ),
        ]

    def __str__(self) -> str:
        label = self.get_kind_display()
        return f"{label}（{self.get_level_display()}）" if self.level else str(label)

    def clean(self) -> None:
        allowed = LEVELS_BY_KIND.get(self.kind)
        if allowed and self.level not in allowed:
            raise ValidationError({"level": _("Choose the level of this qualification.")})
        if not allowed and self.level:
            raise ValidationError({"level": _("This qualification has no level; leave it empty.")})
        if self.issued_on and self.expires_on and self.expires_on <= self.issued_on:
            raise ValidationError(
                {"expires_on": _("The expiry date must be after the date of issue.")}
            )

    def status(self, today: datetime.date | None = None) -> str:
        """valid / expiring (within 90 days) / expired."""
        if self.expires_on is None:
            return "valid"
        today = today or timezone.localdate()
        if self.expires_on < today:
            return "expired"
        if (self.expires_on - today).days <= EXPIRY_WARNING_DAYS:
            return "expiring"
        return "valid"


MONEY: dict[str, Any] = {"max_digits": 16, "decimal_places": 2}


class FinancingRound(TimeStampedModel):
    """A financing round the company closed (融资记录): the registry's fact that the fund's
    valuations follow (a later round's price proposes a new mark)."""

    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name=_("enterprise"),
        on_delete=models.CASCADE,
        related_name="financing_rounds",
    )
    round = models.CharField(_("round"), max_length=12, choices=FundingRound.choices)
    closed_on = models.DateField(_("closed on"))
    amount_raised = models.DecimalField(
        _("amount raised (元)"), validators=[MinValueValidator(Decimal("0.01"))], **MONEY
    )
    pre_money = models.DecimalField(
        _("pre-money valuation (元)"), validators=[MinValueValidator(Decimal("0.01"))], **MONEY
    )
    # always pre-money + amount raised: kept on the row for the fund's queries
    post_money = models.DecimalField(_("post-money valuation (元)"), editable=False, **MONEY)
    investors = models.CharField(_("investors"), max_length=300, blank=True)

    objects = RestrictedQuerySet.as_manager()
    policy = Policy(
        grants={
            Role.OPERATOR: ALL_ACTIONS,
            Role.GOV: READ,
            Role.FUND: READ,
            Role.TENANT: ALL_ACTIONS,
        },
        enterprise="enterprise",
        unscoped_roles=frozenset({Role.OPERATOR, Role.GOV, Role.FUND}),
    )

    class Meta:
        verbose_name = _("financing round")
        verbose_name_plural = _("financing rounds")
        ordering = ["enterprise_id", "closed_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(post_money__gte=models.F("pre_money")),
                name="financinground_post_at_least_pre",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_round_display()} {self.closed_on:%Y-%m-%d}"

    def derive(self) -> None:
        if self.pre_money is not None and self.amount_raised is not None:
            self.post_money = self.pre_money + self.amount_raised


def _contacts_of_own_operator(user: Any) -> Q:
    # the company's own contacts (entered by the company) and those this operator collected
    return Q(operator__isnull=True) | Q(operator_id=user.operator_id)


def _contacts_of_supported_operators(user: Any) -> Q:
    """A platform admin's: what the staff of an operator they support would read."""
    operators = support_operator_ids(user)
    if operators is None:
        return Q()
    return (Q(operator__isnull=True) & Q(Exists(operators))) | Q(operator__in=operators)


class Contact(TimeStampedModel):
    """A person at the company. A contact the operator's staff collected belongs to that
    operator (DESIGN.md: what an operator notes about a company stays with it): other
    operators never see it. One the company entered itself (no operator) is the company's
    own: every operator reads it, only the company changes it. The company sees all of its
    own people. Phone numbers are masked for roles that need not call."""

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("enterprise"), on_delete=models.CASCADE, related_name="contacts"
    )
    operator = models.ForeignKey(
        "core.Operator",
        verbose_name=_("collected by"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("The operator whose staff keep this contact; empty for the company's own."),
    )
    name = models.CharField(_("name"), max_length=50)
    title = models.CharField(_("job title"), max_length=50, blank=True)
    # encrypted at rest (PIPL); found by exact number through its keyed hash (core.personal)
    phone: Any = EncryptedCharField(_("phone"), max_length=20, validators=[validate_phone])
    phone_digest = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    email = models.EmailField(_("email"), blank=True)
    is_primary = models.BooleanField(_("primary contact"), default=False)

    objects = RestrictedQuerySet.as_manager()
    # Government reviewers never see a tenant's contacts (DESIGN.md); fund managers see the
    # numbers masked. A written row must point at the actor's operator (staff: so the
    # company's own contacts are read-only to them) or company (tenant).
    policy = Policy(
        grants={
            Role.OPERATOR: ALL_ACTIONS | {"reveal"},
            Role.FUND: READ,
            Role.TENANT: ALL_ACTIONS,
        },
        operator="operator",
        enterprise="enterprise",
        scopes={
            Role.OPERATOR: _contacts_of_own_operator,
            Role.FUND: _contacts_of_own_operator,
            Role.ADMIN: _contacts_of_supported_operators,
        },
        masked={Role.FUND: frozenset({"phone"})},
        revealed={Role.OPERATOR: frozenset({"phone"})},
        maskers={"phone": mask_phone},
        personal=frozenset({"name", "title", "phone", "email"}),
    )
    # the change log keeps the number masked: the plain number lives only encrypted
    audit_masked: ClassVar[dict[str, Any]] = {"phone": mask_phone}
    audit_exclude: ClassVar[tuple[str, ...]] = ("phone_digest",)
    erasure_deletes = True  # see erase_personal

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["-is_primary", "name"]

    def __str__(self) -> str:
        return self.name

    def clean_fields(self, exclude: Collection[str] | None = None) -> None:
        super().clean_fields(exclude=exclude)
        self.phone = normalize_phone(self.phone)

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.phone_digest = digest(self.phone)
        if kwargs.get("update_fields") is not None and "phone" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "phone_digest"}
        super().save(*args, **kwargs)

    @staticmethod
    def personal_normal(field: str, value: str) -> str:
        """A searched value as a contact stores it (+86 138 1234 5678 → 13812345678)."""
        return normalize_phone(value) if field == "phone" else value

    def erase_personal(self) -> None:
        """A data-subject erasure: a contact is nobody's accounting record, so it goes."""
        self.delete()


class Membership(models.Model):
    """A tenant user's company: the one enterprise the user acts for (the tenant scope of the
    permission layer). Kept here, not on the user: core owns no key into an app."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="membership",
    )
    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("enterprise"), on_delete=models.PROTECT, related_name="members"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()
    policy = Policy()  # the platform admin's, through the users page

    class Meta:
        verbose_name = _("company account")
        verbose_name_plural = _("company accounts")

    str_related = ("user", "enterprise")  # the relations __str__ reads: lists join them

    def __str__(self) -> str:
        return f"{self.user} → {self.enterprise}"


def _periods_of_own_filings(user: Any) -> Q:
    return Q(
        pk__in=StatFiling.objects.filter(enterprise__in=scope_ids(user, "enterprise")).values(
            "period"
        )
    )


_MONTHS_OF: dict[str, int] = {StatPeriodKind.MONTH: 1, StatPeriodKind.QUARTER: 3}


class StatPeriod(TimeStampedModel):
    """A reporting period of the tenants' statistics (企业统计报表) an operator opens, with a
    deadline. Opening it lists the companies expected to file (a :class:`StatFiling` each)."""

    operator = models.ForeignKey(
        "core.Operator",
        verbose_name=_("operator"),
        on_delete=models.CASCADE,
        related_name="stat_periods",
    )
    kind = models.CharField(
        pgettext_lazy("statistics", "frequency"), max_length=10, choices=StatPeriodKind.choices
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    number = models.PositiveSmallIntegerField(
        _("number"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
        help_text=_("The month (1–12) or quarter (1–4); 1 for a year."),
    )
    starts_on = models.DateField(_("starts on"), editable=False)
    ends_on = models.DateField(_("ends on"), editable=False)
    due_on = models.DateField(_("deadline"))
    jump_factor = models.DecimalField(
        _("jump factor"),
        max_digits=4,
        decimal_places=1,
        default=Decimal("3"),
        validators=[MinValueValidator(Decimal("1.1"))],
        help_text=_(
            "A figure this many times the company's last filing (or that share of it) must be "
            "confirmed by the filer."
        ),
    )

    objects = RestrictedQuerySet.as_manager()
    # Staff open periods for their operator; fund managers read them (DESIGN.md: they read
    # statistics); a company sees the periods it is asked to file.
    policy = Policy(
        grants={Role.OPERATOR: ALL_ACTIONS, Role.FUND: READ, Role.TENANT: READ},
        operator="operator",
        scopes={Role.TENANT: _periods_of_own_filings},
    )

    class Meta:
        verbose_name = _("statistics period")
        verbose_name_plural = _("statistics periods")
        ordering = ["-ends_on", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["operator", "kind", "year", "number"], name="stat_period_once"
            ),
        ]

    def __str__(self) -> str:
        if self.kind == StatPeriodKind.YEAR:
            return _("%(year)s annual") % {"year": self.year}
        if self.kind == StatPeriodKind.QUARTER:
            return _("%(year)s Q%(n)s") % {"year": self.year, "n": self.number}
        return _("%(year)s-%(n)02d") % {"year": self.year, "n": self.number}

    def derive(self) -> None:
        """The period's first and last day from its kind, year and number."""
        if not self.year or not self.kind:
            return
        months = _MONTHS_OF.get(self.kind, 12)
        number = self.number if self.kind != StatPeriodKind.YEAR else 1
        first_month = (number - 1) * months + 1
        if not 1 <= first_month <= 12:
            return  # clean() names the field
        self.starts_on = datetime.date(self.year, first_month, 1)
        self.ends_on = add_months(self.starts_on, months) - datetime.timedelta(days=1)

    def clean(self) -> None:
        top = 12 // _MONTHS_OF.get(self.kind, 12)
        if self.number and not 1 <= self.number <= top:
            raise ValidationError(
                {"number": _("Choose a number from 1 to %(top)s for this period.") % {"top": top}}
            )
        self.derive()
        if self.due_on and self.ends_on and self.due_on < self.ends_on:
            raise ValidationError(
                {
                    "due_on": _("The deadline must be on or after the period's last day (%(day)s).")
                    % {"day": self.ends_on.isoformat()}
                }
            )

    def is_late(self, today: datetime.date | None = None) -> bool:
        return (today or timezone.localdate()) > self.due_on


# The figures a filing reports, in the order of the form and the spreadsheet: stocks at the
# period's end (people, IP held) and flows over the period (money).
FILING_PEOPLE = ("headcount", "doctorates", "masters", "bachelors", "returnees")
FILING_MONEY = ("revenue_wan", "output_value_wan", "rd_spend_wan", "tax_paid_wan", "financing_wan")
FILING_IP = ("invention_patents", "utility_models", "designs", "software_copyrights")
FILING_FIGURES = FILING_PEOPLE + FILING_MONEY + FILING_IP
_WAN: dict[str, Any] = {
    "max_digits": 14,
    "decimal_places": 2,
    "null": True,
    "blank": True,
    "validators": [MinValueValidator(Decimal("0"))],
}


def _count(label: Any) -> models.PositiveIntegerField:
    return models.PositiveIntegerField(label, null=True, blank=True)


class StatFiling(TimeStampedModel):
    """One company's statistics for one period: to be filed until the company (or staff on its
    behalf) files; after that only staff correct it, with a reason in the change log.

    People and IP are counts at the period's end; money is the period's own (a quarter's
    revenue, not the year to date), in 万元."""

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("enterprise"), on_delete=models.CASCADE, related_name="filings"
    )
    period = models.ForeignKey(
        StatPeriod,
        verbose_name=pgettext_lazy("statistics", "period"),
        on_delete=models.CASCADE,
        related_name="filings",
    )
    state = models.CharField(
        _("status"), max_length=10, choices=FilingState.choices, default=FilingState.DUE
    )
    filed_at = models.DateTimeField(_("filed at"), null=True, blank=True, editable=False)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("filed by"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    headcount = _count(_("employees"))
    doctorates = _count(_("of whom doctorates"))
    masters = _count(_("of whom master's degrees"))
    bachelors = _count(_("of whom bachelor's degrees"))
    returnees = _count(_("of whom returnees"))
    revenue_wan = models.DecimalField(_("revenue (万元)"), **_WAN)
    output_value_wan = models.DecimalField(_("output value (万元)"), **_WAN)
    rd_spend_wan = models.DecimalField(_("R&D spend (万元)"), **_WAN)
    tax_paid_wan = models.DecimalField(_("tax paid (万元)"), **_WAN)
    financing_wan = models.DecimalField(_("financing raised (万元)"), **_WAN)
    invention_patents = _count(_("invention patents held"))
    utility_models = _count(_("utility model patents held"))
    designs = _count(_("design patents held"))
    software_copyrights = _count(_("software copyrights held"))
    # the checks' warnings the filer confirmed ("rd_over_revenue", "jump:headcount", …)
    confirmed_flags = models.JSONField(_("confirmed warnings"), default=list, blank=True)

    objects = RestrictedQuerySet.as_manager()
    # Government reviewers read aggregates only (analytics), never one company's filing.
    policy = Policy(
        grants={
            Role.OPERATOR: ALL_ACTIONS,
            Role.FUND: READ,
            Role.TENANT: frozenset({"view", "change"}),
        },
        operator="period__operator",
        enterprise="enterprise",
    )

    class Meta:
        verbose_name = _("statistics filing")
        verbose_name_plural = _("statistics filings")
        ordering = ["-period__ends_on", "enterprise__name"]
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "period"], name="stat_filing_once"),
        ]

    str_related = ("enterprise", "period")  # the relations __str__ reads: lists join them

    def __str__(self) -> str:
        return f"{self.enterprise} · {self.period}"

    @property
    def talents(self) -> int | None:
        """Bachelor's degree and above (本科及以上): what the park's 人才 figure counts."""
        parts = (self.doctorates, self.masters, self.bachelors)
        return None if any(p is None for p in parts) else sum(parts)  # type: ignore[arg-type]

    @property
    def ip_items(self) -> int | None:
        parts = [getattr(self, name) for name in FILING_IP]
        return None if any(p is None for p in parts) else sum(parts)
