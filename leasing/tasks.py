"""Background work of leasing (run by `make worker`): issuing the due bills of many leases."""

from __future__ import annotations

import json

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from core.errors import ConflictError
from core.jobs import JobOutcome, job_run, register_runner
from core.models import BackgroundJob
from leasing import billing
from leasing.models import Lease

__all__ = ["JOB_KIND", "issue_due_bills"]

JOB_KIND = "leasing.invoice_issue"


@task()
def issue_due_bills(job_id: int) -> None:
    """Issue every bill due today of the leases the job names, lease by lease."""
    job_run(job_id, _issue)


def _issue(job: BackgroundJob) -> JobOutcome:
    lease_ids = json.loads(bytes(job.payload).decode())["lease_ids"]
    leases = list(
        Lease.objects.restrict(job.user, "change").filter(pk__in=lease_ids).order_by("contract_no")
    )
    today = timezone.localdate()
    issued, refused = 0, []
    job.advance(0, len(leases))
    for done, lease in enumerate(leases, start=1):
        try:
            with transaction.atomic():  # one lease's bills together, each lease on its own
                issued += len(billing.invoices_issue(actor=job.user, lease=lease, on=today))
        except ConflictError as exc:
            refused.append(f"{lease.contract_no}: {exc.message}")
        job.advance(done)
    message = _("%(bills)d bills issued for %(leases)d leases.") % {
        "bills": issued,
        "leases": len(leases),
    }
    if refused:
        message += " " + _("Not issued: %(reasons)s") % {"reasons": "; ".join(refused[:20])}
    return (
        True,
        message,
        {"url": reverse("leasing:invoice_list") + "?status=open", "url_label": _("Open the bills")},
    )


register_runner(JOB_KIND, issue_due_bills)
