"""Every write of the utilities app (pages, API, import, demo alike).

``reading_add`` is the heart: it checks a reading against the meter's last one, prices the
interval it closes and bills it through ``leasing.billing.charge_add`` to the lease of each
unit served on that interval, in one transaction.
"""

from __future__ import annotations

import datetime
import itertools
import statistics
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from core.permissions import require_add
from core.services import create_record, delete_record, update_record
from leasing.billing import BILLED_STATES, charge_add
from leasing.choices import ChargeKind
from leasing.models import LeaseUnit
from spaces.models import Unit
from utilities import pricing
from utilities.choices import UNIT_OF, Allocation, MeterKind, ReadingReason, TariffStructure
from utilities.models import Meter, Reading, Tariff, UtilitySettings

__all__ = [
    "Assessment",
    "assess_reading",
    "lease_span_for",
    "reading_add",
    "record_create",
    "record_delete",
    "record_update",
    "shared_weights",
    "sharers",
]

CHARGE_KIND = {
    MeterKind.ELECTRICITY: ChargeKind.ELECTRICITY,
    MeterKind.WATER: ChargeKind.WATER,
    MeterKind.GAS: ChargeKind.GAS,
}
# the median needs a few intervals before a jump means anything
MIN_HISTORY = 3


def record_create(*, actor: Any, instance: Any, **options: Any) -> Any:
    """Tariffs, their rates, meters and their shares: the generic write, checked and audited."""
    return create_record(actor=actor, instance=instance)


def record_update(*, actor: Any, instance: Any, data: dict[str, Any]) -> Any:
    if isinstance(instance, Meter) and instance.readings.exists():
        moved = {k for k in ("park", "building", "kind", "multiplier", "digits") if k in data}
        moved = {k for k in moved if getattr(instance, k) != data[k]}
        if moved:
            raise ValidationError(
                {
                    k: _("The meter has readings: record a new meter instead of changing this.")
                    for k in moved
                }
            )
    return update_record(actor=actor, instance=instance, data=data)


def record_delete(*, actor: Any, instance: Any) -> None:
    delete_record(actor=actor, instance=instance)


# --- readings ---------------------------------------------------------------------------------


@dataclass
class Assessment:
    """What a reading means before it is saved: the interval's usage and its priced lines."""

    previous: Reading | None
    usage: pricing.Usage = field(default_factory=lambda: pricing.Usage(Decimal(0)))
    lines: list[pricing.Line] = field(default_factory=list)
    anomaly: bool = False

    @property
    def amount(self) -> Decimal:
        return sum((line.amount for line in self.lines), Decimal(0))


def _daily(readings: list[Reading]) -> list[Decimal]:
    """Consumption a day of each interval between ``readings`` (oldest first)."""
    return [
        cur.consumption / Decimal((cur.read_on - prev.read_on).days)
        for prev, cur in itertools.pairwise(readings)
    ]


def _rates(tariff: Tariff) -> list[pricing.Rate]:
    return [
        pricing.Rate(
            valid_from=r.valid_from,
            price=r.price,
            peak_price=r.peak_price,
            valley_price=r.valley_price,
            tier1_upto=r.tier1_upto,
            tier2_price=r.tier2_price,
            tier2_upto=r.tier2_upto,
            tier3_price=r.tier3_price,
        )
        for r in tariff.rates.all()
    ]


