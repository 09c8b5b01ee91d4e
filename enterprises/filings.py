"""The tenants' statistics (企业统计报表): opening a period, filing, checks, corrections.

Every write of a filing (the tenant portal, staff on a company's behalf, the spreadsheet
import, the demo) goes through :func:`filing_submit` or :func:`filing_correct`, so the same
checks hold whoever files. Errors stop a filing; warnings (R&D above revenue, a figure far
from the company's last filing) stop it until the filer confirms them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from core import audit
from core.choices import AuditAction
from core.errors import ConflictError
from core.notifications import notify
from core.permissions import require, require_add
from core.services import create_record, update_record
from enterprises.choices import FilingState
from enterprises.models import (
    FILING_FIGURES,
    Enterprise,
    StatFiling,
    StatPeriod,
)
from enterprises.selectors import users_of

__all__ = [
    "Check",
    "filing_checks",
    "filing_correct",
    "filing_submit",
    "period_add_filers",
    "period_open",
    "period_remind",
]

# Figures whose jump from the last filing asks the filer to confirm: the size of the company.
JUMP_CHECKED = ("headcount", "revenue_wan", "output_value_wan")
CONFIRM = "confirm"  # the form field (and error key) of the filer's confirmation


@dataclass(frozen=True)
class Check:
    """One finding on a filing: an error stops it, a warning needs the filer's confirmation."""

    field: str
    flag: str  # the warning's key, kept on the filing once confirmed; "" for an error
    message: str


def _previous(filing: StatFiling) -> StatFiling | None:
    """The company's last filed figures for an earlier period of the same kind."""
    return (
        StatFiling.objects.filter(
            enterprise_id=filing.enterprise_id,
            state=FilingState.FILED,
            period__kind=filing.period.kind,
            period__ends_on__lt=filing.period.starts_on,
        )
        .order_by("-period__ends_on")
        .first()
    )


def _label(name: str) -> str:
    return str(StatFiling._meta.get_field(name).verbose_name)  # type: ignore[union-attr]


def filing_checks(filing: StatFiling) -> list[Check]:
    """The logic checks of a filing's figures as they stand on the instance."""
    found = []
    for name in FILING_FIGURES:
        if getattr(filing, name) is None:
            found.append(Check(name, "", _("Required: enter 0 if there is none.")))
    if found:
        return found
    headcount = filing.headcount or 0
    if (filing.talents or 0) > headcount:
        found.append(
            Check(
                "bachelors",
                "",
                _(
                    "Doctorates, master's and bachelor's degrees add up to %(talents)s, more "
                    "than the %(headcount)s employees: correct either figure."
                )
                % {"talents": filing.talents, "headcount": headcount},
            )
        )
    if (filing.returnees or 0) > headcount:
        found.append(
            Check(
                "returnees",
                "",
                _("Returnees (%(n)s) cannot exceed the %(headcount)s employees.")
                % {"n": filing.returnees, "headcount": headcount},
            )
        )
    if Decimal(filing.rd_spend_wan or 0) > Decimal(filing.revenue_wan or 0):
        found.append(
            Check(
                "rd_spend_wan",
                "rd_over_revenue",
                _(
                    "R&D spend (%(rd)s 万元) is above revenue (%(revenue)s 万元): check it, "
                    "and tick the confirmation if it is right."
                )
                % {"rd": filing.rd_spend_wan, "revenue": filing.revenue_wan},
            )
        )
    previous = _previous(filing)
    factor = Decimal(filing.period.jump_factor)
    for name in JUMP_CHECKED if previous is not None else ():
        before, now = Decimal(getattr(previous, name) or 0), Decimal(getattr(filing, name))
        if before > 0 and (now > before * factor or now < before / factor):
            found.append(
                Check(
                    name,
                    f"jump:{name}",
                    _(
                        "%(field)s went from %(before)s (%(period)s) to %(now)s, beyond %(factor)s "
                        "times: check it, and tick the confirmation if it is right."
                    )
                    % {
                        "field": _label(name),
                        "before": getattr(previous, name),
                        "period": previous.period,  # type: ignore[union-attr]
                        "now": getattr(filing, name),
                        "factor": factor.normalize(),
                    },
                )
            )
    return found


