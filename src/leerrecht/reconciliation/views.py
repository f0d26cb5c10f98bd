"""Web pages of reconciliation: upload, column mapping, compare (background job with progress),
result, review queue, absolute verzuim, tasks. Out-of-scope objects give 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from leerrecht.jobs.services import UserFacingError
from leerrecht.privacy.audit import audit_note, processing
from leerrecht.privacy.models import AuditEvent
from leerrecht.reconciliation import selectors, services
from leerrecht.reconciliation.forms import AbsoluteVerzuimForm, CompareForm, UploadForm
from leerrecht.reconciliation.matching.listio import ListError, fields_for
from leerrecht.reconciliation.models import AbsoluteVerzuimCandidate, ListImport, ListKind
from leerrecht.reconciliation.query import (
    av_candidates_for_user,
    av_runs_for_user,
    imports_for_user,
    proposals_for_user,
    reconciliations_for_user,
    user_may_reconcile,
)
from leerrecht.web.pagination import paginate

ACTIVITY = services.ACTIVITY


def _guard(request: HttpRequest) -> None:
    # Roles that may not reconcile get the same 404 as an out-of-scope id (issue 5).
    if not user_may_reconcile(request.user):
        raise Http404


def _crumbs(*extra):
    return [{"label": _("Lijsten vergelijken"), "url": reverse("reconciliation:home")}, *extra]


@processing(ACTIVITY, kind="reconciliation.listimport", write=AuditEvent.Action.CREATE)
@login_required
def home(request: HttpRequest) -> HttpResponse:
    _guard(request)
    imports = imports_for_user(request.user)
    lists = imports.filter(state=ListImport.State.IMPORTED, kind=ListKind.LIST)
    registers = imports.filter(state=ListImport.State.IMPORTED, kind=ListKind.REGISTER)
    upload = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and upload.is_valid():
        f = upload.cleaned_data["file"]
        try:
            li = services.list_upload(
                user=request.user,
                source_name=upload.cleaned_data["source_name"],
                source_kind=upload.cleaned_data["source_kind"],
                kind=upload.cleaned_data["kind"],
                filename=f.name,
                content=f.read(),
            )
        except UserFacingError as exc:
            upload.add_error("file", str(exc))
        else:
            return redirect("reconciliation:mapping", pk=li.pk)
    return render(
        request,
        "reconciliation/home.html",
        {
            "upload": upload,
            "compare": CompareForm(lists=lists),
            "av_form": AbsoluteVerzuimForm(registers=registers),
            "imports": imports[:50],
            "reconciliations": reconciliations_for_user(request.user).select_related(
                "list_a", "list_b", "job"
            )[:20],
            "av_runs": av_runs_for_user(request.user).select_related("register", "job")[:20],
            "breadcrumbs": _crumbs(),
        },
    )


@processing(ACTIVITY, kind="reconciliation.listimport", write=AuditEvent.Action.IMPORT)
@login_required
def mapping(request: HttpRequest, pk: int) -> HttpResponse:
    _guard(request)
    li = get_object_or_404(
        imports_for_user(request.user).filter(state=ListImport.State.UPLOADED), pk=pk
    )
    try:
        table, current, remembered = selectors.mapping_for_import(list_import=li)
    except ListError as exc:
        raise Http404 from exc
    errors = []
    if request.method == "POST":
        chosen = {f: request.POST.get(f, "") for f, _l, _s in fields_for(li.kind)}
        result = services.list_import_apply(user=request.user, list_import=li, mapping=chosen)
        if not result.errors:
            messages.success(
                request,
                _("%(n)s regels ingelezen uit %(file)s.")
                % {"n": li.row_count, "file": li.filename},
            )
            if result.problems:
                messages.warning(
                    request,
                    _(
                        "%(n)s problemen in %(file)s (bijvoorbeeld: %(first)s). "
                        "U ziet ze bij het resultaat van een vergelijking."
                    )
                    % {"n": len(result.problems), "file": li.filename, "first": result.problems[0]},
                )
            return redirect("reconciliation:home")
        errors, current = result.errors, {f: h for f, h in chosen.items() if h}
    else:
        audit_note(
            request,
            action=AuditEvent.Action.READ,
            obj=li,
            detail="voorbeeldregels",
        )
    fields = [
        {"name": f, "label": label, "selected": current.get(f, "")}
        for f, label, _s in fields_for(li.kind)
    ]
    return render(
        request,
        "reconciliation/mapping.html",
        {
            "list_import": li,
            "headers": table.headers,
            "sample": table.rows[:3],
            "fields": fields,
            "remembered": remembered,
            "errors": errors[:100],
            "error_count": len(errors),
            "breadcrumbs": _crumbs({"label": _("Kolommen koppelen"), "url": ""}),
        },
        status=400 if errors else 200,
    )


@processing(ACTIVITY, kind="reconciliation.reconciliation", write=AuditEvent.Action.CREATE)
@login_required
@require_POST
def compare(request: HttpRequest) -> HttpResponse:
    _guard(request)
    lists = imports_for_user(request.user).filter(
        state=ListImport.State.IMPORTED, kind=ListKind.LIST
    )
    form = CompareForm(request.POST, lists=lists)
    if not form.is_valid():
        messages.error(request, _("Kies twee ingelezen lijsten."))
        return redirect("reconciliation:home")
    try:
        rec = services.reconciliation_start(
            user=request.user,
            list_a=form.cleaned_data["list_a"],
            list_b=form.cleaned_data["list_b"],
        )
    except UserFacingError as exc:
        messages.error(request, str(exc))
        return redirect("reconciliation:home")
    return redirect("reconciliation:result", pk=rec.pk)


def _group_labels() -> tuple[str, ...]:
    """The tab names of selectors.RESULT_GROUPS (translated per request)."""
    return (
        _("Tegenstrijdige status"),
        _("Alleen in lijst A"),
        _("Alleen in lijst B"),
        _("Gekoppeld"),
    )


@processing(ACTIVITY, kind="reconciliation.reconciliation")
@login_required
def result(request: HttpRequest, pk: int) -> HttpResponse:
    _guard(request)
    rec = get_object_or_404(
        reconciliations_for_user(request.user).select_related("list_a", "list_b", "job"), pk=pk
    )
    done = rec.job is not None and rec.job.status == "done"
    groups = selectors.reconciliation_groups(reconciliation=rec) if done else None
    counts = {key: groups[key].count() for key in selectors.RESULT_GROUPS} if groups else {}
    group = request.GET.get("groep", "")
    if group not in selectors.RESULT_GROUPS:  # the first group with rows
        group = next((k for k in selectors.RESULT_GROUPS if counts.get(k)), "matched")
    pages = paginate(request, groups[group]) if groups else {}
    shown = list(pages["page"].object_list) if groups else []
    records = [r for p in shown for r in (p.record_a, p.record_b)] if "only" not in group else shown
    audit_note(
        request,
        action=AuditEvent.Action.READ,
        obj=rec,
        children=selectors.student_ids_of_records(records=records),
    )
    return render(
        request,
        "reconciliation/result.html",
        {
            "rec": rec,
            "groups": groups,
            "group": group,
            "shown": shown,
            "tabs": [
                (key, label, counts[key])
                for key, label in zip(selectors.RESULT_GROUPS, _group_labels(), strict=True)
            ]
            if groups
            else [],
            **pages,
            "breadcrumbs": _crumbs({"label": _("Resultaat"), "url": ""}),
        },
    )


@processing(ACTIVITY, kind="reconciliation.reconciliation")
@login_required
def review(request: HttpRequest, pk: int) -> HttpResponse:
    _guard(request)
    rec = get_object_or_404(
        reconciliations_for_user(request.user).select_related("list_a", "list_b"), pk=pk
    )
    if request.method == "POST":
        proposal = get_object_or_404(
            proposals_for_user(request.user).filter(reconciliation=rec),
            pk=request.POST.get("proposal"),
        )
        try:
            services.proposal_decide(
                user=request.user,
                proposal=proposal,
                confirm=request.POST.get("decision") == "confirm",
            )
        except UserFacingError as exc:
            messages.error(request, str(exc))
        return redirect("reconciliation:review", pk=rec.pk)
    pending = rec.proposals.filter(review="pending").select_related("record_a", "record_b")
    audit_note(
        request,
        action=AuditEvent.Action.READ,
        obj=rec,
        detail="beoordelingslijst",
    )
    return render(
        request,
        "reconciliation/review.html",
        {
            "rec": rec,
            "pending": pending,
            "breadcrumbs": _crumbs({"label": _("Beoordelen"), "url": ""}),
        },
    )


@processing(ACTIVITY, kind="reconciliation.absoluteverzuimrun", write=AuditEvent.Action.CREATE)
@login_required
@require_POST
def av_start(request: HttpRequest) -> HttpResponse:
    _guard(request)
    registers = imports_for_user(request.user).filter(
        state=ListImport.State.IMPORTED, kind=ListKind.REGISTER
    )
    form = AbsoluteVerzuimForm(request.POST, registers=registers)
    if not form.is_valid():
        messages.error(request, _("Kies een ingelezen uittreksel en een peildatum."))
        return redirect("reconciliation:home")
    run = services.absolute_verzuim_start(
        user=request.user,
        register=form.cleaned_data["register"],
        on=form.cleaned_data["reference_date"],
    )
    return redirect("reconciliation:av_result", pk=run.pk)


@processing(ACTIVITY, kind="reconciliation.absoluteverzuimrun")
@login_required
def av_result(request: HttpRequest, pk: int) -> HttpResponse:
    _guard(request)
    run = get_object_or_404(av_runs_for_user(request.user).select_related("register", "job"), pk=pk)
    if request.method == "POST":
        cand = get_object_or_404(
            av_candidates_for_user(request.user).filter(run=run), pk=request.POST.get("candidate")
        )
        try:
            services.av_candidate_decide(
                user=request.user, candidate=cand, confirm=request.POST.get("decision") == "confirm"
            )
        except UserFacingError as exc:
            messages.error(request, str(exc))
        return redirect("reconciliation:av_result", pk=run.pk)
    candidates = list(run.candidates.select_related("record"))
    audit_note(
        request,
        action=AuditEvent.Action.READ,
        obj=run,
        children=selectors.student_ids_of_records(records=[c.record for c in candidates]),
    )
    return render(
        request,
        "reconciliation/av_result.html",
        {
            "run": run,
            "kept": [c for c in candidates if c.kept],
            "problems": [
                {"file": run.register.filename, "line": line, "column": column, "reason": reason}
                for line, column, reason in (run.register.problems or [])
            ],
            "dropped": [c for c in candidates if not c.kept],
            "open_state": AbsoluteVerzuimCandidate.State.OPEN,
            "breadcrumbs": _crumbs({"label": _("Absoluut verzuim"), "url": ""}),
        },
    )


@processing(ACTIVITY, kind="reconciliation.reconciliationtask")
@login_required
def tasks(request: HttpRequest) -> HttpResponse:
    _guard(request)
    pages = paginate(
        request, selectors.reconciliation_tasks_for_user(request.user).select_related("record")
    )
    items = list(pages["page"].object_list)
    audit_note(
        request,
        action=AuditEvent.Action.READ,
        object_type="reconciliation.reconciliationtask",
        children=selectors.student_ids_of_records(records=[t.record for t in items]),
        detail="takenlijst",
    )
    return render(
        request,
        "reconciliation/tasks.html",
        {
            **pages,
            "tasks": items,
            "breadcrumbs": _crumbs({"label": _("Taken uit lijsten"), "url": ""}),
        },
    )