def assess_reading(
    meter: Meter, reading: Reading, *, history: list[Reading], confirm: bool = False
) -> Assessment:
    """Check ``reading`` against the meter's ``history`` (its readings, oldest first) and
    price the interval it closes. Raises a ValidationError naming each field to fix."""
    previous = history[-1] if history else None
    assessment = Assessment(previous)
    if previous is None:
        return assessment  # the opening reading: nothing before it to bill
    if reading.read_on <= previous.read_on:
        raise ValidationError(
            {
                "read_on": _(
                    "The meter was last read on %(date)s: a new reading must be dated later."
                )
                % {"date": previous.read_on.isoformat()}
            }
        )
    errors: dict[str, str] = {}
    tou = meter.tariff.structure == TariffStructure.TIME_OF_USE
    registers = ["value", "peak", "valley"] if tou else ["value"]
    counted: dict[str, Decimal] = {}
    for name in registers:
        current, before = getattr(reading, name), getattr(previous, name)
        if current is None:
            errors[name] = _("A time-of-use meter needs its peak and valley registers too.")
            continue
        before = before if before is not None else Decimal(0)
        if current < before and not reading.reason:
            errors["reason"] = _(
                "The reading is lower than the last one (%(last)s): say whether the meter was "
                "replaced or its register rolled over."
            ) % {"last": before}
            continue
        counted[name] = pricing.consumption(
            before, current, multiplier=meter.multiplier, reason=reading.reason, digits=meter.digits
        )
    if errors:
        raise ValidationError(errors)
    usage = pricing.Usage(
        counted["value"], counted.get("peak", Decimal(0)), counted.get("valley", Decimal(0))
    )
    if usage.flat < 0:
        raise ValidationError(
            {"value": _("The peak and valley registers count more than the total register.")}
        )
    assessment.usage = usage
    days = Decimal((reading.read_on - previous.read_on).days)
    past = _daily(history[-13:])
    if len(past) >= MIN_HISTORY:
        median = statistics.median(past)
        if median > 0 and usage.total / days > meter.anomaly_factor * median:
            if not confirm:
                times = (usage.total / days / median).quantize(Decimal("0.1"), ROUND_HALF_UP)
                raise ValidationError(
                    {
                        "confirm": _(
                            "%(qty)s %(unit)s is %(times)s× the meter's usual daily consumption: "
                            "check the reading, then tick the confirmation to record it."
                        )
                        % {"qty": usage.total, "unit": UNIT_OF[meter.kind], "times": times}
                    }
                )
            assessment.anomaly = True
    try:
        assessment.lines = pricing.period_lines(
            meter.tariff.structure, _rates(meter.tariff), usage, previous.read_on, reading.read_on
        )
    except LookupError as exc:
        raise ValidationError(
            {
                "read_on": _("Tariff %(tariff)s has no rate in force on %(date)s: add one.")
                % {
                    "tariff": meter.tariff,
                    "date": (previous.read_on + datetime.timedelta(days=1)).isoformat(),
                }
            }
        ) from exc
    return assessment


def lease_span_for(unit: Unit, start: datetime.date, end: datetime.date) -> LeaseUnit | None:
    """The lease span that holds ``unit`` over the whole interval after the reading of
    ``start`` up to the reading of ``end``; None when nobody rents it then.

    A lease starting or ending inside the interval needs a reading on that date first
    (opening and closing readings on the lease dates), so each tenant pays its own days."""
    spans = LeaseUnit.objects.filter(
        unit=unit, lease__state__in=BILLED_STATES, start_on__lte=end, end_on__gte=start
    ).select_related("lease")
    for span in spans:
        if span.start_on <= start and end <= span.end_on:
            return span
        if start < span.start_on < end:
            raise ValidationError(
                {
                    "read_on": _(
                        "Lease %(lease)s of unit %(unit)s starts on %(date)s: enter the opening "
                        "reading of that day first."
                    )
                    % {"lease": span.lease.contract_no, "unit": unit.code, "date": span.start_on}
                }
            )
        if start < span.end_on < end:
            raise ValidationError(
                {
                    "read_on": _(
                        "Lease %(lease)s of unit %(unit)s ends on %(date)s: enter the closing "
                        "reading of that day first."
                    )
                    % {"lease": span.lease.contract_no, "unit": unit.code, "date": span.end_on}
                }
            )
    return None


def _weights(meter: Meter) -> dict[int, Decimal]:
    """Each unit's weight in a shared meter's split, by the meter's rule."""
    if meter.allocation == Allocation.SUBMETERS:
        units = [m.unit for m in meter.submeters.select_related("unit") if m.unit is not None]
        return {u.pk: u.area_m2 for u in units}
    shares = list(meter.shares.select_related("unit"))
    if meter.allocation == Allocation.FIXED:
        return {s.unit_id: s.share_pct or Decimal(0) for s in shares}
    return {s.unit_id: s.unit.area_m2 for s in shares}


