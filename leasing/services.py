"""Every write to leases: create with units, activate, terminate early, renew. A unit is
never in two overlapping leases: the database refuses it, and that refusal becomes a 409."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.utils import OperationalError
from django.utils import timezone
from django.utils.translation import gettext as _

from core import audit
from core.choices import AuditAction
from core.errors import ConflictError
from core.permissions import require
from core.services import create_record
from core.uploads import check_upload
from leasing import billing
from leasing.choices import LEASE_FLOW, LEASE_TRANSITIONS, LeaseState
from leasing.models import Lease, LeaseAmendment, LeaseAttachment, LeaseUnit, RentFree
from leasing.selectors import lease_schedule, terms_of
from spaces.choices import UnitStatus
from spaces.models import Unit
from spaces.services import unit_update

__all__ = [
    "attachment_add",
    "attachment_delete",
    "lease_add_rent_free",
    "lease_amend",
    "lease_change_units",
    "lease_create",
    "lease_renew",
    "lease_schedule",
    "lease_terminate",
    "lease_transition",
    "lease_update",
    "terms_of",
]

DAY = datetime.timedelta(days=1)


def _overlap_message(units: Sequence[Unit]) -> str:
    return _(
        "A unit of this lease (%(units)s) is already leased for some of these dates; "
        "choose other units or dates."
    ) % {"units": "、".join(u.code for u in units)}


@transaction.atomic
def lease_create(
    *,
    actor: Any,
    lease: Lease,
    units: Sequence[Unit],
    rent_free: Sequence[tuple[datetime.date, datetime.date]] = (),
) -> Lease:
    """A draft lease of ``units`` (each for the whole term, on its building area)."""
    if not units:
        raise ConflictError(_("A lease needs at least one unit."))
    if any(u.park_id != lease.park_id for u in units):
        raise ConflictError(_("All units of a lease must be in the lease's park."))
    # Lock the units in id order, so two operators leasing the same units queue up instead
    # of deadlocking (PostgreSQL); on SQLite the IMMEDIATE transaction already serialises.
    locked = list(
        Unit.objects.select_for_update().filter(pk__in=[u.pk for u in units]).order_by("pk")
    )
    lease = create_record(actor=actor, instance=lease)
    try:
        with transaction.atomic():
            LeaseUnit.objects.bulk_create(
                [
                    LeaseUnit(
                        lease=lease,
                        unit=u,
                        area_m2=u.area_m2,
                        start_on=lease.start_on,
                        end_on=lease.end_on,
                    )
                    for u in locked
                ]
            )
    except (IntegrityError, OperationalError) as exc:
        _translate_overlap(exc, locked)
        raise
    RentFree.objects.bulk_create(
        [RentFree(lease=lease, start_on=a, end_on=b) for a, b in rent_free]
    )
    return lease


@transaction.atomic
def lease_transition(*, actor: Any, lease: Lease, action: str, comment: str = "") -> Lease:
    LEASE_FLOW.move(actor=actor, row=lease, action=action, comment=comment, guard=_guard)
    if action == "activate":
        _mark_units(actor, lease, leased=True)
        predecessor = lease.predecessor
        if predecessor is not None and predecessor.state in LEASE_TRANSITIONS["renew"].sources:
            lease_transition(
                actor=actor, lease=predecessor, action="renew", comment=lease.contract_no
            )
        billing.invoices_issue(actor=actor, lease=lease, on=timezone.localdate())
    return lease


def _guard(lease: Lease, t: Any) -> None:
    if t.action == "expire" and timezone.localdate() <= lease.end_on:
        raise ConflictError(
            _("A lease expires after its end date (%(end)s); to end it sooner, terminate it.")
            % {"end": lease.end_on.isoformat()},
            code="guard_failed",
        )


def _mark_units(actor: Any, lease: Lease, *, leased: bool) -> None:
    """Keep the units' status (the stacking plan's colours) in step with the lease."""
    for span in lease.lease_units.select_related("unit"):
        data: dict[str, Any] = (
            {"status": UnitStatus.LEASED, "available_from": span.end_on + DAY}
            if leased
            else {"status": UnitStatus.VACANT, "available_from": None}
        )
        unit_update(actor=actor, instance=span.unit, data=data)


@transaction.atomic
def lease_terminate(*, actor: Any, lease: Lease, on: datetime.date, reason: str) -> Lease:
    """End an active lease early: from ``on`` the units are free and no rent runs."""
    if not (lease.start_on < on <= lease.end_on):
        raise ConflictError(_("The termination date must fall within the lease term."))
    lease_transition(actor=actor, lease=lease, action="terminate", comment=reason)
    lease.terminated_on, lease.termination_reason = on, reason
    lease.save(update_fields=["terminated_on", "termination_reason", "updated_at"])
    # spans not started by then (an expansion dated later) go; the others end the day before
    not_started = lease.lease_units.filter(start_on__gte=on)
    dropped = [span.unit for span in not_started.select_related("unit")]
    not_started.delete()
    lease.lease_units.filter(end_on__gte=on).update(end_on=on - DAY)
    _mark_units(actor, lease, leased=False)
    for unit in dropped:
        unit_update(
            actor=actor, instance=unit, data={"status": UnitStatus.VACANT, "available_from": None}
        )
    audit.record(
        actor=actor,
        instance=lease,
        action=AuditAction.UPDATE,
        changes={"terminated_on": [None, on.isoformat()]},
        comment=reason,
    )
    billing.lease_reconcile(actor=actor, lease=lease, on=timezone.localdate())
    return lease


def _translate_overlap(exc: Exception, units: Sequence[Unit]) -> None:
    text = str(exc).lower()
    if "lease_unit_no_overlap" in text:
        raise ConflictError(_overlap_message(units)) from exc
    if "deadlock" in text:
        raise ConflictError(_("Someone else is leasing these units right now; try again.")) from exc


@transaction.atomic
def lease_change_units(
    *,
    actor: Any,
    lease: Lease,
    on: datetime.date,
    add: Sequence[Unit] = (),
    remove: Sequence[Unit] = (),
) -> Lease:
    """Expansion or contraction (扩租 / 退租) of an active lease from ``on``: added units are
    leased from ``on`` to the end, removed ones are free from ``on``; bills already issued
    for the changed days are corrected by credit notes or supplementary bills."""
    require(actor, "change", lease)
    if lease.state != LeaseState.ACTIVE:
        raise ConflictError(_("Only an active lease can change its units."))
    if not (lease.start_on <= on <= lease.end_on):
        raise ConflictError(_("The date of the change must fall within the lease term."))
    if not add and not remove:
        raise ConflictError(_("Choose units to add or to give back."))
    if any(u.park_id != lease.park_id for u in add):
        raise ConflictError(_("All units of a lease must be in the lease's park."))
    current = {s.unit_id for s in lease.lease_units.filter(end_on__gte=on)}
    if any(u.pk not in current for u in remove):
        raise ConflictError(_("A unit to give back is not in this lease on that date."))
    if current - {u.pk for u in remove} == set() and not add:
        raise ConflictError(_("A lease keeps at least one unit; terminate it instead."))
    locked = list(
        Unit.objects.select_for_update().filter(pk__in=[u.pk for u in add]).order_by("pk")
    )
    spans = lease.lease_units.filter(unit__in=remove, end_on__gte=on)
    spans.filter(start_on__gte=on).delete()
    spans.update(end_on=on - DAY)
    try:
        with transaction.atomic():
            LeaseUnit.objects.bulk_create(
                LeaseUnit(lease=lease, unit=u, area_m2=u.area_m2, start_on=on, end_on=lease.end_on)
                for u in locked
            )
    except (IntegrityError, OperationalError) as exc:
        _translate_overlap(exc, locked)
        raise
    for unit in remove:
        unit_update(
            actor=actor, instance=unit, data={"status": UnitStatus.VACANT, "available_from": on}
        )
    for unit in locked:
        unit_update(
            actor=actor,
            instance=unit,
            data={"status": UnitStatus.LEASED, "available_from": lease.end_on + DAY},
        )
    audit.record(
        actor=actor,
        instance=lease,
        action=AuditAction.UPDATE,
        changes={
            "units": [
                "、".join(u.code for u in remove) or None,
                "、".join(u.code for u in locked) or None,
            ]
        },
        comment=_("Units changed from %(on)s.") % {"on": on.isoformat()},
    )
    billing.lease_reconcile(actor=actor, lease=lease, on=timezone.localdate())
    billing.deposit_top_up(
        actor=actor, lease=lease, on=on, area=sum((u.area_m2 for u in locked), Decimal(0))
    )
    return lease


@transaction.atomic
def lease_add_rent_free(
    *, actor: Any, lease: Lease, start: datetime.date, end: datetime.date, reason: str
) -> Lease:
    """A rent-free period granted on a signed lease (a concession, compensation for works):
    bills already issued for those days are credited, later bills simply charge less."""
    require(actor, "change", lease)
    if lease.state not in billing.BILLED_STATES:
        raise ConflictError(_("A draft lease takes its rent-free periods in the form."))
    if not (lease.start_on <= start <= end <= lease.last_day):
        raise ConflictError(_("A rent-free period must lie within the lease term."))
    if lease.rent_free.filter(start_on__lte=end, end_on__gte=start).exists():
        raise ConflictError(_("These days are already rent-free."))
    RentFree.objects.create(lease=lease, start_on=start, end_on=end)
    audit.record(
        actor=actor,
        instance=lease,
        action=AuditAction.UPDATE,
        changes={"rent_free": [None, f"{start.isoformat()}~{end.isoformat()}"]},
        comment=reason,
    )
    billing.lease_reconcile(actor=actor, lease=lease, on=timezone.localdate())
    return lease


@transaction.atomic
def lease_amend(*, actor: Any, lease: Lease, amendment: LeaseAmendment) -> LeaseAmendment:
    """A supplementary agreement (补充协议) on a signed lease: a new rent or management fee from
    a date. Periods not billed yet follow it; each billed period it changes gets a credit note
    or a supplementary bill for the difference."""
    require(actor, "change", lease)
    if lease.state != LeaseState.ACTIVE:
        raise ConflictError(
            _("Only an active lease is amended; this one is %(state)s.")
            % {"state": lease.get_state_display()}
        )
    if not (lease.start_on < amendment.effective_on <= lease.last_day):
        raise ConflictError(
            _(
                "The amendment must take effect after the start and within the term (%(start)s ~ %(end)s)."
            )
            % {"start": lease.start_on.isoformat(), "end": lease.last_day.isoformat()}
        )
    if amendment.rent_per_m2_day is None and amendment.fee_per_m2_month is None:
        raise ConflictError(_("Give the new rent, the new management fee or both."))
    if lease.amendments.filter(effective_on=amendment.effective_on).exists():
        raise ConflictError(_("The lease already has an amendment from that day."))
    amendment.lease = lease
    amendment = create_record(actor=actor, instance=amendment, comment=amendment.reason)
    audit.record(
        actor=actor,
        instance=lease,
        action=AuditAction.UPDATE,
        changes={
            "amendment": [
                None,
                f"{amendment.effective_on.isoformat()}: "
                + " / ".join(
                    str(v)
                    for v in (amendment.rent_per_m2_day, amendment.fee_per_m2_month)
                    if v is not None
                ),
            ]
        },
        comment=amendment.reason,
    )
    billing.lease_reconcile(actor=actor, lease=lease, on=timezone.localdate())
    return amendment


@transaction.atomic
def lease_renew(*, actor: Any, lease: Lease, successor: Lease) -> Lease:
    """A renewal (续签): a draft successor of the same tenant and units from the day after
    the end; when it is activated, this lease becomes 'renewed'."""
    require(actor, "change", lease)
    if lease.state not in LEASE_TRANSITIONS["renew"].sources:
        raise ConflictError(
            _("A lease that is %(state)s cannot be renewed.") % {"state": lease.get_state_display()}
        )
    if Lease.objects.filter(predecessor=lease).exists():
        raise ConflictError(_("This lease already has a renewal."))
    units = [s.unit for s in lease.lease_units.filter(end_on=lease.end_on).select_related("unit")]
    successor.predecessor = lease
    successor.enterprise_id = lease.enterprise_id
    successor.park_id = lease.park_id
    successor.start_on = lease.end_on + DAY
    return lease_create(actor=actor, lease=successor, units=units)


def lease_update(*, actor: Any, instance: Lease, data: dict[str, Any]) -> Lease:
    """Terms can change while the lease is a draft; a signed lease changes by amendment."""
    from core.services import update_record

    refusal = lease_edit_refusal(actor, instance)
    if refusal:
        raise ConflictError(refusal)
    return update_record(actor=actor, instance=instance, data=data)


def lease_edit_refusal(actor: Any, lease: Lease) -> str | None:
    """Why the lease's terms cannot be edited now (None: they can)."""
    if lease.state != LeaseState.DRAFT:
        return _("Only a draft lease can be edited; this one is %(state)s.") % {
            "state": lease.get_state_display()
        }
    return None


def attachment_add(*, actor: Any, attachment: LeaseAttachment) -> LeaseAttachment:
    """Keep a file with a lease: a scan of the signed contract, an amendment, a handover."""
    attachment.size = check_upload(attachment.file)
    return create_record(actor=actor, instance=attachment)


def attachment_delete(*, actor: Any, instance: LeaseAttachment) -> None:
    from core.services import delete_record

    stored = instance.file.name
    storage = instance.file.storage
    delete_record(actor=actor, instance=instance)
    transaction.on_commit(lambda: storage.delete(stored))  # the file goes once the row has
