"""Long work as background tasks with progress the user can watch (core.BackgroundJob)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import get_language, override
from django.utils.translation import gettext as _

from core.choices import JobStatus
from core.models import BackgroundJob

__all__ = ["JobOutcome", "job_create", "job_rerun", "job_run", "register_runner"]

logger = logging.getLogger(__name__)

# What a piece of work returns: (succeeded, message for the user, result data).
JobOutcome = tuple[bool, str, dict[str, Any]]


# kind (or the app label before its dot) -> the task that runs such jobs, for running again
_RUNNERS: dict[str, Any] = {}


def register_runner(kind: str, task: Any) -> None:
    """``task.enqueue(job_id)`` runs jobs of ``kind`` ("leasing.invoice_issue"), or of every
    kind of an app when ``kind`` is "<app>.*", or of every step when it is "<step>:*"."""
    _RUNNERS[kind] = task


def _runner(kind: str) -> Any:
    if ":" in kind:  # a step of some other kind's work ("check:spaces.unit"): its own runner
        return _RUNNERS.get(kind) or _RUNNERS.get(kind.split(":")[0] + ":*")
    return _RUNNERS.get(kind) or _RUNNERS.get(f"{kind.split('.')[0]}.*") or _RUNNERS.get("*")


def job_rerun(*, actor: Any, job: BackgroundJob) -> BackgroundJob:
    """A failed job run again from its own payload: a new job, the old one kept as it ended."""
    runner = _runner(job.kind)
    if job.status != JobStatus.FAILED or runner is None:
        raise ValueError("only a failed job with a known runner runs again")
    again = job_create(actor=actor, kind=job.kind, title=job.title, payload=bytes(job.payload))
    runner.enqueue(again.pk)
    return again


def job_create(*, actor: Any, kind: str, title: str, payload: bytes = b"") -> BackgroundJob:
    return BackgroundJob.objects.create(
        user=actor, kind=kind, title=title, payload=payload, language=get_language() or ""
    )


def job_run(job_id: int, work: Callable[[BackgroundJob], JobOutcome]) -> None:
    """Run ``work`` for a job, recording running / done / failed; a crash fails the job with a
    message instead of leaving it running for ever."""
    job = BackgroundJob.objects.get(pk=job_id)
    with override(job.language or settings.LANGUAGE_CODE):
        _run(job, work)


def _run(job: BackgroundJob, work: Callable[[BackgroundJob], JobOutcome]) -> None:
    job.status = JobStatus.RUNNING
    job.started_at = timezone.now()
    job.save(update_fields=["status", "started_at"])
    job.advance(0)  # the first sign of life
    try:
        ok, message, result = work(job)
    except Exception:
        logger.exception("job %s failed", job.pk)
        if transaction.get_connection().in_atomic_block:
            raise
        job.finish(
            JobStatus.FAILED,
            _(
                "The work stopped on an unexpected error; nothing was "
                "changed. Please tell your platform admin."
            ),
        )
        return
    job.finish(JobStatus.DONE if ok else JobStatus.FAILED, message, result)
