"""Who may see which meldingen and cases, and how much of them (issue 4.2, issue 5).

Built on `privacy.query.students_for_user`, never wider. On top of that scope the consent
table of `privacy.consent` (the one consent rule): a melding (or a case) about AUTHORISED
absence reaches leerplicht, the SWV, JGZ or care only when the parents gave consent to
share with them (seeds/000 casus 1 "toestemming ouders": "als ouders niet akkoord gaan,
doet de leerrechtorganisatie niets"). Without it the reader gets a `Redacted*` object:
that a report exists, when and by whom, not what.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from types import SimpleNamespace

from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.http import Http404

from leerrecht.accounts.models import Role
from leerrecht.cases.models import (
    Case,
    CaseStatus,
    Consent,
    MedicalNote,
    Melding,
)
from leerrecht.cases.workflow import ROUTE_SICKNESS
from leerrecht.privacy import consent as consent_rule
from leerrecht.privacy.query import (
    students_filter,
    students_for_user,
    user_reads_medical_details,
)


def cases_for_user(user) -> QuerySet[Case]:
    return Case.objects.filter(students_filter(user, via="student")).select_related(
        "student", "regiehouder", "casusverantwoordelijke", "procesregisseur"
    )


def meldingen_for_user(user) -> QuerySet[Melding]:
    return Melding.objects.filter(student__in=students_for_user(user)).select_related(
        "student", "organisation", "reported_by"
    )


def melding_content_visible(user, melding: Melding) -> bool:
    """The consent table's "melding content" cell (privacy/consent.py)."""
    return consent_rule.melding_content_visible(user, melding)


def case_content_visible(user, case: Case) -> bool:
    """A case about authorised absence shows its content once any of its reports about
    authorised absence may be read by `user` (privacy/consent.py)."""
    if not case.authorised_absence:
        return True
    return any(
        consent_rule.melding_content_visible(user, m)
        for m in case.meldingen.all()
        if m.authorised_absence
    )


def cases_content_hidden(user, *, authorised_case_ids: list[int]) -> set[int]:
    """Which of these cases about authorised absence `user` may not read the content of:
    case_content_visible for a whole list, in two queries (their reports about authorised
    absence and the consents, as plain rows for the one consent rule)."""
    consents: dict[int, list] = {}
    for row in Consent.objects.filter(
        melding__case_id__in=authorised_case_ids, melding__authorised_absence=True
    ).values("pk", "melding_id", "asked_on", "status", "purposes"):
        consents.setdefault(row["melding_id"], []).append(SimpleNamespace(**row))
    readable = set()
    audience = consent_rule.audience_of(user)
    for melding_id, case_id, organisation_id in Melding.objects.filter(
        case_id__in=authorised_case_ids, authorised_absence=True
    ).values_list("pk", "case_id", "organisation_id"):
        melding = SimpleNamespace(
            authorised_absence=True,
            organisation_id=organisation_id,
            consents=SimpleNamespace(all=consents.get(melding_id, []).copy),
        )
        if consent_rule.melding_content_visible(user, melding, audience=audience):
            readable.add(case_id)
    return set(authorised_case_ids) - readable


@dataclass(frozen=True)
class RedactedMelding:
    """What leerplicht sees of an authorised-absence report without consent."""

    pk: int
    student: object
    kind_label: str
    reported_on: dt.date
    organisation_name: str
    consent_label: str
    redacted: bool = True


@dataclass(frozen=True)
class RedactedCase:
    pk: int
    student: object
    status_label: str
    opened_on: dt.date
    regiehouder_name: str
    redacted: bool = True
    is_closed: bool = False


def melding_redact(user, melding: Melding) -> Melding | RedactedMelding:
    if melding_content_visible(user, melding):
        return melding
    consent = melding.consent
    return RedactedMelding(
        pk=melding.pk,
        student=melding.student,
        kind_label=str(melding.get_kind_display()),
        reported_on=melding.reported_on,
        organisation_name=melding.organisation.name if melding.organisation else "",
        consent_label=str(consent.get_status_display()) if consent else "niet gevraagd",
    )


def case_redact(user, case: Case) -> Case | RedactedCase:
    if case_content_visible(user, case):
        return case
    return RedactedCase(
        pk=case.pk,
        student=case.student,
        status_label=str(case.get_status_display()),
        opened_on=case.opened_on,
        regiehouder_name=case.regiehouder.name,
        is_closed=case.status == CaseStatus.CLOSED,
    )


def melding_get_for_user(user, pk: int) -> Melding | RedactedMelding:
    try:
        melding = meldingen_for_user(user).get(pk=pk)
    except Melding.DoesNotExist:
        raise Http404 from None
    return melding_redact(user, melding)


def case_get_for_user(user, pk: int) -> Case | RedactedCase:
    try:
        case = cases_for_user(user).get(pk=pk)
    except Case.DoesNotExist:
        raise Http404 from None
    return case_redact(user, case)


def medical_notes_for_user(user, *, case: Case | None = None, melding: Melding | None = None):
    """Medical details only for JGZ youth doctors, under the consent table
    (privacy/consent.py, category "medical notes")."""
    if not user_reads_medical_details(user):
        return MedicalNote.objects.none()
    qs = MedicalNote.objects.filter(student__in=students_for_user(user))
    if case is not None:
        qs = qs.filter(case=case) | qs.filter(melding__case=case)
    if melding is not None:
        qs = qs.filter(melding=melding)
    ids = set(qs.values_list("student_id", flat=True))
    shown = consent_rule.categories_visible(user, ids)
    allowed = [i for i in ids if consent_rule.Category.MEDICAL_NOTES in shown[i]]
    return qs.filter(student_id__in=allowed).distinct().order_by("-written_on", "-id")


# Who can hold a case (casusverantwoordelijke, procesregisseur): the case workers of
# DOMAIN.md "Who uses it" - school coordinator, leerplicht, leerrecht consultant, SWV
# consultant, procesregisseur - and the JGZ doctor on the sick-absence route only (seed 004,
# 1 "Het routeboek ziekteverzuim"). Mentors, care workers (invited per case), policy,
# privacy officer and beheer never hold a case (docs/adr/0112).
CASE_HOLDER_ROLES = frozenset(
    {
        Role.SCHOOL_COORDINATOR.value,
        Role.LEERPLICHT_OFFICER.value,
        Role.LEERRECHT_CONSULTANT.value,
        Role.SWV_CONSULTANT.value,
        Role.PROCESS_DIRECTOR.value,
        Role.YOUTH_DOCTOR.value,
    }
)
SICKNESS_ROUTE_ONLY_ROLES = frozenset({Role.YOUTH_DOCTOR.value})


def case_holders_for(student, *, on: dt.date | None = None):
    """Active users who may hold a case about `student`: a case-holding role whose own
    scope (privacy.query) contains the child."""
    users = get_user_model().objects.filter(is_active=True, role__in=sorted(CASE_HOLDER_ROLES))
    ids = [
        u.pk
        for u in users.select_related("organisation")
        if students_for_user(u, on=on).filter(pk=student.pk).exists()
    ]
    return users.filter(pk__in=ids).select_related("organisation")


def case_holder_allowed_on_route(user, route_key: str) -> bool:
    return user.role not in SICKNESS_ROUTE_ONLY_ROLES or route_key == ROUTE_SICKNESS
