"""Background tasks of the spaces module (run by `make worker`)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django_tasks import task

from core.jobs import JobOutcome, job_run
from core.models import BackgroundJob
from spaces.imports import apply_import

__all__ = ["import_units"]


@task()
def import_units(job_id: int) -> None:
    job_run(job_id, _import_units)


def _import_units(job: BackgroundJob) -> JobOutcome:
    plan = apply_import(bytes(job.payload), actor=job.user, progress=job.advance)
    if not plan.ok:
        problems = [
            f"{_('Row')} {r.row} {col}: {reason}" for r in plan.rows for col, reason in r.errors
        ]
        return (
            False,
            _("Nothing was imported: the file changed or the records did since the dry run.")
            + " "
            + "; ".join(plan.file_errors + problems[:20]),
            {},
        )
    summary = plan.summary()
    return (
        True,
        _("Imported: %(create)d created, %(update)d updated, %(unchanged)d unchanged.") % summary,
        {"summary": summary, "url": reverse("spaces:unit_list"), "url_label": _("Open units")},
    )
