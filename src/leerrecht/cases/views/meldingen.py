"""Meldingen: the three doors (signal, sickness intake, DUO report), consent, DUO status,
and opening a case from a report."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

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
from leerrecht.cases.models import (
    DuoStatus,
    Melding,
    MeldingKind,
    SicknessReason,
)
from leerrecht.cases.query import (
    RedactedMelding,
    medical_notes_for_user,
    melding_get_for_user,
    meldingen_for_user,
)
from leerrecht.cases.selectors import (
    melding_report_again_on,
    open_case_of,
    protocol_of_student,
    student_current_school,
)
from leerrecht.cases.views._common import (
    CASES,
    MELDINGEN,
    crumbs,
    form_write,
    require_sees_children,
)
from leerrecht.cases.workflow import CaseError, consent_allows_case, route_default
from leerrecht.privacy.audit import audit_note, processing
from leerrecht.privacy.models import AuditEvent
from leerrecht.privacy.query import students_for_user, user_reads_medical_details
from leerrecht.web.pagination import paginate


@processing(MELDINGEN, kind="cases.melding")
@login_required
def melding_list(request: HttpRequest) -> HttpResponse:
    require_sees_children(request.user)
    from leerrecht.cases.query import melding_redact

    pages = paginate(
        request,
        meldingen_for_user(request.user).select_related("student").order_by("-reported_on", "-id"),
    )
    items = [melding_redact(request.user, m) for m in pages["page"].object_list]
    audit_note(
        request,
        action="read",
        object_type="cases.melding",
        fields=["student", "kind", "reported_on"],
        children=[item.student.pk for item in items],
        detail=f"{len(items)} meldingen",
    )
    return render(
        request,
        "cases/melding_list.html",
        {**pages, "items": items, "breadcrumbs": crumbs((_("Meldingen"), ""))},
    )


def _note_student_choices(request, students) -> None:
    """The form lists every child the user may report as a choice: those children were
    shown (docs/adr/0103)."""
    audit_note(
        request,
        children=students.values_list("pk", flat=True),
        detail="keuzelijst leerlingen in het formulier",
    )


def _initial_student(request, students):
    pk = request.GET.get("leerling", "")
    return students.filter(pk=pk).first() if pk.isdigit() else None


def _school_sector(user) -> str:
    org = user.organisation
    return getattr(org, "school_type", "") or ""


@processing(MELDINGEN, kind="cases.melding", write=AuditEvent.Action.CREATE)
@login_required
def melding_sickness_new(request: HttpRequest) -> HttpResponse:
    require_sees_children(request.user)
    students = students_for_user(request.user)
    today = timezone.localdate()
    if request.method == "POST":
        form = f.SicknessMeldingForm(
            request.POST, students=students, sector=_school_sector(request.user)
        )
        formset = f.SchoolActionFormSet(request.POST, prefix="acties")
        if form.is_valid() and formset.is_valid():
            data = form.cleaned_data
            medical = {k: data.pop(k) for k in form.MEDICAL_FIELDS}
            student = data.pop("student")
            hit = _signal_hit(str(data.pop("signal_hit_id") or ""))
            try:
                melding = services.melding_create_sickness(
                    user=request.user,
                    student=student,
                    signal_hit=hit if hit is not None and hit.student_id == student.pk else None,
                    school_actions=[r for r in formset.cleaned_data if r],
                    medical=medical,
                    **data,
                )
            except CaseError as exc:
                form.add_error(None, str(exc))
            else:
                audit_note(
                    request,
                    action="create",
                    subject_student_id=student.pk,
                    obj=melding,
                    fields=sorted(form.cleaned_data),
                )
                messages.success(request, _("De melding is opgeslagen."))
                return redirect("cases:melding_detail", pk=melding.pk)
    else:
        student = _initial_student(request, students)
        hit = _signal_hit(request.GET.get("hit", ""))
        if hit is not None:  # made from a sickness signal: the pupil and the link are known
            student = get_object_or_404(students, pk=hit.student_id)
        form = f.SicknessMeldingForm(
            students=students,
            sector=_school_sector(request.user),
            initial={
                "reported_on": today,
                "student": student,
                "signal_hit_id": hit.pk if hit is not None else None,
            },
        )
        formset = f.SchoolActionFormSet(prefix="acties")
    _note_student_choices(request, students)
    return render(
        request,
        "cases/melding_form.html",
        {
            "form": form,
            "formset": formset,
            "title": _("Aanmeldformulier ziekteverzuim"),
            "intro": _("Uitgangspunt is dat onderstaande informatie met ouders besproken is."),
            "breadcrumbs": crumbs(
                (_("Meldingen"), reverse("cases:melding_list")), (_("Ziekteverzuim"), "")
            ),
        },
    )


@processing(MELDINGEN, kind="cases.melding", write=AuditEvent.Action.CREATE)
@login_required
def melding_duo_new(request: HttpRequest) -> HttpResponse:
    require_sees_children(request.user)
    students = students_for_user(request.user)
    today = timezone.localdate()
    if request.method == "POST":
        form = f.DuoMeldingForm(request.POST, students=students)
        if form.is_valid():
            data = dict(form.cleaned_data)
            student = data.pop("student")
            _melder_from_user(data, request.user)
            try:
                melding = services.melding_create_duo(user=request.user, student=student, **data)
            except CaseError as exc:
                form.add_error(None, str(exc))
            else:
                audit_note(
                    request,
                    action="create",
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
                **_duo_initial(request, students),
            },
        )
    deadline = form.initial.get("report_deadline")
    _note_student_choices(request, students)
    return render(
        request,
        "cases/melding_form.html",
        {
            "form": form,
            "deadline": deadline,
            "title": _("Wettelijke verzuimmelding (DUO)"),
            "intro": _(
                "Ongeoorloofd verzuim: meer dan 16 uur in 4 weken, langdurig relatief verzuim, "
                "luxeverzuim of overig. Zolang het verzuim aanhoudt, meldt de school elke maand opnieuw."
            ),
            "breadcrumbs": crumbs(
                (_("Meldingen"), reverse("cases:melding_list")), (_("Verzuimmelding DUO"), "")
            ),
        },
    )


def _melder_from_user(data: dict, user) -> None:
    """The melder of a DUO melding is the signed-in user unless the form says otherwise."""
    data["reporter_name"] = data.get("reporter_name") or user.get_full_name() or user.username
    data["reporter_function"] = data.get("reporter_function") or str(user.get_role_display())
    data["reporter_email"] = data.get("reporter_email") or user.email


def _duo_initial(request: HttpRequest, students) -> dict:
    """Pre-fill a DUO melding from a signal (?hit=): pupil, kind, period, verzuimdagen and
    -uren from the imported attendance, the parents' telephone, the melder from the user."""
    from leerrecht.attendance.selectors import student_absence_window
    from leerrecht.cases.duo import duo_report_deadline

    user = request.user
    initial = {
        "reporter_name": user.get_full_name(),
        "reporter_function": str(user.get_role_display()),
        "reporter_email": user.email,
    }
    hit = _signal_hit(request.GET.get("hit", ""))
    if hit is None:
        return initial
    student = get_object_or_404(students, pk=hit.student_id)
    guardian = student.guardians.exclude(phone="").order_by("pk").first()
    initial.update(
        student=student,
        duo_kind="16_uur" if hit.signal == "unauthorised_16h_4w" else "overig",
        signal_first_date=hit.first_date,
        signal_hit_id=hit.pk,
        signal_id=hit.signal,
        contact_phone=guardian.phone if guardian else "",
        report_deadline=duo_report_deadline(hit.first_date),
    )
    window = student_absence_window(student=student, until=hit.first_date)
    if window is not None:
        initial.update(
            period_start=window.first_day,
            hours=window.unauthorised_hours,
            absence_days=window.absence_days,
            all_lessons_missed=window.all_lessons_missed,
        )
    elif (hit.details or {}).get("value") is not None:
        initial["hours"] = hit.details["value"]
    return initial


