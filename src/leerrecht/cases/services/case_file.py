"""Write-side of the case file: plan actions, contacts, voices, offers, enforcement,
escalation, education share, waiting lists, participants, medical notes (JGZ only).

Each addition locks the open case and appends one `CaseEvent`."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from leerrecht.cases.deadlines import case_protocol
from leerrecht.cases.models import (
    Case,
    CaseParticipant,
    CaseStatus,
    Contact,
    EducationShare,
    EnforcementStep,
    EscalationRecord,
    MedicalNote,
    Offer,
    PlanAction,
    Voice,
    WaitingList,
)
from leerrecht.cases.services.cases import (
    _lock_open,
    _today,
    case_event_record,
    case_status_set,
)
from leerrecht.cases.workflow import CaseConflictError, CaseError
from leerrecht.privacy.query import user_reads_medical_details


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
    protocol = case_protocol(case)
    ladder = {s.key: s for s in protocol.ladder_for(case.student.residence_municipality.cbs_code)}
    if step not in ladder:
        raise CaseError(_("Deze opschalingsstap geldt niet voor de gemeente van deze leerling."))
    if case.escalations.filter(step=step).exists():
        raise CaseError(_("Deze opschalingsstap is al vastgelegd."))
    record = EscalationRecord.objects.create(
        case=case, step=step, taken_on=taken_on, outcome=outcome
    )
    if case.status == CaseStatus.OPEN:
        case_status_set(case, CaseStatus.ESCALATED)
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