def _shared_lines(meter: Meter, assessment: Assessment, reading: Reading) -> list[pricing.Line]:
    """What a shared meter splits: all its lines, or for a master meter only the loss (its
    amount less what its sub-meters billed for the same days)."""
    if meter.allocation != Allocation.SUBMETERS:
        return assessment.lines
    previous = assessment.previous
    assert previous is not None
    subs = Reading.objects.filter(
        meter__parent=meter, read_on__gt=previous.read_on, read_on__lte=reading.read_on
    )
    sub_amount = sum((r.amount for r in subs), Decimal(0))
    sub_quantity = sum((r.consumption for r in subs), Decimal(0))
    loss = assessment.amount - sub_amount
    if loss <= 0:
        return []
    quantity = max(assessment.usage.total - sub_quantity, Decimal(0))
    price = (loss / quantity).quantize(Decimal("0.0001")) if quantity else Decimal(0)
    return [pricing.Line("损耗", quantity, price, loss)]


@dataclass(frozen=True)
class Portion:
    """Who pays a part of an interval: a unit's lease span, or the operator (span None)."""

    unit: Unit
    span: LeaseUnit | None
    lines: list[pricing.Line]
    how: str  # the allocation as printed on the bill line ("按面积 12.50%")


def shared_weights(
    meter: Meter, start: datetime.date, end: datetime.date
) -> dict[tuple[int, int | None], Decimal]:
    """A shared meter's split of the interval (after ``start`` up to ``end``): each unit's
    weight (area or fixed share) × the days each lease held it; the days nobody held it are
    the operator's, under the lease id None. A lease changing inside the interval needs no
    extra reading: the days share it."""
    days = Decimal((end - start).days)
    first = start + datetime.timedelta(days=1)
    weights: dict[tuple[int, int | None], Decimal] = {}
    unit_weights = _weights(meter)
    spans = LeaseUnit.objects.filter(
        unit_id__in=list(unit_weights),
        lease__state__in=BILLED_STATES,
        start_on__lte=end,
        end_on__gte=first,
    )
    held: dict[int, Decimal] = {}
    for span in spans:
        covered = Decimal((min(span.end_on, end) - max(span.start_on, first)).days + 1)
        weights[(span.unit_id, span.pk)] = unit_weights[span.unit_id] * covered / days
        held[span.unit_id] = held.get(span.unit_id, Decimal(0)) + covered
    for unit_id, weight in unit_weights.items():
        vacant = days - held.get(unit_id, Decimal(0))
        if vacant > 0:
            weights[(unit_id, None)] = weight * vacant / days
    return weights


def sharers(
    meter: Meter, start: datetime.date, end: datetime.date
) -> dict[tuple[int, int | None], Decimal]:
    """A shared meter's split over the interval; refused when it serves no unit yet (the
    amount would be billed to nobody and lost)."""
    weights = shared_weights(meter, start, end)
    if not weights:
        raise ValidationError(
            {
                "meter": _(
                    "Meter %(code)s is shared but serves no unit yet: add the units it is "
                    "shared by (or its sub-meters) before recording a reading that bills."
                )
                % {"code": meter.code}
            }
        )
    return weights


def _portions(meter: Meter, reading: Reading, assessment: Assessment) -> list[Portion]:
    previous = assessment.previous
    assert previous is not None
    start, end = previous.read_on, reading.read_on
    if not meter.shared:
        assert meter.unit is not None
        span = lease_span_for(meter.unit, start, end)
        return [Portion(meter.unit, span, assessment.lines, "")]
    weights = sharers(meter, start, end)
    units = Unit.objects.in_bulk([unit_id for unit_id, _span in weights])
    spans = LeaseUnit.objects.select_related("lease").in_bulk(
        [span for _unit, span in weights if span is not None]
    )
    total = sum(weights.values(), Decimal(0))
    lines = _shared_lines(meter, assessment, reading)
    amounts = [pricing.allocate(line.amount, weights) for line in lines]
    quantities = [pricing.allocate_quantity(line.quantity, weights) for line in lines]
    portions = []
    for key, weight in weights.items():
        pct = (weight / total * 100).quantize(Decimal("0.01")) if total else Decimal(0)
        portions.append(
            Portion(
                units[key[0]],
                spans[key[1]] if key[1] is not None else None,
                [
                    pricing.Line(line.label, q[key], line.unit_price, a[key])
                    for line, q, a in zip(lines, quantities, amounts, strict=True)
                ],
                f"{Allocation(meter.allocation).label} {pct}%",
            )
        )
    return portions


