"""The pure deadline calculator: working days, school days, calendar days, holidays."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from leerrecht.cases.deadlines import (
    Calendar,
    Duration,
    add_duration,
    duration_parse,
    dutch_public_holidays,
    easter_sunday,
    is_working_day,
)

D = dt.date


def test_easter_dates_match_the_published_calendar():
    assert easter_sunday(2025) == D(2025, 4, 20)
    assert easter_sunday(2026) == D(2026, 4, 5)
    assert easter_sunday(2027) == D(2027, 3, 28)


def test_dutch_public_holidays_2026_include_kingsday_ascension_and_whit_monday():
    days = dutch_public_holidays(2026)
    assert D(2026, 4, 27) in days  # Koningsdag (Monday)
    assert D(2026, 5, 14) in days  # Hemelvaartsdag
    assert D(2026, 5, 25) in days  # Tweede Pinksterdag
    assert D(2026, 12, 26) in days
    assert D(2026, 5, 5) not in days  # Bevrijdingsdag only in lustrum years
    assert D(2025, 5, 5) in dutch_public_holidays(2025)


def test_kingsday_on_sunday_moves_to_saturday():
    assert D(2025, 4, 26) in dutch_public_holidays(2025)  # 27 April 2025 was a Sunday


def test_five_working_days_after_a_letter_skip_weekend_and_kingsday():
    # seed 004, 2: letter asking enrolment within 5 working days. Letter on Friday
    # 24 April 2026; Monday 27 April is Koningsdag.
    assert add_duration(D(2026, 4, 24), Duration(5, "working_days")) == D(2026, 5, 4)


def test_school_days_skip_the_school_holiday_of_the_calendar():
    autumn = Calendar(school_holidays=((D(2026, 10, 17), D(2026, 10, 25)),))
    # Friday 16 Oct + 1 school day = Monday 26 Oct (the week off does not count).
    assert add_duration(D(2026, 10, 16), Duration(1, "school_days"), autumn) == D(2026, 10, 26)
    assert add_duration(D(2026, 10, 16), Duration(1, "working_days"), autumn) == D(2026, 10, 19)


def test_calendar_days_weeks_and_months():
    assert add_duration(D(2026, 11, 23), Duration(14, "days")) == D(2026, 12, 7)
    assert add_duration(D(2026, 9, 7), Duration(13, "weeks")) == D(2026, 12, 7)
    assert add_duration(D(2027, 1, 31), Duration(1, "months")) == D(2027, 2, 28)
    assert add_duration(D(2026, 11, 30), Duration(3, "months")) == D(2027, 2, 28)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("5 working_days", Duration(5, "working_days")),
        ("1 week", Duration(1, "weeks")),
        ("3 months", Duration(3, "months")),
    ],
)
def test_duration_parse_reads_units(text, expected):
    assert duration_parse(text) == expected


@pytest.mark.parametrize("text", ["five weeks", "2 fortnights", "3", ""])
def test_duration_parse_refuses_nonsense_with_the_key_named(text):
    with pytest.raises(ValueError, match=r"norms\.x\.due"):
        duration_parse(text, where="norms.x.due")


@given(start=st.dates(min_value=D(2020, 1, 1), max_value=D(2035, 12, 31)), n=st.integers(1, 60))
def test_adding_working_days_lands_on_a_working_day_and_counts_exactly_n(start, n):
    end = add_duration(start, Duration(n, "working_days"))
    assert is_working_day(end)
    counted = sum(
        1 for i in range(1, (end - start).days + 1) if is_working_day(start + dt.timedelta(days=i))
    )
    assert counted == n


@given(start=st.dates(min_value=D(2020, 1, 1), max_value=D(2035, 12, 31)), n=st.integers(0, 40))
def test_more_units_never_give_an_earlier_date(start, n):
    for unit in ("days", "working_days", "school_days", "weeks", "months"):
        assert add_duration(start, Duration(n + 1, unit)) >= add_duration(start, Duration(n, unit))
