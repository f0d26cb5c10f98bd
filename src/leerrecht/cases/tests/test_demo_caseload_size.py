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
