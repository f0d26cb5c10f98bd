"""Background job: the daily digest e-mail (also `leerrecht digest`)."""

from __future__ import annotations

from leerrecht.cases.services import digest_send
from leerrecht.jobs.services import job_handler


@job_handler("cases.digest")
def digest_job(job, progress) -> dict:
    sent = digest_send()
    progress(1, 1, "digest")
    return {"sent": sent}
