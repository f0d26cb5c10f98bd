"""Server-rendered pages of the case workflow. htmx swaps sections in place; every form
also works as a plain POST. Each view that touches personal data audits exactly once."""

from __future__ import annotations

import datetime as dt

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
from leerrecht.cases.deadlines import protocol_load
from leerrecht.cases.models import (
    Case,
    CaseStatus,
    ConsentStatus,
    DuoStatus,
    Melding,
    MeldingKind,
    PlanAction,
    SicknessReason,
)
from leerrecht.cases.query import (
    RedactedCase,
    RedactedMelding,
    case_get_for_user,
    cases_for_user,
    medical_notes_for_user,
    melding_get_for_user,
    meldingen_for_user,
)
from leerrecht.cases.selectors import (
    case_closure_suggested,
    case_is_stagnating,
    case_schedule,
    case_timeline,
    student_current_school,
    worklist_for_user,
)
from leerrecht.cases.services import CaseConflictError, CaseError, protocol_current
from leerrecht.privacy.query import students_for_user, user_reads_medical_details
from leerrecht.privacy.services import audit_record
from leerrecht.reconciliation.selectors import reconciliation_tasks_for_user

CASES = "casusbehandeling"
MELDINGEN = "verzuimmelding"


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _require_personal_data(user) -> None:
    # Roles without a person scope get the same 404 as an out-of-scope id (issue 5).
    if not user.sees_personal_data:
        raise Http404


def _crumbs(*items):
    return [{"label": label, "url": url} for label, url in items]


# --------------------------------------------------------------------------- worklist


@login_required
def worklist(request: HttpRequest) -> HttpResponse:
    _require_personal_data(request.user)
    today = timezone.localdate()
    school_id = request.GET.get("school") or ""
    phase = request.GET.get("fase", "")
    overdue_only = request.GET.get("te_laat") == "1"
    stagnating_only = request.GET.get("stagnerend") == "1"
    rows = worklist_for_user(
        request.user,
        today=today,
        school_id=int(school_id) if school_id.isdigit() else None,
        phase=phase,
        overdue_only=overdue_only,
        stagnating_only=stagnating_only,
    )
    all_rows = (
        rows
        if not (school_id or phase or overdue_only or stagnating_only)
        else (worklist_for_user(request.user, today=today))
    )
    schools = sorted({r.school for r in all_rows if r.school}, key=lambda s: s.name)
    protocol = protocol_current()
    phases = [(s.key, s.label) for r in protocol.routes.values() for s in r.steps]
    audit_record(
        actor=request.user,
        action="read",
        activity=CASES,
        object_type="cases.worklist",
        fields=["student", "deadlines"],
        detail=f"{len(rows)} rijen",
    )
    return render(
        request,
        "cases/worklist.html",
        {
            "rows": rows,
            "today": today,
            "schools": schools,
            "phases": phases,
            "filters": {
                "school": school_id,
                "fase": phase,
                "te_laat": overdue_only,
                "stagnerend": stagnating_only,
            },
            # Children found missing from the own registration by list reconciliation
            # (issue 7) are worklist tasks too.
            "list_tasks": list(reconciliation_tasks_for_user(request.user)[:50]),
            "digest_form": f.DigestForm(
                initial={"wants_daily_digest": request.user.wants_daily_digest}
            ),
            "breadcrumbs": _crumbs((_("Mijn werkvoorraad"), "")),
        },
    )


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


# --------------------------------------------------------------------------- meldingen


@login_required
def melding_list(request: HttpRequest) -> HttpResponse:
    _require_personal_data(request.user)
    from leerrecht.cases.query import melding_redact

    items = [
        melding_redact(request.user, m)
        for m in meldingen_for_user(request.user).order_by("-reported_on", "-id")[:200]
    ]
    audit_record(
        actor=request.user,
        action="read",
        activity=MELDINGEN,
        object_type="cases.melding",
        fields=["student", "kind", "reported_on"],
        detail=f"{len(items)} meldingen",
    )
    return render(
        request,
        "cases/melding_list.html",
        {"items": items, "breadcrumbs": _crumbs((_("Meldingen"), ""))},
    )


