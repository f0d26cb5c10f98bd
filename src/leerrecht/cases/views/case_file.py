"""The case page and everything written on it (items, plan action status, phase, status,
core fields). htmx swaps sections in place; every form also works as a plain POST."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from leerrecht.cases import forms as f
from leerrecht.cases import services
from leerrecht.cases.deadlines import case_protocol
from leerrecht.cases.models import (
    Case,
    PlanAction,
)
from leerrecht.cases.query import (
    RedactedCase,
    case_get_for_user,
    medical_notes_for_user,
)
from leerrecht.cases.selectors import (
    case_closure_suggested,
    case_is_stagnating,
    case_protocol_versions,
    case_schedule,
    case_timeline,
    student_current_school,
)
from leerrecht.cases.views._common import (
    CASES,
    crumbs,
    form_write,
    is_htmx,
    require_sees_children,
)
from leerrecht.cases.workflow import CaseError, transitions_from
from leerrecht.privacy.audit import audit_note, processing
from leerrecht.privacy.models import AuditEvent
from leerrecht.privacy.query import user_reads_medical_details

ITEM_KINDS = {
    "actie": (f.PlanActionForm, services.plan_action_add, "plan", _("Actie toevoegen")),
    "contact": (f.ContactForm, services.contact_add, "contacten", _("Contact vastleggen")),
    "stem": (f.VoiceForm, services.voice_add, "stem", _("Stem van leerling/ouders vastleggen")),
    "aanbod": (f.OfferForm, services.offer_add, "aanbod", _("Aanbod vastleggen")),
    "handhaving": (
        f.EnforcementForm,
        services.enforcement_step_add,
        "handhaving",
        _("Handhavingsstap vastleggen"),
    ),
    "opschaling": (
        f.EscalationForm,
        services.escalation_record_add,
        "opschaling",
        _("Opschalingsstap vastleggen"),
    ),
    "onderwijs": (
        f.EducationShareForm,
        services.education_share_add,
        "onderwijs",
        _("Percentage onderwijs vastleggen"),
    ),
    "wachtlijst": (
        f.WaitingListForm,
        services.waiting_list_add,
        "wachtlijsten",
        _("Wachtlijst vastleggen"),
    ),
    "betrokkene": (
        f.ParticipantForm,
        services.participant_add,
        "betrokkenen",
        _("Betrokkene toevoegen"),
    ),
    "medisch": (
        f.MedicalNoteForm,
        services.medical_note_add,
        "medisch",
        _("Medische notitie (alleen JGZ)"),
    ),
}


def _ladder(case: Case):
    return case_protocol(case).ladder_for(case.student.residence_municipality.cbs_code)


def _item_form(kind: str, case: Case, data=None):
    form_class = ITEM_KINDS[kind][0]
    today = timezone.localdate()
    initial = {
        name: today
        for name in (
            "occurred_on",
            "recorded_on",
            "offered_on",
            "taken_on",
            "measured_on",
            "since",
            "written_on",
        )
    }
    kwargs = {"ladder": _ladder(case)} if form_class is f.EscalationForm else {}
    return form_class(data, initial=initial, prefix=kind, **kwargs)


def _case_context(request, case: Case, *, bound: dict | None = None) -> dict:
    user = request.user
    today = timezone.localdate()
    protocol = case_protocol(case)
    route = protocol.route(case.route)
    schedule = case_schedule(case)
    bound = bound or {}
    item_forms = {
        kind: bound.get(kind) or _item_form(kind, case)
        for kind in ITEM_KINDS
        if kind != "medisch" or user_reads_medical_details(user)
    }
    open_items = [m for m in schedule if m.met_on is None]
    next_escalation = next((m for m in open_items if m.kind == "escalation"), None)
    step = route.step(case.phase)
    return {
        "case": case,
        "student": case.student,
        "school": student_current_school(case.student, on=today),
        "today": today,
        "protocol": protocol,
        "route": route,
        "step": step,
        "next_step": route.step_after(case.phase),
        "schedule": schedule,
        "next_deadline": open_items[0] if open_items else None,
        "next_escalation": next_escalation,
        "ladder": _ladder(case) if route.escalation else [],
        "stagnating": case_is_stagnating(case, today=today),
        "protocol_versions": case_protocol_versions(case, today=today),
        "protocol_apply_form": bound.get("protocol_apply")
        or f.ProtocolApplyForm(prefix="protocol", initial={"version": case.version}),
        "close_suggested": case_closure_suggested(case),
        "participants": case.participants.select_related("user", "organisation"),
        "plan_actions": case.plan_actions.all(),
        "contacts": case.contacts.select_related("recorded_by"),
        "voices": case.voices.all(),
        "offers": case.offers.all(),
        "enforcement": case.enforcement_steps.all(),
        "escalations": case.escalations.all(),
        "shares": case.education_shares.all(),
        "waiting_lists": case.waiting_lists.all(),
        "meldingen": case.meldingen.all(),
        "medical_notes": medical_notes_for_user(user, case=case),
        "reads_medical": user_reads_medical_details(user),
        "timeline": case_timeline(case)[:200],
        "item_forms": item_forms,
        "item_labels": {k: v[3] for k, v in ITEM_KINDS.items()},
        "phase_form": bound.get("phase")
        or f.PhaseForm(
            route=route,
            prefix="fase",
            initial={"version": case.version, "phase": case.phase, "on": today},
        ),
        "transition_form": bound.get("transition")
        or f.TransitionForm(prefix="status", initial={"version": case.version, "on": today}),
        "allowed_statuses": transitions_from(case.status),
        "action_status_choices": PlanAction.Status.choices,
        "breadcrumbs": crumbs(
            (_("Mijn werkvoorraad"), reverse("cases:worklist")), (case.student.full_name, "")
        ),
    }


def _case_for_user(request, pk) -> Case:
    case = case_get_for_user(request.user, pk)
    if isinstance(case, RedactedCase):
        raise PermissionDenied
    return case


@processing(CASES, kind="cases.case")
@login_required
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require_sees_children(request.user)
    case = case_get_for_user(request.user, pk)
    if isinstance(case, RedactedCase):
        audit_note(
            request,
            action="read",
            subject_student_id=case.student.pk,
            object_type="cases.case",
            object_id=str(case.pk),
            fields=["exists"],
            detail="inhoud afgeschermd: geen toestemming ouders",
        )
        return render(request, "cases/redacted.html", {"item": case})
    audit_note(
        request,
        action="read",
        subject_student_id=case.student_id,
        obj=case,
        fields=["case", "plan", "contacts", "timeline"],
    )
    return render(request, "cases/case_detail.html", _case_context(request, case))


def _respond_after_write(request, case: Case, section: str, *, bound=None, status=200):
    """htmx: the whole page (hx-select picks the section); plain POST: redirect or page."""
    if bound is None and not is_htmx(request):
        return redirect(reverse("cases:case_detail", args=[case.pk]) + f"#{section}")
    case.refresh_from_db()
    return render(
        request,
        "cases/case_detail.html",
        _case_context(request, case, bound=bound),
        status=200 if is_htmx(request) else status,
    )


@processing(CASES, kind="cases.case", write=AuditEvent.Action.CREATE)
@login_required
def case_item_add(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    require_sees_children(request.user)
    if kind not in ITEM_KINDS:
        raise Http404
    case = _case_for_user(request, pk)
    _form_class, service, section, label = ITEM_KINDS[kind]
    if request.method != "POST":
        audit_note(
            request,
            action="read",
            subject_student_id=case.student_id,
            obj=case,
            fields=[kind],
        )
        return render(
            request,
            "cases/form_page.html",
            {
                "form": _item_form(kind, case),
                "title": label,
                "case": case,
                "action": reverse("cases:case_item_add", args=[case.pk, kind]),
                "breadcrumbs": crumbs(
                    (case.student.full_name, reverse("cases:case_detail", args=[case.pk])),
                    (label, ""),
                ),
            },
        )
    form = _item_form(kind, case, request.POST)
    if form.is_valid():
        try:
            service(user=request.user, case_id=case.pk, **form.cleaned_data)
        except CaseError as exc:
            form.add_error(None, str(exc))
        else:
            audit_note(
                request,
                action="create",
                subject_student_id=case.student_id,
                obj=case,
                fields=[kind, *sorted(form.cleaned_data)],
            )
            if not is_htmx(request):
                messages.success(request, _("Opgeslagen."))
            return _respond_after_write(request, case, section)
    audit_note(
        request,
        action="create",
        subject_student_id=case.student_id,
        obj=case,
        fields=[kind],
        outcome="error",
    )
    return _respond_after_write(request, case, section, bound={kind: form}, status=400)


@processing(CASES, kind="cases.case")
@login_required
@require_POST
def plan_action_status(request: HttpRequest, pk: int, action_id: int) -> HttpResponse:
    require_sees_children(request.user)
    case = _case_for_user(request, pk)
    action = get_object_or_404(PlanAction, pk=action_id, case=case)
    form = f.PlanActionStatusForm(request.POST)
    outcome = "ok"
    if form.is_valid():
        try:
            services.plan_action_status_set(
                user=request.user,
                action_id=action.pk,
                expected_version=form.cleaned_data["version"],
                status=form.cleaned_data["status"],
            )
        except CaseError as exc:
            messages.error(request, str(exc))
            outcome = "error"
    else:
        messages.error(request, _("Kies een status."))
        outcome = "error"
    audit_note(
        request,
        action="update",
        subject_student_id=case.student_id,
        obj=action,
        fields=["status"],
        outcome=outcome,
    )
    return _respond_after_write(request, case, "plan")


@processing(CASES, kind="cases.case")
@login_required
@require_POST
def case_phase(request: HttpRequest, pk: int) -> HttpResponse:
    require_sees_children(request.user)
    case = _case_for_user(request, pk)
    form = f.PhaseForm(request.POST, prefix="fase", route=case_protocol(case).route(case.route))
    return _case_write(
        request,
        case,
        form,
        "phase",
        lambda d: services.case_phase_set(
            user=request.user,
            case_id=case.pk,
            expected_version=d["version"],
            phase=d["phase"],
            on=d["on"],
        ),
        fields=["phase"],
    )


@processing(CASES, kind="cases.case")
@login_required
@require_POST
def case_protocol_apply(request: HttpRequest, pk: int) -> HttpResponse:
    """ "De nieuwe regels toepassen": the explicit, audited move to the protocol version in
    force today (docs/adr/0190)."""
    require_sees_children(request.user)
    case = _case_for_user(request, pk)
    form = f.ProtocolApplyForm(request.POST, prefix="protocol")
    return _case_write(
        request,
        case,
        form,
        "protocol_apply",
        lambda d: services.case_protocol_apply(
            user=request.user, case_id=case.pk, expected_version=d["version"]
        ),
        fields=["protocolversie"],
    )


@processing(CASES, kind="cases.case")
@login_required
@require_POST
def case_transition(request: HttpRequest, pk: int) -> HttpResponse:
    require_sees_children(request.user)
    case = _case_for_user(request, pk)
    form = f.TransitionForm(request.POST, prefix="status")
    return _case_write(
        request,
        case,
        form,
        "transition",
        lambda d: services.case_transition(
            user=request.user,
            case_id=case.pk,
            expected_version=d["version"],
            to_status=d["to_status"],
            on=d["on"],
            reason=d["reason"],
            note=d["note"],
        ),
        fields=["status"],
    )


def _case_write(request, case, form, key, write, *, fields):
    status = form_write(form, write)
    if status is None:
        audit_note(
            request,
            action="update",
            subject_student_id=case.student_id,
            obj=case,
            fields=fields,
        )
        messages.success(request, _("Opgeslagen."))
        return redirect("cases:case_detail", pk=case.pk)
    audit_note(
        request,
        action="update",
        subject_student_id=case.student_id,
        obj=case,
        fields=fields,
        outcome="error",
        detail="; ".join(form.non_field_errors())[:400],
    )
    case.refresh_from_db()
    return render(
        request,
        "cases/case_detail.html",
        _case_context(request, case, bound={key: form}),
        status=status,
    )


@processing(CASES, kind="cases.case")
@login_required
def case_edit(request: HttpRequest, pk: int) -> HttpResponse:
    require_sees_children(request.user)
    case = _case_for_user(request, pk)
    status = 200
    if request.method == "POST":
        form = f.CaseEditForm(request.POST, instance=Case.objects.get(pk=case.pk))
        data: dict = {}

        def write(cleaned):
            data.update(cleaned)
            version = data.pop("version")
            services.case_update(
                user=request.user, case_id=case.pk, expected_version=version, **data
            )

        status = form_write(form, write)
        if status is None:
            audit_note(
                request,
                action="update",
                subject_student_id=case.student_id,
                obj=case,
                fields=sorted(data),
            )
            messages.success(request, _("De casusgegevens zijn opgeslagen."))
            return redirect("cases:case_detail", pk=case.pk)
        audit_note(
            request,
            action="update",
            subject_student_id=case.student_id,
            obj=case,
            fields=["case"],
            outcome="error",
        )
    else:
        form = f.CaseEditForm(instance=case)
        audit_note(
            request,
            action="read",
            subject_student_id=case.student_id,
            obj=case,
            fields=["case"],
        )
    return render(
        request,
        "cases/form_page.html",
        {
            "form": form,
            "title": _("Casusgegevens wijzigen"),
            "case": case,
            "action": reverse("cases:case_edit", args=[case.pk]),
            "breadcrumbs": crumbs(
                (case.student.full_name, reverse("cases:case_detail", args=[case.pk])),
                (_("Wijzigen"), ""),
            ),
        },
        status=status,
    )
