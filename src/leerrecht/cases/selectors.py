"""Read-side of the case workflow: deadlines of a case, the worklist, the timeline."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db.models import BooleanField, Exists, ExpressionWrapper, Min, OuterRef, Q, Subquery
from django.utils import timezone

from leerrecht.cases.deadlines import (
    Milestone,
    Protocol,
    case_protocol,
    milestone_next,
    protocol_current,
    protocol_load,
    report_again_due,
    schedule_compute,
)
from leerrecht.cases.models import (
    Case,
    CaseEvent,
    CaseParticipant,
    CaseStatus,
    Contact,
    DuoStatus,
    Melding,
    MeldingKind,
)
from leerrecht.cases.query import (
    case_content_visible,
    cases_content_hidden,
    cases_for_user,
    meldingen_for_user,
)
from leerrecht.cases.workflow import melding_awaits_report_again
from leerrecht.registry.models import Enrolment, Organisation
from leerrecht.registry.protocols import protocol_for_student


def protocol_of_student(student, *, on: dt.date | None = None) -> Protocol:
    """The protocol of the pupil's school sector (region configuration, ADR 0110)."""
    return protocol_load(protocol_for_student(student, on=on or timezone.localdate()))


def case_facts(case: Case) -> dict[str, dt.date | None]:
    """First dates of what meets a norm (deadlines.MET_BY)."""
    contacts = case.contacts.filter(Q(with_student=True) | Q(with_parents=True))
    return {
        "contact": contacts.aggregate(d=Min("occurred_on"))["d"],
        "conversation": contacts.filter(kind__in=Contact.CONVERSATION_KINDS).aggregate(
            d=Min("occurred_on")
        )["d"],
        "plan": case.plan_actions.aggregate(d=Min("created_on"))["d"],
        "offer": case.offers.aggregate(d=Min("offered_on"))["d"],
    }


def case_schedule(case: Case) -> list[Milestone]:
    """The case's dated milestones; a closed case keeps only what was met (nothing is
    due any more once a case is closed)."""
    milestones = case_schedules_under(case, [case_protocol(case)])[0]
    if case.status == CaseStatus.CLOSED:
        return [m for m in milestones if m.met_on is not None]
    return milestones


def case_schedules_under(case: Case, protocols: list[Protocol]) -> list[list[Milestone]]:
    """The case's milestones under each of `protocols` (the same facts each time): its
    own schedule, or what "de nieuwe regels toepassen" would give (the simulator)."""
    facts = case_facts(case)
    taken = {e.step: e.taken_on for e in case.escalations.all()}
    return [
        schedule_compute(
            protocol,
            route_key=case.route,
            anchor=case.anchor_date,
            opened=case.opened_on,
            phase=case.phase,
            phase_since=case.phase_since,
            facts=facts,
            municipality_code=case.student.residence_municipality.cbs_code,
            escalations_taken=taken,
        )
        for protocol in protocols
    ]


def case_stagnant_from(case: Case) -> dt.date | None:
    """The first day the case counts as stagnating: no activity for the protocol's
    stagnation period, and a case younger than that period cannot have stagnated yet.
    None for a closed case."""
    if case.status == CaseStatus.CLOSED:
        return None
    days = case_protocol(case).stagnation_days
    last = timezone.localtime(case.last_activity_at).date()
    return max(case.opened_on, last) + dt.timedelta(days=days)


def case_is_stagnating(case: Case, *, today: dt.date) -> bool:
    since = case_stagnant_from(case)
    return since is not None and today >= since


def case_deadline_keys(case: Case) -> tuple[dt.date | None, dt.date | None]:
    """(earliest deadline not yet met, first stagnating day) of the case: what the
    worklist sorts and filters by (stored on the case by services.case_deadlines_refresh)."""
    unmet = [m.due for m in case_schedule(case) if m.met_on is None]
    return min(unmet, default=None), case_stagnant_from(case)


def case_closure_suggested(case: Case) -> bool:
    """Casus 1: close when the student follows more than 50% again (seed 000, ch. 2)."""
    threshold = case_protocol(case).close_when_share_above
    if threshold is None or case.status == CaseStatus.CLOSED:
        return False
    latest = case.education_shares.order_by("-measured_on", "-id").first()
    return latest is not None and latest.percentage > threshold * 100