def _initial_student(request, students):
    pk = request.GET.get("leerling", "")
    return students.filter(pk=pk).first() if pk.isdigit() else None


@login_required
def melding_sickness_new(request: HttpRequest) -> HttpResponse:
    _require_personal_data(request.user)
    students = students_for_user(request.user)
    today = timezone.localdate()
    if request.method == "POST":
        form = f.SicknessMeldingForm(request.POST, students=students)
        formset = f.SchoolActionFormSet(request.POST, prefix="acties")
        if form.is_valid() and formset.is_valid():
            data = form.cleaned_data
            medical = {k: data.pop(k) for k in form.MEDICAL_FIELDS}
            student = data.pop("student")
            try:
                melding = services.melding_create_sickness(
                    user=request.user,
                    student=student,
                    school_actions=[r for r in formset.cleaned_data if r],
                    medical=medical,
                    **data,
                )
            except CaseError as exc:
                form.add_error(None, str(exc))
            else:
                audit_record(
                    actor=request.user,
                    action="create",
                    activity=MELDINGEN,
                    subject_student_id=student.pk,
                    obj=melding,
                    fields=sorted(form.cleaned_data),
                )
                messages.success(request, _("De melding is opgeslagen."))
                return redirect("cases:melding_detail", pk=melding.pk)
    else:
        student = _initial_student(request, students)
        form = f.SicknessMeldingForm(
            students=students,
            initial={"reported_on": today, "student": student},
        )
        formset = f.SchoolActionFormSet(prefix="acties")
    return render(
        request,
        "cases/melding_form.html",
        {
            "form": form,
            "formset": formset,
            "title": _("Aanmeldformulier ziekteverzuim"),
            "intro": _("Uitgangspunt is dat onderstaande informatie met ouders besproken is."),
            "breadcrumbs": _crumbs(
                (_("Meldingen"), reverse("cases:melding_list")), (_("Ziekteverzuim"), "")
            ),
        },
    )


@login_required
def melding_duo_new(request: HttpRequest) -> HttpResponse:
    _require_personal_data(request.user)
    students = students_for_user(request.user)
    today = timezone.localdate()
    if request.method == "POST":
        form = f.DuoMeldingForm(request.POST, students=students)
        if form.is_valid():
            data = dict(form.cleaned_data)
            student = data.pop("student")
            try:
                melding = services.melding_create_duo(user=request.user, student=student, **data)
            except CaseError as exc:
                form.add_error(None, str(exc))
            else:
                audit_record(
                    actor=request.user,
                    action="create",
                    activity=MELDINGEN,
                    subject_student_id=student.pk,
                    obj=melding,
                    fields=sorted(form.cleaned_data),
                )
                if melding.duo_status == DuoStatus.WITHDRAWN:
                    messages.warning(
                        request,
                        _("De melding overlapt met een vrijstelling en is op Ingetrokken gezet."),
                    )
                else:
                    messages.success(request, _("De verzuimmelding is opgeslagen."))
                return redirect("cases:melding_detail", pk=melding.pk)
    else:
        form = f.DuoMeldingForm(
            students=students,
            initial={
                "reported_on": today,
                "student": _initial_student(request, students),
                "absence_continues": True,
            },
        )
    return render(
        request,
        "cases/melding_form.html",
        {
            "form": form,
            "title": _("Wettelijke verzuimmelding (DUO)"),
            "intro": _(
                "Ongeoorloofd verzuim: meer dan 16 uur in 4 weken, langdurig relatief verzuim, "
                "luxeverzuim of overig. Zolang het verzuim aanhoudt, meldt de school elke maand opnieuw."
            ),
            "breadcrumbs": _crumbs(
                (_("Meldingen"), reverse("cases:melding_list")), (_("Verzuimmelding DUO"), "")
            ),
        },
    )


def _signal_hit(hit_id: str):
    """attendance.SignalHit when that app provides it (issue 3); else None."""
    from django.apps import apps

    try:
        model = apps.get_model("attendance", "SignalHit")
    except LookupError:
        return None
    return model.objects.filter(pk=hit_id).first() if hit_id.isdigit() else None


