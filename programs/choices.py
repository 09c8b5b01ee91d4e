"""Choices of the innovation services: the service catalogue's categories and the states and
moves of a service request (core.workflow)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.choices import Role
from core.workflow import Transition

__all__ = ["TRANSITIONS", "WAITING_STATES", "RequestState", "ServiceCategory"]


class ServiceCategory(models.TextChoices):
    POLICY = "policy", _("Policy applications")
    FINANCING = "financing", _("Financing matchmaking")
    IP = "ip", _("Intellectual property agency")
    TALENT = "talent", _("Talent and HR")
    LEGAL_TAX = "legal_tax", _("Legal and tax")
    TECH_TRANSFER = "tech_transfer", _("Technology transfer")
    EQUIPMENT = "equipment", _("Shared equipment and labs")
    MARKETING = "marketing", _("Marketing")
    OTHER = "other", _("Other services")


class RequestState(models.TextChoices):
    OPEN = "open", pgettext_lazy("service request state", "Open")
    IN_PROGRESS = "in_progress", _("In progress")
    WAITING = "waiting", _("Waiting for the company")
    RESOLVED = "resolved", _("Resolved")
    CLOSED = "closed", _("Closed")
    CANCELLED = "cancelled", _("Cancelled")


# the SLA clock does not run in these states: waiting for the company, or done
WAITING_STATES = frozenset({RequestState.WAITING})
DONE_STATES = frozenset({RequestState.RESOLVED, RequestState.CLOSED, RequestState.CANCELLED})
STAFF = frozenset({Role.OPERATOR})
S = RequestState

TRANSITIONS = {
    t.action: t
    for t in [
        Transition("accept", _("Accept"), (S.OPEN,), S.IN_PROGRESS, STAFF),
        Transition("wait", _("Ask the company"), (S.IN_PROGRESS,), S.WAITING, STAFF),
        Transition("resume", _("Resume"), (S.WAITING,), S.IN_PROGRESS, STAFF, creator=True),
        Transition("resolve", _("Resolve"), (S.OPEN, S.IN_PROGRESS), S.RESOLVED, STAFF),
        Transition("reopen", _("Reopen"), (S.RESOLVED,), S.IN_PROGRESS, STAFF, creator=True),
        Transition("close", _("Close"), (S.RESOLVED,), S.CLOSED, STAFF, creator=True),
        Transition(
            "cancel",
            _("Cancel the request"),
            (S.OPEN, S.IN_PROGRESS, S.WAITING),
            S.CANCELLED,
            STAFF,
            creator=True,
            danger=True,
        ),
    ]
}


class BookingState(models.TextChoices):
    BOOKED = "booked", _("Booked")
    USED = "used", _("Used and billed")
    CANCELLED = "cancelled", _("Cancelled")


class PolicyLevel(models.TextChoices):
    NATIONAL = "national", _("National")
    MUNICIPAL = "municipal", _("Municipal")
    DISTRICT = "district", _("District")


class GrantState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    GRANTED = "granted", _("Granted")
    REFUSED = "refused", _("Refused")


G = GrantState
COMPANY_OR_STAFF = frozenset({Role.OPERATOR, Role.TENANT})
GRANT_TRANSITIONS = {
    t.action: t
    for t in [
        Transition("submit", _("Submit"), (G.DRAFT,), G.SUBMITTED, COMPANY_OR_STAFF),
        Transition("grant", _("Record the grant"), (G.SUBMITTED,), G.GRANTED, STAFF),
        Transition("refuse", _("Record the refusal"), (G.SUBMITTED,), G.REFUSED, STAFF),
    ]
}


class ScenarioState(models.TextChoices):
    OPEN = "open", pgettext_lazy("scenario state", "Open for proposals")
    CLOSED = "closed", _("Closed")


class ProposalState(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    SHORTLISTED = "shortlisted", _("Shortlisted")
    PILOTING = "piloting", _("Piloting")
    WON = "won", _("Adopted")
    DECLINED = "declined", _("Declined")


P = ProposalState
PROPOSAL_TRANSITIONS = {
    t.action: t
    for t in [
        Transition("shortlist", _("Shortlist"), (P.SUBMITTED,), P.SHORTLISTED, STAFF),
        Transition("pilot", _("Start a pilot"), (P.SHORTLISTED,), P.PILOTING, STAFF),
        Transition("adopt", _("Adopt"), (P.PILOTING,), P.WON, STAFF),
        Transition(
            "decline",
            _("Decline"),
            (P.SUBMITTED, P.SHORTLISTED, P.PILOTING),
            P.DECLINED,
            STAFF,
            creator=True,
        ),
    ]
}


# growth path: programs per park, their members, and moves between parks -----------------
class ProgramKind(models.TextChoices):
    INCUBATION = "incubation", _("Incubation")
    ACCELERATION = "acceleration", _("Acceleration")


class MilestoneKind(models.TextChoices):
    FIRST_REVENUE = "first_revenue", _("First revenue")
    FIRST_FINANCING = "first_financing", _("First financing")
    HEADCOUNT_20 = "headcount_20", _("Headcount of 20 or more")
    FIRST_PATENT = "first_patent", _("First invention patent")
    OTHER = "other", _("Other milestone")


class MembershipState(models.TextChoices):
    ACTIVE = "active", _("In the program")
    GRADUATED = "graduated", _("Graduated")
    EXITED = "exited", _("Left the program")


class MoveState(models.TextChoices):
    PLANNED = "planned", _("Planned")
    AGREED = "agreed", _("Agreed")
    COMPLETED = "completed", _("Moved")
    CANCELLED = "cancelled", pgettext_lazy("move state", "Cancelled")


M = MoveState
MOVE_TRANSITIONS = {
    t.action: t
    for t in [
        Transition("agree", _("Agree the move"), (M.PLANNED,), M.AGREED, STAFF),
        Transition("complete", _("Complete the move"), (M.AGREED,), M.COMPLETED, STAFF),
        Transition(
            "cancel",
            _("Cancel the move"),
            (M.PLANNED, M.AGREED),
            M.CANCELLED,
            STAFF,
            danger=True,
        ),
    ]
}
