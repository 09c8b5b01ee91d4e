"""Every write of the admission workflow: applications and their transitions, screening,
risk assessment, joint review, thresholds and settings. The UI, the API and the demo loader
all call these; each refuses an illegal move with a ConflictError (409) saying why."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from admissions import risk
from admissions.choices import (
    CHANNEL_OF_ROLE,
    TRANSITIONS,
    AppState,
    Decision,
    Side,
    Transition,
)
from admissions.models import (
    AdmissionSettings,
    Application,
    Review,
    RiskAssessment,
    ScreeningResult,
    ThresholdRule,
)
from admissions.rules import evaluate
from core import audit
from core.choices import AuditAction, Role
from core.errors import ConflictError
from core.models import User
from core.notifications import complete, notify
from core.permissions import require
from core.services import create_record, delete_record, update_record
from core.workflow import Workflow
from enterprises.models import Enterprise
from enterprises.selectors import company_of
from enterprises.services import enterprise_create

__all__ = [
    "allowed_transitions",
    "application_convert",
    "application_create",
    "application_delete",
    "application_edit_refusal",
    "application_transition",
    "application_update",
    "eligible_reviewers",
    "info_answer",
    "info_withdraw",
    "may_answer",
    "may_edit",
    "review_record",
    "risk_assess",
    "screening_run",
    "settings_update",
    "threshold_create",
    "threshold_delete",
    "threshold_update",
]


def _require_draft_owner(actor: Any, app: Application) -> None:
    """A draft belongs to whoever started it (or the company it is for) until submitted."""
    if not (actor.is_platform_admin or _is_creator_side(actor, app)):
        raise ConflictError(_("Only whoever started this draft may change or delete it."))


def application_edit_refusal(actor: Any, app: Application) -> str | None:
    """Why ``actor`` may not edit this application now (None: they may); the edit page says
    so before offering a form the update would refuse."""
    try:
        _require_draft_owner(actor, app)
        _require_draft(app)
    except ConflictError as exc:
        return str(exc.message)
    return None


def _require_draft(app: Application) -> None:
    if app.state != AppState.DRAFT:
        raise ConflictError(
            _("Only a draft can be edited; this application is %(state)s.")
            % {"state": app.get_state_display()}
        )


def application_delete(*, actor: Any, instance: Application) -> None:
    _require_draft_owner(actor, instance)
    if instance.state != AppState.DRAFT:
        raise ConflictError(_("Only a draft can be deleted; withdraw a submitted application."))
    delete_record(actor=actor, instance=instance)


threshold_create = create_record
threshold_update = update_record
threshold_delete = delete_record
# rules that bind both sides of the joint review: only the platform admin changes them
BOTH_SIDES = ("gov_approvals_required", "operator_approvals_required", "separation_of_duties")


def eligible_reviewers(park: Any, side: str) -> Any:
    """Who may vote for a side on this park's applications: the jurisdiction's active
    government reviewers, or the operator's active staff assigned to the park."""
    if side == Side.GOV:
        return User.objects.filter(role=Role.GOV, jurisdiction=park.jurisdiction_id, is_active=True)
    return User.objects.filter(role=Role.OPERATOR, assigned_parks=park, is_active=True)


QUORUM_SIDES = {"gov_approvals_required": Side.GOV, "operator_approvals_required": Side.OPERATOR}


def _check_quorum(operator: Any, data: Mapping[str, Any]) -> None:
    """A quorum no park of the operator could ever reach is refused, with the count."""
    from spaces.models import Park

    errors: dict[str, list[str]] = {}
    for name, side in QUORUM_SIDES.items():
        wanted = data.get(name)
        if wanted is None:
            continue
        for park in Park.objects.filter(operator=operator).order_by("code"):
            count = eligible_reviewers(park, side).count()
            if wanted > count:
                errors[name] = [
                    _(
                        "%(park)s has %(count)d eligible %(side)s reviewers, so a quorum of "
                        "%(wanted)d could never be reached. Choose at most %(count)d, or add "
                        "reviewers first."
                    )
                    % {
                        "park": park.name,
                        "count": count,
                        "side": Side(side).label,
                        "wanted": wanted,
                    }
                ]
                break
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def settings_update(
    *, actor: Any, instance: AdmissionSettings, data: dict[str, Any]
) -> AdmissionSettings:
    """The operator keeps its risk weights; the quorum of each side and the separation of
    duties bind the government too, so only a platform admin changes them (audited). A new
    quorum is checked against the reviewers each park has, and re-evaluates every
    application waiting in joint review."""
    touched = [
        name for name in BOTH_SIDES if name in data and data[name] != getattr(instance, name)
    ]
    if touched and not actor.is_platform_admin:
        raise ValidationError(
            {
                name: [_("This rule binds both sides of the joint review: ask the platform admin.")]
                for name in touched
            }
        )
    _check_quorum(instance.operator, {k: data[k] for k in touched if k in QUORUM_SIDES})
    updated = update_record(actor=actor, instance=instance, data=data)
    if touched:
        waiting = Application.objects.select_for_update().filter(
            park__operator=instance.operator, state=AppState.REVIEW
        )
        for app in waiting:
            _decide(actor, app, updated)
    return updated


