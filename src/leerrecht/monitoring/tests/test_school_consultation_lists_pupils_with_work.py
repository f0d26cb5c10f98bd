"""The school consultation page (seed 000, casus 1: leerplicht, SWV adviser and school
discuss risk pupils at least every two months) lists the pupils there is something to do
about - a recent signal, an open melding or an open case - each with its real next action
and deadline; a pupil who is simply at school is not a "risicoleerling"."""

from __future__ import annotations

import datetime as dt

import pytest

from leerrecht.accounts.models import Role
from leerrecht.accounts.tests.factories import UserFactory
from leerrecht.attendance.models import AttendanceImport, AttendanceSummary
from leerrecht.cases.services import case_open, melding_create_duo
from leerrecht.monitoring.school import school_consultation_data
from leerrecht.registry.tests.factories import (
    EnrolmentFactory,
    MunicipalityFactory,
    OrganisationFactory,
    StudentFactory,
)

pytestmark = pytest.mark.django_db
ON = dt.date(2026, 11, 20)


def _duo(user, pupil, *, reported_on: dt.date):
    return melding_create_duo(
        user=user,
        student=pupil,
        duo_kind="16_uur",
        reported_on=reported_on,
        period_start=reported_on - dt.timedelta(weeks=4),
        hours=18,
    )


@pytest.fixture
def school_world(settings):
    settings.LEERRECHT_PROTOCOL = "haaglanden-po"
    den_haag = MunicipalityFactory(den_haag=True)
    school = OrganisationFactory(school=True, municipality=den_haag, name="De Parel")
    leerplicht = OrganisationFactory(leerplicht=True, served_municipalities=[den_haag])
    coordinator = UserFactory(role=Role.SCHOOL_COORDINATOR, organisation=school)
    lpa = UserFactory(role=Role.LEERPLICHT_OFFICER, organisation=leerplicht)
    pupils = {}
    for name in ("Anna", "Bram", "Cas"):
        pupils[name] = StudentFactory(
            given_names=name, surname="Jansen", residence_municipality=den_haag
        )
        EnrolmentFactory(student=pupils[name], school=school, start=dt.date(2022, 8, 22))
    # Anna: at school every day of the last 4 weeks (an older tier-2 figure for the year).
    imp = AttendanceImport.objects.create(
        original_name="v.csv", sha256="0" * 64, protocol="haaglanden-po", status="done"
    )
    year = {"scheduled_hours": 360, "attended_hours": 320, "unauthorised_hours": 40}
    last20 = {"last20_scheduled_hours": 120, "last20_attended_hours": 120}
    AttendanceSummary.objects.create(
        student=pupils["Anna"],
        attendance_import=imp,
        as_of=ON,
        school_year_start=dt.date(2026, 8, 1),
        school_days=60,
        **year,
        **{"sick_hours": 0, "authorised_hours": 0, "absence_rate": 0.11, "tier": 2},
        **last20,
        last20_percent_attended=100,
        absent_streak_days=0,
    )
    # Bram: an open case without plan actions; Cas: a DUO melding nobody has acted on.
    bram_melding = _duo(coordinator, pupils["Bram"], reported_on=dt.date(2026, 11, 2))
    case_open(
        user=lpa,
        student=pupils["Bram"],
        melding=bram_melding,
        anchor_date=dt.date(2026, 9, 7),
        regiehouder=leerplicht,
        casusverantwoordelijke=lpa,
        opened_on=dt.date(2026, 11, 2),
    )
    _duo(coordinator, pupils["Cas"], reported_on=dt.date(2026, 11, 16))
    return school, lpa


def test_only_pupils_with_a_signal_melding_or_case_are_listed(school_world):
    school, lpa = school_world
    data = school_consultation_data(user=lpa, school=school, on=ON)
    listed = {row[0] for row in data["risk"]}
    assert listed == {"Bram Jansen", "Cas Jansen"}


def test_every_listed_pupil_has_a_next_action_and_the_case_its_deadline(school_world):
    school, lpa = school_world
    data = school_consultation_data(user=lpa, school=school, on=ON)
    rows = {row[0]: row for row in data["risk"]}
    reason, action, due = rows["Bram Jansen"][-3:]
    assert "casus" in reason and action and isinstance(due, dt.date)
    reason, action, _due = rows["Cas Jansen"][-3:]
    assert "melding" in reason and action
    (case_row,) = data["cases"]
    assert case_row[-2] and isinstance(case_row[-1], dt.date)
