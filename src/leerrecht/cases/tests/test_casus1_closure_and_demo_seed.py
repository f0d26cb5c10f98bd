"""Casus 1 closes when the student follows more than 50% again (seed 000, ch. 2); the
demo seed fills the worklist with realistic cases."""

from __future__ import annotations

import datetime as dt

import pytest

from leerrecht.cases.demo import cases_demo_seed
from leerrecht.cases.models import CaseEvent, CaseStatus, DuoStatus, EscalationRecord, Melding
from leerrecht.cases.selectors import (
    case_closure_suggested,
    student_current_school,
    worklist_for_user,
)
from leerrecht.cases.services import case_open, education_share_add
from leerrecht.registry.tests.factories import (
    EnrolmentFactory,
    OrganisationFactory,
    StudentFactory,
)

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


def test_demo_caseload_looks_like_a_real_office(lpa, coordinator, jgz_doctor, den_haag, school):
    other = OrganisationFactory(school=True, municipality=den_haag, name="Basisschool De Wilg")
    for i in range(40):
        s = StudentFactory(residence_municipality=den_haag, surname=f"Demo{i}")
        EnrolmentFactory(student=s, school=school if i % 2 else other, start=dt.date(2022, 8, 22))
    toddler = StudentFactory(residence_municipality=den_haag, date_of_birth=dt.date(2022, 3, 1))
    EnrolmentFactory(student=toddler, school=school, start=dt.date(2026, 3, 2))
    today = dt.date(2026, 11, 23)

    cases = cases_demo_seed(reference_date=today, cases=30)

    assert len(cases) == 30
    open_cases = [c for c in cases if c.status != CaseStatus.CLOSED]
    assert len(open_cases) == 27
    assert len({c.phase for c in open_cases}) >= 3
    steps = set(EscalationRecord.objects.values_list("step", flat=True))
    assert len(steps) == 4  # Den Haag: steps 1-2-3-4 (seed 004, Bijlage 1)
    # Meldingen in every DUO status, made by a coordinator of the pupil's own school.
    statuses = set(Melding.objects.exclude(duo_status="").values_list("duo_status", flat=True))
    assert statuses == set(DuoStatus.values)
    for m in Melding.objects.select_related("student"):
        assert m.organisation == student_current_school(m.student, on=m.reported_on)
        assert m.reported_by.organisation == m.organisation
    assert not toddler.meldingen.exists()  # under compulsory school age (Leerplichtwet art. 3)
    # Sick-absence cases are at JGZ: on the sick-absence route with the jeugdarts taking part.
    sick = [c for c in open_cases if c.route == "sickness"]
    assert sick and all(c.participants.filter(user=jgz_doctor).exists() for c in sick)
    # History dated when it happened, so a case opened weeks ago is not stamped today.
    days = {e.occurred_at.date() for e in CaseEvent.objects.all()}
    assert len(days) > 10 and max(days) <= today
    rows = worklist_for_user(lpa, today=today)
    assert any(r.overdue for r in rows)
    assert any(r.new_melding for r in rows)  # meldingen not handled yet wait on the worklist
    assert cases_demo_seed(reference_date=today, cases=30) == []  # idempotent