@processing(MELDINGEN, kind="cases.melding", read=AuditEvent.Action.EXPORT)
@login_required
def duo_export(request: HttpRequest) -> HttpResponse:
    """The school's DUO meldingen in the documented export layout (JSON or CSV): one melding
    (?melding=<pk>) or every DUO melding of the organisation (docs/duo-verzuimmelding.md)."""
    from leerrecht.cases.duo import (
        EXPORT_VERSION,
        duo_export_csv,
        duo_export_json,
        duo_export_records,
    )

    require_sees_children(request.user)
    meldingen = meldingen_for_user(request.user).filter(kind=MeldingKind.DUO)
    if request.user.organisation_id:
        meldingen = meldingen.filter(organisation_id=request.user.organisation_id)
    pk = request.GET.get("melding", "")
    if pk:
        meldingen = meldingen.filter(pk=int(pk) if pk.isdigit() else 0)
        if not meldingen.exists():
            raise Http404
    meldingen = meldingen.select_related("student", "organisation").order_by("pk")
    records = duo_export_records(meldingen)
    audit_note(
        request,
        action="export",
        object_type="cases.melding",
        object_id=pk,
        fields=["verzuimmelding DUO"],
        children=[m.student_id for m in meldingen],
        detail=f"DUO export v{EXPORT_VERSION}: " + ",".join(r["kenmerk"] for r in records)[:400],
    )
    as_csv = request.GET.get("formaat") == "csv"
    body = duo_export_csv(records) if as_csv else duo_export_json(records)
    name = f"verzuimmelding-{pk or 'alle'}.{'csv' if as_csv else 'json'}"
    response = HttpResponse(
        body, content_type="text/csv; charset=utf-8" if as_csv else "application/json"
    )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@processing(MELDINGEN, kind="cases.melding", write=AuditEvent.Action.IMPORT)