@login_required
def melding_from_signal(request: HttpRequest) -> HttpResponse:
    """Door (a): one click from a signal; pre-filled with the signal and its window."""
    _require_personal_data(request.user)
    params = request.POST if request.method == "POST" else request.GET
    students = students_for_user(request.user)
    hit = _signal_hit(params.get("hit", ""))
    if hit is not None:
        student = get_object_or_404(students, pk=hit.student_id)
        signal_id, first_date = hit.signal, hit.first_date
        window = dict(getattr(hit, "details", None) or {})
    else:
        pk = params.get("leerling", "")
        student = get_object_or_404(students, pk=pk) if pk.isdigit() else None
        if student is None:
            raise Http404
        signal_id = params.get("signaal", "")
        try:
            first_date = dt.date.fromisoformat(params.get("datum", ""))
        except ValueError:
            first_date = None
        window = {k[2:]: v for k, v in params.items() if k.startswith("w_")}
    existing = services.open_case_of(student)
    if request.method == "POST":
        form = f.SignalMeldingForm(request.POST)
        if form.is_valid():
            melding = services.melding_create_from_signal(
                user=request.user,
                student=student,
                signal_id=form.cleaned_data["signal_id"],
                first_date=form.cleaned_data["first_date"],
                window_summary=window,
                signal_hit_id=hit.pk if hit is not None else None,
                note=form.cleaned_data["note"],
            )
            audit_record(
                actor=request.user,
                action="create",
                activity=MELDINGEN,
                subject_student_id=student.pk,
                obj=melding,
                fields=["signal_id", "first_date", "window_summary"],
            )
            if melding.case_id:
                messages.info(
                    request,
                    _("Deze leerling heeft al een open casus; het signaal is daaraan toegevoegd."),
                )
                return redirect("cases:case_detail", pk=melding.case_id)
            messages.success(request, _("De melding is aangemaakt."))
            return redirect("cases:melding_detail", pk=melding.pk)
    else:
        form = f.SignalMeldingForm(initial={"signal_id": signal_id, "first_date": first_date})
        audit_record(
            actor=request.user,
            action="read",
            activity=MELDINGEN,
            subject_student_id=student.pk,
            object_type="registry.student",
            object_id=str(student.pk),
            fields=["signal", "window"],
        )
    return render(
        request,
        "cases/melding_signal.html",
        {
            "form": form,
            "student": student,
            "window": window,
            "hit": hit,
            "existing_case": existing,
            "params": {
                "leerling": student.pk,
                "hit": hit.pk if hit is not None else "",
            },
            "breadcrumbs": _crumbs(
                (_("Meldingen"), reverse("cases:melding_list")), (_("Melding uit signaal"), "")
            ),
        },
    )


def _melding_context(request, melding, *, consent_form=None, open_form=None, duo_form=None):
    user = request.user
    protocol = protocol_current()
    consent = melding.consent
    can_open = melding.case_id is None and (
        not melding.authorised_absence or (consent and consent.status == ConsentStatus.GIVEN)
    )
    return {
        "melding": melding,
        "consent": consent,
        "consents": melding.consents.select_related("asked_by", "guardian"),
        "reasons": [
            label for value, label in SicknessReason.choices if value in melding.sickness_reasons
        ],
        "school_actions": melding.school_actions.all(),
        "medical_notes": medical_notes_for_user(user, melding=melding),
        "reads_medical": user_reads_medical_details(user),
        "has_medical": melding.medical_notes.exists(),
        "consent_form": consent_form
        or f.ConsentForm(student=melding.student, initial={"asked_on": timezone.localdate()}),
        "can_open": can_open,
        "open_form": open_form
        or f.CaseOpenForm(
            protocol=protocol,
            initial={
                "route": protocol.default_route
                if student_current_school(melding.student, on=timezone.localdate())
                or "without_enrolment" not in protocol.routes
                else "without_enrolment",
                "anchor_date": melding.signal_first_date
                or melding.period_start
                or melding.reported_on,
                "regiehouder": user.organisation,
                "casusverantwoordelijke": user,
            },
        ),
        "duo_form": duo_form
        or f.DuoStatusForm(
            initial={
                "version": melding.version,
                "duo_status": melding.duo_status,
                "absence_continues": melding.absence_continues,
                "period_end": melding.period_end,
            }
        ),
        "report_again_on": services.report_again_due(melding, protocol),
        "today": timezone.localdate(),
        "existing_case": services.open_case_of(melding.student),
        "breadcrumbs": _crumbs(
            (_("Meldingen"), reverse("cases:melding_list")), (str(melding.student), "")
        ),
    }