def _is_creator_side(actor: Any, app: Application) -> bool:
    return actor.pk == app.created_by_id or (
        actor.role == Role.TENANT and getattr(company_of(actor), "pk", None) == app.enterprise_id
    )


def may_edit(actor: Any, app: Application) -> bool:
    return app.state == AppState.DRAFT and (actor.is_platform_admin or _is_creator_side(actor, app))


# The admission workflow: who may move an application where (choices.TRANSITIONS).
APPLICATION_FLOW = Workflow("state", TRANSITIONS, is_creator=_is_creator_side)


def allowed_transitions(actor: Any, app: Application) -> list[Transition]:
    """The moves this user may make now (for buttons); the services check again."""
    return APPLICATION_FLOW.allowed(actor, app)


@transaction.atomic
def application_create(
    *, actor: Any, instance: Application, new_enterprise: Enterprise | None = None, **_kw: Any
) -> Application:
    """A draft from the channel of the actor's role; a recommended company that is not in the
    registry yet is added to it in the same transaction."""
    if new_enterprise is not None:
        instance.enterprise = enterprise_create(actor=actor, instance=new_enterprise)
    if actor.role == Role.TENANT:
        company = company_of(actor)  # a company applies for itself only
        if company is None:
            raise ConflictError(_("Your account acts for no company; ask the platform admin."))
        instance.enterprise = company
    instance.channel = CHANNEL_OF_ROLE.get(actor.role, CHANNEL_OF_ROLE[Role.OPERATOR])
    instance.created_by = actor
    instance.state = AppState.DRAFT
    return create_record(actor=actor, instance=instance)


def application_update(
    *, actor: Any, instance: Application, data: Mapping[str, Any]
) -> Application:
    _require_draft_owner(actor, instance)
    _require_draft(instance)
    blocked = {"state", "channel", "created_by", "enterprise", "park"} & set(data)
    if blocked and actor.role == Role.TENANT:
        raise ConflictError(_("These fields cannot be changed: %(f)s.") % {"f": ", ".join(blocked)})
    return update_record(actor=actor, instance=instance, data=data)


@transaction.atomic
def application_transition(
    *, actor: Any, application: Application, action: str, comment: str = ""
) -> Application:
    now, move = timezone.now(), TRANSITIONS.get(action)
    also: dict[str, Any] = {}
    if move is not None and move.action == "submit":
        also["submitted_at"] = now
    if move is not None and move.target in (AppState.REJECTED, AppState.WITHDRAWN):
        also["decided_at"] = now
    app, t, _before = APPLICATION_FLOW.move(
        actor=actor, row=application, action=action, comment=comment, guard=_guard, also=also
    )
    if t.action in ("start_screening", "rescreen"):
        screening_run(app)
    _announce(app, t.target)
    application.refresh_from_db()
    return application


def _guard(app: Application, t: Transition) -> None:
    if t.action == "to_review" and not RiskAssessment.objects.filter(application=app).exists():
        raise ConflictError(
            _("Assess the customer risk before sending to joint review."), code="guard_failed"
        )