@login_required
def duo_feedback(request: HttpRequest) -> HttpResponse:
    """Upload the gemeente's answers (status, reden, toelichting, contact); idempotent."""
    from leerrecht.cases.duo import FeedbackInvalid, duo_feedback_import

    require_sees_children(request.user)
    problems = []
    form = f.DuoFeedbackForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        text = upload.read().decode("utf-8-sig", errors="replace")
        meldingen = meldingen_for_user(request.user)
        if request.user.organisation_id:
            meldingen = meldingen.filter(organisation_id=request.user.organisation_id)
        try:
            result = duo_feedback_import(meldingen=meldingen, text=text, name=upload.name)
        except FeedbackInvalid as exc:
            problems = exc.problems
            form.add_error(None, str(exc))
        else:
            audit_note(
                request,
                action="update",
                object_type="cases.melding",
                fields=["status", "reden afsluiten", "toelichting", "contactpersoon gemeente"],
                detail="DUO answers: updated "
                + ",".join(map(str, result.updated))
                + "; unchanged "
                + ",".join(map(str, result.unchanged)),
            )
            messages.success(
                request,
                _("%(u)d melding(en) bijgewerkt, %(n)d ongewijzigd.")
                % {"u": len(result.updated), "n": len(result.unchanged)},
            )
            return redirect("cases:melding_list")
    return render(
        request,
        "cases/duo_feedback.html",
        {
            "form": form,
            "problems": problems,
            "breadcrumbs": crumbs(
                (_("Meldingen"), reverse("cases:melding_list")), (_("Antwoord gemeente"), "")
            ),
        },
        status=400 if problems else 200,
    )


def _signal_hit(hit_id: str):
    """attendance.SignalHit when that app provides it (issue 3); else None."""
    from django.apps import apps

    try:
        model = apps.get_model("attendance", "SignalHit")
    except LookupError:
        return None
    return model.objects.filter(pk=hit_id).first() if hit_id.isdigit() else None


def _melding_door_for(hit) -> str | None:
    """The melding form a signal leads to under its preset (engine.presets LEADS_TO): the
    DUO verzuimmelding (seed 001, 1.2) or the sick-absence form (seed 004, route 1)."""
    if "report_duo" in hit.leads_to:
        return "cases:melding_duo_new"
    if "jgz" in hit.leads_to:
        return "cases:melding_sickness_new"
    return None


@processing(MELDINGEN, kind="cases.melding", write=AuditEvent.Action.CREATE)
@login_required
def melding_from_signal(request: HttpRequest) -> HttpResponse:
    """Door (a): one click from a signal; pre-filled with the signal and its window."""
    require_sees_children(request.user)
    params = request.POST if request.method == "POST" else request.GET
    students = students_for_user(request.user)
    hit = _signal_hit(params.get("hit", ""))
    if hit is not None and request.method != "POST":
        get_object_or_404(students, pk=hit.student_id)
        door = _melding_door_for(hit)
        if door is not None:  # the melding the protocol asks for, pre-filled
            return redirect(reverse(door) + "?" + urlencode({"hit": hit.pk}))
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
    existing = open_case_of(student)
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
            audit_note(
                request,
                action="create",
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
        audit_note(
            request,
            action="read",
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
            "breadcrumbs": crumbs(
                (_("Meldingen"), reverse("cases:melding_list")), (_("Melding uit signaal"), "")
            ),
        },
    )


