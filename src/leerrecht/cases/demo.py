"""Demo caseload: the meldingen and cases of a real leerplicht office in the demo region
(called by `leerrecht demo` / `leerrecht setup --demo` after the registry and the demo
attendance are loaded). It writes only through `cases.services`.

What it makes (docs/demo-region.md): `cases` open and closed cases (default 72, so at
least 60 open ones) spread over every phase of every route and every step of the
municipality's escalation ladder (seed 004, Bijlage 1), sick-absence cases on the
sick-absence route with the JGZ taking part, and meldingen in every DUO status and every
consent state, some not yet handled (they wait on the worklists). Every melding is made
by a coordinator of the pupil's own school; every event of a case's history is dated on
the day it happened. Children are of compulsory school age (leerrecht.engine.compulsory)
and currently enrolled. Idempotent: pupils that already have a case or melding are
skipped, so a second run adds nothing once the caseload is there.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction

from leerrecht.accounts.models import Role
from leerrecht.cases.deadlines import add_duration, protocol_load
from leerrecht.cases.models import (
    Case,
    CaseStatus,
    ClosureReason,
    ConsentPurpose,
    ConsentStatus,
    Contact,
    DuoAbsenceKind,
    DuoStatus,
    Melding,
    Offer,
)
from leerrecht.cases.services import (
    case_history_dated,
    case_open,
    case_phase_set,
    case_transition,
    consent_record,
    contact_add,
    escalation_record_add,
    melding_create_duo,
    melding_create_sickness,
    melding_duo_update,
    offer_add,
    participant_add,
    plan_action_add,
)
from leerrecht.cases.workflow import route_default
from leerrecht.engine.compulsory import is_compulsory
from leerrecht.registry.models import Enrolment, Organisation, Student
from leerrecht.registry.protocols import protocols_for_students

DEFAULT_CASES = 72
WEEK = dt.timedelta(weeks=1)

#: The DUO statuses and consent states the meldingen without a case go through.
_LOOSE_MELDINGEN = (
    ("duo", DuoStatus.REGISTERED),
    ("duo", DuoStatus.IN_PROGRESS),
    ("duo", DuoStatus.CLOSED),
    ("duo", DuoStatus.WITHDRAWN),
    ("duo", DuoStatus.NOTED),
    ("sickness", ConsentStatus.GIVEN),
    ("sickness", ConsentStatus.REFUSED),
    ("sickness", "asked"),
)


@dataclass
class _People:
    leerplicht: object
    jgz: object | None
    care: object | None
    consultant: object | None
    swv_by_school: dict[int, Organisation]
    reporters: dict[int, object]


def _school_reporter(school: Organisation, demo_users) -> object:
    """The coordinator of the pupil's own school: the demo account of that school, or a
    coordinator account (without a password) for the other demo schools."""
    for user in demo_users:
        if user.organisation_id == school.pk:
            return user
    user, created = get_user_model().objects.get_or_create(
        username=f"zc-{school.brin.lower()}",
        defaults={
            "first_name": "Zorgcoördinator",
            "last_name": school.name[:100],
            "role": Role.SCHOOL_COORDINATOR,
            "organisation": school,
            "is_active": True,
        },
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def _pupils(org: Organisation, count: int, on: dt.date) -> list[tuple[Student, Organisation]]:
    """Enrolled pupils of compulsory school age living in the office's municipalities,
    spread over the sectors and schools, without a case or melding yet."""
    enrolments = (
        Enrolment.objects.filter(
            student__residence_municipality__in=org.served_municipalities.all(),
            start__lte=on,
            end__isnull=True,
            student__cases__isnull=True,
            student__meldingen__isnull=True,
        )
        .select_related("student__residence_municipality", "school")
        .order_by("school_id", "student_id")
    )
    by_school: dict[int, list] = {}
    for e in enrolments.iterator(chunk_size=2000):
        pupils = by_school.setdefault(e.school_id, [])
        if len(pupils) < count and is_compulsory(date_of_birth=e.student.date_of_birth, on=on):
            pupils.append((e.student, e.school))
    # Alternate between the sectors (po/so and vo/vso), round robin over the schools within
    # each, so the vo schools carry about half of the caseload however many po schools the
    # region has (docs/adr/0117).
    by_sector: dict[str, list[list]] = {}
    for queue in by_school.values():
        if queue:
            sector = "po" if queue[0][1].school_type in ("po", "so") else "vo"
            by_sector.setdefault(sector, []).append(queue)
    turns = {sector: _round_robin(queues) for sector, queues in sorted(by_sector.items())}
    picked: list[tuple[Student, Organisation]] = []
    while len(picked) < count and turns:
        for sector, turn in list(turns.items()):
            pupil = next(turn, None)
            if pupil is None:
                del turns[sector]
                continue
            picked.append(pupil)
            if len(picked) == count:
                break
    return picked


def _round_robin(queues: list[list]):
    """One item of each queue in turn until all are empty."""
    queues = [list(q) for q in queues]
    while queues:
        for queue in list(queues):
            if queue:
                yield queue.pop(0)
            else:
                queues.remove(queue)


def _first_active(users, role: str):
    return users.filter(role=role).order_by("pk").first()


@transaction.atomic
def cases_demo_seed(*, reference_date: dt.date, cases: int = DEFAULT_CASES) -> list[Case]:
    """Make the demo caseload (see module docstring); returns the cases made. Cases
    already in the database count towards ``cases`` (`leerrecht demo --cases N` asks for
    a caseload of N, not for N more)."""
    cases -= Case.objects.count()
    if cases <= 0:
        return []
    users = get_user_model().objects.filter(is_active=True).select_related("organisation")
    leerplicht = _first_active(users, Role.LEERPLICHT_OFFICER)
    if leerplicht is None or leerplicht.organisation is None:
        return []
    org = leerplicht.organisation
    pupils = _pupils(org, cases + len(_LOOSE_MELDINGEN), reference_date)
    if not pupils:
        return []
    demo_coordinators = list(users.filter(role=Role.SCHOOL_COORDINATOR, username__in=_DEMO))
    schools = {school.pk: school for _student, school in pupils}
    people = _People(
        leerplicht=leerplicht,
        jgz=_first_active(users, Role.YOUTH_DOCTOR),
        care=_first_active(users, Role.CARE_WORKER),
        consultant=users.filter(role__in=[Role.LEERRECHT_CONSULTANT, Role.PROCESS_DIRECTOR])
        .order_by("pk")
        .first(),
        swv_by_school={pk: s.swv for pk, s in schools.items() if s.swv_id},
        reporters={pk: _school_reporter(s, demo_coordinators) for pk, s in schools.items()},
    )
    protocols = protocols_for_students([s.pk for s, _ in pupils], on=reference_date)
    loose, with_case = pupils[: len(_LOOSE_MELDINGEN)], pupils[len(_LOOSE_MELDINGEN) :]
    for i, ((student, school), (kind, state)) in enumerate(
        zip(loose, _LOOSE_MELDINGEN, strict=False)
    ):
        _loose_melding(people, student, school, kind, state, reference_date - (i % 3) * WEEK)
    created = []
    for i, (student, school) in enumerate(with_case):
        protocol = protocol_load(protocols[student.pk])
        created.append(_case(people, i, student, school, protocol, reference_date))
    return created


# The demo accounts of the two demo schools (registry.services.demo._account_specs).
_DEMO = ("zorgcoordinator-po", "zorgcoordinator-vo")


def _loose_melding(people: _People, student, school, kind: str, state: str, on: dt.date):
    """A melding nobody has turned into a case (yet): waiting on a worklist, or done."""
    reporter = people.reporters[school.pk]
    with case_history_dated(on):
        if kind == "duo":
            melding = melding_create_duo(
                user=reporter,
                student=student,
                duo_kind=DuoAbsenceKind.H16_4W,
                reported_on=on,
                period_start=on - 4 * WEEK,
                hours=18,
            )
            if state != DuoStatus.REGISTERED:
                melding_duo_update(
                    user=people.leerplicht,
                    melding_id=melding.pk,
                    expected_version=melding.version,
                    duo_status=state,
                    absence_continues=state == DuoStatus.IN_PROGRESS,
                    period_end=None if state == DuoStatus.IN_PROGRESS else on,
                )
            return melding
        melding = _sickness_melding(reporter, student, on)
        if state != "asked":
            consent_record(
                user=reporter,
                melding=melding,
                status=state,
                asked_on=on,
                purposes=[ConsentPurpose.JGZ, ConsentPurpose.LEERPLICHT],
                parent_name="ouder/verzorger",
            )
        return melding


def _sickness_melding(reporter, student, on: dt.date) -> Melding:
    return melding_create_sickness(
        user=reporter,
        student=student,
        reported_on=on,
        reasons=["2"],
        q2_parents_reason="Buikpijn en hoofdpijn, vooral op maandag.",
        discussed_with_parents=True,
        school_actions=[
            {
                "taken_on": on - WEEK,
                "action": "Gesprek mentor met ouders",
                "result": "Afspraak opbouwrooster",
            }
        ],
    )


def _case(people: _People, i: int, student, school, protocol, today: dt.date) -> Case:
    """Case number `i`: its kind, age and progress follow from i, so every phase, every
    escalation step, both kinds of melding and some closed cases occur."""
    weeks = 2 + (i * 7) % 15  # 2..16 weeks since the first day of worrying absence
    anchor = today - weeks * WEEK
    opened = anchor + WEEK * (1 + i % 2)
    sickness = i % 4 == 1 and "sickness" in protocol.routes
    reporter = people.reporters[school.pk]
    lpa = people.leerplicht
    with case_history_dated(opened - dt.timedelta(days=2)):
        if sickness:
            melding = _sickness_melding(reporter, student, opened - dt.timedelta(days=2))
            consent_record(
                user=reporter,
                melding=melding,
                status=ConsentStatus.GIVEN,
                asked_on=opened - dt.timedelta(days=2),
                purposes=[ConsentPurpose.JGZ, ConsentPurpose.LEERPLICHT, ConsentPurpose.MDO],
                parent_name="ouder/verzorger",
            )
        else:
            melding = melding_create_duo(
                user=reporter,
                student=student,
                duo_kind=DuoAbsenceKind.LRV if weeks >= 6 and i % 3 == 0 else DuoAbsenceKind.H16_4W,
                reported_on=opened - dt.timedelta(days=2),
                period_start=anchor,
                hours=18 + i % 9,
            )
    route = route_default(protocol, has_school=True, sickness=sickness)
    swv = people.swv_by_school.get(school.pk)
    with case_history_dated(opened):
        case, _created = case_open(
            user=lpa,
            student=student,
            melding=melding,
            anchor_date=anchor,
            regiehouder=swv if (sickness and swv and i % 8 == 1) else lpa.organisation,
            casusverantwoordelijke=lpa,
            procesregisseur=people.consultant if weeks >= 9 else None,
            route=route,
            opened_on=opened,
            protocol_name=protocol.name,
        )
        if sickness and people.jgz is not None:
            participant_add(user=lpa, case_id=case.pk, participant=people.jgz, role="jeugdarts")
        if people.care is not None and i % 6 == 5:
            participant_add(user=lpa, case_id=case.pk, participant=people.care, role="jeugdteam")
    steps = [s.key for s in protocol.route(route).steps if s.key != "phase_1"]
    phase = steps[min(len(steps) - 1, (weeks - 2) * len(steps) // 15 + i % 2)]
    phase_on = min(today, opened + WEEK * (weeks // 4))
    case.refresh_from_db()
    if phase != case.phase:
        with case_history_dated(phase_on):
            case_phase_set(
                user=lpa, case_id=case.pk, expected_version=case.version, phase=phase, on=phase_on
            )
    first_contact = opened + dt.timedelta(days=2 + i % 9)
    if i % 7 != 3 and first_contact <= today:  # every seventh case still waits for contact
        with case_history_dated(first_contact):
            contact_add(
                user=lpa,
                case_id=case.pk,
                kind=Contact.Kind.CONVERSATION if i % 3 else Contact.Kind.HOME_VISIT,
                occurred_on=first_contact,
                with_student=True,
                with_parents=True,
                participants="leerling, ouder, mentor, leerplichtambtenaar",
                summary="Kennismaking; reden van verzuim besproken.",
                outcome="Opbouwrooster afgesproken; evaluatie over twee weken.",
            )
        plan_on = first_contact + dt.timedelta(days=3)
        if plan_on <= today:
            with case_history_dated(plan_on):
                plan_action_add(
                    user=lpa,
                    case_id=case.pk,
                    who="mentor",
                    what="Opbouwrooster starten en dagelijks contact",
                    due_on=plan_on + 2 * WEEK,
                )
    _escalate(lpa, case, protocol, anchor, today, skip_last=i % 5 == 0)
    follow_up = today - dt.timedelta(days=1 + i % 12)
    # A quarter of the cases has stalled (stagnation); closed ones end with their closure.
    if i % 4 != 2 and i % 10 != 9 and follow_up > first_contact + WEEK:
        with case_history_dated(follow_up):
            contact_add(
                user=lpa,
                case_id=case.pk,
                kind=Contact.Kind.PHONE,
                occurred_on=follow_up,
                with_parents=True,
                participants="ouder, leerplichtambtenaar",
                summary="Voortgang besproken.",
                outcome="Afspraken lopen; volgende evaluatie gepland.",
            )
    if weeks >= 10 and i % 3 == 0:
        offer_on = anchor + 10 * WEEK
        with case_history_dated(offer_on):
            offer_add(
                user=lpa,
                case_id=case.pk,
                kind=Offer.Kind.values[0],
                offered_on=offer_on,
                description="Onderwijs-zorgarrangement op de eigen school",
                child_suitable="yes",
                parents_suitable="yes",
            )
    if i % 10 == 9:  # a tenth of the caseload is back at school and closed
        closed_on = today - WEEK
        case.refresh_from_db()
        with case_history_dated(closed_on):
            case_transition(
                user=lpa,
                case_id=case.pk,
                expected_version=case.version,
                to_status=CaseStatus.CLOSED,
                on=closed_on,
                reason=ClosureReason.BACK_AT_SCHOOL,
            )
    return Case.objects.get(pk=case.pk)


def _escalate(lpa, case, protocol, anchor, today, *, skip_last: bool) -> None:
    """Record the ladder steps of the pupil's municipality that fell due before today
    (seed 004, Bijlage 1); some cases have not taken the last one yet (overdue)."""
    route = protocol.route(case.route)
    if not route.escalation:
        return
    due = [
        s
        for s in protocol.ladder_for(case.student.residence_municipality.cbs_code)
        if s.due is not None and add_duration(anchor, s.due) <= today
    ]
    if skip_last:
        due = due[:-1]
    for step in due:
        taken_on = add_duration(anchor, step.due) - dt.timedelta(days=3)
        with case_history_dated(taken_on):
            escalation_record_add(user=lpa, case_id=case.pk, step=step.key, taken_on=taken_on)
