"""/api/v1/attendance-imports: upload attendance (SIGNALS.md canonical CSV) and follow the
background job that computes its signals."""

from __future__ import annotations

import datetime as dt
from contextlib import contextmanager

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, File, Path, Query, Router, Schema, Status, UploadedFile

from leerrecht.api.core import (
    PageQuery,
    auth,
    check_query,
    page_of,
    paginate,
)
from leerrecht.api.problems import ApiProblem
from leerrecht.attendance.absences import absence_code_table_upload, absence_import_create
from leerrecht.attendance.models import AttendanceImport
from leerrecht.attendance.query import attendance_imports_for_user, user_may_import_attendance
from leerrecht.attendance.services import (
    AttendanceFileInvalid,
    AttendanceImportError,
    attendance_import_create,
)
from leerrecht.privacy.audit import audit_note, processing
from leerrecht.privacy.models import AuditEvent

router = Router(tags=["attendance-imports"])

MAX_ID = 9_223_372_036_854_775_807


class ImportLinks(Schema):
    self: str


class AttendanceImportOut(Schema):
    id: int
    status: str = Field(description="queued, running, done or failed.")
    original_name: str
    sha256: str = Field(description="SHA-256 of the file: the natural key of an upload.")
    protocol: str
    row_count: int
    student_count: int
    first_date: dt.date | None
    last_date: dt.date | None
    progress_done: int
    progress_total: int
    message: str = Field(description="Why the import failed (Dutch), empty otherwise.")
    result: dict = Field(description="Counts of the run: signals_new, signals_existing, ...")
    created_at: dt.datetime
    finished_at: dt.datetime | None
    links: ImportLinks


AttendanceImportPage = page_of(AttendanceImportOut, "AttendanceImportPage")


def import_out(imp: AttendanceImport) -> dict:
    job = imp.job
    return {
        "id": imp.pk,
        "status": imp.status,
        "original_name": imp.original_name,
        "sha256": imp.sha256,
        "protocol": imp.protocol,
        "row_count": imp.row_count,
        "student_count": imp.student_count,
        "first_date": imp.first_date,
        "last_date": imp.last_date,
        "progress_done": job.progress_done if job else 0,
        "progress_total": job.progress_total if job else 0,
        "message": imp.message,
        "result": {k: v for k, v in (imp.result or {}).items() if k != "unknown_sample"},
        "created_at": imp.created_at,
        "finished_at": imp.finished_at,
        "links": {"self": f"/api/v1/attendance-imports/{imp.pk}"},
    }


@router.post(
    "/attendance-imports",
    response={200: AttendanceImportOut, 202: AttendanceImportOut},
    auth=auth("attendance:write"),
    summary="Upload an attendance file",
    description=(
        "Scope `attendance:write`. multipart/form-data with `file` (the canonical daily "
        "attendance CSV of SIGNALS.md, or an export with documented Dutch column aliases) and "
        "optionally `calendar` (school days, for sparse files). The file is validated at once "
        "(400 with every problem by file/line/column; nothing is stored); its signals are "
        "computed by a background job: 202 with the status resource to poll. The same file "
        "again (natural key: SHA-256 per organisation) returns 200 with the existing import."
    ),
)
@processing(
    "verzuimregistratie", kind="attendance.attendanceimport", write=AuditEvent.Action.IMPORT
)
def create_attendance_import(
    request: HttpRequest,
    file: File[UploadedFile],
    calendar: File[UploadedFile | None] = None,
):
    check_query(request)
    if not user_may_import_attendance(request.user):
        raise ApiProblem(403, "Met de rol van dit token kunt u geen verzuimbestanden inlezen.")
    with _import_problems(request):
        imp = attendance_import_create(
            user=request.user,
            file=file,
            original_name=file.name or "verzuim.csv",
            calendar=calendar,
            calendar_name=(calendar.name or "kalender.csv") if calendar else "",
            organisation=request.api_token.organisation,
        )
    return _import_answer(request, imp)


