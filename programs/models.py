"""Innovation services (创新产业服务): each operator's service catalogue, the service requests
of its tenants with their SLA clock, and the messages on a request (the company sees the
replies, never the staff's internal notes)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.choices import Role
from core.models import Operator, TimeStampedModel
from core.permissions import ALL_ACTIONS, READ, Policy, RestrictedQuerySet
from core.scopes import scope_ids
from enterprises.choices import GrowthStage, QualificationKind, QualificationLevel
from enterprises.models import CatalogTag, Enterprise
from programs.choices import (
    DONE_STATES,
    BookingState,
    GrantState,
    MembershipState,
    MilestoneKind,
    MoveState,
    PolicyLevel,
    ProgramKind,
    ProposalState,
    RequestState,
    ScenarioState,
    ServiceCategory,
)
from spaces.models import Park, Unit

__all__ = [
    "Booking",
    "Cohort",
    "Equipment",
    "Milestone",
    "MilestoneRecord",
    "Move",
    "PolicyApplication",
    "Program",
    "ProgramMember",
    "Proposal",
    "RequestMessage",
    "Scenario",
    "ServiceKind",
    "ServiceRequest",
    "StageChange",
    "SupportPolicy",
    "breached_q",
]

WORK = frozenset({"view", "add", "change"})


class ServiceKind(TimeStampedModel):
    """One service of an operator's catalogue, with its SLA in working days."""

    operator = models.ForeignKey(
        Operator, verbose_name=_("operator"), on_delete=models.CASCADE, related_name="+"
    )
    name = models.CharField(_("name"), max_length=60)
    category = models.CharField(_("category"), max_length=20, choices=ServiceCategory.choices)
    sla_days = models.PositiveSmallIntegerField(
        _("SLA (working days)"),
        validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text=_("Working days to resolve a request, after the State Council's holidays."),
    )
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("service manager"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        limit_choices_to={"role": Role.OPERATOR},
        help_text=_("New requests go to their queue."),
    )
    description = models.TextField(_("description"), blank=True)
    is_active = models.BooleanField(_("offered"), default=True)

    objects = RestrictedQuerySet.as_manager()
    # the catalogue is public to the companies (what can I ask for?); staff keep their own
    policy = Policy(
        grants={Role.OPERATOR: ALL_ACTIONS, Role.TENANT: READ},
        operator="operator",
        unscoped_roles=frozenset({Role.TENANT}),
    )

    class Meta:
        verbose_name = _("service")
        verbose_name_plural = _("service catalogue")
        ordering = ["operator_id", "category", "name"]
        constraints = [
            models.UniqueConstraint(fields=["operator", "name"], name="service_kind_unique_name"),
            models.CheckConstraint(
                condition=Q(sla_days__gte=1) & Q(sla_days__lte=60), name="service_kind_sla_1_60"
            ),
        ]

    def __str__(self) -> str:
        return self.name


def breached_q(today: datetime.date) -> Q:
    """Requests past their SLA: resolved after the due day, or still running after it (a
    request waiting for the company is paused, not late)."""
    return Q(resolved_on__isnull=False, resolved_on__gt=F("due_on")) | Q(
        resolved_on__isnull=True,
        state__in=[RequestState.OPEN, RequestState.IN_PROGRESS],
        due_on__lt=today,
    )


