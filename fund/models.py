"""The sci-tech fund (科创基金): funds and their LPs' ledger, the deal pipeline, investments
(with rent-for-equity), valuations, exits and the fund's own expenses.

A fund belongs to one operator and is seen by its managers only: fund-manager users (and an
operator's staff member named a manager) see the funds they manage and everything in them.
Government reviewers and tenants see nothing of it.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from core.choices import Role
from core.models import Operator, TimeStampedModel
from core.permissions import ALL_ACTIONS, READ, Policy, RestrictedQuerySet
from enterprises.choices import FundingRound
from enterprises.models import Enterprise, FinancingRound
from fund.choices import (
    DealSource,
    DealStage,
    ExitKind,
    ExpenseKind,
    FeeBasis,
    FlowKind,
    Instrument,
    LpKind,
    MarkMethod,
)
from leasing.models import Lease, RentFree
from leasing.selectors import rent_free_value

__all__ = [
    "Deal",
    "DealDocument",
    "Exit",
    "Fund",
    "FundExpense",
    "Investment",
    "LedgerEntry",
    "LimitedPartner",
    "Valuation",
]

MONEY: dict[str, Any] = {"max_digits": 16, "decimal_places": 2}
POSITIVE = [MinValueValidator(Decimal("0.01"))]
NON_NEGATIVE = [MinValueValidator(Decimal("0"))]
PERCENT = [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))]
OWNERSHIP_PLACES = Decimal("0.000001")
# an ownership entered from the share register may differ from cost ÷ post-money by rounding
OWNERSHIP_TOLERANCE = Decimal("0.01")


def _percent(label: Any, default: str) -> models.DecimalField:
    """A rate or share of a fund's terms, in % (0–100, two decimals)."""
    return models.DecimalField(
        label, max_digits=5, decimal_places=2, default=Decimal(default), validators=PERCENT
    )


def _managed_by(path: str) -> Callable[[Any], Q]:
    manager = f"{path}__managers" if path else "managers"
    return lambda user: Q(**{manager: user})


def fund_policy(path: str) -> Policy:
    """Rows of a fund (``path`` leads from the row to it): its managers work on them; an
    operator's staff member named a manager reads them; nobody else sees them."""
    return Policy(
        grants={Role.FUND: ALL_ACTIONS, Role.OPERATOR: READ},
        operator=f"{path}__operator" if path else "operator",
        scopes={Role.FUND: _managed_by(path), Role.OPERATOR: _managed_by(path)},
    )


class Fund(TimeStampedModel):
    """A fund of the operator: its size and terms, who manages it."""

    operator = models.ForeignKey(
        Operator, verbose_name=_("operator"), on_delete=models.PROTECT, related_name="funds"
    )
    code = models.CharField(
        _("code"),
        max_length=20,
        unique=True,
        validators=[
            RegexValidator(r"^[A-Z0-9]{2,20}$", _("2 to 20 capital letters or digits, e.g. KCJJ."))
        ],
    )
    name = models.CharField(_("name"), max_length=100)
    vintage = models.PositiveSmallIntegerField(
        _("vintage"), validators=[MinValueValidator(1990), MaxValueValidator(2199)]
    )
    first_close_on = models.DateField(_("first close"))
    committed = models.DecimalField(_("committed capital (元)"), validators=POSITIVE, **MONEY)
    term_years = models.PositiveSmallIntegerField(
        _("term (years)"), default=7, validators=[MinValueValidator(1), MaxValueValidator(30)]
    )
    extension_years = models.PositiveSmallIntegerField(
        _("extension (years)"), default=2, validators=[MaxValueValidator(10)]
    )
    fee_basis = models.CharField(
        _("management fee basis"),
        max_length=12,
        choices=FeeBasis.choices,
        default=FeeBasis.COMMITTED,
    )
    fee_rate_pct = _percent(_("management fee (% a year)"), "2")
    hurdle_pct = _percent(_("hurdle rate (% a year)"), "8")
    carry_pct = _percent(_("carried interest (%)"), "20")
    company_limit_pct = _percent(_("limit per company (share of commitments, %)"), "20")
    industry_limit_pct = _percent(_("limit per industry (share of commitments, %)"), "40")
    managers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("managers"),
        blank=True,
        related_name="managed_funds",
        limit_choices_to={"role__in": [Role.FUND, Role.OPERATOR]},
    )

    objects = RestrictedQuerySet.as_manager()
    policy = fund_policy("")

    class Meta:
        verbose_name = _("fund")
        verbose_name_plural = _("funds")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class LimitedPartner(TimeStampedModel):
    """An investor in the fund (有限合伙人) and its commitment."""

    fund = models.ForeignKey(
        Fund, verbose_name=_("fund"), on_delete=models.CASCADE, related_name="lps"
    )
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=12, choices=LpKind.choices)
    commitment = models.DecimalField(_("commitment (元)"), validators=POSITIVE, **MONEY)

    objects = RestrictedQuerySet.as_manager()
    policy = fund_policy("fund")

    class Meta:
        verbose_name = _("limited partner")
        verbose_name_plural = _("limited partners")
        ordering = ["fund_id", "name"]
        constraints = [models.UniqueConstraint(fields=["fund", "name"], name="lp_unique_name")]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.fund_id is None or self.commitment is None:
            return
        others = (
            LimitedPartner.objects.filter(fund_id=self.fund_id)
            .exclude(pk=self.pk)
            .aggregate(total=models.Sum("commitment"))["total"]
            or 0
        )
        if others + self.commitment > self.fund.committed:
            raise ValidationError(
                {
                    "commitment": _(
                        "The LPs' commitments would add up to more than the fund's committed "
                        "capital (%(committed)s 元); %(left)s 元 is left to commit."
                    )
                    % {"committed": self.fund.committed, "left": self.fund.committed - others}
                }
            )