def _apply(filing: StatFiling, data: Mapping[str, Any], confirm: bool) -> dict[str, Any]:
    """Check the figures in ``data`` on a copy of ``filing``: the changes to write, or the
    field errors (warnings too, unless confirmed)."""
    unknown = set(data) - set(FILING_FIGURES)
    if unknown:
        raise ValidationError({name: _("Not a figure of the filing.") for name in sorted(unknown)})
    trial = StatFiling.objects.get(pk=filing.pk) if filing.pk else filing
    trial.period = filing.period
    for name, value in data.items():
        setattr(trial, name, value)
    findings = filing_checks(trial)
    errors: dict[str, list[str]] = {}
    for check in findings:
        if not check.flag or not confirm:
            errors.setdefault(check.field, []).append(check.message)
    if errors and not confirm and all(c.flag for c in findings):
        errors[CONFIRM] = [_("Confirm the flagged figures are right, or correct them.")]
    if errors:
        raise ValidationError(errors)
    return {**data, "confirmed_flags": sorted(c.flag for c in findings)}


@transaction.atomic
def period_open(*, actor: Any, period: StatPeriod, filers: Iterable[Enterprise] = ()) -> StatPeriod:
    """Open a period with its deadline and ask ``filers`` (the operator's tenants over the
    period, as the caller finds them) to file."""
    create_record(actor=actor, instance=period)
    period_add_filers(actor=actor, period=period, filers=filers)
    return period


@transaction.atomic
def period_add_filers(*, actor: Any, period: StatPeriod, filers: Iterable[Enterprise]) -> int:
    """Ask more companies to file (tenants who moved in after the period was opened); those
    asked already are left as they are. One change-log row on the period names the count."""
    require(actor, "change", period)
    asked = set(period.filings.values_list("enterprise_id", flat=True))
    new = [StatFiling(enterprise=e, period=period) for e in filers if e.pk not in asked]
    for filing in new[:1]:
        require_add(actor, filing)
    StatFiling.objects.bulk_create(new)
    if new:
        audit.record(
            actor=actor,
            instance=period,
            action=AuditAction.UPDATE,
            changes={"filings": [len(asked), len(asked) + len(new)]},
            comment=", ".join(e.enterprise.name for e in new[:20]),
        )
    return len(new)


@transaction.atomic
def filing_submit(
    *, actor: Any, filing: StatFiling, data: Mapping[str, Any], confirm: bool = False
) -> StatFiling:
    """File a period's figures (the company, or staff on its behalf). Once filed, a figure
    changes only through :func:`filing_correct`."""
    filing = StatFiling.objects.select_for_update().select_related("period").get(pk=filing.pk)
    if filing.state == FilingState.FILED:
        raise ConflictError(
            _("These figures are filed already; the park's staff correct them if needed.")
        )
    changes = _apply(filing, data, confirm)
    return update_record(
        actor=actor,
        instance=filing,
        data={
            **changes,
            "state": FilingState.FILED,
            "filed_at": timezone.now(),
            "filed_by": actor,
        },
    )


@transaction.atomic
def filing_correct(
    *, actor: Any, filing: StatFiling, data: Mapping[str, Any], reason: str, confirm: bool = False
) -> StatFiling:
    """Staff correct filed figures, with the reason in the change log; the same checks hold."""
    filing = StatFiling.objects.select_for_update().select_related("period").get(pk=filing.pk)
    require(actor, "delete", filing)  # staff only: a company may file, not rewrite
    if filing.state != FilingState.FILED:
        raise ConflictError(_("Only filed figures are corrected; file them first."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the figures are corrected.")})
    changes = _apply(filing, data, confirm)
    return update_record(actor=actor, instance=filing, data=changes, comment=reason.strip())


def period_remind(*, actor: Any, period: StatPeriod) -> int:
    """Remind the companies that have not filed (their users, in the app); the count of
    companies reminded."""
    require(actor, "change", period)
    due = list(period.filings.filter(state=FilingState.DUE).select_related("enterprise"))
    users: dict[int, list[Any]] = {}  # each due company's users, read in one query
    for user in users_of(*(f.enterprise_id for f in due)).annotate(
        company=F("membership__enterprise_id")
    ):
        users.setdefault(user.company, []).append(user)
    for filing in due:
        notify(
            users.get(filing.enterprise_id, []),
            gettext_noop("Please file your statistics for %(period)s by %(due)s."),
            about=filing,
            params={"period": str(period), "due": period.due_on.isoformat()},
            url=reverse("enterprises:filing_file", args=[filing.pk]),
        )
    if due:
        audit.record(
            actor=actor,
            instance=period,
            action=AuditAction.UPDATE,
            changes={},
            comment=_("Reminded %(n)s companies to file") % {"n": len(due)},
        )
    return len(due)
