"""Two regions side by side, A and B, for cross-scope tests (issue 5).

Region A: municipality A, school A (member of SWV A), leerplicht A (serves municipality A),
JGZ A (serves school A), care team A. Region B: the same with B. Students:
- student_a: lives in A, enrolled at school A;
- student_b: lives in B, enrolled at school B (out of every A-scope);
Users of every role exist in region A. Cases are built through `case_for`, which uses the
cases app's factory when it has one and otherwise the model directly.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import factory
from django.apps import apps

from leerrecht.accounts.models import Role
from leerrecht.accounts.tests.factories import UserFactory
from leerrecht.registry.tests.factories import (
    EnrolmentFactory,
    GuardianFactory,
    MunicipalityFactory,
    OrganisationFactory,
    StudentFactory,
    valid_bsn,
)

TODAY = dt.date(2026, 11, 23)


_bsn_counter = iter(range(10_000, 10_000_000, 10))


class PersonFactory(StudentFactory):
    """StudentFactory with BSNs far enough apart never to collide (valid_bsn(n) and
    valid_bsn(n + 1) can land on the same number)."""

    bsn = factory.LazyFunction(lambda: valid_bsn(next(_bsn_counter)))


def school_in(municipality, *, swv=None, **kwargs):
    """A school; the SWV is set afterwards because OrganisationFactory's `swv` is a trait."""
    school = OrganisationFactory(school=True, municipality=municipality, **kwargs)
    if swv is not None:
        school.swv = swv
        school.save(update_fields=["swv"])
    return school


@dataclass
class Region:
    municipality: object
    school: object
    swv: object
    leerplicht: object
    jgz: object
    care: object
    municipality_org: object
    student: object
    users: dict = field(default_factory=dict)


def region(letter: str, *, surname: str) -> Region:
    municipality = MunicipalityFactory(name=f"Gemeente {letter}")
    swv = OrganisationFactory(swv=True, name=f"SWV {letter}")
    school = school_in(municipality, swv=swv, name=f"School {letter}")
    leerplicht = OrganisationFactory(
        leerplicht=True, name=f"Leerplicht {letter}", served_municipalities=[municipality]
    )
    jgz = OrganisationFactory(jgz=True, name=f"JGZ {letter}", served_schools=[school])
    care = OrganisationFactory(care=True, name=f"Jeugdteam {letter}")
    municipality_org = OrganisationFactory(
        municipality_org=True, name=f"Gemeente-organisatie {letter}", municipality=municipality
    )
    student = PersonFactory(
        given_names=f"Kind{letter}", surname=surname, residence_municipality=municipality
    )
    EnrolmentFactory(student=student, school=school, start=dt.date(2022, 8, 22))
    GuardianFactory(student=student, name=f"Ouder {surname}")
    return Region(municipality, school, swv, leerplicht, jgz, care, municipality_org, student)


# The organisation (attribute of Region) each role works for.
ROLE_ORGANISATION = {
    Role.MENTOR: "school",
    Role.SCHOOL_COORDINATOR: "school",
    Role.SWV_CONSULTANT: "swv",
    Role.LEERPLICHT_OFFICER: "leerplicht",
    Role.LEERRECHT_CONSULTANT: "leerplicht",
    Role.YOUTH_DOCTOR: "jgz",
    Role.CARE_WORKER: "care",
    Role.PROCESS_DIRECTOR: "leerplicht",
    Role.POLICY: "municipality_org",
    Role.PRIVACY_OFFICER: "municipality_org",
    Role.OPERATOR: "municipality_org",
}


def user_for(reg: Region, role: str, **kwargs):
    key = (role, tuple(sorted(kwargs.items())))
    if key not in reg.users:
        reg.users[key] = UserFactory(
            role=role, organisation=getattr(reg, ROLE_ORGANISATION[role]), **kwargs
        )
    return reg.users[key]


def platform_operator(reg: Region):
    """A superuser without a functional role: the only kind of account the Django admin
    (/beheer/) lets in (docs/adr/0120)."""
    if "platform" not in reg.users:
        reg.users["platform"] = UserFactory(
            role=Role.POLICY, organisation=None, is_staff=True, is_superuser=True
        )
    return reg.users["platform"]


def case_for(student, *, owner, closed_on: dt.date | None = None, **kwargs):
    """A case about `student` owned by `owner` (a user)."""
    status = "closed" if closed_on else "open"
    Case = apps.get_model("cases", "Case")
    from django.utils import timezone

    values = {
        "student": student,
        "status": status,
        "protocol": "haaglanden-po",
        "route": "with_enrolment",
        "phase": "phase_2",
        "phase_since": TODAY,
        "anchor_date": TODAY - dt.timedelta(days=30),
        "opened_on": TODAY - dt.timedelta(days=20),
        "regiehouder": owner.organisation,
        "casusverantwoordelijke": owner,
        "last_activity_at": timezone.now(),
        "closed_on": closed_on,
    }
    values.update(kwargs)
    return Case.objects.create(**values)


def invite(case, user, *, active: bool = True):
    Participant = apps.get_model("cases", "CaseParticipant")
    return Participant.objects.create(
        case=case, user=user, organisation=user.organisation, active=active, added_on=TODAY
    )
