"""Write-side of meldingen (reports) and the parents' consent.

A report about a student with an open case is attached to that case (issue 4.6).
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from leerrecht.cases.models import (
    DUO_OPEN_STATUSES,
    Case,
    Consent,
    ConsentPurpose,
    ConsentStatus,
    DuoAbsenceKind,
    DuoStatus,
    MedicalNote,
    Melding,
    MeldingAction,
    MeldingKind,
)
from leerrecht.cases.selectors import open_case_of
from leerrecht.cases.services.cases import _today, case_event_record
from leerrecht.cases.workflow import UNAUTHORISED_SIGNALS, CaseConflictError, CaseError
from leerrecht.registry.models import Exemption


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
    signal_hit=None,
) -> Melding:
    """Door (b): the sickness intake form of seed 000, Afbeelding 1, field for field;
    `signal_hit` links the sickness signal it was made from."""
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
        signal_id=signal_hit.signal if signal_hit else "",
        signal_first_date=signal_hit.first_date if signal_hit else None,
        signal_hit_id=signal_hit.pk if signal_hit else None,
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


# A day has 24 hours: more absent hours than that over the period is a typing error.
MAX_HOURS_PER_DAY = 24


def duo_melding_plausibility_check(
    *, reported_on: dt.date, period_start: dt.date, period_end: dt.date | None, hours
) -> None:
    """The same limits for the web form and the API (issue 14, finding 7): no report dated
    in the future, no absence that starts after the report, no more hours than the period
    has."""
    if reported_on > timezone.localdate():
        raise CaseError(_("De datum van de melding ligt in de toekomst."))
    if period_start > reported_on:
        raise CaseError(
            _(
                "Het verzuim begint na de datum van de melding; een melding gaat over "
                "verzuim dat al is begonnen."
            )
        )
    if hours is not None:
        last = min(period_end or reported_on, reported_on)
        days = (last - period_start).days + 1
        if float(hours) > days * MAX_HOURS_PER_DAY:
            raise CaseError(
                _(
                    "%(hours)s verzuimde uren in %(days)s dagen kan niet: dat is meer dan "
                    "%(max)s uur per dag."
                )
                % {"hours": hours, "days": days, "max": MAX_HOURS_PER_DAY}
            )


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
    signal_first_date: dt.date | None = None,
    **annex,
) -> Melding:
    """Door (c): statutory unauthorised-absence report with DUO's verzuimsoort.

    `annex`: the other fields of the Besluit verzuimmelding annex (Melding fields
    suspected_reason, all_lessons_missed, school_action, municipality_action_wanted,
    municipality_action_note, lesson_location, reporter_*, contact_phone, other_address,
    absence_days). The report deadline (5 school days after the absence became reportable)
    is stored and shown (the school's form asks why when it is late). A vervolgmelding within 7
    days of the previous one is refused (cases/duo.py). A report that overlaps an exemption
    is set to Ingetrokken (duo.nl)."""
    from leerrecht.cases.duo import duo_follow_up_blocked_until, duo_report_deadline

    if duo_kind not in DuoAbsenceKind.values:
        raise CaseError(_("Kies een verzuimsoort."))
    if period_end and period_end < period_start:
        raise CaseError(_("De einddatum van het verzuim ligt voor de begindatum."))
    duo_melding_plausibility_check(
        reported_on=reported_on, period_start=period_start, period_end=period_end, hours=hours
    )
    unknown = set(annex) - DUO_ANNEX_FIELDS
    if unknown:
        raise TypeError(f"unknown melding fields: {sorted(unknown)}")
    blocked_until = duo_follow_up_blocked_until(
        student=student, duo_kind=duo_kind, reported_on=reported_on
    )
    if blocked_until is not None:
        raise CaseError(
            _(
                "Er is minder dan 7 dagen geleden al een melding van deze soort gedaan. "
                "Een vervolgmelding kan vanaf %(date)s."
            )
            % {"date": f"{blocked_until:%d-%m-%Y}"}
        )
    deadline = duo_report_deadline(signal_first_date or period_start)
    previous = (
        Melding.objects.filter(student=student, kind=MeldingKind.DUO, duo_kind=duo_kind)
        .exclude(duo_status=DuoStatus.WITHDRAWN)
        .order_by("-reported_on", "-pk")
        .first()
    )
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
        signal_first_date=signal_first_date,
        report_deadline=deadline,
        previous_melding=previous
        if previous and previous.duo_status in DUO_OPEN_STATUSES
        else None,
        **annex,
    )
    _melding_attach_to_open_case(melding=melding, user=user)
    return melding


# Fields of the Besluit verzuimmelding annex a DUO melding takes besides the basic ones.
DUO_ANNEX_FIELDS = frozenset(
    {
        "suspected_reason",
        "all_lessons_missed",
        "school_action",
        "municipality_action_wanted",
        "municipality_action_note",
        "lesson_location",
        "reporter_name",
        "reporter_function",
        "reporter_phone",
        "reporter_email",
        "contact_phone",
        "other_address",
        "absence_days",
        "signal_hit_id",
        "signal_id",
    }
)


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