@router.post(
    "/absence-imports",
    response={200: AttendanceImportOut, 202: AttendanceImportOut},
    auth=auth("attendance:write"),
    summary="Upload absence registrations of a school administration system",
    description=(
        "Scope `attendance:write`. multipart/form-data with `file`: absence registrations as "
        "exported by the school administration system - a Magister registration export, "
        "SOMtoday `absentiemeldingen` (JSON or CSV) or the EduArte CSV; the layout is "
        "recognised from the header (docs/attendance.md). Optional: `codes` (code table CSV "
        "code;omschrijving;categorie; default: the school's code table), `timetable` (TOML; "
        "default: the sector's), `calendar` (school days; holidays are skipped). The "
        "registrations become canonical daily rows which are imported as an attendance "
        "import: 202 with its status resource, 200 when the same data was imported before, "
        "400 with every problem (unknown codes, file/line/column) and nothing stored."
    ),
)
@processing(
    "verzuimregistratie", kind="attendance.attendanceimport", write=AuditEvent.Action.IMPORT
)
def create_absence_import(
    request: HttpRequest,
    file: File[UploadedFile],
    codes: File[UploadedFile | None] = None,
    timetable: File[UploadedFile | None] = None,
    calendar: File[UploadedFile | None] = None,
):
    check_query(request)
    if not user_may_import_attendance(request.user):
        raise ApiProblem(403, "Met de rol van dit token kunt u geen verzuimbestanden inlezen.")
    with _import_problems(request):
        table = absence_code_table_upload(codes) if codes else None
        imp, _daily = absence_import_create(
            user=request.user,
            file=file,
            original_name=file.name or "registraties.csv",
            codes=table,
            timetable=timetable,
            timetable_name=(timetable.name or "rooster.toml") if timetable else "",
            calendar=calendar,
            calendar_name=(calendar.name or "kalender.csv") if calendar else "",
            organisation=request.api_token.organisation,
        )
    return _import_answer(request, imp)


@contextmanager
def _import_problems(request: HttpRequest):
    """An invalid file or refused import as problem+json (the service's audit record is
    part of the request's one entry)."""
    try:
        yield
    except AttendanceFileInvalid as exc:
        raise ApiProblem(
            400,
            str(exc),
            invalid_params=[{"name": "file", "reason": line} for line in exc.lines()],
        ) from None
    except AttendanceImportError as exc:
        raise ApiProblem(400, str(exc)) from None


def _import_answer(request: HttpRequest, imp: AttendanceImport) -> Status:
    reused = imp.reused
    imp = AttendanceImport.objects.select_related("job").get(pk=imp.pk)
    return Status(200 if reused else 202, import_out(imp))


@router.get(
    "/attendance-imports",
    response={200: AttendanceImportPage},
    auth=auth("attendance:read", "attendance:write"),
    summary="List attendance imports of the organisation",
    description="Scope `attendance:read` or `attendance:write`. Newest first.",
)
@processing("verzuimregistratie", kind="attendance.attendanceimport", read=AuditEvent.Action.SEARCH)
def list_attendance_imports(request: HttpRequest, page: Query[PageQuery]):
    check_query(request, PageQuery)
    imports = (
        attendance_imports_for_user(request.user)
        .select_related("job")
        .order_by("-created_at", "-id")
    )
    body, _ = paginate(request, imports, page=page, serialize=import_out)
    audit_note(request, action=AuditEvent.Action.SEARCH)
    return body


@router.get(
    "/attendance-imports/{import_id}",
    response={200: AttendanceImportOut},
    auth=auth("attendance:read", "attendance:write"),
    summary="Status of one attendance import",
    description="Scope `attendance:read` or `attendance:write`. Poll until status is done "
    "or failed.",
)
@processing("verzuimregistratie", kind="attendance.attendanceimport")
def get_attendance_import(request: HttpRequest, import_id: int = Path(..., ge=1, le=MAX_ID)):
    check_query(request)
    imp = get_object_or_404(
        attendance_imports_for_user(request.user).select_related("job"), pk=import_id
    )
    audit_note(request, obj=imp)
    return import_out(imp)