class LedgerEntry(TimeStampedModel):
    """One line of an LP's capital account: a capital call (实缴) or a distribution (分配)."""

    lp = models.ForeignKey(
        LimitedPartner,
        verbose_name=_("limited partner"),
        on_delete=models.CASCADE,
        related_name="entries",
    )
    fund = models.ForeignKey(
        Fund,
        verbose_name=_("fund"),
        on_delete=models.CASCADE,
        editable=False,
        related_name="ledger",
    )
    kind = models.CharField(_("kind"), max_length=12, choices=FlowKind.choices)
    on = models.DateField(_("date"))
    amount = models.DecimalField(_("amount (元)"), validators=POSITIVE, **MONEY)
    note = models.CharField(_("note"), max_length=200, blank=True)

    objects = RestrictedQuerySet.as_manager()
    policy = fund_policy("fund")

    class Meta:
        verbose_name = _("capital account entry")
        verbose_name_plural = _("capital account entries")
        ordering = ["on", "pk"]
        indexes = [models.Index(fields=["fund", "on"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.on:%Y-%m-%d} {self.amount}"

    def derive(self) -> None:
        if self.lp_id is not None:
            self.fund_id = self.lp.fund_id

    def clean(self) -> None:
        if self.kind != FlowKind.CALL or self.lp_id is None or self.amount is None:
            return
        called = (
            LedgerEntry.objects.filter(lp_id=self.lp_id, kind=FlowKind.CALL)
            .exclude(pk=self.pk)
            .aggregate(total=models.Sum("amount"))["total"]
            or 0
        )
        if called + self.amount > self.lp.commitment:
            raise ValidationError(
                {
                    "amount": _(
                        "The calls would exceed %(lp)s's commitment of %(commitment)s 元; "
                        "%(left)s 元 is uncalled."
                    )
                    % {
                        "lp": self.lp,
                        "commitment": self.lp.commitment,
                        "left": self.lp.commitment - called,
                    }
                }
            )


class FundExpense(TimeStampedModel):
    """Money the fund spends that is not an investment: management fees and fund expenses."""

    fund = models.ForeignKey(
        Fund, verbose_name=_("fund"), on_delete=models.CASCADE, related_name="expenses"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=ExpenseKind.choices)
    on = models.DateField(_("date"))
    amount = models.DecimalField(_("amount (元)"), validators=POSITIVE, **MONEY)
    note = models.CharField(_("note"), max_length=200, blank=True)

    objects = RestrictedQuerySet.as_manager()
    policy = fund_policy("fund")

    class Meta:
        verbose_name = _("fund expense")
        verbose_name_plural = _("fund expenses")
        ordering = ["on", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.on:%Y-%m-%d}"


class Deal(TimeStampedModel):
    """A company in the fund's pipeline (线索 → 初筛 → 尽调 → 投决 → 已投 / 放弃)."""

    fund = models.ForeignKey(
        Fund, verbose_name=_("fund"), on_delete=models.CASCADE, related_name="deals"
    )
    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("enterprise"), on_delete=models.PROTECT, related_name="deals"
    )
    source = models.CharField(_("source"), max_length=16, choices=DealSource.choices)
    stage = models.CharField(
        _("stage"), max_length=12, choices=DealStage.choices, default=DealStage.LEAD, editable=False
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        limit_choices_to={"role__in": [Role.FUND, Role.OPERATOR]},
    )
    amount_sought = models.DecimalField(
        _("amount considered (元)"), null=True, blank=True, validators=POSITIVE, **MONEY
    )
    next_step = models.CharField(_("next step"), max_length=200, blank=True)
    next_step_on = models.DateField(_("next step by"), null=True, blank=True)
    pass_reason = models.CharField(
        _("reason for passing"), max_length=300, blank=True, editable=False
    )
    notes = models.TextField(_("notes"), blank=True)

    objects = RestrictedQuerySet.as_manager()
    policy = fund_policy("fund")

    class Meta:
        verbose_name = _("deal")
        verbose_name_plural = _("deals")
        ordering = ["-updated_at"]

    str_related = ("fund", "enterprise")  # the relations __str__ reads: lists join them

    def __str__(self) -> str:
        return f"{self.enterprise} · {self.fund.code}"


def _document_path(instance: DealDocument, filename: str) -> str:
    return f"deals/{instance.deal_id}/{filename}"


class DealDocument(TimeStampedModel):
    """A file of a deal (a business plan, the due-diligence report, the committee memo):
    served only through the permission layer, never as a public media URL."""

    deal = models.ForeignKey(
        Deal, verbose_name=_("deal"), on_delete=models.CASCADE, related_name="documents"
    )
    title = models.CharField(_("title"), max_length=100)
    file = models.FileField(_("file"), upload_to=_document_path, max_length=200)
    size = models.PositiveIntegerField(_("size (bytes)"), default=0, editable=False)

    objects = RestrictedQuerySet.as_manager()
    policy = fund_policy("deal__fund")

    class Meta:
        verbose_name = _("deal document")
        verbose_name_plural = _("deal documents")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title


class Investment(TimeStampedModel):
    """Money (or rent given up, 以租代投) put into a company in one round.

    A follow-on names the first investment in the company (``follow_on_of``); the first one is
    the holding: its valuations and its exit cover the follow-ons too.
    """

    fund = models.ForeignKey(
        Fund, verbose_name=_("fund"), on_delete=models.PROTECT, related_name="investments"
    )
    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name=_("enterprise"),
        on_delete=models.PROTECT,
        related_name="investments",
    )
    deal = models.ForeignKey(
        Deal,
        verbose_name=_("deal"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="investments",
    )
    follow_on_of = models.ForeignKey(
        "self",
        verbose_name=_("follow-on of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="follow_ons",
    )
    round = models.CharField(_("round"), max_length=12, choices=FundingRound.choices)
    instrument = models.CharField(
        _("instrument"), max_length=12, choices=Instrument.choices, default=Instrument.EQUITY
    )
    invested_on = models.DateField(_("date"))
    amount = models.DecimalField(
        _("cash invested (元)"), validators=NON_NEGATIVE, default=Decimal("0"), **MONEY
    )
    pre_money = models.DecimalField(_("pre-money valuation (元)"), validators=POSITIVE, **MONEY)
    post_money = models.DecimalField(_("post-money valuation (元)"), validators=POSITIVE, **MONEY)
    ownership_pct = models.DecimalField(
        _("ownership (%)"),
        max_digits=9,
        decimal_places=6,
        blank=True,
        validators=PERCENT,
        help_text=_(
            "Left empty, it is cost ÷ post-money valuation; entered, it is checked against that."
        ),
    )
    # 以租代投: rent given up on a lease of the same company, part of the cost
    rent_free = models.OneToOneField(
        RentFree,
        verbose_name=_("rent concession"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="investment",
        help_text=_(
            "A rent-free period on a lease of the same company, given in exchange for equity."
        ),
    )
    lease = models.ForeignKey(
        Lease,
        verbose_name=_("lease"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        editable=False,
        related_name="+",
    )
    concession_value = models.DecimalField(
        _("rent concession value (元)"), default=Decimal("0"), editable=False, **MONEY
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    objects = RestrictedQuerySet.as_manager()
    policy = fund_policy("fund")

    class Meta:
        verbose_name = _("investment")
        verbose_name_plural = _("investments")
        ordering = ["invested_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(post_money__gte=F("pre_money")), name="investment_post_at_least_pre"
            ),
            models.CheckConstraint(
                condition=Q(amount__gt=0) | Q(concession_value__gt=0),
                name="investment_has_a_cost",
            ),
        ]

    str_related = ("enterprise",)  # the relations __str__ reads: lists join them

    def __str__(self) -> str:
        return f"{self.enterprise} · {self.get_round_display()}"

    def derive(self) -> None:
        rent_free = self.rent_free if self.rent_free_id is not None else None
        if rent_free is not None:
            self.lease_id = rent_free.lease_id
            self.concession_value = rent_free_value(rent_free)
        else:
            self.lease_id, self.concession_value = None, Decimal("0")
        if self.ownership_pct is None and self.post_money:
            self.ownership_pct = self.implied_ownership()

    def implied_ownership(self) -> Decimal:
        """Cost ÷ post-money valuation, in % to 6 decimals."""
        return (self.cost * 100 / self.post_money).quantize(OWNERSHIP_PLACES)

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.pre_money is not None and self.post_money is not None:
            if self.post_money < self.pre_money + self.amount:
                errors["post_money"] = _(
                    "The post-money valuation is at least the pre-money valuation plus this "
                    "investment (%(sum)s 元)."
                ) % {"sum": self.pre_money + self.amount}
            elif self.ownership_pct is not None:
                implied = self.implied_ownership()
                if abs(self.ownership_pct - implied) > OWNERSHIP_TOLERANCE:
                    errors["ownership_pct"] = _(
                        "Cost ÷ post-money valuation gives %(implied)s %%; check the ownership, "
                        "the amount or the valuation (or leave the ownership empty)."
                    ) % {"implied": f"{implied.normalize():f}"}
        if self.amount == 0 and self.rent_free_id is None:
            errors["amount"] = _("Enter the cash invested, or link a rent concession.")
        rent_free = self.rent_free if self.rent_free_id is not None else None
        if rent_free is not None and rent_free.lease.enterprise_id != self.enterprise_id:
            errors["rent_free"] = _("The rent concession must be on a lease of the same company.")
        elif (
            rent_free is not None
            and self.fund_id is not None
            and rent_free.lease.park.operator_id != self.fund.operator_id
        ):
            errors["rent_free"] = _(
                "The rent concession must be on a lease in a park of the fund's operator."
            )
        first = self.follow_on_of if self.follow_on_of_id is not None else None
        if first is not None:
            if first.follow_on_of_id is not None:
                errors["follow_on_of"] = _(
                    "Name the first investment in the company, not a follow-on."
                )
            elif (first.fund_id, first.enterprise_id) != (self.fund_id, self.enterprise_id):
                errors["follow_on_of"] = _("A follow-on is in the same company by the same fund.")
            elif self.invested_on is not None and self.invested_on < first.invested_on:
                errors["invested_on"] = _(
                    "A follow-on comes after the first investment (%(on)s)."
                ) % {"on": first.invested_on.isoformat()}
        deal = self.deal if self.deal_id is not None else None
        if deal is not None and deal.enterprise_id != self.enterprise_id:
            errors["deal"] = _("The deal is about another company.")
        if errors:
            raise ValidationError(errors)

    @property
    def cost(self) -> Decimal:
        """Cash plus the rent given up for it (成本)."""
        return self.amount + self.concession_value

    @property
    def holding(self) -> Investment:
        return self.follow_on_of or self


class Valuation(TimeStampedModel):
    """A mark: the holding's fair value on a date, and how it was reached."""

    investment = models.ForeignKey(
        Investment,
        verbose_name=_("investment"),
        on_delete=models.CASCADE,
        related_name="valuations",
    )
    fund = models.ForeignKey(
        Fund, verbose_name=_("fund"), on_delete=models.CASCADE, editable=False, related_name="+"
    )
    on = models.DateField(_("date"))
    method = models.CharField(_("method"), max_length=16, choices=MarkMethod.choices)
    fair_value = models.DecimalField(_("fair value (元)"), validators=NON_NEGATIVE, **MONEY)
    # the company's financing round whose price this mark follows (an accepted proposal)
    source_round = models.ForeignKey(
        FinancingRound,
        verbose_name=_("financing round"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    objects = RestrictedQuerySet.as_manager()
    policy = fund_policy("fund")

    class Meta:
        verbose_name = _("valuation")
        verbose_name_plural = _("valuations")
        ordering = ["investment_id", "on", "pk"]

    str_related = ("investment",)  # the relations __str__ reads: lists join them

    def __str__(self) -> str:
        return f"{self.investment.enterprise} {self.on:%Y-%m-%d}"

    def derive(self) -> None:
        if self.investment_id is not None:
            self.fund_id = self.investment.fund_id


class Exit(TimeStampedModel):
    """The end of a holding: sold (trade sale, IPO, buy-back) with its proceeds, or written off."""

    investment = models.OneToOneField(
        Investment, verbose_name=_("investment"), on_delete=models.CASCADE, related_name="exit"
    )
    fund = models.ForeignKey(
        Fund, verbose_name=_("fund"), on_delete=models.CASCADE, editable=False, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=ExitKind.choices)
    on = models.DateField(_("date"))
    proceeds = models.DecimalField(
        _("proceeds (元)"), validators=NON_NEGATIVE, default=Decimal("0"), **MONEY
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    objects = RestrictedQuerySet.as_manager()
    policy = fund_policy("fund")

    class Meta:
        verbose_name = _("exit")
        verbose_name_plural = _("exits")
        ordering = ["on"]

    str_related = ("investment",)  # the relations __str__ reads: lists join them

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.investment.enterprise}"

    def derive(self) -> None:
        if self.investment_id is not None:
            self.fund_id = self.investment.fund_id
        if self.kind == ExitKind.WRITE_OFF:
            self.proceeds = Decimal("0")