def student_current_school(student, *, on: dt.date):
    enrolment = (
        Enrolment.objects.filter(student=student, start__lte=on)
        .filter(Q(end__isnull=True) | Q(end__gte=on))
        .select_related("school")
        .order_by("-start", "-id")
        .first()
    )
    return enrolment.school if enrolment else None


@dataclass
class WorklistRow:
    """One line of "Mijn werkvoorraad": a case (or a report to repeat) and what is due."""

    case: Case | None
    melding: Melding | None
    student: object
    school: object
    phase_label: str
    due_items: list[Milestone] = field(default_factory=list)
    next_item: Milestone | None = None
    next_escalation: Milestone | None = None
    stagnating: bool = False
    close_suggested: bool = False
    redacted: bool = False
    report_again_on: dt.date | None = None
    today: dt.date | None = None
    new_melding: bool = False  # a melding nobody has acted on yet (no case)

    @property
    def overdue(self) -> bool:
        return any(m.status(self.today) == "overdue" for m in self.due_items) or bool(
            self.report_again_on and self.report_again_on < self.today
        )

    @property
    def due_now(self) -> bool:
        return (
            bool(self.due_items)
            or self.report_again_on is not None
            or self.stagnating
            or self.new_melding
        )

    @property
    def urgency(self) -> tuple:
        """Sort key: most days overdue first, then stagnating, then earliest deadline."""
        dues = [m.due for m in self.due_items]
        if self.new_melding:
            dues.append(self.melding.reported_on)
        if self.report_again_on:
            dues.append(self.report_again_on)
        if self.next_item:
            dues.append(self.next_item.due)
        earliest = min(dues) if dues else dt.date.max
        return (earliest, not self.stagnating, self.student.surname)


def _my_cases(user):
    """The user's open cases: responsible, process director, active participant, or (for
    the organisation) regiehouder or invited party. Participation is an EXISTS, not a join,
    so the database needs no DISTINCT over an office's thousands of cases."""
    org_id = getattr(user, "organisation_id", None)
    taking_part = Q(user=user)
    mine = Q(casusverantwoordelijke=user) | Q(procesregisseur=user)
    if org_id is not None:  # the organisation's cases: regiehouder or invited party
        mine |= Q(regiehouder_id=org_id)
        taking_part |= Q(organisation_id=org_id)
    participant = CaseParticipant.objects.filter(case=OuterRef("pk"), active=True).filter(
        taking_part
    )
    return (
        cases_for_user(user)
        .exclude(status=CaseStatus.CLOSED)
        .filter(mine | Exists(participant))
        .select_related("student__residence_municipality")
        .order_by("pk")
    )


class Worklist(Sequence):
    """The worklist in urgency order. Sorting and filtering use each case's stored deadline
    keys (Case.next_due_on / stagnant_from, docs/adr/0170); a row's schedule, school and
    labels are built only when a slice of it is read, so a page of an office's thousands
    of cases costs one page of work (the view pages it with web.pagination)."""

    def __init__(self, entries: list, *, user, today: dt.date, schools: dict[int, int]):
        self._entries = entries  # case pk (int) or a ready WorklistRow, in order
        self._user = user
        self._today = today
        self._school_by_student = schools

    def __len__(self) -> int:
        return len(self._entries)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return self._rows(self._entries[index])
        return self._rows([self._entries[index]])[0]

    def school_ids(self) -> set[int]:
        """The current schools of every row's pupil (the school filter's choices)."""
        return set(self._school_by_student.values())

    def _rows(self, entries: list) -> list[WorklistRow]:
        pks = [e for e in entries if isinstance(e, int)]
        cases = (
            Case.objects.filter(pk__in=pks)
            .select_related("student__residence_municipality", "protocol_version")
            .prefetch_related("meldingen__consents", "escalations")
            .in_bulk()
        )
        schools = Organisation.objects.in_bulk(
            {self._school_by_student.get(c.student_id) for c in cases.values()} - {None}
        )
        out = []
        for entry in entries:
            if not isinstance(entry, int):
                out.append(entry)
                continue
            case = cases[entry]
            school = schools.get(self._school_by_student.get(case.student_id))
            out.append(_case_row(self._user, case, school=school, today=self._today))
        return out


