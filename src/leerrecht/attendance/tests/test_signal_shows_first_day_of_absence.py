"""A signal names two days (JOURNEYS.md, school Monday morning: "the first day of absence as
well as the day the threshold was crossed"): the day the rule first held, and the first day
of the absence it rests on - the first day of the spell for spell signals, the first absent
day in the 4 school weeks up to the threshold for window signals (seed 001, 1.2)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from leerrecht.attendance.models import SignalHit
from leerrecht.attendance.services import attendance_import_create
from leerrecht.attendance.tests.helpers import (
    HEADER,
    SEVENTEEN_HOURS,
    SEVENTEEN_HOURS_FIRST_DATE,
    school_days,
    student_rows,
    write_csv,
)

pytestmark = pytest.mark.django_db
DAYS = school_days(20)


@pytest.fixture
def imported(tmp_path, coordinator, enrolled):
    """S-1: 17 unauthorised hours on days 10-12 (first absent day Fri 6 Nov, threshold
    Tue 10 Nov); S-2: sick from day 3 (Wed 28 Oct) for 9 school days in a row."""
    truant, sick = enrolled("S-1", given_names="Sanne"), enrolled("S-2", given_names="Sem")
    sick_rows = [
        f"S-2,{day.isoformat()},6,0,{6 if 2 <= i <= 10 else 0},0\n" for i, day in enumerate(DAYS)
    ]
    path = write_csv(tmp_path / "v.csv", student_rows("S-1", unauthorised=SEVENTEEN_HOURS))
    path.write_text(path.read_text("utf-8") + "".join(sick_rows), "utf-8")
    assert path.read_text("utf-8").startswith(HEADER)
    attendance_import_create(user=coordinator, file=path, original_name="v.csv")
    return truant, sick


def test_window_signal_keeps_the_first_absent_day_of_its_window(imported):
    truant, _ = imported
    hit = SignalHit.objects.get(student=truant, signal="unauthorised_16h_4w")
    assert hit.first_date == SEVENTEEN_HOURS_FIRST_DATE
    assert hit.details["run_start"] == DAYS[9].isoformat() == "2026-11-06"


def test_spell_signal_keeps_the_first_day_of_the_spell(imported):
    _, sick = imported
    hits = SignalHit.objects.filter(student=sick, details__spell_length__isnull=False)
    assert hits.exists()
    for hit in hits:
        assert hit.first_date > DAYS[2]
        assert hit.details["run_start"] == DAYS[2].isoformat() == "2026-10-28", hit.signal


def test_signal_pages_show_both_days(login, coordinator, imported):
    truant, _ = imported
    client = login(coordinator)
    listing = client.get(reverse("attendance:signals")).content.decode()
    overview = client.get(reverse("attendance:student_overview", args=[truant.pk])).content.decode()
    for body in (listing, overview):
        assert "verzuim vanaf 06-11-2026" in body
        assert "drempel bereikt 10-11-2026" in body
    assert dt.date(2026, 11, 6) < SEVENTEEN_HOURS_FIRST_DATE
