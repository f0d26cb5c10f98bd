"""Progress of a background job, as a small HTML partial refreshed by htmx (generic: used by
reconciliation, attendance import and reports). Only the job's creator sees it."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from leerrecht.jobs.models import Job
from leerrecht.privacy.audit import processing


@processing("verzuimregistratie", kind="jobs.job", quiet=True)
@login_required
def job_status(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_object_or_404(Job.objects.filter(created_by=request.user), pk=pk)
    response = render(request, "jobs/_progress.html", {"job": job})
    url = (job.result or {}).get("url") if job.status == Job.Status.DONE else None
    if url and request.headers.get("HX-Request"):
        response["HX-Redirect"] = url
    return response
