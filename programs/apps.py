from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from core.registry import ParkOpsApp


class ProgramsConfig(ParkOpsApp):
    name = "programs"
    verbose_name = _("Innovation services")
    nav = [
        {"label": _("Programs"), "url": "programs:program_list", "model": "programs.Program"},
        {
            "label": _("Program members"),
            "url": "programs:programmember_list",
            "model": "programs.ProgramMember",
        },
        {"label": _("Moves between parks"), "url": "programs:move_list", "model": "programs.Move"},
        {"label": _("Growth funnel"), "url": "programs:funnel", "model": "programs.ProgramMember"},
        {
            "label": _("Service requests"),
            "url": "programs:servicerequest_list",
            "model": "programs.ServiceRequest",
        },
        {
            "label": _("Service catalogue"),
            "url": "programs:servicekind_list",
            "model": "programs.ServiceKind",
        },
        {
            "label": _("Shared equipment"),
            "url": "programs:equipment_list",
            "model": "programs.Equipment",
        },
        {"label": _("Bookings"), "url": "programs:booking_list", "model": "programs.Booking"},
        {
            "label": _("Application scenarios"),
            "url": "programs:scenario_list",
            "model": "programs.Scenario",
        },
        {"label": _("Proposals"), "url": "programs:proposal_list", "model": "programs.Proposal"},
        {
            "label": _("Support policies"),
            "url": "programs:supportpolicy_list",
            "model": "programs.SupportPolicy",
        },
        {
            "label": _("Policy applications"),
            "url": "programs:policyapplication_list",
            "model": "programs.PolicyApplication",
        },
    ]

    def ready(self) -> None:
        super().ready()
        from core.views import Tab, register_tab
        from programs.models import ProgramMember, ServiceRequest

        register_tab(
            "enterprises.enterprise",
            Tab(
                "path",
                _("Growth path"),
                "programs/partials/enterprise_path.html",
                context=_enterprise_path,
                visible=lambda user: ProgramMember.policy.allows_role(user, "view"),
            ),
        )
        register_tab(
            "enterprises.enterprise",
            Tab(
                "scenarios",
                _("Scenarios that fit"),
                "programs/partials/enterprise_scenarios.html",
                context=_enterprise_scenarios,
                visible=lambda user: user.role in ("operator", "tenant") or user.is_platform_admin,
            ),
        )
        register_tab(
            "enterprises.enterprise",
            Tab(
                "policies",
                _("Policy matches"),
                "programs/partials/enterprise_policies.html",
                context=_enterprise_policies,
                visible=lambda user: user.role in ("operator", "tenant") or user.is_platform_admin,
            ),
        )
        register_tab(
            "enterprises.enterprise",
            Tab(
                "services",
                _("Service requests"),
                "programs/partials/enterprise_requests.html",
                context=_enterprise_requests,
                visible=lambda user: ServiceRequest.policy.allows_role(user, "view"),
            ),
        )

    @staticmethod
    def home_todos(user: Any, park_code: str | None) -> list[dict[str, Any]]:
        """Staff: requests in their queue, and those past their SLA."""
        from django.urls import reverse
        from django.utils import timezone

        from programs.choices import RequestState
        from programs.models import ServiceRequest, breached_q

        if user.role != "operator":
            return []
        mine = ServiceRequest.objects.restrict(user).filter(
            state__in=[RequestState.OPEN, RequestState.IN_PROGRESS]
        )
        if park_code:
            mine = mine.filter(park__code=park_code)
        url = reverse("programs:servicerequest_list")
        return [
            *_growth_todos(user, park_code),
            {
                "label": _("Service requests to handle"),
                "count": mine.filter(assignee=user).count(),
                "url": url,
            },
            {
                "label": _("Service requests past their SLA"),
                "count": mine.filter(breached_q(timezone.localdate())).count(),
                "url": url + "?breached=true",
            },
        ]


def _enterprise_requests(request: Any, enterprise: Any) -> dict[str, Any]:
    from django.utils import timezone

    from programs.models import ServiceRequest
    from programs.selectors import with_breach

    rows = ServiceRequest.objects.restrict(request.user).filter(enterprise=enterprise)
    return {"requests": with_breach(rows.select_related("kind"), timezone.localdate())}


def _enterprise_policies(request: Any, enterprise: Any) -> dict[str, Any]:
    from django.utils import timezone

    from programs.models import PolicyApplication, SupportPolicy
    from programs.policies import matches_for_enterprise

    policies = SupportPolicy.objects.restrict(request.user)
    return {
        "fits": matches_for_enterprise(enterprise, policies, timezone.localdate()),
        "enterprise": enterprise,
        "applied": set(
            PolicyApplication.objects.filter(enterprise=enterprise).values_list(
                "support_policy_id", flat=True
            )
        ),
        "may_apply": PolicyApplication.policy.allows_role(request.user, "add"),
    }


def _enterprise_scenarios(request: Any, enterprise: Any) -> dict[str, Any]:
    from django.utils import timezone

    from programs.models import Scenario
    from programs.scenario_match import scenarios_for

    open_ = Scenario.objects.restrict(request.user).filter(
        state="open", deadline__gte=timezone.localdate()
    )
    return {"ranked": scenarios_for(enterprise, open_)}


def _enterprise_path(request: Any, enterprise: Any) -> dict[str, Any]:
    from programs.growth_views import enterprise_path

    return enterprise_path(request, enterprise)


def _growth_todos(user: Any, park_code: str | None) -> list[dict[str, Any]]:
    """Staff: members of the programs with a milestone past due, and agreed moves to make."""
    from django.urls import reverse
    from django.utils import timezone

    from programs.choices import MoveState
    from programs.filters import overdue_q
    from programs.models import Move, ProgramMember

    members = ProgramMember.objects.restrict(user).filter(overdue_q(timezone.localdate()))
    moves = Move.objects.restrict(user).filter(state=MoveState.AGREED)
    if park_code:
        members = members.filter(cohort__program__park__code=park_code)
        moves = moves.filter(to_park__code=park_code)
    return [
        {
            "label": _("Program members with a milestone past due"),
            "count": members.distinct().count(),
            "url": reverse("programs:programmember_list") + "?overdue=true",
        },
        {
            "label": _("Agreed moves to complete"),
            "count": moves.count(),
            "url": reverse("programs:move_list") + "?state=agreed",
        },
    ]