def _case_row(user, case: Case, *, school, today: dt.date) -> WorklistRow:
    if not case_content_visible(user, case):
        return WorklistRow(case, None, case.student, school, "", redacted=True, today=today)
    schedule = case_schedule(case)
    return WorklistRow(
        case=case,
        melding=None,
        student=case.student,
        school=school,
        phase_label=case_phase_label(case),
        due_items=[m for m in schedule if m.met_on is None and m.due <= today],
        next_item=milestone_next(schedule),
        next_escalation=milestone_next(schedule, kind="escalation"),
        stagnating=case_is_stagnating(case, today=today),
        close_suggested=case_closure_suggested(case),
        today=today,
    )


def _current_school_id(on: dt.date) -> Subquery:
    """The school of the pupil's latest current enrolment (as student_current_school), as
    a subquery per case row."""
    return Subquery(
        Enrolment.objects.filter(student=OuterRef("student_id"), start__lte=on)
        .filter(Q(end__isnull=True) | Q(end__gte=on))
        .order_by("-start", "-id")
        .values("school_id")[:1]
    )


def worklist_rows(
    user,
    *,
    today: dt.date | None = None,
    school_id: int | None = None,
    phase: str = "",
    overdue_only: bool = False,
    stagnating_only: bool = False,
) -> Worklist:
    """What is due or overdue today across the user's cases, most urgent first (4.6):
    the user's open cases, new meldingen addressed to the organisation, and statutory
    reports to repeat. Most days overdue first, then stagnating, then earliest deadline."""
    today = today or timezone.localdate()
    cases = _my_cases(user).select_related(None)
    if phase:
        cases = cases.filter(phase=phase)
    keys = list(
        cases.annotate(
            school=_current_school_id(today),
            never_computed=ExpressionWrapper(Q(deadlines_at__isnull=True), BooleanField()),
        ).values_list(
            "pk",
            "student_id",
            "student__surname",
            "authorised_absence",
            "next_due_on",
            "stagnant_from",
            "never_computed",
            "school",
        )
    )
    # Cases about authorised absence are shown redacted without consent (no deadlines,
    # never overdue); cases whose keys were never stored get them computed here.
    hidden = cases_content_hidden(user, authorised_case_ids=[k[0] for k in keys if k[3]])
    missing = {k[0] for k in keys if k[6]}
    loaded = (
        Case.objects.filter(pk__in=missing)
        .select_related("student__residence_municipality", "protocol_version")
        .prefetch_related("escalations")
        .in_bulk()
        if missing
        else {}
    )
    schools = {k[1]: k[7] for k in keys}
    entries: list[tuple[tuple, object]] = []
    for pk, student_id, surname, _authorised, due, stagnant, never_computed, _school in keys:
        if school_id and schools.get(student_id) != school_id:
            continue
        if pk in hidden:
            due, stagnant = None, None
        elif never_computed:
            due, stagnant = case_deadline_keys(loaded[pk])
        stagnating = stagnant is not None and today >= stagnant
        if overdue_only and not (due is not None and due < today):
            continue
        if stagnating_only and not stagnating:
            continue
        entries.append(((due or dt.date.max, not stagnating, surname), (0, pk), pk))
    for row in _melding_rows(user, today=today, school_id=school_id) if not phase else []:
        if overdue_only and not row.overdue:
            continue
        if stagnating_only and not row.stagnating:
            continue
        schools.setdefault(row.student.pk, row.school.pk if row.school else None)
        entries.append((row.urgency, (1, row.melding.pk), row))
    entries.sort(key=lambda e: (e[0], e[1]))
    schools = {k: v for k, v in schools.items() if v is not None}
    return Worklist([e[2] for e in entries], user=user, today=today, schools=schools)


def worklist_for_user(user, **filters) -> list[WorklistRow]:
    """Every row of :func:`worklist_rows`, built (the daily digest, small lists)."""
    rows = worklist_rows(user, **filters)
    return rows[: len(rows)]


