"""Demo loader for the case workflow: a handful of realistic meldingen and cases in the
demo region (called by `leerrecht demo` / `leerrecht setup --demo` after the registry and
the demo attendance are loaded). It writes only through `cases.services`."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from leerrecht.accounts.models import Role
from leerrecht.cases.models import (
    Case,
    ConsentPurpose,
    ConsentStatus,
    Contact,
    DuoAbsenceKind,
)
from leerrecht.cases.services import (
    case_open,
    case_phase_set,
    consent_record,
    contact_add,
    escalation_record_add,
    melding_create_duo,
    melding_create_sickness,
    plan_action_add,
)
from leerrecht.registry.models import Organisation, OrganisationKind, Student


@transaction.atomic
def cases_demo_seed(*, reference_date: dt.date) -> list[Case]:
    """A handful of realistic open cases in the demo region so the worklist is not empty:
    different phases and routes, some overdue, one stagnating, one report with consent
    refused. Idempotent: students that already have a case or report are skipped."""
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
