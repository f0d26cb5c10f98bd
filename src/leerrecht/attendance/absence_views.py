"""Pages for absence registrations: the school's code table (with a preview of how many
registrations each code covers) and the upload of a registrations file."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from leerrecht.attendance.absences import (
    absence_code_table,
    absence_codes_replace,
    absence_file_preview,
    absence_import_create,
)
from leerrecht.attendance.forms import AbsenceCodeFileForm, AbsencePreviewForm, AbsenceUploadForm
from leerrecht.attendance.models import AbsenceCode
from leerrecht.attendance.query import user_may_import_attendance
from leerrecht.attendance.services import AttendanceFileInvalid, AttendanceImportError
from leerrecht.privacy.audit import processing
from leerrecht.privacy.models import AuditEvent

CodeFormSet = forms.modelformset_factory(
    AbsenceCode, fields=("code", "description", "category"), extra=3, can_delete=True
)


def _school_user(request: HttpRequest):
    user = request.user
    if not user_may_import_attendance(user):
        raise PermissionDenied
    return user


def _crumbs(*items) -> list[dict]:
    return [{"label": label, "url": url} for label, url in items]


@processing("verzuimregistratie", kind="attendance.absencecodemapping")
@login_required
def absence_codes(request: HttpRequest) -> HttpResponse:
    user = _school_user(request)
    organisation = user.organisation
    queryset = AbsenceCode.objects.filter(organisation=organisation).order_by("code")
    formset = CodeFormSet(queryset=queryset, prefix="codes")
    file_form, preview_form = AbsenceCodeFileForm(), AbsencePreviewForm()
    preview, problems = None, []
    action = request.POST.get("action")
    if request.method == "POST" and action == "save":
        formset = CodeFormSet(request.POST, queryset=queryset, prefix="codes")
        if formset.is_valid():
            for form in formset.forms:
                form.instance.organisation = organisation
                if form.instance.code:
                    form.instance.code = form.instance.code.strip().upper()
            formset.save()
            messages.success(request, _("De codetabel is opgeslagen."))
            return redirect("attendance:absence_codes")
    elif request.method == "POST" and action == "replace":
        file_form = AbsenceCodeFileForm(request.POST, request.FILES)
        if file_form.is_valid():
            upload = file_form.cleaned_data["codes"]
            try:
                count = absence_codes_replace(
                    organisation=organisation, file=upload, name=upload.name
                )
            except AttendanceFileInvalid as exc:
                problems = exc.problems
                file_form.add_error(None, str(exc))
            else:
                messages.success(request, _("%(n)d codes ingelezen.") % {"n": count})
                return redirect("attendance:absence_codes")
    elif request.method == "POST" and action == "preview":
        preview_form = AbsencePreviewForm(request.POST, request.FILES)
        if preview_form.is_valid():
            upload = preview_form.cleaned_data["registrations"]
            try:
                preview = absence_file_preview(
                    organisation=organisation, file=upload, name=upload.name
                )
            except AttendanceFileInvalid as exc:
                problems = exc.problems
                preview_form.add_error(None, str(exc))
    invalid = bool(problems) or (request.method == "POST" and not preview and action != "preview")
    return render(
        request,
        "attendance/absence_codes.html",
        {
            "formset": formset,
            "file_form": file_form,
            "preview_form": preview_form,
            "preview": preview,
            "problems": problems,
            "breadcrumbs": _crumbs(
                (_("Verzuimregistraties inlezen"), reverse("attendance:absence_upload")),
                (_("Verzuimcodes"), ""),
            ),
        },
        status=400 if invalid else 200,
    )


@processing(
    "verzuimregistratie", kind="attendance.attendanceimport", write=AuditEvent.Action.IMPORT
)
@login_required
def absence_upload(request: HttpRequest) -> HttpResponse:
    user = _school_user(request)
    problems, total = [], 0
    form = AbsenceUploadForm()
    if request.method == "POST":
        form = AbsenceUploadForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            timetable = form.cleaned_data.get("timetable")
            calendar = form.cleaned_data.get("calendar")
            try:
                imp, daily = absence_import_create(
                    user=user,
                    file=upload,
                    original_name=upload.name,
                    timetable=timetable,
                    timetable_name=timetable.name if timetable else "",
                    calendar=calendar,
                    calendar_name=calendar.name if calendar else "",
                )
            except AttendanceFileInvalid as exc:
                problems, total = exc.problems, exc.total
                form.add_error(None, str(exc))
            except AttendanceImportError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(
                    request,
                    _(
                        "%(r)d registraties van %(s)d leerlingen omgezet naar %(d)d schooldagen. "
                        "De signalen worden berekend."
                    )
                    % {"r": daily.registrations, "s": daily.students, "d": daily.table.num_rows},
                )
                return redirect("attendance:import_detail", pk=imp.pk)
    return render(
        request,
        "attendance/absence_upload.html",
        {
            "form": form,
            "problems": problems,
            "problems_more": max(0, total - len(problems)),
            "has_codes": absence_code_table(organisation=user.organisation) is not None,
            "breadcrumbs": _crumbs((_("Verzuimregistraties inlezen"), "")),
        },
        status=400 if form.errors else 200,
    )
