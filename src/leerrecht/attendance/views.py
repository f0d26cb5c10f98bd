"""Attendance pages: upload, import progress, signal list, per-student absence overview."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from leerrecht.attendance.forms import AttendanceUploadForm, SignalFilterForm
from leerrecht.attendance.query import (
    attendance_imports_for_user,
    user_may_import_attendance,
)
from leerrecht.attendance.selectors import (
    attendance_import_list,
    signal_filter_schools,
    signal_hit_list,
    student_attendance_summary,
    student_attendance_weeks,
    student_signal_hits,
)
from leerrecht.attendance.services import (
    AttendanceFileInvalid,
    AttendanceImportError,
    attendance_import_create,
)
from leerrecht.attendance.signal_labels import (
    leads_to_label,
    signal_details_text,
    signal_label,
    signal_run_start,
)
from leerrecht.privacy.audit import audit_note, processing
from leerrecht.privacy.consent import Category, categories_visible
from leerrecht.privacy.models import AuditEvent
from leerrecht.privacy.query import students_for_user
from leerrecht.web.pagination import paginate

ACTIVITY = "signalering"
_FILTER_NAMES = {
    "school": "school",
    "signal": "signaal",
    "date_from": "vanaf",
    "date_to": "tot en met",
}


def _filter_text(key: str, value) -> str:
    """A signal-list filter as the audit log shows it (Dutch, no identifiers)."""
    shown = signal_label(value) if key == "signal" else value
    if hasattr(shown, "strftime"):
        shown = shown.strftime("%d-%m-%Y")
    return f"{_FILTER_NAMES.get(key, 'filter')}={shown}"


PAGE_SIZE = 50


def _url_or_none(name: str, *args) -> str | None:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def _melding_url() -> str | None:
    """The cases app's "melding from a signal" page (?hit=<SignalHit pk>), when installed."""
    return _url_or_none("cases:melding_from_signal")


def _crumbs(*items) -> list[dict]:
    return [{"label": label, "url": url} for label, url in items]


@processing(ACTIVITY, kind="attendance.attendanceimport", write=AuditEvent.Action.IMPORT)
@login_required
def upload(request: HttpRequest) -> HttpResponse:
    if not user_may_import_attendance(request.user):
        raise PermissionDenied
    problems, total = [], 0
    if request.method == "POST":
        form = AttendanceUploadForm(request.POST, request.FILES)
        if form.is_valid():
            upload_file = form.cleaned_data["file"]
            calendar = form.cleaned_data.get("calendar")
            try:
                imp = attendance_import_create(
                    user=request.user,
                    file=upload_file,
                    original_name=upload_file.name,
                    calendar=calendar,
                    calendar_name=calendar.name if calendar else "",
                )
            except AttendanceFileInvalid as exc:
                problems, total = exc.problems, exc.total
                form.add_error(None, str(exc))
            except AttendanceImportError as exc:
                form.add_error(None, str(exc))
            else:
                if imp.reused:
                    messages.info(
                        request,
                        _(
                            "Dit bestand is al eerder ingelezen (op %(date)s). Er is niets veranderd."
                        )
                        % {"date": f"{imp.created_at:%d-%m-%Y %H:%M}"},
                    )
                else:
                    messages.success(
                        request,
                        _(
                            "Het bestand is gecontroleerd en opgeslagen. De signalen worden berekend."
                        ),
                    )
                return redirect("attendance:import_detail", pk=imp.pk)
    else:
        form = AttendanceUploadForm()
    return render(
        request,
        "attendance/upload.html",
        {
            "form": form,
            "problems": problems,
            "problems_more": max(0, total - len(problems)),
            "imports": attendance_import_list(user=request.user),
            "breadcrumbs": _crumbs((_("Verzuimbestand inlezen"), "")),
        },
        status=400 if form.errors else 200,
    )


def _import_context(imp) -> dict:
    return {"imp": imp, "job": imp.job, "result": imp.result or {}}


