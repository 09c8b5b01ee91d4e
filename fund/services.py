"""Every write of the fund app (pages, API, demo alike): permission, checks, audit, atomic.

A record inside a fund may be written only by someone who works on that fund (its managers,
or the admin): the permission layer places a new row by its operator, so each write here also
asks that the fund itself be in the actor's scope.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.choices import Role
from core.errors import ConflictError
from core.permissions import can
from core.services import create_record, delete_record, update_record
from core.uploads import check_upload
from fund.choices import DEAL_FLOW, DealStage, ExitKind, MarkMethod
from fund.models import Deal, DealDocument, Exit, Fund, Investment, Valuation
from fund.selectors import MarkProposal, concentration_after

__all__ = [
    "ConcentrationWarning",
    "deal_move",
    "document_add",
    "exit_record",
    "fund_create",
    "fund_record_create",
    "fund_record_delete",
    "fund_record_update",
    "fund_update",
    "investment_create",
    "investment_update",
    "mark_accept",
    "valuation_create",
]


class ConcentrationWarning(ConflictError):
    """An investment that would break a concentration limit: recorded only with a reason."""


def _require_fund(actor: Any, fund: Fund | None) -> None:
    if fund is None or not can(actor, "view", fund):
        raise ValidationError({"fund": _("Choose a fund you manage.")})


def _check_managers(fund: Fund, managers: Iterable[Any]) -> None:
    strangers = [
        u
        for u in managers
        if u.operator_id != fund.operator_id or u.role not in (Role.FUND, Role.OPERATOR)
    ]
    if strangers:
        raise ValidationError(
            {
                "managers": _(
                    "%(user)s is not a fund manager or staff member of the fund's operator."
                )
                % {"user": strangers[0]}
            }
        )


def fund_create(
    *, actor: Any, instance: Fund, m2m: Mapping[str, Iterable[Any]] | None = None
) -> Fund:
    """A new fund; the fund manager who creates it manages it."""
    managers = list((m2m or {}).get("managers", []))
    if actor is not None and actor.role == Role.FUND and actor not in managers:
        managers.append(actor)
    if instance.operator_id is None and actor is not None and actor.operator_id:
        instance.operator_id = actor.operator_id
    _check_managers(instance, managers)
    return create_record(actor=actor, instance=instance, m2m={"managers": managers})


def fund_update(*, actor: Any, instance: Fund, data: dict[str, Any]) -> Fund:
    if "managers" in data:
        _check_managers(instance, data["managers"])
        if actor.role == Role.FUND and actor not in data["managers"]:
            raise ValidationError(
                {"managers": _("Keep yourself among the managers, or ask the admin.")}
            )
    if "operator" in data and data["operator"] != instance.operator and not actor.is_platform_admin:
        raise ValidationError({"operator": _("Only the admin moves a fund to another operator.")})
    return update_record(actor=actor, instance=instance, data=data)


def fund_record_create(*, actor: Any, instance: Any, **kwargs: Any) -> Any:
    """LPs, ledger entries, expenses, deals: checked, placed in a fund the actor manages."""
    _derive_fund(instance)
    _require_fund(actor, getattr(instance, "fund", None))
    return create_record(actor=actor, instance=instance, **kwargs)


def fund_record_update(*, actor: Any, instance: Any, data: dict[str, Any]) -> Any:
    result = update_record(actor=actor, instance=instance, data=data)
    _require_fund(actor, result.fund)
    return result


def fund_record_delete(*, actor: Any, instance: Any) -> None:
    delete_record(actor=actor, instance=instance)


def _derive_fund(instance: Any) -> None:
    derive = getattr(instance, "derive", None)
    if derive is not None:
        derive()


def investment_create(
    *, actor: Any, instance: Investment, override_reason: str = "", **kwargs: Any
) -> Investment:
    """A new investment (or follow-on): checked against the fund's concentration limits; a
    breach is refused with the limits it breaks unless a reason to override is given, which
    the change log keeps."""
    instance.derive()
    _require_fund(actor, getattr(instance, "fund", None))
    with transaction.atomic():
        Fund.objects.select_for_update().get(pk=instance.fund_id)  # one limit check at a time
        warnings = concentration_after(instance.fund, instance.enterprise, instance.cost)
        if warnings and not override_reason.strip():
            raise ConcentrationWarning(
                " ".join(warnings) + " " + _("Give a reason to record it anyway."),
                code="concentration_limit",
            )
        comment = (
            _("Over a concentration limit: %(reason)s") % {"reason": override_reason}
            if warnings
            else ""
        )
        investment = create_record(actor=actor, instance=instance, comment=comment)
        deal = instance.deal if instance.deal_id is not None else None
        if deal is not None and deal.stage == DealStage.COMMITTEE:
            DEAL_FLOW.move(actor=actor, row=deal, action="invest", comment=str(instance))
        return investment


def investment_update(*, actor: Any, instance: Investment, data: dict[str, Any]) -> Investment:
    """Corrections; the ownership is derived again unless the change gives one."""
    if "ownership_pct" not in data and {"amount", "post_money", "rent_free"} & set(data):
        data = {**data, "ownership_pct": None}
    result = update_record(actor=actor, instance=instance, data=data)
    _require_fund(actor, result.fund)
    return result


def valuation_create(*, actor: Any, instance: Valuation, **kwargs: Any) -> Valuation:
    """A mark on a live holding (the first investment in the company)."""
    instance.derive()
    holding = instance.investment
    if holding.follow_on_of_id is not None:
        raise ValidationError(
            {"investment": _("Mark the first investment in the company: it holds the follow-ons.")}
        )
    exit_ = getattr(holding, "exit", None) if hasattr(holding, "exit") else None
    if exit_ is not None and instance.on is not None and instance.on >= exit_.on:
        raise ValidationError(
            {
                "on": _("The holding was exited on %(on)s; a mark comes before that.")
                % {"on": exit_.on.isoformat()}
            }
        )
    return fund_record_create(actor=actor, instance=instance, **kwargs)


def mark_accept(*, actor: Any, proposal: MarkProposal) -> Valuation:
    """A proposed mark (the stake at a later financing round's price) becomes the mark."""
    return valuation_create(
        actor=actor,
        instance=Valuation(
            investment=proposal.investment,
            on=proposal.round.closed_on,
            method=MarkMethod.LATEST_ROUND,
            fair_value=proposal.fair_value,
            source_round=proposal.round,
            note=_("%(round)s at a pre-money valuation of %(pre)s 元; stake %(stake)s %%")
            % {
                "round": proposal.round.get_round_display(),
                "pre": proposal.round.pre_money,
                "stake": round(proposal.stake_pct, 4),
            },
        ),
    )


def exit_record(*, actor: Any, instance: Exit, **kwargs: Any) -> Exit:
    """The end of a holding: a sale with proceeds, or a write-off (proceeds 0)."""
    instance.derive()
    holding = instance.investment
    if holding.follow_on_of_id is not None:
        raise ValidationError(
            {"investment": _("Exit the first investment in the company: it holds the follow-ons.")}
        )
    last = max([holding.invested_on, *holding.follow_ons.values_list("invested_on", flat=True)])
    if instance.on is not None and instance.on < last:
        raise ValidationError(
            {
                "on": _("An exit comes after the last investment (%(on)s).")
                % {"on": last.isoformat()}
            }
        )
    if instance.kind != ExitKind.WRITE_OFF and not instance.proceeds:
        raise ValidationError(
            {"proceeds": _("Enter the proceeds; a holding given up for nothing is a write-off.")}
        )
    return fund_record_create(actor=actor, instance=instance, **kwargs)


def deal_move(*, actor: Any, deal: Deal, action: str, reason: str = "") -> Deal:
    """Move a deal along the pipeline; passing needs a reason, kept on the deal."""
    if action == "invest":
        raise ConflictError(
            _("Record the investment: the deal moves to invested with it."), code="guard_failed"
        )
    if action == "pass" and not reason.strip():
        raise ConflictError(_("Say why the fund passes on this deal."), code="reason_required")
    also = {"pass_reason": reason.strip()} if action == "pass" else {}
    if action == "reopen":
        also = {"pass_reason": ""}
    DEAL_FLOW.move(actor=actor, row=deal, action=action, comment=reason, also=also)
    deal.refresh_from_db()
    return deal


def document_add(*, actor: Any, document: DealDocument) -> DealDocument:
    """Keep a file with a deal, checked like every upload (type and size)."""
    document.size = check_upload(document.file)
    _require_fund(actor, document.deal.fund)
    return create_record(actor=actor, instance=document)


def management_fee(fund: Fund, start: datetime.date, end: datetime.date) -> Decimal:
    """The fee for the days ``start``..``end`` on the fund's basis (actual/365), to the 分."""
    from fund.metrics import CENT

    days = (end - start).days + 1
    if fund.fee_basis == "committed":
        basis = fund.committed
    else:
        basis = sum(
            (i.cost for i in fund.investments.filter(invested_on__lte=end, exit__isnull=True)),
            Decimal(0),
        )
    return (basis * fund.fee_rate_pct / 100 * days / 365).quantize(CENT)
