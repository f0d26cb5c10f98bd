"""Privacy officer (FG) pages: audit search and subject access export (AVG art. 15).

Only the privacy officer role reaches these pages; every other role gets 404. The FG has
no person scope in `students_for_user`: the subject access export is the one place where
they read a child's data, for the child's own request, and each export is audited.
"""

from __future__ import annotations

import functools
import json

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from leerrecht.accounts.models import Role
from leerrecht.privacy.audit import audit_note, processing
from leerrecht.privacy.forms import AuditSearchForm, SubjectLookupForm
from leerrecht.privacy.models import AuditEvent
from leerrecht.privacy.pdf import subject_access_pdf
from leerrecht.privacy.selectors import (
    audit_events_search,
    students_matching_reference,
    subject_access_report,
)
from leerrecht.registry.models import Student
from leerrecht.web.pagination import paginate

PAGE_SIZE = 50


def privacy_officer_required(view):
    @login_required
    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.user.role != Role.PRIVACY_OFFICER:
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


def _breadcrumbs(*items):
    return [{"label": _("Privacy"), "url": reverse("privacy:audit_search")}, *items]


@processing("toezicht-privacy", kind="privacy.auditevent", read=AuditEvent.Action.SEARCH)
@privacy_officer_required
def audit_search(request: HttpRequest) -> HttpResponse:
    form = AuditSearchForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    events = audit_events_search(**{k: v for k, v in filters.items() if v})
    pages = paginate(request, events, per_page=PAGE_SIZE)
    subject_ids = set()
    if filters.get("child"):
        subject_ids = set(
            students_matching_reference(filters["child"]).values_list("pk", flat=True)
        )
    audit_note(
        request,
        action=AuditEvent.Action.SEARCH,
        subject=next(iter(subject_ids)) if len(subject_ids) == 1 else None,
        detail="zoeken in auditlog: "
        + ", ".join(f"{k}={v}" for k, v in sorted(filters.items()) if v),
    )
    return render(
        request,
        "privacy/audit_search.html",
        {
            **pages,
            "form": form,
            "breadcrumbs": _breadcrumbs({"label": _("Auditlog"), "url": ""}),
        },
    )


@processing("inzageverzoek", kind="registry.student", read=AuditEvent.Action.SEARCH)
@privacy_officer_required
def subject_access_lookup(request: HttpRequest) -> HttpResponse:
    form = SubjectLookupForm(request.GET or None)
    if form.is_valid():
        matches = list(students_matching_reference(form.cleaned_data["child"])[:2])
        if len(matches) == 1:
            audit_note(
                request,
                action=AuditEvent.Action.SEARCH,
                subject=matches[0],
                detail="leerling opgezocht voor inzageverzoek",
            )
            return redirect("privacy:subject_access", student_id=matches[0].pk)
        form.add_error(
            "child",
            _("Geen leerling gevonden met dit nummer.")
            if not matches
            else _("Meerdere leerlingen gevonden; gebruik het BSN."),
        )
    return render(
        request,
        "privacy/subject_access_lookup.html",
        {"form": form, "breadcrumbs": _breadcrumbs({"label": _("Inzageverzoek"), "url": ""})},
    )


def _report(request: HttpRequest, student_id: int, fmt: str):
    student = get_object_or_404(Student, pk=student_id)
    report = subject_access_report(student=student)
    audit_note(
        request,
        action=AuditEvent.Action.EXPORT,
        subject=student,
        obj=student,
        detail=f"inzageverzoek AVG art. 15 ({fmt}), {sum(len(s['rows']) for s in report.sections.values())} regels",
    )
    return report


@processing("inzageverzoek", kind="registry.student", read=AuditEvent.Action.EXPORT)
@privacy_officer_required
def subject_access(request: HttpRequest, student_id: int) -> HttpResponse:
    report = _report(request, student_id, "html")
    return render(
        request,
        "privacy/subject_access.html",
        {
            "report": report,
            "student": report.student,
            "breadcrumbs": _breadcrumbs(
                {"label": _("Inzageverzoek"), "url": reverse("privacy:subject_access_lookup")},
                {"label": report.student.full_name, "url": ""},
            ),
        },
    )


def _filename(report, ext: str) -> str:
    return f"inzage-leerling-{report.student.pk}-{timezone.localdate():%Y%m%d}.{ext}"


@processing("inzageverzoek", kind="registry.student", read=AuditEvent.Action.EXPORT)
@privacy_officer_required
def subject_access_json(request: HttpRequest, student_id: int) -> HttpResponse:
    report = _report(request, student_id, "json")
    response = HttpResponse(
        json.dumps(report.as_json(), ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename(report, "json")}"'
    return response


@processing("inzageverzoek", kind="registry.student", read=AuditEvent.Action.EXPORT)
@privacy_officer_required
def subject_access_pdf_view(request: HttpRequest, student_id: int) -> HttpResponse:
    report = _report(request, student_id, "pdf")
    response = HttpResponse(subject_access_pdf(report), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{_filename(report, "pdf")}"'
    return response
