"""Casus 1 closes when the student follows more than 50% again (seed 000, ch. 2); the
demo seed fills the worklist with realistic cases."""

from __future__ import annotations

import datetime as dt

import pytest

from leerrecht.cases.demo import cases_demo_seed
from leerrecht.cases.models import Case, ConsentStatus, Melding
from leerrecht.cases.selectors import case_closure_suggested, worklist_for_user
from leerrecht.cases.services import case_open, education_share_add
from leerrecht.registry.tests.factories import EnrolmentFactory, StudentFactory

pytestmark = pytest.mark.django_db


def test_closure_suggested_only_above_half(student, lpa, leerplicht_org):
    case, _ = case_open(
        user=lpa,
        student=student,
        anchor_date=dt.date(2026, 9, 7),
        regiehouder=leerplicht_org,
        casusverantwoordelijke=lpa,
        protocol_name="casus1-leerrecht",
    )
    education_share_add(user=lpa, case_id=case.pk, measured_on=dt.date(2026, 11, 2), percentage=50)
    assert not case_closure_suggested(case)
    education_share_add(user=lpa, case_id=case.pk, measured_on=dt.date(2026, 11, 16), percentage=60)
    assert case_closure_suggested(case)


def test_demo_seed_gives_a_varied_worklist(lpa, coordinator, den_haag, school):
    for i in range(6):
        s = StudentFactory(residence_municipality=den_haag, surname=f"Demo{i}")
        EnrolmentFactory(student=s, school=school)
    cases = cases_demo_seed(reference_date=dt.date(2026, 11, 23))
    assert len(cases) == 5
    assert len({c.phase for c in cases}) >= 3
    refused = Melding.objects.filter(consents__status=ConsentStatus.REFUSED)
    assert refused.count() == 1 and refused.get().case is None
    rows = worklist_for_user(lpa, today=dt.date(2026, 11, 23))
    assert any(r.overdue for r in rows)
    assert sum(r.stagnating for r in rows) == 1
    assert cases_demo_seed(reference_date=dt.date(2026, 11, 23)) == []  # idempotent
    assert Case.objects.count() == 5