@transaction.atomic
def application_convert(
    *,
    actor: Any,
    application: Application,
    units: list[Any],
    start_on: datetime.date,
    end_on: datetime.date,
    rent_per_m2_day: Decimal,
    deviation_reason: str = "",
) -> Application:
    """An approved application becomes a draft lease of the chosen units for its company.
    Units that miss what the application asked for (4 m where 8 m was asked) need a
    confirmation with a reason, which the lease keeps in its notes."""
    from admissions.selectors import requirement_misses
    from leasing.models import Lease
    from leasing.services import lease_create

    app = Application.objects.select_for_update().get(pk=application.pk)
    require(actor, "change", app)
    if actor.role != Role.OPERATOR and not actor.is_platform_admin:
        raise ConflictError(_("Operator staff turn approved applications into leases."))
    if app.state != AppState.APPROVED:
        raise ConflictError(
            _("Only an approved application becomes a lease; this one is %(state)s.")
            % {"state": app.get_state_display()}
        )
    elsewhere = sorted({u.park.code for u in units if u.park_id != app.park_id})
    if elsewhere:  # its government and thresholds reviewed this park, not another
        raise ConflictError(
            _(
                "The application was reviewed for %(park)s; units of %(others)s need their own "
                "screening and review. Choose units of %(park)s."
            )
            % {"park": app.park.name, "others": "、".join(elsewhere)}
        )
    misses, deviation_reason = requirement_misses(app, units), deviation_reason.strip()
    if misses and not deviation_reason:
        raise ConflictError(
            _(
                "The units miss what the application asked for: %(misses)s. Confirm with a "
                "reason (kept on the lease), or choose other units."
            )
            % {"misses": "；".join(misses)},
            code="reason_required",
        )
    notes = ""
    if misses:
        notes = _("Agreed although the units miss the requirements (%(misses)s): %(reason)s") % {
            "misses": "；".join(misses),
            "reason": deviation_reason,
        }
    park = app.park
    lease = lease_create(
        actor=actor,
        units=units,
        lease=Lease(
            contract_no=f"{park.code}-{start_on:%Y%m%d}-{app.pk:05d}",
            enterprise=app.enterprise,
            park=park,
            start_on=start_on,
            end_on=end_on,
            rent_per_m2_day=rent_per_m2_day,
            notes=notes,
        ),
    )
    app.state, app.lease = AppState.CONVERTED, lease
    app.save(update_fields=["state", "lease", "updated_at"])
    audit.record(
        actor=actor,
        instance=app,
        action=AuditAction.UPDATE,
        changes={
            "state": [AppState.APPROVED, AppState.CONVERTED],
            "lease": [None, lease.contract_no],
        },
    )
    return app


def _clip(text: str, model: Any, field: str) -> str:
    limit = model._meta.get_field(field).max_length
    return text if len(text) <= limit else text[: limit - 1] + "…"


def screening_run(app: Application) -> list[ScreeningResult]:
    """Evaluate every active threshold of the park; store a pass/fail and reason for each."""
    ScreeningResult.objects.filter(application=app).delete()
    results = []
    for rule in ThresholdRule.objects.filter(park=app.park, is_active=True):
        passed, reason = evaluate(rule, app)
        results.append(
            ScreeningResult(  # a rule's texts may be long: cut to the columns, never a 500
                application=app,
                rule=rule,
                rule_label=_clip(rule.describe(), ScreeningResult, "rule_label"),
                passed=passed,
                hard=rule.is_hard,
                reason=_clip(str(reason), ScreeningResult, "reason"),
            )
        )
    return ScreeningResult.objects.bulk_create(results)


@transaction.atomic
def risk_assess(
    *,
    actor: Any,
    application: Application,
    revenue_last_year: Decimal | None,
    revenue_prev_year: Decimal | None,
    debt_ratio_pct: Decimal | None,
    litigation: bool,
    dishonest_debtor: bool,
) -> RiskAssessment:
    """Score the application from the risk officer's inputs and the company's record; the
    arrears history is counted from the company's bills in this operator's parks."""
    app = Application.objects.select_for_update().get(pk=application.pk)
    require(actor, "view", app)
    if not RiskAssessment.policy.allows_role(actor, "add"):
        raise ConflictError(_("Only the operator's risk officers assess customer risk."))
    if app.state != AppState.RISK:
        raise ConflictError(
            _("Risk is assessed while the application is in risk assessment; it is %(state)s.")
            % {"state": app.get_state_display()}
        )
    settings = AdmissionSettings.for_operator(app.park.operator)
    annual_rent = None
    if app.budget_rent is not None:
        annual_rent = app.area_min_m2 * app.budget_rent * 365
    from leasing.selectors import late_bill_count

    arrears_count = late_bill_count(app.enterprise_id, app.park.operator_id, timezone.localdate())
    inputs = risk.RiskInputs(
        years=app.enterprise.years_in_operation(),
        paid_in_capital_wan=app.enterprise.paid_in_capital_wan,
        revenue_last=revenue_last_year,
        revenue_prev=revenue_prev_year,
        debt_ratio_pct=debt_ratio_pct,
        annual_rent=annual_rent,
        litigation=litigation,
        dishonest=dishonest_debtor,
        arrears_count=arrears_count,
    )
    value, factors = risk.score(inputs, settings.weight_table())
    data = {
        "revenue_last_year": revenue_last_year,
        "revenue_prev_year": revenue_prev_year,
        "debt_ratio_pct": debt_ratio_pct,
        "litigation": litigation,
        "dishonest_debtor": dishonest_debtor,
        "arrears_count": arrears_count,
        "score": value,
        "grade": risk.grade(value, dishonest=dishonest_debtor),
        "factors": [f.as_dict() for f in factors],
        "assessed_by": actor,
    }
    existing = RiskAssessment.objects.filter(application=app).first()
    if existing is None:
        return create_record(actor=actor, instance=RiskAssessment(application=app, **data))
    return update_record(actor=actor, instance=existing, data=data)