def _melding_rows(user, *, today: dt.date, school_id: int | None) -> list[WorklistRow]:
    """New meldingen addressed to the user's organisation and statutory reports to repeat
    monthly while the absence continues (seed 001, 1.2)."""
    rows: list[WorklistRow] = []
    for m in _meldingen_to_handle(user).select_related("student", "organisation"):
        school = student_current_school(m.student, on=today)
        if school_id and (school is None or school.pk != school_id):
            continue
        rows.append(WorklistRow(None, m, m.student, school, "", new_melding=True, today=today))
    protocol = protocol_current()
    reports = (
        meldingen_for_user(user)
        .filter(
            kind=MeldingKind.DUO,
            organisation=user.organisation,
            absence_continues=True,
            duo_status__in=(DuoStatus.REGISTERED, DuoStatus.IN_PROGRESS),
        )
        .exclude(case__status=CaseStatus.CLOSED)
        .select_related("student")
    )
    latest: dict[int, Melding] = {}
    for m in reports.order_by("student_id", "-reported_on", "-id"):
        latest.setdefault(m.student_id, m)
    for m in latest.values():
        due = melding_report_again_on(m, protocol)
        if due is None or due > today:
            continue
        school = student_current_school(m.student, on=today)
        if school_id and (school is None or school.pk != school_id):
            continue
        rows.append(WorklistRow(None, m, m.student, school, "", report_again_on=due, today=today))
    return rows


#: Who acts on a new melding (a melding without a case): leerplicht on every kind (sick
#: absence only with consent, the rest it sees redacted), JGZ on sick absence (its legal
#: task, seed 004 route 1), the SWV on every kind for its schools.
_MELDING_KINDS_BY_ORGANISATION = {
    "leerplicht": (MeldingKind.DUO, MeldingKind.SICKNESS, MeldingKind.SIGNAL),
    "jgz": (MeldingKind.SICKNESS,),
    "swv": (MeldingKind.DUO, MeldingKind.SICKNESS, MeldingKind.SIGNAL),
}


def _meldingen_to_handle(user):
    """Open meldingen addressed to the user's organisation: no case yet, not withdrawn or
    closed at DUO, and not made by the organisation itself."""
    org = getattr(user, "organisation", None)
    kinds = _MELDING_KINDS_BY_ORGANISATION.get(getattr(org, "kind", ""), ())
    if not kinds:
        return Melding.objects.none()
    return (
        meldingen_for_user(user)
        .filter(case__isnull=True, kind__in=kinds)
        .exclude(duo_status__in=(DuoStatus.WITHDRAWN, DuoStatus.CLOSED, DuoStatus.NOTED))
        .exclude(organisation=org)
        .order_by("reported_on", "pk")
    )


def melding_report_again_on(melding: Melding, protocol: Protocol) -> dt.date | None:
    """When the school must report this statutory report again (None: no need)."""
    if not melding_awaits_report_again(melding):
        return None
    return report_again_due(reported_on=melding.reported_on, protocol=protocol)


def open_case_of(student) -> Case | None:
    """The student's open case (at most one), whatever the reader's scope."""
    return Case.objects.filter(student=student).exclude(status=CaseStatus.CLOSED).first()


def case_timeline(case: Case):
    return CaseEvent.objects.filter(case=case).order_by("-occurred_at", "-id")


def guardians_of(student):
    return student.guardians.all().order_by("pk")


def _case_step(case: Case):
    return case_protocol(case).route(case.route).step(case.phase)


def case_phase_label(case: Case) -> str:
    """The route step's name from the protocol preset, e.g. "Fase 3b - ..." (not its key)."""
    step = _case_step(case)
    return step.label if step else case.phase


@dataclass(frozen=True, slots=True)
class CaseProtocolVersions:
    """Which protocol version a case keeps, and a newer one in force today (if any)."""

    number: int
    effective_from: dt.date | None
    newer: object | None  # protocols.ProtocolVersion


def case_protocol_versions(case: Case, *, today: dt.date) -> CaseProtocolVersions:
    from leerrecht.protocols.selectors import protocol_version_current

    pinned = case.protocol_version
    current = protocol_version_current(preset_name=case.protocol, on=today)
    number = pinned.number if pinned else 1
    newer = current if current is not None and current.number > number else None
    return CaseProtocolVersions(number, pinned.effective_from if pinned else None, newer)