@login_required
def melding_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require_personal_data(request.user)
    melding = melding_get_for_user(request.user, pk)
    if isinstance(melding, RedactedMelding):
        audit_record(
            actor=request.user,
            action="read",
            activity=MELDINGEN,
            subject_student_id=melding.student.pk,
            object_type="cases.melding",
            object_id=str(melding.pk),
            fields=["exists"],
            detail="inhoud afgeschermd: geen toestemming ouders",
        )
        return render(
            request,
            "cases/redacted.html",
            {
                "item": melding,
                "breadcrumbs": _crumbs((_("Meldingen"), reverse("cases:melding_list"))),
            },
        )
    audit_record(
        actor=request.user,
        action="read",
        activity=MELDINGEN,
        subject_student_id=melding.student_id,
        obj=melding,
        fields=["melding", "consent"],
    )
    return render(request, "cases/melding_detail.html", _melding_context(request, melding))


def _melding_for_write(request, pk) -> Melding:
    melding = melding_get_for_user(request.user, pk)
    if isinstance(melding, RedactedMelding):
        raise PermissionDenied
    return melding


@login_required
@require_POST
def melding_consent(request: HttpRequest, pk: int) -> HttpResponse:
    _require_personal_data(request.user)
    melding = _melding_for_write(request, pk)
    form = f.ConsentForm(request.POST, student=melding.student)
    if form.is_valid():
        try:
            services.consent_record(user=request.user, melding=melding, **form.cleaned_data)
        except CaseError as exc:
            form.add_error(None, str(exc))
        else:
            audit_record(
                actor=request.user,
                action="create",
                activity=MELDINGEN,
                subject_student_id=melding.student_id,
                obj=melding,
                fields=["consent"],
            )
            messages.success(request, _("De toestemming is vastgelegd."))
            return redirect("cases:melding_detail", pk=melding.pk)
    audit_record(
        actor=request.user,
        action="create",
        activity=MELDINGEN,
        subject_student_id=melding.student_id,
        obj=melding,
        fields=["consent"],
        outcome="error",
        detail="formulier onvolledig",
    )
    return render(
        request,
        "cases/melding_detail.html",
        _melding_context(request, melding, consent_form=form),
        status=400,
    )


@login_required
@require_POST
def melding_duo_status(request: HttpRequest, pk: int) -> HttpResponse:
    _require_personal_data(request.user)
    melding = _melding_for_write(request, pk)
    if melding.kind != MeldingKind.DUO:
        raise Http404
    form = f.DuoStatusForm(request.POST)
    if form.is_valid():
        try:
            services.melding_duo_update(
                user=request.user,
                melding_id=melding.pk,
                expected_version=form.cleaned_data["version"],
                duo_status=form.cleaned_data["duo_status"],
                absence_continues=form.cleaned_data["absence_continues"],
                period_end=form.cleaned_data["period_end"],
            )
        except CaseError as exc:
            form.add_error(None, str(exc))
        else:
            audit_record(
                actor=request.user,
                action="update",
                activity=MELDINGEN,
                subject_student_id=melding.student_id,
                obj=melding,
                fields=["duo_status", "absence_continues", "period_end"],
            )
            messages.success(request, _("De status is bijgewerkt."))
            return redirect("cases:melding_detail", pk=melding.pk)
    audit_record(
        actor=request.user,
        action="update",
        activity=MELDINGEN,
        subject_student_id=melding.student_id,
        obj=melding,
        fields=["duo_status"],
        outcome="error",
    )
    melding.refresh_from_db()
    return render(
        request,
        "cases/melding_detail.html",
        _melding_context(request, melding, duo_form=form),
        status=409 if any("intussen" in e for e in form.non_field_errors()) else 400,
    )