class ServiceRequest(TimeStampedModel):
    """A company's request for a service, from the tenant portal or staff on its behalf."""

    park = models.ForeignKey(
        Park, verbose_name=_("park"), on_delete=models.PROTECT, related_name="service_requests"
    )
    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name=_("enterprise"),
        on_delete=models.PROTECT,
        related_name="service_requests",
    )
    kind = models.ForeignKey(
        ServiceKind, verbose_name=_("service"), on_delete=models.PROTECT, related_name="requests"
    )
    subject = models.CharField(_("subject"), max_length=120)
    description = models.TextField(_("description"))
    state = models.CharField(
        _("state"),
        max_length=12,
        choices=RequestState.choices,
        default=RequestState.OPEN,
        db_index=True,
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("opened by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assignee"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    due_on = models.DateField(pgettext_lazy("service request", "due on"), db_index=True)
    due_provisional = models.BooleanField(
        _("due date provisional"),
        default=False,
        help_text=_("The holiday schedule of a year in the count is not published yet."),
    )
    paused_on = models.DateField(_("paused since"), null=True, blank=True)
    paused_days = models.PositiveIntegerField(_("working days paused"), default=0)
    resolved_on = models.DateField(_("resolved on"), null=True, blank=True)
    resolution = models.TextField(_("resolution"), blank=True)
    rating = models.PositiveSmallIntegerField(
        _("rating"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    rating_comment = models.CharField(_("rating comment"), max_length=300, blank=True)

    objects = RestrictedQuerySet.as_manager()
    # staff of the park work on its requests; a company on its own; the government and the
    # fund are not part of the service desk
    policy = Policy(
        grants={Role.OPERATOR: WORK, Role.TENANT: WORK}, park="park", enterprise="enterprise"
    )

    class Meta:
        verbose_name = _("service request")
        verbose_name_plural = _("service requests")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | (Q(rating__gte=1) & Q(rating__lte=5)),
                name="service_request_rating_1_5",
            )
        ]

    def __str__(self) -> str:
        return self.subject

    def breached(self, today: datetime.date) -> bool:
        if self.resolved_on is not None:
            return self.resolved_on > self.due_on
        return self.state not in (*DONE_STATES, RequestState.WAITING) and today > self.due_on

    @property
    def is_paused(self) -> bool:
        return self.paused_on is not None


def _tenant_messages(user: Any) -> Q:
    """A company reads the replies on its requests, never the staff's internal notes."""
    return Q(request__enterprise__pk__in=scope_ids(user, "enterprise"), internal=False)


class RequestMessage(models.Model):
    """A message on a request: a reply the company sees, or an internal note of the staff."""

    request = models.ForeignKey(ServiceRequest, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    body = models.TextField(_("message"))
    internal = models.BooleanField(
        _("internal note"), default=False, help_text=_("Only the park's staff see it.")
    )
    created_at = models.DateTimeField(_("time"), auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()
    policy = Policy(
        grants={Role.OPERATOR: frozenset({"view", "add"}), Role.TENANT: frozenset({"view", "add"})},
        park="request__park",
        enterprise="request__enterprise",
        scopes={Role.TENANT: _tenant_messages},
    )

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["request_id", "created_at", "id"]

    def __str__(self) -> str:
        return self.body[:40]


class Equipment(TimeStampedModel):
    """A shared instrument or lab of a park (共享设备与实验室) that companies book by the hour."""

    park = models.ForeignKey(
        Park, verbose_name=_("park"), on_delete=models.PROTECT, related_name="equipment"
    )
    code = models.CharField(_("code"), max_length=20)
    name = models.CharField(_("name"), max_length=80)
    description = models.TextField(_("description"), blank=True)
    hourly_rate = models.DecimalField(
        _("price (元/hour)"),
        max_digits=10,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
    )
    opens_at = models.TimeField(_("opens at"), default=datetime.time(8, 0))
    closes_at = models.TimeField(_("closes at"), default=datetime.time(20, 0))
    is_active = models.BooleanField(_("bookable"), default=True)

    objects = RestrictedQuerySet.as_manager()
    # companies see what they can book in every park; staff keep their parks' equipment
    policy = Policy(
        grants={Role.OPERATOR: ALL_ACTIONS, Role.TENANT: READ},
        park="park",
        unscoped_roles=frozenset({Role.TENANT}),
    )

    class Meta:
        verbose_name = _("shared equipment")
        verbose_name_plural = _("shared equipment")
        ordering = ["park_id", "code"]
        constraints = [
            models.UniqueConstraint(fields=["park", "code"], name="equipment_unique_code"),
            models.CheckConstraint(
                condition=Q(closes_at__gt=F("opens_at")), name="equipment_opens_before_closing"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Booking(TimeStampedModel):
    """A company's booking of shared equipment. No two bookings of one instrument that are
    not cancelled overlap: the database refuses it (PostgreSQL exclusion constraint, SQLite
    triggers), whoever books at the same moment."""

    equipment = models.ForeignKey(
        Equipment, verbose_name=_("equipment"), on_delete=models.PROTECT, related_name="bookings"
    )
    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("enterprise"), on_delete=models.PROTECT, related_name="+"
    )
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("booked by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    starts_at = models.DateTimeField(_("from"))
    ends_at = models.DateTimeField(_("to"))
    state = models.CharField(
        _("state"), max_length=10, choices=BookingState.choices, default=BookingState.BOOKED
    )
    purpose = models.CharField(_("purpose"), max_length=200, blank=True)
    fee = models.DecimalField(_("fee (元)"), max_digits=12, decimal_places=2, null=True, blank=True)

    objects = RestrictedQuerySet.as_manager()
    policy = Policy(
        grants={Role.OPERATOR: WORK, Role.TENANT: WORK},
        park="equipment__park",
        enterprise="enterprise",
    )

    class Meta:
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")
        ordering = ["-starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="booking_ends_after_start"
            )
        ]

    str_related = ("equipment",)  # the relations __str__ reads: lists join them

    def __str__(self) -> str:
        start = timezone.localtime(self.starts_at)
        end = timezone.localtime(self.ends_at)
        return f"{self.equipment.code} {start:%Y-%m-%d %H:%M}–{end:%H:%M}"

    @property
    def hours(self) -> Decimal:
        return Decimal((self.ends_at - self.starts_at).total_seconds()) / Decimal(3600)


class SupportPolicy(TimeStampedModel):
    """A support policy (政策) with machine-checkable criteria, kept by an operator for the
    companies of its parks; every criterion left empty accepts any company."""

    operator = models.ForeignKey(
        Operator, verbose_name=_("operator"), on_delete=models.CASCADE, related_name="+"
    )
    title = models.CharField(_("title"), max_length=120)
    issuer = models.CharField(_("issuer"), max_length=80)
    level = models.CharField(_("level"), max_length=10, choices=PolicyLevel.choices)
    benefit = models.TextField(_("benefit"))
    max_amount_wan = models.DecimalField(
        _("up to (万元)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"))
    # criteria
    qualification = models.CharField(
        _("qualification required"), max_length=20, choices=QualificationKind.choices, blank=True
    )
    qualification_level = models.CharField(
        _("at least at level"), max_length=12, choices=QualificationLevel.choices, blank=True
    )
    industry_codes = models.CharField(
        _("industries"),
        max_length=200,
        blank=True,
        help_text=_("GB/T 4754-2017 codes at any level (C, 39, 3973), separated by 、 or commas."),
    )
    stages: models.JSONField[Any] = models.JSONField(
        _("growth stages"), default=list, blank=True, help_text=_("Empty: any stage.")
    )
    parks = models.ManyToManyField(
        Park,
        verbose_name=_("located in"),
        blank=True,
        related_name="+",
        help_text=_("Renting in one of these parks; empty: anywhere."),
    )
    min_age_years = models.PositiveSmallIntegerField(
        _("established at least (years)"), null=True, blank=True
    )
    max_age_years = models.PositiveSmallIntegerField(
        _("established at most (years)"), null=True, blank=True
    )
    min_paid_in_capital_wan = models.DecimalField(
        _("paid-in capital at least (万元)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    min_headcount = models.PositiveIntegerField(
        _("headcount at least"), null=True, blank=True, validators=[MaxValueValidator(10_000_000)]
    )
    min_revenue_wan = models.DecimalField(
        _("revenue at least (万元)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    min_rd_intensity_pct = models.DecimalField(
        _("R&D intensity at least (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
        help_text=_("R&D spend over revenue, from the company's latest yearly figures."),
    )

    objects = RestrictedQuerySet.as_manager()
    # public policies: every company and reviewer may read them; staff keep their operator's
    policy = Policy(
        grants={Role.OPERATOR: ALL_ACTIONS, Role.TENANT: READ, Role.GOV: READ},
        operator="operator",
        unscoped_roles=frozenset({Role.TENANT, Role.GOV}),
    )

    class Meta:
        verbose_name = _("support policy")
        verbose_name_plural = _("support policies")
        ordering = ["-valid_to", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__gte=F("valid_from")), name="policy_valid_range"
            )
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:

        bad = [s for s in self.stages or [] if s not in GrowthStage.values]
        if bad:
            raise ValidationError({"stages": _("Unknown stages: %(s)s.") % {"s": ", ".join(bad)}})
        if (
            self.min_age_years is not None
            and self.max_age_years is not None
            and self.max_age_years < self.min_age_years
        ):
            raise ValidationError({"max_age_years": _("The most years is at least the fewest.")})
        if self.qualification_level and not self.qualification:
            raise ValidationError(
                {"qualification_level": _("Choose the qualification this level is of.")}
            )
        self.industry_codes = "、".join(_industry_codes(self.industry_codes))

    def industry_list(self) -> list[str]:
        return [c for c in self.industry_codes.split("、") if c]


def _industry_codes(text: str) -> list[str]:
    """Codes of the GB/T 4754-2017 catalogue, normalised; an unknown one is refused."""
    import re

    from django.core.exceptions import ValidationError

    from enterprises.models import Industry

    wanted = []
    for item in re.split(r"[、,，;；\s]+", text or ""):
        code = item.strip().upper()
        if code:
            wanted.append(code.zfill(2) if code.isdigit() and len(code) < 2 else code)
    known = set(Industry.objects.filter(code__in=wanted).values_list("code", flat=True))
    unknown = [c for c in wanted if c not in known]
    if unknown:
        raise ValidationError(
            {
                "industry_codes": _("“%(codes)s” is not a GB/T 4754-2017 code.")
                % {"codes": "、".join(unknown)}
            }
        )
    return list(dict.fromkeys(wanted))


class PolicyApplication(TimeStampedModel):
    """A company's application for a support policy, tracked to the grant or the refusal."""

    support_policy = models.ForeignKey(
        SupportPolicy,
        verbose_name=_("support policy"),
        on_delete=models.PROTECT,
        related_name="applications",
    )
    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("enterprise"), on_delete=models.PROTECT, related_name="+"
    )
    state = models.CharField(
        _("state"), max_length=10, choices=GrantState.choices, default=GrantState.DRAFT
    )
    submitted_on = models.DateField(_("submitted on"), null=True, blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    amount_granted_wan = models.DecimalField(
        _("granted (万元)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    note = models.TextField(_("note"), blank=True)

    objects = RestrictedQuerySet.as_manager()
    policy = Policy(
        grants={Role.OPERATOR: WORK, Role.TENANT: WORK},
        operator="support_policy__operator",
        enterprise="enterprise",
    )

    class Meta:
        verbose_name = _("policy application")
        verbose_name_plural = _("policy applications")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["support_policy", "enterprise"], name="policy_application_once"
            )
        ]

    str_related = ("support_policy", "enterprise")  # the relations __str__ reads: lists join them

    def __str__(self) -> str:
        return f"{self.enterprise} · {self.support_policy}"


class Scenario(TimeStampedModel):
    """An application scenario (应用场景): a real setting the operator or a group company
    opens to the park's companies — a factory line, a building, property services."""

    operator = models.ForeignKey(
        Operator, verbose_name=_("operator"), on_delete=models.CASCADE, related_name="+"
    )
    title = models.CharField(_("title"), max_length=120)
    owner = models.CharField(
        _("offered by"), max_length=80, help_text=_("The operator or the group company.")
    )
    setting = models.TextField(_("the setting and the need"))
    tags = models.ManyToManyField(
        CatalogTag, verbose_name=_("domains"), blank=True, related_name="+"
    )
    industry_codes = models.CharField(
        _("industries"),
        max_length=200,
        blank=True,
        help_text=_("GB/T 4754-2017 codes of the companies sought (C, 39, 3973)."),
    )
    budget_wan = models.DecimalField(
        _("budget (万元)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    deadline = models.DateField(_("proposals until"))
    contact = models.CharField(_("contact"), max_length=80, blank=True)
    state = models.CharField(
        _("state"), max_length=10, choices=ScenarioState.choices, default=ScenarioState.OPEN
    )

    objects = RestrictedQuerySet.as_manager()
    # open to every company of the parks to read; the operator's staff publish them
    policy = Policy(
        grants={Role.OPERATOR: ALL_ACTIONS, Role.TENANT: READ, Role.GOV: READ},
        operator="operator",
        unscoped_roles=frozenset({Role.TENANT, Role.GOV}),
    )

    class Meta:
        verbose_name = _("application scenario")
        verbose_name_plural = _("application scenarios")
        ordering = ["-deadline", "title"]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        self.industry_codes = "、".join(_industry_codes(self.industry_codes))

    def industry_list(self) -> list[str]:
        return [c for c in self.industry_codes.split("、") if c]


class Proposal(TimeStampedModel):
    """A company's proposal for a scenario, through shortlist and pilot to an outcome."""

    scenario = models.ForeignKey(
        Scenario,
        verbose_name=_("application scenario"),
        on_delete=models.PROTECT,
        related_name="proposals",
    )
    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("enterprise"), on_delete=models.PROTECT, related_name="+"
    )
    summary = models.TextField(_("the solution"))
    state = models.CharField(
        _("state"), max_length=12, choices=ProposalState.choices, default=ProposalState.SUBMITTED
    )
    outcome = models.TextField(_("outcome"), blank=True)
    value_wan = models.DecimalField(
        _("contract value (万元)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )

    objects = RestrictedQuerySet.as_manager()
    policy = Policy(
        grants={Role.OPERATOR: WORK, Role.TENANT: WORK},
        operator="scenario__operator",
        enterprise="enterprise",
    )

    class Meta:
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["scenario", "enterprise"], name="proposal_once")
        ]

    str_related = ("scenario", "enterprise")  # the relations __str__ reads: lists join them

    def __str__(self) -> str:
        return f"{self.enterprise} · {self.scenario}"


# growth path ---------------------------------------------------------------------------
# Programs are the operator's offer (companies and the government read them); members and
# their milestones are the company's own record (its staff read them, the park's staff write).
OFFER = Policy(
    grants={Role.OPERATOR: ALL_ACTIONS, Role.GOV: READ, Role.TENANT: READ},
    operator="park__operator",
    unscoped_roles=frozenset({Role.TENANT, Role.GOV}),
)


class Program(TimeStampedModel):
    """An incubation or acceleration program of one park, with the stage its members are
    at while in it and the stage they reach when they graduate."""

    park = models.ForeignKey(
        Park, verbose_name=_("park"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("name"), max_length=80)
    kind = models.CharField(_("kind"), max_length=12, choices=ProgramKind.choices)
    stage = models.CharField(
        _("stage while in it"),
        max_length=20,
        choices=GrowthStage.choices,
        help_text=_("A company that joins is at this growth stage."),
    )
    graduate_stage = models.CharField(
        _("stage on graduation"), max_length=20, choices=GrowthStage.choices
    )
    next_park = models.ForeignKey(
        Park,
        verbose_name=_("next park"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Where graduates usually move on to; a move plan starts there."),
    )
    graduation_criteria = models.TextField(
        _("graduation criteria"),
        blank=True,
        help_text=_("In words; the milestones marked “required” are checked before graduation."),
    )
    description = models.TextField(_("description"), blank=True)

    objects = RestrictedQuerySet.as_manager()
    policy = OFFER

    class Meta:
        verbose_name = _("program")
        verbose_name_plural = _("programs")
        ordering = ["park__code", "kind", "name"]

    def __str__(self) -> str:
        return self.name


class Cohort(TimeStampedModel):
    program = models.ForeignKey(
        Program, verbose_name=_("program"), on_delete=models.PROTECT, related_name="cohorts"
    )
    name = models.CharField(_("name"), max_length=60)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    capacity = models.PositiveSmallIntegerField(
        _("capacity"), validators=[MinValueValidator(1), MaxValueValidator(500)]
    )
    entry_criteria = models.TextField(_("entry criteria"), blank=True)
    mentors = models.TextField(_("mentors"), blank=True, help_text=_("One per line."))

    objects = RestrictedQuerySet.as_manager()
    policy = Policy(
        grants=OFFER.grants, operator="program__park__operator", unscoped_roles=OFFER.unscoped_roles
    )

    class Meta:
        verbose_name = _("cohort")
        verbose_name_plural = _("cohorts")
        ordering = ["-starts_on", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gt=F("starts_on")), name="cohort_ends_after_start"
            )
        ]

    str_related = ("program",)  # the relations __str__ reads: lists join them

    def __str__(self) -> str:
        return f"{self.program} · {self.name}"

    def clean(self) -> None:
        if self.starts_on and self.ends_on and self.ends_on <= self.starts_on:
            raise ValidationError({"ends_on": _("A cohort ends after it starts.")})

    def mentor_list(self) -> list[str]:
        return [m.strip() for m in self.mentors.splitlines() if m.strip()]


class Milestone(TimeStampedModel):
    """What a member of the program should reach, and by how many months after joining."""

    program = models.ForeignKey(
        Program, verbose_name=_("program"), on_delete=models.CASCADE, related_name="milestones"
    )
    name = models.CharField(_("name"), max_length=80)
    kind = models.CharField(_("kind"), max_length=20, choices=MilestoneKind.choices)
    due_months = models.PositiveSmallIntegerField(
        _("due (months after joining)"), validators=[MinValueValidator(1), MaxValueValidator(60)]
    )
    required = models.BooleanField(
        _("required to graduate"), default=True, help_text=_("Checked before graduation.")
    )

    objects = RestrictedQuerySet.as_manager()
    policy = Policy(
        grants=OFFER.grants, operator="program__park__operator", unscoped_roles=OFFER.unscoped_roles
    )

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["program", "due_months", "name"]

    def __str__(self) -> str:
        return self.name


MEMBER: dict[str, frozenset[str]] = {Role.OPERATOR: WORK, Role.GOV: READ, Role.TENANT: READ}


class ProgramMember(TimeStampedModel):
    """A company in a cohort: joined, then graduated or left with a reason."""

    cohort = models.ForeignKey(
        Cohort, verbose_name=_("cohort"), on_delete=models.PROTECT, related_name="members"
    )
    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("enterprise"), on_delete=models.PROTECT, related_name="+"
    )
    joined_on = models.DateField(_("joined on"))
    state = models.CharField(
        _("state"), max_length=10, choices=MembershipState.choices, default=MembershipState.ACTIVE
    )
    ended_on = models.DateField(_("graduated or left on"), null=True, blank=True)
    exit_reason = models.CharField(_("reason for leaving"), max_length=300, blank=True)

    objects = RestrictedQuerySet.as_manager()
    policy = Policy(
        grants=MEMBER,
        operator="cohort__program__park__operator",
        enterprise="enterprise",
        unscoped_roles=frozenset({Role.GOV}),
    )

    class Meta:
        verbose_name = _("program membership")
        verbose_name_plural = _("program memberships")
        ordering = ["-joined_on"]
        constraints = [
            models.UniqueConstraint(fields=["cohort", "enterprise"], name="membership_once"),
            # one program at a time: a company is incubated or accelerated, not both
            models.UniqueConstraint(
                fields=["enterprise"],
                condition=Q(state="active"),
                name="membership_one_active",
            ),
        ]

    str_related = ("cohort", "enterprise")  # the relations __str__ reads: lists join them

    def __str__(self) -> str:
        return f"{self.enterprise} · {self.cohort}"


class MilestoneRecord(TimeStampedModel):
    """One milestone of one member: when it is due, and when it was met, with the evidence."""

    membership = models.ForeignKey(
        ProgramMember,
        verbose_name=_("membership"),
        on_delete=models.CASCADE,
        related_name="milestones",
    )
    milestone = models.ForeignKey(
        Milestone, verbose_name=_("milestone"), on_delete=models.PROTECT, related_name="+"
    )
    due_on = models.DateField(_("due on"))
    met_on = models.DateField(_("met on"), null=True, blank=True)
    evidence = models.TextField(_("evidence"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = RestrictedQuerySet.as_manager()
    policy = Policy(
        grants=MEMBER,
        operator="membership__cohort__program__park__operator",
        enterprise="membership__enterprise",
        unscoped_roles=frozenset({Role.GOV}),
    )

    class Meta:
        verbose_name = _("milestone record")
        verbose_name_plural = _("milestone records")
        ordering = ["due_on"]
        constraints = [
            models.UniqueConstraint(fields=["membership", "milestone"], name="milestone_once")
        ]

    str_related = ("membership", "milestone")  # the relations __str__ reads: lists join them

    def __str__(self) -> str:
        return f"{self.membership.enterprise} · {self.milestone}"

    def status(self, today: datetime.date) -> str:
        """met, missed (due and not met) or due."""
        if self.met_on is not None:
            return "met" if self.met_on <= self.due_on else "met_late"
        return "missed" if today > self.due_on else "due"


class StageChange(models.Model):
    """A company's growth stage moved (joining a program, graduating): the funnel's clock."""

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("enterprise"), on_delete=models.CASCADE, related_name="+"
    )
    from_stage = models.CharField(_("from"), max_length=20, choices=GrowthStage.choices)
    to_stage = models.CharField(_("to"), max_length=20, choices=GrowthStage.choices)
    on = models.DateField(_("on"))
    membership = models.ForeignKey(
        ProgramMember,
        verbose_name=_("program membership"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = RestrictedQuerySet.as_manager()
    policy = Policy(
        grants={Role.OPERATOR: READ, Role.GOV: READ, Role.FUND: READ, Role.TENANT: READ},
        operator="membership__cohort__program__park__operator",
        enterprise="enterprise",
        unscoped_roles=frozenset({Role.GOV, Role.FUND}),
    )

    class Meta:
        verbose_name = _("stage change")
        verbose_name_plural = _("stage changes")
        ordering = ["on", "pk"]

    str_related = ("enterprise",)  # the relations __str__ reads: lists join them

    def __str__(self) -> str:
        return f"{self.enterprise}: {self.from_stage} → {self.to_stage}"


class Move(TimeStampedModel):
    """A company's move to another park of the operator: planned (the space it needs),
    agreed (the units chosen and the terms), completed (the new lease signed and the old one
    ended in one transaction)."""

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("enterprise"), on_delete=models.PROTECT, related_name="+"
    )
    membership = models.ForeignKey(
        ProgramMember,
        verbose_name=_("graduation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    from_lease = models.ForeignKey(
        "leasing.Lease",
        verbose_name=_("current lease"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    to_park = models.ForeignKey(
        Park, verbose_name=_("to park"), on_delete=models.PROTECT, related_name="+"
    )
    move_on = models.DateField(
        _("move on"), help_text=_("The new lease starts and the old one ends this day.")
    )
    area_min_m2 = models.DecimalField(
        _("area needed from (m²)"),
        max_digits=10,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("1"))],
    )
    area_max_m2 = models.DecimalField(
        _("area needed up to (m²)"),
        max_digits=10,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("1"))],
    )
    clear_height_min_m = models.DecimalField(
        _("clear height at least (m)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    state = models.CharField(
        _("state"), max_length=10, choices=MoveState.choices, default=MoveState.PLANNED
    )
    units = models.ManyToManyField(Unit, verbose_name=_("units"), blank=True, related_name="+")
    rent_per_m2_day = models.DecimalField(
        _("rent (元/m²/day)"),
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    term_months = models.PositiveSmallIntegerField(
        _("term (months)"), default=36, validators=[MinValueValidator(1), MaxValueValidator(240)]
    )
    new_lease = models.OneToOneField(
        "leasing.Lease",
        verbose_name=_("new lease"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    notes = models.TextField(_("notes"), blank=True)

    objects = RestrictedQuerySet.as_manager()
    policy = Policy(
        grants={Role.OPERATOR: WORK, Role.GOV: READ, Role.TENANT: READ},
        operator="to_park__operator",
        enterprise="enterprise",
        unscoped_roles=frozenset({Role.GOV}),
    )

    class Meta:
        verbose_name = _("move between parks")
        verbose_name_plural = _("moves between parks")
        ordering = ["-move_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(area_max_m2__gte=F("area_min_m2")), name="move_area_range"
            )
        ]

    str_related = ("enterprise", "to_park")  # the relations __str__ reads: lists join them

    def __str__(self) -> str:
        return f"{self.enterprise} → {self.to_park}"

    def clean(self) -> None:
        if self.area_min_m2 and self.area_max_m2 and self.area_max_m2 < self.area_min_m2:
            raise ValidationError({"area_max_m2": _("The upper bound is below the lower one.")})