def _hard_failures(app: Application) -> list[ScreeningResult]:
    return list(ScreeningResult.objects.filter(application=app, passed=False, hard=True))


@transaction.atomic
def review_record(
    *,
    actor: Any,
    application: Application,
    decision: str,
    conditions: str = "",
    comment: str = "",
    exception_reason: str = "",
) -> Review:
    """One reviewer's decision; when the quorum of both sides approves, or anyone rejects,
    the application is decided. Approving over a failed hard threshold needs a written
    exception reason (联审规则: both sides' quorum must approve the exception)."""
    app = (
        Application.objects.select_for_update()
        .select_related("park__operator")
        .get(pk=application.pk)
    )
    require(actor, "view", app)
    side = {Role.GOV: Side.GOV, Role.OPERATOR: Side.OPERATOR}.get(actor.role)
    if side is None:
        raise ConflictError(_("Only government reviewers and operator staff review applications."))
    if app.state != AppState.REVIEW:
        raise ConflictError(
            _("An application that is %(state)s is not in joint review.")
            % {"state": app.get_state_display()}
        )
    settings = AdmissionSettings.for_operator(app.park.operator)
    if settings.separation_of_duties and app.created_by_id == actor.pk:
        raise ConflictError(
            _("You created this application, so you may not review it (separation of duties).")
        )
    if decision not in Decision.values:
        raise ConflictError(_("Unknown decision “%(d)s”.") % {"d": decision})
    exception_reason = exception_reason.strip() if decision == Decision.APPROVE else ""
    failed = _hard_failures(app)
    if decision == Decision.APPROVE and failed and not exception_reason:
        raise ConflictError(
            _(
                "Hard thresholds failed: %(rules)s. Approving admits the company as an "
                "exception: write the exception reason, or reject."
            )
            % {"rules": "；".join(r.rule_label for r in failed)},
            code="reason_required",
        )
    existing = Review.objects.filter(application=app, reviewer=actor).first()
    data: dict[str, Any] = {
        "decision": decision,
        "conditions": conditions,
        "comment": comment,
        "exception_reason": exception_reason,
    }
    if existing is not None and all(getattr(existing, k) == v for k, v in data.items()):
        raise ConflictError(
            _("You have already recorded this decision (%(decision)s); change it or leave it.")
            % {"decision": existing.get_decision_display()}
        )
    if decision == Decision.REQUEST_INFO:  # a new question opens a new request
        data.update(answer="", answered_by=None, answered_at=None, withdrawn_at=None)
    if existing is None:
        review = create_record(
            actor=actor, instance=Review(application=app, side=side, reviewer=actor, **data)
        )
    else:
        review = update_record(actor=actor, instance=existing, data=data)
    complete(_task(app), users=[actor])  # this reviewer's part is done
    if decision == Decision.REQUEST_INFO:
        _announce(app, "info")
    _decide(actor, app, settings)
    return review


def may_answer(actor: Any, app: Application) -> bool:
    """The applicant's side answers an information request; so may the park's staff, who
    often hold the papers."""
    if _is_creator_side(actor, app):
        return True
    return actor.role == Role.OPERATOR and actor.assigned_parks.filter(pk=app.park_id).exists()


