"""Background job: compute and store the signals of an attendance import."""

from __future__ import annotations

from django.urls import reverse

from leerrecht.attendance.models import AttendanceImport
from leerrecht.attendance.services import (
    JOB_KIND,
    AttendanceImportError,
    attendance_import_run,
)
from leerrecht.jobs.services import UserFacingError, job_handler


@job_handler(JOB_KIND)
def attendance_import_job(job, progress) -> dict:
    imp = AttendanceImport.objects.filter(pk=job.payload.get("attendance_import_id")).first()
    if imp is None:
        raise UserFacingError("Deze verzuimimport bestaat niet meer.")
    try:
        result = attendance_import_run(attendance_import=imp, progress=progress)
    except AttendanceImportError as exc:
        raise UserFacingError(str(exc)) from None
    # jobs/_progress.html sends the browser to result["url"] when the job is done.
    return {**result, "url": reverse("attendance:import_detail", args=[imp.pk])}