@processing(ACTIVITY, kind="attendance.attendanceimport")
@login_required
def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    imp = get_object_or_404(
        attendance_imports_for_user(request.user).select_related("job", "uploaded_by"), pk=pk
    )
    audit_note(
        request,
        action=AuditEvent.Action.READ,
        obj=imp,
        fields=["aantallen", "onbekende leerling-id's"],
    )
    context = _import_context(imp)
    context["breadcrumbs"] = _crumbs(
        (_("Verzuimbestand inlezen"), reverse("attendance:upload")), (imp.original_name, "")
    )
    return render(request, "attendance/import_detail.html", context)


@processing(ACTIVITY, kind="attendance.attendanceimport", quiet=True)
@login_required
def import_status(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress fragment (htmx polls it while the job runs); counts only."""
    imp = get_object_or_404(attendance_imports_for_user(request.user).select_related("job"), pk=pk)
    response = render(request, "attendance/_import_status.html", _import_context(imp))
    if imp.finished:
        response["HX-Refresh"] = "true"  # show the full result once
    return response


def _hit_row(hit) -> dict:
    enrolments = getattr(hit.student, "current_enrolments", [])
    return {
        "hit": hit,
        "student": hit.student,
        "school": enrolments[0].school if enrolments else None,
        "label": signal_label(hit.signal),
        "details": signal_details_text(hit.signal, hit.details),
        "run_start": signal_run_start(hit.details),
        "leads_to": [leads_to_label(x) for x in hit.leads_to],
    }


@processing("signalering", kind="attendance.signalhit")
@login_required
def signals(request: HttpRequest) -> HttpResponse:
    form = SignalFilterForm(request.GET or None, schools=signal_filter_schools(user=request.user))
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    school = filters.get("school")
    hits = signal_hit_list(
        user=request.user,
        school_id=school.pk if school else None,
        signal=filters.get("signal", ""),
        date_from=filters.get("date_from"),
        date_to=filters.get("date_to"),
    )
    pages = paginate(request, hits, per_page=PAGE_SIZE)
    page = pages["page"]
    audit_note(
        request,
        action=AuditEvent.Action.SEARCH if filters else AuditEvent.Action.READ,
        object_type="attendance.signalhit",
        fields=["naam", "school", "signaal", "eerste dag"],
        children=[hit.student_id for hit in page.object_list],
        detail=(
            f"signalenlijst pagina {page.number}: {page.paginator.count} signalen; filters: "
            + (", ".join(_filter_text(k, v) for k, v in filters.items() if v) or "geen")
        ),
    )
    return render(
        request,
        "attendance/signals.html",
        {
            **pages,
            "form": form,
            "rows": [_hit_row(h) for h in page.object_list],
            "melding_url": _melding_url(),
            "may_import": user_may_import_attendance(request.user),
            "breadcrumbs": _crumbs((_("Signalen"), "")),
        },
    )


@processing(ACTIVITY, kind="registry.student")
@login_required
def student_overview(request: HttpRequest, pk: int) -> HttpResponse:
    student = get_object_or_404(students_for_user(request.user), pk=pk)
    audit_note(
        request,
        action=AuditEvent.Action.READ,
        subject_student_id=student.pk,
        obj=student,
        fields=["naam", "verzuim per week", "signalen", "verzuimoverzicht"],
    )
    hits = [_hit_row(h) for h in student_signal_hits(student=student)]
    shown = categories_visible(request.user, [student.pk])[student.pk]
    return render(
        request,
        "attendance/student_overview.html",
        {
            "student": student,
            "shows_sick": Category.SICK_ABSENCE in shown,
            "shows_authorised": Category.AUTHORISED_ABSENCE in shown,
            "summary": student_attendance_summary(student=student),
            "weeks": student_attendance_weeks(student=student),
            "hits": hits,
            "student_url": _url_or_none("web:student_detail", student.pk),
            "melding_url": _melding_url(),
            "breadcrumbs": _crumbs(
                (_("Signalen"), reverse("attendance:signals")),
                (student.full_name, ""),
            ),
        },
    )
