"""Entry pages: home (per role), student search and the student page."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from leerrecht.accounts.models import Role
from leerrecht.privacy.audit import audit_note, processing
from leerrecht.privacy.models import AuditEvent
from leerrecht.privacy.query import students_for_user
from leerrecht.web.selectors import student_search as student_search_select

_HOME_BY_ROLE = {
    Role.POLICY: "monitoring:dashboard",
    Role.PRIVACY_OFFICER: "privacy:audit_search",
    Role.OPERATOR: "beheer:index",
}


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Case workers land on their worklist, policy users on the dashboard (issue 9)."""
    target = _HOME_BY_ROLE.get(request.user.role, "cases:worklist")
    try:
        return redirect(reverse(target))
    except NoReverseMatch:
        return redirect(reverse("web:student_search"))


def health(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


@processing("zoeken", kind="registry.student", read=AuditEvent.Action.SEARCH)
@login_required
def student_search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    results = list(student_search_select(user=request.user, query=query)) if query else []
    if query:
        audit_note(
            request,
            action="search",
            object_type="registry.student",
            fields=["naam", "bsn", "geboortedatum"],
            children=[student.pk for student in results],
            detail=f"{len(results)} resultaten",
        )
    return render(
        request,
        "web/student_search.html",
        {
            "query": query,
            "results": results,
            "breadcrumbs": [{"label": _("Leerling zoeken"), "url": ""}],
        },
    )


@processing("leerlingdossier", kind="registry.student")
@login_required
def student_detail(request: HttpRequest, pk: int) -> HttpResponse:
    student = get_object_or_404(
        students_for_user(request.user).select_related("residence_municipality"), pk=pk
    )
    audit_note(
        request,
        action="read",
        subject_student_id=student.pk,
        obj=student,
        fields=["naam", "bsn", "geboortedatum", "inschrijvingen", "vrijstellingen", "ouders"],
    )
    from leerrecht.cases.query import cases_for_user, meldingen_for_user

    context = {
        "student": student,
        # Ways forward from the pupil: attendance and signals, meldingen, the case file.
        "meldingen": meldingen_for_user(request.user).filter(student=student)[:20],
        "cases": cases_for_user(request.user).filter(student=student).order_by("-opened_on"),
        "enrolments": student.enrolments.select_related("school").order_by("-start"),
        "exemptions": student.exemptions.order_by("-start"),
        "suspensions": student.suspensions.select_related("school").order_by("-start"),
        "guardians": student.guardians.all(),
        "breadcrumbs": [
            {"label": _("Leerling zoeken"), "url": reverse("web:student_search")},
            {"label": student.full_name, "url": ""},
        ],
    }
    return render(request, "web/student_detail.html", context)
