"""`leerrecht demo --cases N`: the demo seed opens exactly N cases, deterministically."""

from __future__ import annotations

import datetime as dt

import pytest

from leerrecht.cases.demo import cases_demo_seed
from leerrecht.cases.models import Case, ConsentStatus, Melding
from leerrecht.registry.tests.factories import EnrolmentFactory, StudentFactory

pytestmark = pytest.mark.django_db


def test_demo_seed_opens_the_requested_caseload(lpa, coordinator, den_haag, school):
    for i in range(24):  # 12 cases and the 8 meldingen that wait without a case
        s = StudentFactory(residence_municipality=den_haag, surname=f"Demo{i:02d}")
        EnrolmentFactory(student=s, school=school)
    cases = cases_demo_seed(reference_date=dt.date(2026, 11, 23), cases=12)
    assert len(cases) == Case.objects.count() == 12
    # a sick-absence report with consent refused leads to no case
    refused = Melding.objects.filter(consents__status=ConsentStatus.REFUSED)
    assert refused.count() == 1 and not refused.filter(case__isnull=False).exists()
    # the students in key order: the same input gives the same caseload
    first_students = sorted(c.student_id for c in cases)
    assert first_students == sorted(first_students)[:12]
    assert cases_demo_seed(reference_date=dt.date(2026, 11, 23), cases=12) == []


def test_demo_caseload_gives_vo_schools_their_share(lpa, coordinator, den_haag, school):
    """Three po schools and one vo school: the vo school still gets about half of the
    meldingen and cases (docs/adr/0117), not a quarter as a plain round robin over schools
    would give."""
    from leerrecht.registry.tests.factories import OrganisationFactory

    vo = OrganisationFactory(school=True, municipality=den_haag, school_type="vo")
    schools = [school, *(OrganisationFactory(school=True, municipality=den_haag) for _ in "ab")]
    for i, where in enumerate([*schools * 8, *[vo] * 12]):
        born = dt.date(2011, 3, 2) if where is vo else dt.date(2016, 5, 1)
        s = StudentFactory(
            residence_municipality=den_haag, surname=f"Demo{i:02d}", date_of_birth=born
        )
        EnrolmentFactory(student=s, school=where)
    cases_demo_seed(reference_date=dt.date(2026, 11, 23), cases=12)
    made = set(Case.objects.values_list("student_id", flat=True)) | set(
        Melding.objects.values_list("student_id", flat=True)
    )
    at_vo = {e.student_id for e in vo.enrolments.all()} & made
    assert len(made) == 20
    assert len(at_vo) >= 9, len(at_vo)
