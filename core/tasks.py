"""Background tasks of the platform (run by `make worker`)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django_tasks import task

from core import imports
from core.jobs import JobOutcome, job_run, register_runner
from core.models import BackgroundJob

__all__ = ["CHECK", "run_import", "run_import_check"]

CHECK = "check:"  # the kind of a dry-run job: "check:spaces.unit"


@task()
def run_import(job_id: int) -> None:
    """Write a checked spreadsheet; the job's kind names the template ("spaces.unit")."""
    job_run(job_id, _import)


@task()
def run_import_check(job_id: int) -> None:
    """The dry run of an uploaded spreadsheet, on the worker: a 50,000-row file takes longer
    than a web request may. The result lists every row's fate, which the import page pages."""
    job_run(job_id, _check)


def _check(job: BackgroundJob) -> JobOutcome:
    kind = job.kind.removeprefix(CHECK)
    plan = imports.plan_import(
        imports.template_for(kind), bytes(job.payload), user=job.user, progress=job.advance
    )
    summary = plan.summary()
    app_label, model_name = kind.split(".")
    url = reverse(f"{app_label}:{model_name}_import") + f"?job={job.pk}"
    message = _(
        "Checked: %(create)d new, %(update)d changed, %(unchanged)d unchanged, "
        "%(error)d with problems."
    )
    return (
        True,
        message % summary,
        {
            "plan": imports.plan_as_data(plan),
            "url": url,
            "url_label": _("See the dry run"),
            "open_when_done": True,
        },
    )


def _import(job: BackgroundJob) -> JobOutcome:
    template = imports.template_for(job.kind)
    plan = imports.apply_import(template, bytes(job.payload), actor=job.user, progress=job.advance)
    if not plan.ok:
        row_word = _("Row")
        problems = [
            f"{row_word} {r.row} {col}: {reason}" for r in plan.rows for col, reason in r.errors
        ]
        return (
            False,
            _("Nothing was imported: the file changed or the records did since the dry run.")
            + " "
            + "; ".join(plan.file_errors + problems[:20]),
            {},
        )
    summary = plan.summary()
    app_label, model_name = job.kind.split(".")
    return (
        True,
        _("Imported: %(create)d created, %(update)d updated, %(unchanged)d unchanged.") % summary,
        {
            "summary": summary,
            "url": reverse(f"{app_label}:{model_name}_list"),
            "url_label": _("Open the list"),
        },
    )


register_runner("*", run_import)  # every import template's kind ("spaces.unit"…)
register_runner(f"{CHECK}*", run_import_check)  # and its dry run