@login_required
@require_POST
def case_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Open a case from a melding (consent rule enforced by the service)."""
    _require_personal_data(request.user)
    melding = _melding_for_write(request, pk)
    protocol = protocol_current()
    form = f.CaseOpenForm(request.POST, protocol=protocol)
    if form.is_valid():
        try:
            case, created = services.case_open(
                user=request.user, student=melding.student, melding=melding, **form.cleaned_data
            )
        except CaseError as exc:
            form.add_error(None, str(exc))
        else:
            audit_record(
                actor=request.user,
                action="create" if created else "update",
                activity=CASES,
                subject_student_id=melding.student_id,
                obj=case,
                fields=sorted(form.cleaned_data),
            )
            if created:
                messages.success(request, _("De casus is geopend."))
            else:
                messages.info(
                    request,
                    _("Deze leerling had al een open casus; de melding is daaraan toegevoegd."),
                )
            return redirect("cases:case_detail", pk=case.pk)
    audit_record(
        actor=request.user,
        action="create",
        activity=CASES,
        subject_student_id=melding.student_id,
        obj=melding,
        fields=["case"],
        outcome="denied",
        detail="; ".join(form.non_field_errors())[:400],
    )
    return render(
        request,
        "cases/melding_detail.html",
        _melding_context(request, melding, open_form=form),
        status=400,
    )


# --------------------------------------------------------------------------- case file

# URL slug -> (form class, service, section id, label)
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
    return protocol_load(case.protocol).ladder_for(case.student.residence_municipality.cbs_code)


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
    protocol = protocol_load(case.protocol)
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
        "allowed_statuses": [
            (s, label)
            for s, label in CaseStatus.choices
            if s in services.ALLOWED_TRANSITIONS.get(case.status, ())
        ],
        "action_status_choices": PlanAction.Status.choices,
        "breadcrumbs": _crumbs(
            (_("Mijn werkvoorraad"), reverse("cases:worklist")), (case.student.full_name, "")
        ),
    }


def _case_for_user(request, pk) -> Case:
    case = case_get_for_user(request.user, pk)
    if isinstance(case, RedactedCase):
        raise PermissionDenied
    return case


@login_required
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require_personal_data(request.user)
    case = case_get_for_user(request.user, pk)
    if isinstance(case, RedactedCase):
        audit_record(
            actor=request.user,
            action="read",
            activity=CASES,
            subject_student_id=case.student.pk,
            object_type="cases.case",
            object_id=str(case.pk),
            fields=["exists"],
            detail="inhoud afgeschermd: geen toestemming ouders",
        )
        return render(request, "cases/redacted.html", {"item": case})
    audit_record(
        actor=request.user,
        action="read",
        activity=CASES,
        subject_student_id=case.student_id,
        obj=case,
        fields=["case", "plan", "contacts", "timeline"],
    )
    return render(request, "cases/case_detail.html", _case_context(request, case))


def _respond_after_write(request, case: Case, section: str, *, bound=None, status=200):
    """htmx: the whole page (hx-select picks the section); plain POST: redirect or page."""
    if bound is None and not _is_htmx(request):
        return redirect(reverse("cases:case_detail", args=[case.pk]) + f"#{section}")
    case.refresh_from_db()
    return render(
        request,
        "cases/case_detail.html",
        _case_context(request, case, bound=bound),
        status=200 if _is_htmx(request) else status,
    )


@login_required
def case_item_add(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    _require_personal_data(request.user)
    if kind not in ITEM_KINDS:
        raise Http404
    case = _case_for_user(request, pk)
    _form_class, service, section, label = ITEM_KINDS[kind]
    if request.method != "POST":
        audit_record(
            actor=request.user,
            action="read",
            activity=CASES,
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
                "breadcrumbs": _crumbs(
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
            audit_record(
                actor=request.user,
                action="create",
                activity=CASES,
                subject_student_id=case.student_id,
                obj=case,
                fields=[kind, *sorted(form.cleaned_data)],
            )
            if not _is_htmx(request):
                messages.success(request, _("Opgeslagen."))
            return _respond_after_write(request, case, section)
    audit_record(
        actor=request.user,
        action="create",
        activity=CASES,
        subject_student_id=case.student_id,
        obj=case,
        fields=[kind],
        outcome="error",
    )
    return _respond_after_write(request, case, section, bound={kind: form}, status=400)


@login_required
@require_POST
def plan_action_status(request: HttpRequest, pk: int, action_id: int) -> HttpResponse:
    _require_personal_data(request.user)
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
    audit_record(
        actor=request.user,
        action="update",
        activity=CASES,
        subject_student_id=case.student_id,
        obj=action,
        fields=["status"],
        outcome=outcome,
    )
    return _respond_after_write(request, case, "plan")


@login_required
@require_POST
def case_phase(request: HttpRequest, pk: int) -> HttpResponse:
    _require_personal_data(request.user)
    case = _case_for_user(request, pk)
    form = f.PhaseForm(
        request.POST, prefix="fase", route=protocol_load(case.protocol).route(case.route)
    )
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


@login_required
@require_POST
def case_transition(request: HttpRequest, pk: int) -> HttpResponse:
    _require_personal_data(request.user)
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
    status = 400
    if form.is_valid():
        try:
            write(form.cleaned_data)
        except CaseConflictError as exc:
            form.add_error(None, str(exc))
            status = 409
        except CaseError as exc:
            form.add_error(None, str(exc))
        else:
            audit_record(
                actor=request.user,
                action="update",
                activity=CASES,
                subject_student_id=case.student_id,
                obj=case,
                fields=fields,
            )
            messages.success(request, _("Opgeslagen."))
            return redirect("cases:case_detail", pk=case.pk)
    audit_record(
        actor=request.user,
        action="update",
        activity=CASES,
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


@login_required
def case_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _require_personal_data(request.user)
    case = _case_for_user(request, pk)
    status = 200
    if request.method == "POST":
        form = f.CaseEditForm(request.POST, instance=Case.objects.get(pk=case.pk))
        if form.is_valid():
            data = dict(form.cleaned_data)
            version = data.pop("version")
            try:
                services.case_update(
                    user=request.user, case_id=case.pk, expected_version=version, **data
                )
            except CaseConflictError as exc:
                form.add_error(None, str(exc))
                status = 409
            else:
                audit_record(
                    actor=request.user,
                    action="update",
                    activity=CASES,
                    subject_student_id=case.student_id,
                    obj=case,
                    fields=sorted(data),
                )
                messages.success(request, _("De casusgegevens zijn opgeslagen."))
                return redirect("cases:case_detail", pk=case.pk)
        else:
            status = 400
        audit_record(
            actor=request.user,
            action="update",
            activity=CASES,
            subject_student_id=case.student_id,
            obj=case,
            fields=["case"],
            outcome="error",
        )
    else:
        form = f.CaseEditForm(instance=case)
        audit_record(
            actor=request.user,
            action="read",
            activity=CASES,
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
            "breadcrumbs": _crumbs(
                (case.student.full_name, reverse("cases:case_detail", args=[case.pk])),
                (_("Wijzigen"), ""),
            ),
        },
        status=status,
    )


@login_required
def case_list(request: HttpRequest) -> HttpResponse:
    """All cases in the user's scope (redacted where the consent rule says so)."""
    _require_personal_data(request.user)
    from leerrecht.cases.query import case_redact

    items = [
        case_redact(request.user, c)
        for c in cases_for_user(request.user).order_by("-opened_on", "-id")[:300]
    ]
    audit_record(
        actor=request.user,
        action="read",
        activity=CASES,
        object_type="cases.case",
        fields=["student", "status"],
        detail=f"{len(items)} casussen",
    )
    return render(
        request,
        "cases/case_list.html",
        {"items": items, "breadcrumbs": _crumbs((_("Casussen"), ""))},
    )
