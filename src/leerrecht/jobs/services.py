"""Enqueue, claim and run background jobs.

Handlers register per kind with `@job_handler("kind")`. A handler gets the job and a
`progress(done, total, label)` callback; it returns a JSON-able result or raises. A
`UserFacingError` becomes the job's message as is; any other exception is logged and the
user sees a generic message (never a traceback).
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.conf import settings
from django.utils import timezone

from leerrecht.jobs.models import Job
from leerrecht.privacy.audit import audit_outside_request

logger = logging.getLogger(__name__)

Progress = Callable[[int, int, str], None]
# Filled by each app's AppConfig.ready(), which imports its `jobs` module.
_HANDLERS: dict[str, Callable[[Job, Progress], dict]] = {}


class UserFacingError(Exception):
    """A problem the user can fix; its text is shown as is."""


def job_handler(kind: str):
    def register(func: Callable[[Job, Progress], dict]):
        _HANDLERS[kind] = func
        return func

    return register


def job_enqueue(*, kind: str, payload: dict, user=None) -> Job:
    job = Job.objects.create(kind=kind, payload=payload, created_by=user)
    if settings.LEERRECHT_JOBS_EAGER:
        job = job_run(job_id=job.pk)
    return job


def job_claim_next() -> Job | None:
    """Claim the oldest queued job with one conditional UPDATE (safe with many workers)."""
    candidate = (
        Job.objects.filter(status=Job.Status.QUEUED)
        .order_by("created_at", "id")
        .values_list("pk", flat=True)
        .first()
    )
    if candidate is None:
        return None
    claimed = Job.objects.filter(pk=candidate, status=Job.Status.QUEUED).update(
        status=Job.Status.RUNNING, started_at=timezone.now()
    )
    return Job.objects.get(pk=candidate) if claimed else None


def job_run(*, job_id: int) -> Job:
    Job.objects.filter(pk=job_id, status=Job.Status.QUEUED).update(
        status=Job.Status.RUNNING, started_at=timezone.now()
    )
    job = Job.objects.get(pk=job_id)

    def progress(done: int, total: int, label: str = "") -> None:
        Job.objects.filter(pk=job_id).update(
            progress_done=done, progress_total=total, progress_label=label[:200]
        )

    handler = _HANDLERS.get(job.kind)
    try:
        if handler is None:
            raise UserFacingError(f"Onbekend soort taak: {job.kind}")
        # A job audits its own processing, also when run eagerly inside a request.
        with audit_outside_request():
            result = handler(job, progress)
    except UserFacingError as exc:
        Job.objects.filter(pk=job_id).update(
            status=Job.Status.FAILED, message=str(exc), finished_at=timezone.now()
        )
    except Exception:
        logger.exception("job %s (%s) failed", job_id, job.kind)
        Job.objects.filter(pk=job_id).update(
            status=Job.Status.FAILED,
            message="Er ging iets mis bij het uitvoeren. De beheerder kan het logbestand inzien.",
            finished_at=timezone.now(),
        )
    else:
        Job.objects.filter(pk=job_id).update(
            status=Job.Status.DONE, result=result or {}, finished_at=timezone.now()
        )
    job.refresh_from_db()
    return job


def jobs_work(*, once: bool = False, idle_seconds: float = 1.0) -> int:
    """The worker loop: claim and run jobs until stopped (or until the queue is empty)."""
    import time

    ran = 0
    while True:
        job = job_claim_next()
        if job is None:
            if once:
                return ran
            time.sleep(idle_seconds)
            continue
        job_run(job_id=job.pk)
        ran += 1
