"""Write-side of the case workflow (issue 4).

Rules kept here:
* every change runs in `transaction.atomic()` and locks the case row
  (`select_for_update`); edits of existing rows compare an optimistic `version`, so two
  people editing the same case never silently overwrite each other (`CaseConflictError`);
* status changes follow `ALLOWED_TRANSITIONS`;
* every change appends exactly one `CaseEvent` through `case_event_record`;
* a report about a student with an open case is attached to that case;
* authorised absence needs the parents' consent before a case is opened (seed 000).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from leerrecht.cases.deadlines import Protocol, add_duration, protocol_load
from leerrecht.cases.models import (
    Case,
    CaseEvent,
    CaseParticipant,
    CaseStatus,
    ClosureReason,
    Consent,
    ConsentPurpose,
    ConsentStatus,
    Contact,
    DuoAbsenceKind,
    DuoStatus,
    EducationShare,
    EnforcementStep,
    EscalationRecord,
    MedicalNote,
    Melding,
    MeldingAction,
    MeldingKind,
    Offer,
    PlanAction,
    Voice,
    WaitingList,
)
from leerrecht.privacy.query import user_reads_medical_details
from leerrecht.registry.models import Exemption

CONFLICT_MESSAGE = gettext_lazy(
    "Iemand anders heeft deze casus intussen gewijzigd. Uw wijziging is niet opgeslagen: "
    "bekijk de nieuwe versie en voer uw wijziging zo nodig opnieuw in."
)

# Explicit state machine (issue 4.5). Reopening a closed case is allowed: a student can
# drop out again; the history shows both periods.
ALLOWED_TRANSITIONS: dict[str, frozenset[str]] = {
    CaseStatus.OPEN: frozenset({CaseStatus.ESCALATED, CaseStatus.ON_HOLD, CaseStatus.CLOSED}),
    CaseStatus.ESCALATED: frozenset({CaseStatus.OPEN, CaseStatus.ON_HOLD, CaseStatus.CLOSED}),
    CaseStatus.ON_HOLD: frozenset({CaseStatus.OPEN, CaseStatus.ESCALATED, CaseStatus.CLOSED}),
    CaseStatus.CLOSED: frozenset({CaseStatus.OPEN}),
}

# Signals about unauthorised absence (statutory/leerplicht reports); every other signal is
# about authorised absence (sickness, < 50%, 4 weeks away) and needs consent (seed 000).
UNAUTHORISED_SIGNALS = frozenset(
    {"unauthorised_16h_4w", "preventive_10h_4w", "late_9x", "thuiszitter_inspectie"}
)


class CaseError(Exception):
    """A problem the user can fix; the text is Dutch and shown as is."""


class CaseConflictError(CaseError):
    def __init__(self, message: str = "") -> None:
        super().__init__(message or str(CONFLICT_MESSAGE))


class CaseTransitionError(CaseError):
    pass


class ConsentRequiredError(CaseError):
    pass


def _today() -> dt.date:
    return timezone.localdate()


def protocol_current() -> Protocol:
    return protocol_load(settings.LEERRECHT_PROTOCOL)


# --------------------------------------------------------------------------- history


def case_event_record(
    *, case: Case, actor, kind: str, summary: str, data: dict | None = None
) -> CaseEvent:
    """THE one writer of case history. Also marks the case as active (stagnation)."""
    event = CaseEvent.objects.create(
        case=case,
        actor=actor if getattr(actor, "pk", None) else None,
        actor_name=(actor.get_full_name() or actor.username) if getattr(actor, "pk", None) else "",
        kind=kind,
        summary=summary[:500],
        data=data or {},
    )
    Case.objects.filter(pk=case.pk).update(last_activity_at=event.occurred_at)
    return event


def _lock(case_id: int, *, expected_version: int | None) -> Case:
    case = Case.objects.select_for_update().get(pk=case_id)
    if expected_version is not None and case.version != expected_version:
        raise CaseConflictError()
    return case


def _bump(case: Case, fields: Iterable[str] = ()) -> None:
    case.version += 1
    case.save(update_fields=["version", *fields])


def _lock_open(case_id: int) -> Case:
    case = _lock(case_id, expected_version=None)
    if case.status == CaseStatus.CLOSED:
        raise CaseError(_("Deze casus is afgesloten. Heropen de casus om iets toe te voegen."))
    return case


def _json(values: dict) -> dict:
    return {k: (v.isoformat() if isinstance(v, dt.date) else str(v)) for k, v in values.items()}


# --------------------------------------------------------------------------- meldingen


def open_case_of(student) -> Case | None:
    return Case.objects.filter(student=student).exclude(status=CaseStatus.CLOSED).first()


def _melding_attach_to_open_case(*, melding: Melding, user) -> Case | None:
    """A report about a student who already has an open case joins that case (4.6)."""
    case = open_case_of(melding.student)
    if case is None:
        return None
    melding.case = case
    melding.save(update_fields=["case"])
    case_event_record(
        case=case,
        actor=user,
        kind="melding_attached",
        summary=_("Nieuwe melding toegevoegd aan deze casus: %(kind)s van %(date)s")
        % {"kind": melding.get_kind_display(), "date": f"{melding.reported_on:%d-%m-%Y}"},
        data={"melding": melding.pk},
    )
    return case


@transaction.atomic
def melding_create_from_signal(
    *,
    user,
    student,
    signal_id: str,
    first_date: dt.date,
    window_summary: dict,
    signal_hit_id: int | None = None,
    reported_on: dt.date | None = None,
    note: str = "",
) -> Melding:
    """Door (a): one click from a signal, pre-filled with its window and absence overview."""
    melding = Melding.objects.create(
        kind=MeldingKind.SIGNAL,
        student=student,
        reported_by=user,
        organisation=user.organisation,
        reported_on=reported_on or _today(),
        authorised_absence=signal_id not in UNAUTHORISED_SIGNALS,
        signal_id=signal_id,
        signal_first_date=first_date,
        signal_hit_id=signal_hit_id,
        window_summary=window_summary or {},
        period_start=first_date,
        note=note,
    )
    _melding_attach_to_open_case(melding=melding, user=user)
    return melding


@transaction.atomic
def melding_create_sickness(
    *,
    user,
    student,
    reported_on: dt.date,
    reasons: list[str],
    school_group: str = "",
    teacher: str = "",
    discussed_with_parents: bool = False,
    q1_earlier_reports: str = "",
    q2_parents_reason: str = "",
    q4_worries: str = "",
    q5_neighbourhood_team: bool | None = None,
    q6_other_absence: str = "",
    q6_leerplicht_involved: bool | None = None,
    school_actions: list[dict] | None = None,
    medical: dict | None = None,
    note: str = "",
) -> Melding:
    """Door (b): the sickness intake form of seed 000, Afbeelding 1, field for field."""
    if not reasons:
        raise CaseError(_("Kruis ten minste één reden van aanmelding aan."))
    melding = Melding.objects.create(
        kind=MeldingKind.SICKNESS,
        student=student,
        reported_by=user,
        organisation=user.organisation,
        reported_on=reported_on,
        authorised_absence=True,
        school_group=school_group,
        teacher=teacher,
        discussed_with_parents=discussed_with_parents,
        sickness_reasons=sorted(set(reasons)),
        q1_earlier_reports=q1_earlier_reports,
        q2_parents_reason=q2_parents_reason,
        q4_worries=q4_worries,
        q5_neighbourhood_team=q5_neighbourhood_team,
        q6_other_absence=q6_other_absence,
        q6_leerplicht_involved=q6_leerplicht_involved,
        note=note,
    )
    for row in school_actions or []:
        if row.get("action"):
            MeldingAction.objects.create(
                melding=melding,
                taken_on=row["taken_on"],
                action=row["action"],
                result=row.get("result", ""),
            )
    medical = {k: v for k, v in (medical or {}).items() if v not in (None, "")}
    if medical:
        # Question 3 is medical: stored apart, read only by JGZ (seed 000, casus 2).
        MedicalNote.objects.create(
            student=student,
            melding=melding,
            written_by=user,
            written_on=reported_on,
            under_care=medical.get("under_care"),
            care_provider=medical.get("care_provider", ""),
            diagnosis_known=medical.get("diagnosis_known"),
            diagnosis=medical.get("diagnosis", ""),
        )
    _melding_attach_to_open_case(melding=melding, user=user)
    return melding


def _exempt_during(student, start: dt.date, end: dt.date | None) -> bool:
    end = end or start
    return Exemption.objects.filter(student=student, start__lte=end).exclude(end__lt=start).exists()


@transaction.atomic
def melding_create_duo(
    *,
    user,
    student,
    duo_kind: str,
    reported_on: dt.date,
    period_start: dt.date,
    period_end: dt.date | None = None,
    hours=None,
    absence_continues: bool = True,
    note: str = "",
) -> Melding:
    """Door (c): statutory unauthorised-absence report with DUO's verzuimsoort.

    A report that overlaps an exemption is set to Ingetrokken (duo.nl)."""
    if duo_kind not in DuoAbsenceKind.values:
        raise CaseError(_("Kies een verzuimsoort."))
    if period_end and period_end < period_start:
        raise CaseError(_("De einddatum van het verzuim ligt voor de begindatum."))
    status = DuoStatus.REGISTERED
    if _exempt_during(student, period_start, period_end):
        status = DuoStatus.WITHDRAWN
        note = (note + "\n" if note else "") + _("Ingetrokken: overlapt met een vrijstelling.")
    melding = Melding.objects.create(
        kind=MeldingKind.DUO,
        student=student,
        reported_by=user,
        organisation=user.organisation,
        reported_on=reported_on,
        authorised_absence=False,
        duo_kind=duo_kind,
        duo_status=status,
        period_start=period_start,
        period_end=period_end,
        hours=hours,
        absence_continues=absence_continues and status != DuoStatus.WITHDRAWN,
        note=note,
    )
    _melding_attach_to_open_case(melding=melding, user=user)
    return melding


@transaction.atomic
def melding_duo_update(
    *,
    user,
    melding_id: int,
    expected_version: int,
    duo_status: str,
    absence_continues: bool,
    period_end: dt.date | None = None,
) -> Melding:
    melding = Melding.objects.select_for_update().get(pk=melding_id, kind=MeldingKind.DUO)
    if melding.version != expected_version:
        raise CaseConflictError(
            _("Iemand anders heeft deze melding intussen gewijzigd. Bekijk de nieuwe versie.")
        )
    if duo_status not in DuoStatus.values:
        raise CaseError(_("Onbekende status."))
    if (
        melding.duo_kind == DuoAbsenceKind.LRV
        and duo_status == DuoStatus.CLOSED
        and not (period_end or melding.period_end)
    ):
        raise CaseError(_("Een melding langdurig relatief verzuim heeft een einddatum nodig."))
    melding.duo_status = duo_status
    melding.absence_continues = absence_continues and duo_status in (
        DuoStatus.REGISTERED,
        DuoStatus.IN_PROGRESS,
    )
    if period_end:
        melding.period_end = period_end
    melding.version += 1
    melding.save()
    if melding.case_id:
        case_event_record(
            case=melding.case,
            actor=user,
            kind="melding_updated",
            summary=_("DUO-melding bijgewerkt: %(status)s")
            % {"status": melding.get_duo_status_display()},
            data={"melding": melding.pk, "status": duo_status},
        )
    return melding


@transaction.atomic
def consent_record(
    *,
    user,
    melding: Melding,
    status: str,
    asked_on: dt.date,
    purposes: list[str],
    guardian=None,
    parent_name: str = "",
    decided_on: dt.date | None = None,
    discussed: str = "",
) -> Consent:
    """Record who asked, when, the answer, which parent, and for what sharing."""
    if status not in ConsentStatus.values:
        raise CaseError(_("Onbekende status van de toestemming."))
    unknown = [p for p in purposes if p not in ConsentPurpose.values]
    if unknown or not purposes:
        raise CaseError(_("Kies waarvoor toestemming is gevraagd."))
    if status != ConsentStatus.PENDING and guardian is None and not parent_name:
        raise CaseError(_("Vul in welke ouder/verzorger heeft geantwoord."))
    consent = Consent.objects.create(
        melding=melding,
        asked_by=user,
        asked_on=asked_on,
        status=status,
        guardian=guardian,
        parent_name=parent_name or (guardian.name if guardian else ""),
        purposes=sorted(set(purposes)),
        decided_on=decided_on or (asked_on if status != ConsentStatus.PENDING else None),
        discussed=discussed,
    )
    if melding.case_id:
        case_event_record(
            case=melding.case,
            actor=user,
            kind="consent",
            summary=_("Toestemming ouders: %(status)s") % {"status": consent.get_status_display()},
            data={"consent": consent.pk, "status": status, "purposes": consent.purposes},
        )
    return consent


# --------------------------------------------------------------------------- cases


def _initial_phase(protocol: Protocol, route_key: str) -> str:
    route = protocol.route(route_key)
    # Haaglanden: phase 1 is prevention for everyone; a case starts at the signal (phase 2).
    if route.steps[0].due is None and len(route.steps) > 1 and route.steps[0].key == "phase_1":
        return route.steps[1].key
    return route.steps[0].key


@transaction.atomic
def case_open(
    *,
    user,
    student,
    anchor_date: dt.date,
    regiehouder,
    casusverantwoordelijke,
    melding: Melding | None = None,
    procesregisseur=None,
    route: str | None = None,
    opened_on: dt.date | None = None,
    protocol_name: str | None = None,
) -> tuple[Case, bool]:
    """Open a case (or attach to the open one). Returns (case, created)."""
    if melding is not None and melding.student_id != student.pk:
        raise CaseError(_("Deze melding hoort bij een andere leerling."))
    if melding is not None and melding.authorised_absence:
        consent = melding.consent
        if consent is None or consent.status != ConsentStatus.GIVEN:
            # seed 000, casus 1: "als ouders niet akkoord gaan, doet de leerrechtorganisatie niets"
            raise ConsentRequiredError(
                _(
                    "Er is (nog) geen toestemming van ouders. Bij geoorloofd verzuim wordt "
                    "zonder toestemming geen casus gestart."
                )
            )
    existing = open_case_of(student)
    if existing is not None:
        if melding is not None and melding.case_id != existing.pk:
            melding.case = existing
            melding.save(update_fields=["case"])
            case_event_record(
                case=existing,
                actor=user,
                kind="melding_attached",
                summary=_("Melding toegevoegd aan de lopende casus"),
                data={"melding": melding.pk},
            )
        return existing, False
    protocol = protocol_load(protocol_name) if protocol_name else protocol_current()
    route_key = route or protocol.default_route
    protocol.route(route_key)  # validates
    opened_on = opened_on or _today()
    try:
        with transaction.atomic():
            case = Case.objects.create(
                student=student,
                protocol=protocol.name,
                route=route_key,
                phase=_initial_phase(protocol, route_key),
                phase_since=opened_on,
                anchor_date=anchor_date,
                opened_on=opened_on,
                authorised_absence=bool(melding and melding.authorised_absence),
                regiehouder=regiehouder,
                casusverantwoordelijke=casusverantwoordelijke,
                procesregisseur=procesregisseur,
                last_activity_at=timezone.now(),
            )
    except IntegrityError:
        # Someone opened a case for this student at the same moment.
        raise CaseConflictError(
            _("Voor deze leerling is intussen al een casus geopend. Ga naar die casus.")
        ) from None
    for person, role in (
        (casusverantwoordelijke, _("casusverantwoordelijke")),
        (procesregisseur, _("procesregisseur")),
        (user, _("geopend door")),
    ):
        if person is not None and not case.participants.filter(user=person).exists():
            CaseParticipant.objects.create(
                case=case,
                user=person,
                organisation=person.organisation,
                role=str(role),
                added_on=opened_on,
            )
    if melding is not None:
        melding.case = case
        melding.save(update_fields=["case"])
    case_event_record(
        case=case,
        actor=user,
        kind="opened",
        summary=_("Casus geopend (route: %(route)s)") % {"route": protocol.route(route_key).title},
        data={"melding": melding.pk if melding else None, "anchor": anchor_date.isoformat()},
    )
    return case, True


CASE_EDITABLE_FIELDS = (
    "regiehouder",
    "casusverantwoordelijke",
    "procesregisseur",
    "cause",
    "cause_note",
    "daytime_activity",
    "stagnation_cause",
    "anchor_date",
)


@transaction.atomic
def case_update(*, user, case_id: int, expected_version: int, **changes) -> Case:
    """Change the case's core fields; a stale version raises CaseConflictError."""
    unknown = set(changes) - set(CASE_EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    case = _lock(case_id, expected_version=expected_version)
    changed = {}
    for field, value in changes.items():
        old = getattr(case, field)
        if old != value:
            changed[field] = {"old": str(old or ""), "new": str(value or "")}
            setattr(case, field, value)
    if not changed:
        return case
    _bump(case, changed.keys())
    labels = ", ".join(str(Case._meta.get_field(f).verbose_name) for f in changed)
    case_event_record(
        case=case,
        actor=user,
        kind="updated",
        summary=_("Casusgegevens gewijzigd: %(fields)s") % {"fields": labels},
        data=changed,
    )
    participant = changes.get("casusverantwoordelijke") or changes.get("procesregisseur")
    if participant is not None:
        CaseParticipant.objects.get_or_create(
            case=case,
            user=participant,
            defaults={
                "organisation": participant.organisation,
                "role": str(_("casusverantwoordelijke")),
                "added_on": _today(),
            },
        )
    return case


@transaction.atomic
def case_phase_set(
    *, user, case_id: int, expected_version: int, phase: str, on: dt.date | None = None
) -> Case:
    case = _lock(case_id, expected_version=expected_version)
    route = protocol_load(case.protocol).route(case.route)
    step = route.step(phase)
    if step is None:
        raise CaseError(_("Deze stap hoort niet bij de route van deze casus."))
    if case.status == CaseStatus.CLOSED:
        raise CaseError(_("Deze casus is afgesloten."))
    old = case.phase
    case.phase, case.phase_since = phase, on or _today()
    _bump(case, ["phase", "phase_since"])
    case_event_record(
        case=case,
        actor=user,
        kind="phase",
        summary=_("Naar %(step)s") % {"step": step.label},
        data={"old": old, "new": phase, "since": case.phase_since.isoformat()},
    )
    return case


@transaction.atomic
def case_transition(
    *,
    user,
    case_id: int,
    expected_version: int,
    to_status: str,
    on: dt.date | None = None,
    reason: str = "",
    note: str = "",
) -> Case:
    """Move the case along ALLOWED_TRANSITIONS (closing needs a reason)."""
    case = _lock(case_id, expected_version=expected_version)
    allowed = ALLOWED_TRANSITIONS.get(case.status, frozenset())
    if to_status not in allowed:
        raise CaseTransitionError(
            _("Van '%(old)s' naar '%(new)s' is niet toegestaan.")
            % {
                "old": case.get_status_display(),
                "new": dict(CaseStatus.choices).get(to_status, to_status),
            }
        )
    fields = ["status"]
    old = case.status
    if to_status == CaseStatus.CLOSED:
        if reason not in ClosureReason.values:
            raise CaseError(_("Kies een reden van afsluiting."))
        case.closed_on, case.closure_reason, case.closure_note = on or _today(), reason, note
        fields += ["closed_on", "closure_reason", "closure_note"]
    elif old == CaseStatus.CLOSED:
        if open_case_of(case.student) is not None:
            raise CaseTransitionError(_("Deze leerling heeft al een andere open casus."))
        case.closed_on, case.closure_reason, case.closure_note = None, "", ""
        fields += ["closed_on", "closure_reason", "closure_note"]
    case.status = to_status
    _bump(case, fields)
    summary = _("Status: %(old)s → %(new)s") % {
        "old": dict(CaseStatus.choices)[old],
        "new": case.get_status_display(),
    }
    if to_status == CaseStatus.CLOSED:
        summary += f" ({case.get_closure_reason_display()})"
    case_event_record(
        case=case,
        actor=user,
        kind="status",
        summary=summary,
        data={"old": old, "new": to_status, "reason": reason, "note": note},
    )
    return case


# --------------------------------------------------------------------------- case file


def _added(case: Case, user, kind: str, summary: str, obj) -> None:
    case_event_record(
        case=case, actor=user, kind=kind, summary=summary, data={"id": obj.pk, "type": kind}
    )


@transaction.atomic
def plan_action_add(*, user, case_id: int, who: str, what: str, due_on: dt.date) -> PlanAction:
    case = _lock_open(case_id)
    action = PlanAction.objects.create(
        case=case, who=who, what=what, due_on=due_on, created_on=_today()
    )
    _added(
        case,
        user,
        "plan_action",
        _("Actie afgesproken: %(who)s - %(what)s (uiterlijk %(due)s)")
        % {"who": who, "what": what, "due": f"{due_on:%d-%m-%Y}"},
        action,
    )
    return action


@transaction.atomic
def plan_action_status_set(
    *, user, action_id: int, expected_version: int, status: str, done_on: dt.date | None = None
) -> PlanAction:
    action = PlanAction.objects.select_for_update().get(pk=action_id)
    _lock_open(action.case_id)
    if action.version != expected_version:
        raise CaseConflictError()
    if status not in PlanAction.Status.values:
        raise CaseError(_("Onbekende status."))
    action.status = status
    action.done_on = (done_on or _today()) if status == PlanAction.Status.DONE else None
    action.version += 1
    action.save()
    case_event_record(
        case=action.case,
        actor=user,
        kind="plan_action_status",
        summary=_("Actie '%(what)s': %(status)s")
        % {"what": action.what, "status": action.get_status_display()},
        data={"id": action.pk, "status": status},
    )
    return action


@transaction.atomic
def contact_add(
    *,
    user,
    case_id: int,
    kind: str,
    occurred_on: dt.date,
    participants: str = "",
    with_student: bool = False,
    with_parents: bool = False,
    summary: str = "",
    outcome: str = "",
) -> Contact:
    case = _lock_open(case_id)
    contact = Contact.objects.create(
        case=case,
        kind=kind,
        occurred_on=occurred_on,
        participants=participants,
        with_student=with_student,
        with_parents=with_parents,
        summary=summary,
        outcome=outcome,
        recorded_by=user,
    )
    _added(
        case,
        user,
        "contact",
        _("%(kind)s op %(date)s vastgelegd")
        % {"kind": contact.get_kind_display().capitalize(), "date": f"{occurred_on:%d-%m-%Y}"},
        contact,
    )
    return contact


@transaction.atomic
def voice_add(*, user, case_id: int, who: str, recorded_on: dt.date, text: str) -> Voice:
    case = _lock_open(case_id)
    voice = Voice.objects.create(case=case, who=who, recorded_on=recorded_on, text=text)
    _added(
        case,
        user,
        "voice",
        _("Stem van %(who)s vastgelegd") % {"who": voice.get_who_display()},
        voice,
    )
    return voice


@transaction.atomic
def offer_add(
    *,
    user,
    case_id: int,
    kind: str,
    offered_on: dt.date,
    description: str = "",
    child_suitable: str = "unknown",
    parents_suitable: str = "unknown",
) -> Offer:
    case = _lock_open(case_id)
    offer = Offer.objects.create(
        case=case,
        kind=kind,
        offered_on=offered_on,
        description=description,
        child_suitable=child_suitable,
        parents_suitable=parents_suitable,
    )
    _added(
        case,
        user,
        "offer",
        _("Aanbod: %(kind)s (%(date)s)")
        % {"kind": offer.get_kind_display(), "date": f"{offered_on:%d-%m-%Y}"},
        offer,
    )
    return offer


@transaction.atomic
def enforcement_step_add(
    *, user, case_id: int, route: str, taken_on: dt.date, note: str = ""
) -> EnforcementStep:
    case = _lock_open(case_id)
    step = EnforcementStep.objects.create(case=case, route=route, taken_on=taken_on, note=note)
    _added(
        case,
        user,
        "enforcement",
        _("Handhaving: %(route)s") % {"route": step.get_route_display()},
        step,
    )
    return step


@transaction.atomic
def escalation_record_add(
    *, user, case_id: int, step: str, taken_on: dt.date, outcome: str = ""
) -> EscalationRecord:
    case = _lock_open(case_id)
    protocol = protocol_load(case.protocol)
    ladder = {s.key: s for s in protocol.ladder_for(case.student.residence_municipality.cbs_code)}
    if step not in ladder:
        raise CaseError(_("Deze opschalingsstap geldt niet voor de gemeente van deze leerling."))
    if case.escalations.filter(step=step).exists():
        raise CaseError(_("Deze opschalingsstap is al vastgelegd."))
    record = EscalationRecord.objects.create(
        case=case, step=step, taken_on=taken_on, outcome=outcome
    )
    if case.status == CaseStatus.OPEN:
        case.status = CaseStatus.ESCALATED
        _bump(case, ["status"])
    _added(
        case, user, "escalation", _("Opgeschaald: %(step)s") % {"step": ladder[step].label}, record
    )
    return record


@transaction.atomic
def education_share_add(
    *, user, case_id: int, measured_on: dt.date, percentage: int, note: str = ""
) -> EducationShare:
    if not 0 <= percentage <= 100:
        raise CaseError(_("Een percentage ligt tussen 0 en 100."))
    case = _lock_open(case_id)
    share = EducationShare.objects.create(
        case=case, measured_on=measured_on, percentage=percentage, note=note
    )
    _added(
        case,
        user,
        "education_share",
        _("Volgt %(pct)s%% van het onderwijs (%(date)s)")
        % {"pct": percentage, "date": f"{measured_on:%d-%m-%Y}"},
        share,
    )
    return share


@transaction.atomic
def waiting_list_add(
    *, user, case_id: int, kind: str, provider: str, since: dt.date, ended_on=None
) -> WaitingList:
    case = _lock_open(case_id)
    item = WaitingList.objects.create(
        case=case, kind=kind, provider=provider, since=since, ended_on=ended_on
    )
    _added(
        case,
        user,
        "waiting_list",
        _("Wachtlijst %(kind)s: %(provider)s sinds %(since)s")
        % {"kind": item.get_kind_display(), "provider": provider, "since": f"{since:%d-%m-%Y}"},
        item,
    )
    return item


@transaction.atomic
def participant_add(*, user, case_id: int, participant, role: str = "") -> CaseParticipant:
    case = _lock_open(case_id)
    item, created = CaseParticipant.objects.get_or_create(
        case=case,
        user=participant,
        defaults={"organisation": participant.organisation, "role": role, "added_on": _today()},
    )
    if not created and not item.active:
        item.active = True
        item.save(update_fields=["active"])
    _added(
        case,
        user,
        "participant",
        _("Betrokkene toegevoegd: %(name)s (%(role)s)")
        % {"name": participant.get_full_name() or participant.username, "role": role},
        item,
    )
    return item


@transaction.atomic
def medical_note_add(*, user, case_id: int, note: str, written_on: dt.date) -> MedicalNote:
    if not user_reads_medical_details(user):
        raise CaseError(_("Alleen de jeugdarts legt medische gegevens vast."))
    case = _lock_open(case_id)
    item = MedicalNote.objects.create(
        student=case.student, case=case, note=note, written_by=user, written_on=written_on
    )
    # The timeline says that a note exists, never what it says.
    _added(case, user, "medical_note", _("Medische notitie vastgelegd (alleen JGZ)"), item)
    return item


# --------------------------------------------------------------------------- digest


def digest_send(*, today: dt.date | None = None) -> int:
    """E-mail every opted-in user what is due or overdue today. Returns mails sent."""
    from django.contrib.auth import get_user_model
    from django.core.mail import send_mail
    from django.template.loader import render_to_string

    from leerrecht.cases.selectors import worklist_for_user

    today = today or _today()
    sent = 0
    users = get_user_model().objects.filter(wants_daily_digest=True, is_active=True)
    for user in users.exclude(email="").order_by("pk"):
        rows = [r for r in worklist_for_user(user, today=today) if r.due_now]
        if not rows:
            continue
        body = render_to_string(
            "cases/digest_email.txt", {"user": user, "rows": rows, "today": today}
        )
        send_mail(
            subject=_("Leerrecht: %(n)s zaken vragen vandaag aandacht") % {"n": len(rows)},
            message=body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[user.email],
        )
        sent += 1
    return sent


def report_again_due(melding: Melding, protocol: Protocol) -> dt.date | None:
    """When the school must report again while the absence continues (seed 001, 1.2)."""
    if (
        melding.kind != MeldingKind.DUO
        or not melding.absence_continues
        or melding.duo_status not in (DuoStatus.REGISTERED, DuoStatus.IN_PROGRESS)
        or protocol.report_again is None
    ):
        return None
    return add_duration(melding.reported_on, protocol.report_again, protocol.calendar)


# --------------------------------------------------------------------------- demo


@transaction.atomic
def cases_demo_seed(*, reference_date: dt.date) -> list[Case]:
    """A handful of realistic open cases in the demo region so the worklist is not empty:
    different phases and routes, some overdue, one stagnating, one report with consent
    refused. Idempotent: students that already have a case or report are skipped."""
    from django.contrib.auth import get_user_model

    from leerrecht.accounts.models import Role
    from leerrecht.registry.models import Organisation, OrganisationKind, Student

    users = get_user_model().objects.filter(is_active=True)
    leerplicht = users.filter(role=Role.LEERPLICHT_OFFICER).order_by("pk").first()
    if leerplicht is None:
        return []
    org = leerplicht.organisation
    students = (
        Student.objects.filter(residence_municipality__in=org.served_municipalities.all())
        .exclude(cases__isnull=False)
        .exclude(meldingen__isnull=False)
        .filter(enrolments__end__isnull=True)
        .distinct()
        .order_by("pk")[:6]
    )
    school_user = users.filter(role=Role.SCHOOL_COORDINATOR).order_by("pk").first() or leerplicht
    consultant = (
        users.filter(role__in=[Role.LEERRECHT_CONSULTANT, Role.PROCESS_DIRECTOR])
        .order_by("pk")
        .first()
    )
    swv = Organisation.objects.filter(kind=OrganisationKind.SWV).order_by("pk").first()
    d = reference_date
    week = dt.timedelta(weeks=1)
    plans = [
        # (weeks since first worrying absence, phase, opened weeks ago, kind)
        (3, "phase_2", 1, "duo"),
        (9, "phase_3b", 6, "sickness"),
        (12, "phase_3b", 9, "sickness"),
        (6, "phase_3a", 4, "duo"),
        (5, "phase_2", 4, "stagnating"),
        (2, None, 0, "refused"),
    ]
    created: list[Case] = []
    for student, (weeks, phase, opened_ago, kind) in zip(students, plans, strict=False):
        anchor = d - weeks * week
        opened = d - opened_ago * week
        if kind == "duo":
            melding = melding_create_duo(
                user=school_user,
                student=student,
                duo_kind=DuoAbsenceKind.H16_4W,
                reported_on=opened,
                period_start=anchor,
                hours=18,
            )
        else:
            melding = melding_create_sickness(
                user=school_user,
                student=student,
                reported_on=opened,
                reasons=["2"] if kind != "refused" else ["1"],
                q2_parents_reason="Buikpijn en hoofdpijn, vooral op maandag.",
                discussed_with_parents=True,
                school_actions=[
                    {
                        "taken_on": anchor + week,
                        "action": "Gesprek mentor met ouders",
                        "result": "Afspraak opbouwrooster",
                    }
                ],
            )
            consent_record(
                user=school_user,
                melding=melding,
                status=ConsentStatus.REFUSED if kind == "refused" else ConsentStatus.GIVEN,
                asked_on=opened,
                purposes=[ConsentPurpose.LEERPLICHT, ConsentPurpose.MDO],
                parent_name="ouder/verzorger",
            )
        if kind == "refused":
            continue
        case, _created = case_open(
            user=leerplicht,
            student=student,
            melding=melding,
            anchor_date=anchor,
            regiehouder=swv if (kind == "sickness" and swv) else org,
            casusverantwoordelijke=leerplicht,
            procesregisseur=consultant if weeks >= 9 else None,
            route="with_enrolment",
            opened_on=opened,
            protocol_name="haaglanden-po",
        )
        case_phase_set(
            user=leerplicht, case_id=case.pk, expected_version=case.version, phase=phase, on=opened
        )
        if kind != "stagnating":
            contact_add(
                user=leerplicht,
                case_id=case.pk,
                kind=Contact.Kind.CONVERSATION,
                occurred_on=opened + dt.timedelta(days=5),
                with_student=True,
                with_parents=True,
                participants="leerling, moeder, mentor, leerplichtambtenaar",
                summary="Kennismaking; reden van verzuim besproken.",
                outcome="Opbouwrooster afgesproken; evaluatie over twee weken.",
            )
            plan_action_add(
                user=leerplicht,
                case_id=case.pk,
                who="mentor",
                what="Opbouwrooster starten",
                due_on=opened + 2 * week,
            )
        if weeks >= 12:
            escalation_record_add(
                user=leerplicht,
                case_id=case.pk,
                step="peer_consultation",
                taken_on=anchor + 6 * week,
            )
        if kind == "stagnating":
            Case.objects.filter(pk=case.pk).update(
                last_activity_at=timezone.now() - dt.timedelta(days=40)
            )
        created.append(Case.objects.get(pk=case.pk))
    return created
