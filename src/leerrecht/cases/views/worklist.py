"""My worklist (what is due today), the daily digest setting, and the list of all cases."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from leerrecht.cases import forms as f
from leerrecht.cases.deadlines import protocol_current
from leerrecht.cases.query import (
    cases_for_user,
)
from leerrecht.cases.selectors import worklist_rows
from leerrecht.cases.views._common import (
    CASES,
    crumbs,
    require_sees_children,
)
from leerrecht.privacy.audit import audit_note, processing
from leerrecht.privacy.models import AuditEvent
from leerrecht.reconciliation.selectors import (
    reconciliation_tasks_for_user,
    student_ids_of_records,
)
from leerrecht.registry.models import Organisation
from leerrecht.web.pagination import paginate


@processing(CASES, kind="cases.case")
@login_required
def worklist(request: HttpRequest) -> HttpResponse:
    require_sees_children(request.user)
    today = timezone.localdate()
    school_id = request.GET.get("school") or ""
    phase = request.GET.get("fase", "")
    overdue_only = request.GET.get("te_laat") == "1"
    stagnating_only = request.GET.get("stagnerend") == "1"
    rows = worklist_rows(
        request.user,
        today=today,
        school_id=int(school_id) if school_id.isdigit() else None,
        phase=phase,
        overdue_only=overdue_only,
        stagnating_only=stagnating_only,
    )
    filtered = school_id or phase or overdue_only or stagnating_only
    all_rows = worklist_rows(request.user, today=today) if filtered else rows
    schools = sorted(
        Organisation.objects.filter(pk__in=all_rows.school_ids()), key=lambda s: s.name
    )
    protocol = protocol_current()
    phases = [(s.key, s.label) for r in protocol.routes.values() for s in r.steps]
    # Children found missing from the own registration by list reconciliation are
    # worklist tasks too; the entry names them as well as the case rows (ADR 0103).
    list_tasks = list(reconciliation_tasks_for_user(request.user).select_related("record")[:50])
    pages = paginate(request, rows)
    audit_note(
        request,
        action="read",
        object_type="cases.worklist",
        fields=["student", "deadlines"],
        children=[row.student.pk for row in pages["page"].object_list]
        + student_ids_of_records(records=[t.record for t in list_tasks]),
        detail=f"{len(pages['page'].object_list)} van {len(rows)} rijen",
    )
    return render(
        request,
        "cases/worklist.html",
        {
            **pages,
            "today": today,
            "schools": schools,
            "phases": phases,
            "filters": {
                "school": school_id,
                "fase": phase,
                "te_laat": overdue_only,
                "stagnerend": stagnating_only,
            },
            "list_tasks": list_tasks,
            "digest_form": f.DigestForm(
                initial={"wants_daily_digest": request.user.wants_daily_digest}
            ),
            "breadcrumbs": crumbs((_("Mijn werkvoorraad"), "")),
        },
    )


@processing(CASES, kind="accounts.user")
@login_required
@require_POST
def digest_settings(request: HttpRequest) -> HttpResponse:
    form = f.DigestForm(request.POST)
    if form.is_valid():
        request.user.wants_daily_digest = form.cleaned_data["wants_daily_digest"]
        request.user.save(update_fields=["wants_daily_digest"])
        messages.success(
            request,
            _("U krijgt elke ochtend een e-mail.")
            if request.user.wants_daily_digest
            else _("U krijgt geen dagelijkse e-mail meer."),
        )
    return redirect("cases:worklist")


@processing(CASES, kind="cases.case", read=AuditEvent.Action.SEARCH)
@login_required
def case_list(request: HttpRequest) -> HttpResponse:
    """All cases in the user's scope (redacted where the consent rule says so)."""
    require_sees_children(request.user)
    from leerrecht.cases.query import case_redact

    pages = paginate(
        request,
        cases_for_user(request.user)
        .select_related("student", "regiehouder")
        .order_by("-opened_on", "-id"),
    )
    items = [case_redact(request.user, c) for c in pages["page"].object_list]
    audit_note(
        request,
        action="read",
        object_type="cases.case",
        fields=["student", "status"],
        children=[item.student.pk for item in items],
        detail=f"{len(items)} casussen",
    )
    return render(
        request,
        "cases/case_list.html",
        {**pages, "items": items, "breadcrumbs": crumbs((_("Casussen"), ""))},
    )
