"""One filter definition per list, for the UI filter bar and the API query alike."""

from __future__ import annotations

import datetime

import django_filters as df
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from programs.choices import (
    BookingState,
    GrantState,
    MembershipState,
    MoveState,
    PolicyLevel,
    ProgramKind,
    ProposalState,
    RequestState,
    ScenarioState,
    ServiceCategory,
)
from programs.models import (
    Booking,
    Cohort,
    Equipment,
    Milestone,
    Move,
    PolicyApplication,
    Program,
    ProgramMember,
    Proposal,
    RequestMessage,
    Scenario,
    ServiceKind,
    ServiceRequest,
    SupportPolicy,
    breached_q,
)
from spaces.filters import filter_park_code

__all__ = [
    "BookingFilter",
    "CohortFilter",
    "EquipmentFilter",
    "GrantFilter",
    "KindFilter",
    "MemberFilter",
    "MessageFilter",
    "MilestoneFilter",
    "MoveFilter",
    "PolicyFilter",
    "ProgramFilter",
    "ProposalFilter",
    "RequestFilter",
    "ScenarioFilter",
]


class KindFilter(df.FilterSet):
    category = df.ChoiceFilter(label=_("Category"), choices=ServiceCategory.choices)
    is_active = df.BooleanFilter(label=_("Offered"))

    class Meta:
        model = ServiceKind
        fields: list[str] = []


def _breached(
    qs: QuerySet[ServiceRequest], name: str, value: bool | None
) -> QuerySet[ServiceRequest]:
    if value is None:
        return qs
    late = breached_q(timezone.localdate())
    return qs.filter(late) if value else qs.exclude(late)


class RequestFilter(df.FilterSet):
    park = df.CharFilter(label=_("Park code"), field_name="park_id", method=filter_park_code)
    state = df.ChoiceFilter(label=_("State"), choices=RequestState.choices)
    category = df.ChoiceFilter(
        label=_("Category"), field_name="kind__category", choices=ServiceCategory.choices
    )
    breached = df.BooleanFilter(label=_("Past the SLA"), method=_breached)
    mine = df.BooleanFilter(label=_("Assigned to me"), method="assigned_to_me")
    q = df.CharFilter(label=_("Search"), method="search")

    class Meta:
        model = ServiceRequest
        fields: list[str] = []

    def assigned_to_me(
        self, qs: QuerySet[ServiceRequest], name: str, value: bool | None
    ) -> QuerySet[ServiceRequest]:
        """A service manager's own queue."""
        user = getattr(self.request, "user", None)
        if value is None or user is None:
            return qs
        return qs.filter(assignee=user) if value else qs.exclude(assignee=user)

    def search(
        self, qs: QuerySet[ServiceRequest], name: str, value: str
    ) -> QuerySet[ServiceRequest]:
        return qs.filter(Q(subject__icontains=value) | Q(enterprise__name__icontains=value))


class MessageFilter(df.FilterSet):
    request = df.NumberFilter(label=_("Request id"), field_name="request_id")

    class Meta:
        model = RequestMessage
        fields: list[str] = []


class EquipmentFilter(df.FilterSet):
    park = df.CharFilter(label=_("Park code"), field_name="park_id", method=filter_park_code)
    is_active = df.BooleanFilter(label=_("Bookable"))

    class Meta:
        model = Equipment
        fields: list[str] = []


class BookingFilter(df.FilterSet):
    equipment = df.NumberFilter(label=_("Equipment id"), field_name="equipment_id")
    state = df.ChoiceFilter(label=_("State"), choices=BookingState.choices)
    day = df.DateFilter(label=_("Day"), field_name="starts_at", lookup_expr="date")

    class Meta:
        model = Booking
        fields: list[str] = []


class PolicyFilter(df.FilterSet):
    level = df.ChoiceFilter(label=_("Level"), choices=PolicyLevel.choices)
    in_force = df.BooleanFilter(label=_("In force"), method="filter_in_force")

    class Meta:
        model = SupportPolicy
        fields: list[str] = []

    def filter_in_force(
        self, qs: QuerySet[SupportPolicy], name: str, value: bool | None
    ) -> QuerySet[SupportPolicy]:
        if value is None:
            return qs
        today = timezone.localdate()
        live = Q(valid_from__lte=today, valid_to__gte=today)
        return qs.filter(live) if value else qs.exclude(live)


class GrantFilter(df.FilterSet):
    state = df.ChoiceFilter(label=_("State"), choices=GrantState.choices)
    support_policy = df.NumberFilter(label=_("Policy id"), field_name="support_policy_id")

    class Meta:
        model = PolicyApplication
        fields: list[str] = []


class ScenarioFilter(df.FilterSet):
    state = df.ChoiceFilter(label=_("State"), choices=ScenarioState.choices)
    q = df.CharFilter(label=_("Search"), field_name="title", lookup_expr="icontains")

    class Meta:
        model = Scenario
        fields: list[str] = []


class ProposalFilter(df.FilterSet):
    state = df.ChoiceFilter(label=_("State"), choices=ProposalState.choices)
    scenario = df.NumberFilter(label=_("Scenario id"), field_name="scenario_id")

    class Meta:
        model = Proposal
        fields: list[str] = []


class ProgramFilter(df.FilterSet):
    park = df.CharFilter(label=_("Park code"), field_name="park_id", method=filter_park_code)
    kind = df.ChoiceFilter(label=_("Kind"), choices=ProgramKind.choices)

    class Meta:
        model = Program
        fields: list[str] = []


class CohortFilter(df.FilterSet):
    program = df.NumberFilter(label=_("Program id"), field_name="program_id")

    class Meta:
        model = Cohort
        fields: list[str] = []


class MilestoneFilter(df.FilterSet):
    program = df.NumberFilter(label=_("Program id"), field_name="program_id")

    class Meta:
        model = Milestone
        fields: list[str] = []


def overdue_q(today: datetime.date) -> Q:
    """Members still in their program with a milestone due before today and not met."""
    return Q(
        state=MembershipState.ACTIVE,
        milestones__met_on__isnull=True,
        milestones__due_on__lt=today,
    )


class MemberFilter(df.FilterSet):
    state = df.ChoiceFilter(label=_("State"), choices=MembershipState.choices)
    overdue = df.BooleanFilter(label=_("Milestone past due"), method="filter_overdue")
    cohort = df.NumberFilter(label=_("Cohort id"), field_name="cohort_id")
    enterprise = df.NumberFilter(label=_("Enterprise id"), field_name="enterprise_id")

    class Meta:
        model = ProgramMember
        fields: list[str] = []

    def filter_overdue(
        self, qs: QuerySet[ProgramMember], name: str, value: bool | None
    ) -> QuerySet[ProgramMember]:
        if value is None:
            return qs
        late = ProgramMember.objects.filter(overdue_q(timezone.localdate())).values("pk")
        return qs.filter(pk__in=late) if value else qs.exclude(pk__in=late)


class MoveFilter(df.FilterSet):
    state = df.ChoiceFilter(label=_("State"), choices=MoveState.choices)

    class Meta:
        model = Move
        fields: list[str] = []
