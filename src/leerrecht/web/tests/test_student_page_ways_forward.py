"""The pupil page leads on: to attendance and signals, the meldingen and the case, and it
shows the leerlingnummer that attendance files use."""

from __future__ import annotations

import datetime as dt

import pytest

from leerrecht.accounts.tests.factories import UserFactory
from leerrecht.cases.models import DuoAbsenceKind
from leerrecht.cases.services import melding_create_duo
from leerrecht.registry.tests.factories import EnrolmentFactory, OrganisationFactory, StudentFactory

pytestmark = pytest.mark.django_db


def test_pupil_page_links_to_attendance_meldingen_and_case(login):
    school = OrganisationFactory(school=True)
    coordinator = UserFactory(school_coordinator=True, organisation=school)
    student = StudentFactory(source_id="LL-4711", given_names="Noor")
    EnrolmentFactory(student=student, school=school, start=dt.date(2022, 8, 22))
    melding = melding_create_duo(
        user=coordinator,
        student=student,
        duo_kind=DuoAbsenceKind.H16_4W,
        reported_on=dt.date(2026, 11, 20),
        period_start=dt.date(2026, 10, 26),
        hours=18,
    )

    page = login(coordinator).get(f"/leerlingen/{student.pk}/").content.decode()

    assert "LL-4711" in page
    assert f"/verzuim/leerling/{student.pk}/" in page
    assert f"/casussen/meldingen/{melding.pk}/" in page
