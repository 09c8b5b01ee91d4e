"""The LP capital account statement (出资人资本账户对账单) of one quarter, as .xlsx and PDF."""

from __future__ import annotations

import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils.translation import gettext as _

from core.documents import Sheet
from fund.metrics import CENT
from fund.models import LimitedPartner
from fund.selectors import fund_metrics, lp_accounts

__all__ = ["lp_statement", "quarter_of"]


def quarter_of(day: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The calendar quarter holding ``day``: its first and last day."""
    first = datetime.date(day.year, (day.month - 1) // 3 * 3 + 1, 1)
    return first, _quarter_last(first)


def _quarter_last(first: datetime.date) -> datetime.date:
    month = first.month + 2
    following = datetime.date(first.year + (month == 12), month % 12 + 1, 1)
    return following - datetime.timedelta(days=1)


def _account(lp: LimitedPartner, day: datetime.date) -> Any:
    figures = fund_metrics(lp.fund, day)
    return next(a for a in lp_accounts(lp.fund, figures) if a.lp.pk == lp.pk)


def lp_statement(
    lp: LimitedPartner, day: datetime.date
) -> tuple[str, list[tuple[str, Any]], list[Sheet]]:
    """Title, facts and tables of ``lp``'s statement for the quarter holding ``day``."""
    first, last = quarter_of(day)
    opening = _account(lp, first - datetime.timedelta(days=1))
    closing = _account(lp, last)
    title = _("Capital account statement %(year)s Q%(quarter)s") % {
        "year": first.year,
        "quarter": (first.month - 1) // 3 + 1,
    }
    facts = [
        (_("Limited partner"), lp.name),
        (_("Fund"), str(lp.fund)),
        (_("Period"), f"{first:%Y-%m-%d} ~ {last:%Y-%m-%d}"),
        (_("Commitment (元)"), lp.commitment),
    ]
    entries = lp.entries.filter(on__range=(first, last)).order_by("on", "pk")
    movements = Sheet(
        _("Movements in the quarter"),
        [_("Date"), _("Kind"), _("Amount (元)"), _("Note")],
        [[e.on.isoformat(), e.get_kind_display(), e.amount, e.note] for e in entries],
    )

    def money(value: Decimal) -> Decimal:
        return value.quantize(CENT, ROUND_HALF_UP)

    summary = Sheet(
        _("Capital account"),
        [_("Item"), _("Opening (元)"), _("Closing (元)")],
        [
            [_("Paid in (called)"), opening.called, closing.called],
            [_("Uncalled commitment"), opening.uncalled, closing.uncalled],
            [_("Distributed"), opening.distributed, closing.distributed],
            [
                _("Value in a liquidation on the day"),
                money(opening.share_of_nav),
                money(closing.share_of_nav),
            ],
        ],
        notes=[
            _(
                "The value follows the fund's waterfall on the day: capital, preferred return, the manager's catch-up and carry."
            )
        ],
    )
    return title, facts, [movements, summary]