def _melding_context(request, melding, *, consent_form=None, open_form=None, duo_form=None):
    user = request.user
    protocol = protocol_of_student(melding.student)
    consent = melding.consent
    can_open = melding.case_id is None and consent_allows_case(melding)
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
            student=melding.student,
            initial={
                "route": route_default(
                    protocol,
                    has_school=student_current_school(melding.student, on=timezone.localdate())
                    is not None,
                    sickness=melding.kind == MeldingKind.SICKNESS,
                ),
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
        "report_again_on": melding_report_again_on(melding, protocol),
        "today": timezone.localdate(),
        "existing_case": open_case_of(melding.student),
        "breadcrumbs": crumbs(
            (_("Meldingen"), reverse("cases:melding_list")), (str(melding.student), "")
        ),
    }


@processing(MELDINGEN, kind="cases.melding")
@login_required
def melding_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require_sees_children(request.user)
    melding = melding_get_for_user(request.user, pk)
    if isinstance(melding, RedactedMelding):
        audit_note(
            request,
            action="read",
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
                "breadcrumbs": crumbs((_("Meldingen"), reverse("cases:melding_list"))),
            },
        )
    audit_note(
        request,
        action="read",
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


@processing(MELDINGEN, kind="cases.melding", write=AuditEvent.Action.CREATE)
@login_required
@require_POST
def melding_consent(request: HttpRequest, pk: int) -> HttpResponse:
    require_sees_children(request.user)
    melding = _melding_for_write(request, pk)
    form = f.ConsentForm(request.POST, student=melding.student)
    if form.is_valid():
        try:
            services.consent_record(user=request.user, melding=melding, **form.cleaned_data)
        except CaseError as exc:
            form.add_error(None, str(exc))
        else:
            audit_note(
                request,
                action="create",
                subject_student_id=melding.student_id,
                obj=melding,
                fields=["consent"],
            )
            messages.success(request, _("De toestemming is vastgelegd."))
            return redirect("cases:melding_detail", pk=melding.pk)
    audit_note(
        request,
        action="create",
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


@processing(MELDINGEN, kind="cases.melding")
@login_required
@require_POST
def melding_duo_status(request: HttpRequest, pk: int) -> HttpResponse:
    require_sees_children(request.user)
    melding = _melding_for_write(request, pk)
    if melding.kind != MeldingKind.DUO:
        raise Http404
    form = f.DuoStatusForm(request.POST)
    status = form_write(
        form,
        lambda d: services.melding_duo_update(
            user=request.user,
            melding_id=melding.pk,
            expected_version=d["version"],
            duo_status=d["duo_status"],
            absence_continues=d["absence_continues"],
            period_end=d["period_end"],
        ),
    )
    if status is None:
        audit_note(
            request,
            action="update",
            subject_student_id=melding.student_id,
            obj=melding,
            fields=["duo_status", "absence_continues", "period_end"],
        )
        messages.success(request, _("De status is bijgewerkt."))
        return redirect("cases:melding_detail", pk=melding.pk)
    audit_note(
        request,
        action="update",
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
        status=status,
    )


@processing(CASES, kind="cases.melding", write=AuditEvent.Action.CREATE)
@login_required
@require_POST
def case_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Open a case from a melding (consent rule enforced by the service)."""
    require_sees_children(request.user)
    melding = _melding_for_write(request, pk)
    protocol = protocol_of_student(melding.student)
    form = f.CaseOpenForm(request.POST, protocol=protocol, student=melding.student)
    if form.is_valid():
        try:
            case, created = services.case_open(
                user=request.user, student=melding.student, melding=melding, **form.cleaned_data
            )
        except CaseError as exc:
            form.add_error(None, str(exc))
        else:
            audit_note(
                request,
                action="create" if created else "update",
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
    audit_note(
        request,
        action="create",
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
