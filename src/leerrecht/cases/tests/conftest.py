"""A small slice of the demo region (seed 004: Den Haag, Leidschendam-Voorburg, Rijswijk)."""

from __future__ import annotations

import datetime as dt

import pytest

from leerrecht.accounts.models import Role
from leerrecht.accounts.tests.factories import UserFactory
from leerrecht.registry.tests.factories import (
    EnrolmentFactory,
    GuardianFactory,
    MunicipalityFactory,
    OrganisationFactory,
    StudentFactory,
)


@pytest.fixture(autouse=True)
def _haaglanden(settings):
    settings.LEERRECHT_PROTOCOL = "haaglanden-po"


@pytest.fixture
def den_haag(db):
    return MunicipalityFactory(den_haag=True)


@pytest.fixture
def school(den_haag):
    return OrganisationFactory(school=True, municipality=den_haag, name="Basisschool De Parel")


@pytest.fixture
def leerplicht_org(den_haag):
    return OrganisationFactory(leerplicht=True, served_municipalities=[den_haag])


@pytest.fixture
def student(den_haag, school):
    s = StudentFactory(residence_municipality=den_haag, given_names="Sanne", surname="Jansen")
    EnrolmentFactory(student=s, school=school, start=dt.date(2022, 8, 22), group="6b")
    GuardianFactory(student=s, name="M. Jansen", relation="moeder")
    return s


@pytest.fixture
def lpa(leerplicht_org):
    return UserFactory(
        role=Role.LEERPLICHT_OFFICER,
        organisation=leerplicht_org,
        first_name="Lotte",
        email="lpa@example.org",
    )


@pytest.fixture
def coordinator(school):
    return UserFactory(role=Role.SCHOOL_COORDINATOR, organisation=school, first_name="Ingrid")


@pytest.fixture
def jgz_doctor(school):
    org = OrganisationFactory(jgz=True, served_schools=[school])
    return UserFactory(role=Role.YOUTH_DOCTOR, organisation=org)


@pytest.fixture
def duo_melding(student, coordinator):
    from leerrecht.cases.services import melding_create_duo

    return melding_create_duo(
        user=coordinator,
        student=student,
        duo_kind="16_uur",
        reported_on=dt.date(2026, 11, 2),
        period_start=dt.date(2026, 10, 5),
        hours=18,
    )


@pytest.fixture
def open_case(student, lpa, leerplicht_org, duo_melding):
    from leerrecht.cases.services import case_open

    case, _ = case_open(
        user=lpa,
        student=student,
        melding=duo_melding,
        anchor_date=dt.date(2026, 9, 7),
        regiehouder=leerplicht_org,
        casusverantwoordelijke=lpa,
        opened_on=dt.date(2026, 11, 2),
    )
    return case
