"""Long work as background tasks with progress the user can watch (core.BackgroundJob)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from core.choices import JobStatus
from core.models import BackgroundJob

__all__ = ["JobOutcome", "job_create", "job_run"]

logger = logging.getLogger(__name__)

# What a piece of work returns: (succeeded, message for the user, result data).
JobOutcome = tuple[bool, str, dict[str, Any]]


def job_create(*, actor: Any, kind: str, title: str, payload: bytes = b"") -> BackgroundJob:
    return BackgroundJob.objects.create(user=actor, kind=kind, title=title, payload=payload)


def job_run(job_id: int, work: Callable[[BackgroundJob], JobOutcome]) -> None:
    """Run ``work`` for a job, recording running / done / failed; a crash fails the job with a
    message instead of leaving it running for ever."""
    job = BackgroundJob.objects.get(pk=job_id)
    job.status = JobStatus.RUNNING
    job.save(update_fields=["status"])
    try:
        ok, message, result = work(job)
    except Exception:
        logger.exception("job %s failed", job_id)
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