@transaction.atomic
def info_answer(*, actor: Any, review: Review, answer: str) -> Review:
    """Answer an open information request; the reviewer who asked is told, and the joint
    review goes on (it may now be decided)."""
    app = Application.objects.select_for_update().get(pk=review.application_id)
    require(actor, "view", app)
    review = Review.objects.select_for_update().get(pk=review.pk)
    if not review.info_open:
        raise ConflictError(_("This information request is not open."))
    if app.state != AppState.REVIEW:
        raise ConflictError(
            _("An application that is %(state)s is not in joint review.")
            % {"state": app.get_state_display()}
        )
    if actor.pk == review.reviewer_id or not may_answer(actor, app):
        raise ConflictError(_("The applicant or the park's staff answer an information request."))
    answer = answer.strip()
    if not answer:
        raise ValidationError({"answer": [_("Write the answer.")]})
    review = update_record(
        actor=actor,
        instance=review,
        data={"answer": answer, "answered_by": actor, "answered_at": timezone.now()},
    )
    notify(
        [review.reviewer],
        gettext_noop("Your information request about %(name)s was answered."),
        about=app,
        params={"name": str(app.enterprise)},
        url=reverse("admissions:application_detail", args=[app.pk]),
    )
    _decide(actor, app, AdmissionSettings.for_operator(app.park.operator))
    return review


@transaction.atomic
def info_withdraw(*, actor: Any, review: Review) -> None:
    """The reviewer who asked withdraws an open information request; it stays in the review's
    history, and they may vote while the application is in review."""
    app = Application.objects.select_for_update().get(pk=review.application_id)
    review = Review.objects.select_for_update().get(pk=review.pk)
    if actor.pk != review.reviewer_id:
        raise ConflictError(_("Only the reviewer who asked withdraws an information request."))
    if not review.info_open or app.state != AppState.REVIEW:
        raise ConflictError(_("This information request is not open."))
    update_record(actor=actor, instance=review, data={"withdrawn_at": timezone.now()})
    _decide(actor, app, AdmissionSettings.for_operator(app.park.operator))


def _decide(actor: Any, app: Application, settings: AdmissionSettings) -> None:
    """Decide once the reviews allow it: an open information request holds everything;
    then any rejection rejects; then both sides' quorums approve (over a failed hard
    threshold only approvals that carry an exception reason count)."""
    reviews = list(app.reviews.all())
    if any(r.info_open for r in reviews):
        return
    needs_exception = bool(_hard_failures(app))
    approvals = {
        s: sum(
            1
            for r in reviews
            if r.side == s
            and r.decision == Decision.APPROVE
            and (r.exception_reason or not needs_exception)
        )
        for s in Side.values
    }
    if any(r.decision == Decision.REJECT for r in reviews):
        outcome = AppState.REJECTED
    elif (
        approvals[Side.GOV] >= settings.gov_approvals_required
        and approvals[Side.OPERATOR] >= settings.operator_approvals_required
    ):
        outcome = AppState.APPROVED
    else:
        return
    app.state, app.decided_at = outcome, timezone.now()
    app.save(update_fields=["state", "decided_at", "updated_at"])
    audit.record(
        actor=actor,
        instance=app,
        action=AuditAction.UPDATE,
        changes={"state": [AppState.REVIEW, outcome]},
        comment=_("Joint review decided"),
    )
    _announce(app, outcome)


def _task(app: Application) -> str:
    return f"admissions.application:{app.pk}"


def _announce(app: Application, event: str) -> None:
    """Tell the people the application now waits for (after commit); what it waited for
    before is done."""
    complete(_task(app))
    staff = User.objects.filter(assigned_parks=app.park, is_active=True)
    reviewers = User.objects.filter(
        role=Role.GOV, jurisdiction=app.park.jurisdiction_id, is_active=True
    )
    applicants = [app.created_by, *User.objects.filter(membership__enterprise=app.enterprise_id)]
    messages = {
        AppState.SUBMITTED: (staff, gettext_noop("New application from %(name)s to screen.")),
        AppState.REVIEW: (
            [*staff, *reviewers],
            gettext_noop("%(name)s waits for your joint review."),
        ),
        AppState.APPROVED: (
            [*applicants, *staff],
            gettext_noop("%(name)s was approved to enter the park."),
        ),
        AppState.REJECTED: (applicants, gettext_noop("The application of %(name)s was rejected.")),
        "info": (applicants, gettext_noop("Reviewers asked for more information about %(name)s.")),
    }
    if event in messages:
        users, text = messages[event]
        waits = event in (AppState.SUBMITTED, AppState.REVIEW, "info")
        notify(
            users,
            text,
            about=app,
            params={"name": str(app.enterprise)},
            url=reverse("admissions:application_detail", args=[app.pk]),
            task=_task(app) if waits else "",
        )