def _bill(actor: Any, meter: Meter, reading: Reading, assessment: Assessment) -> str:
    """Charge the interval's lines to the leases of the units served; returns the note kept
    on the reading (what was billed to whom, and what the operator bears). Bill lines and the
    note are printed in the documents' language (Chinese), whoever enters the reading."""
    with translation.override(settings.LANGUAGE_CODE):
        return _charge_portions(actor, meter, reading, assessment)


def _charge_portions(actor: Any, meter: Meter, reading: Reading, assessment: Assessment) -> str:
    previous = assessment.previous
    if previous is None:
        return _("Opening reading.")
    if not assessment.lines:
        return ""
    kind = CHARGE_KIND[MeterKind(meter.kind)]
    apart = UtilitySettings.objects.filter(
        operator_id=meter.park.operator_id, bill_apart=True
    ).exists()
    billed: dict[str, Decimal] = {}
    borne = Decimal(0)
    for portion in _portions(meter, reading, assessment):
        amount = sum((line.amount for line in portion.lines), Decimal(0))
        if portion.span is None:
            borne += amount
            continue
        for n, line in enumerate(portion.lines):
            label = f"{MeterKind(meter.kind).label} {meter.code}"
            if meter.shared:
                label = f"{label} {portion.unit.code} {portion.how}"
            charge_add(
                actor=actor,
                lease=portion.span.lease,
                kind=kind,
                description=f"{label} {line.label}".strip(),
                period_start=previous.read_on,
                period_end=reading.read_on,
                quantity=line.quantity,
                quantity_unit=UNIT_OF[meter.kind],
                unit_price=line.unit_price,
                tax_rate_pct=meter.tariff.tax_rate_pct,
                source=f"utilities.reading:{reading.pk}:{portion.span.pk}:{n}",
                amount=line.amount if meter.shared else None,
                apart=apart,
            )
        contract = portion.span.lease.contract_no
        billed[contract] = billed.get(contract, Decimal(0)) + amount
    parts = [f"{contract} {amount}" for contract, amount in billed.items()]
    if borne:
        parts.append(_("vacant, borne by the operator %(amount)s") % {"amount": borne})
    return "；".join(parts)[:200]


@transaction.atomic
def reading_add(*, actor: Any, reading: Reading, confirm: bool = False) -> Reading:
    """Record a reading and bill the interval it closes. Readings of one meter are taken one
    at a time (the meter row is locked), so two people cannot bill the same days twice."""
    require_add(actor, reading)
    meter = (
        Meter.objects.select_for_update(of=("self",))
        .select_related("tariff", "unit", "park")
        .get(pk=reading.meter_id)
    )
    reading.meter = meter
    if not meter.active:
        raise ValidationError({"meter": _("The meter is out of use.")})
    # the last readings are enough: the previous one and a year of intervals for the median
    history = list(meter.readings.order_by("-read_on")[:14])[::-1]
    assessment = assess_reading(meter, reading, history=history, confirm=confirm)
    reading.consumption = assessment.usage.total
    reading.amount = assessment.amount
    reading.anomaly = assessment.anomaly
    if reading.reason and assessment.previous is None:
        reading.reason = ReadingReason.NONE
    create_record(actor=actor, instance=reading)
    note = _bill(actor, meter, reading, assessment)
    if note:
        reading.billed_note = note
        reading.save(update_fields=["billed_note", "updated_at"])
    return reading
