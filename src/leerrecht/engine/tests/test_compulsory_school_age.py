"""Compulsory school age (Leerplichtwet art. 3, 4, 4a) as one rule: examples from the law."""

from __future__ import annotations

import datetime as dt

import pytest

from leerrecht.engine.compulsory import (
    CompulsoryStatus,
    compulsory_period,
    compulsory_status,
    is_compulsory,
)

D = dt.date


@pytest.mark.parametrize(
    ("born", "starts"),
    [
        # art. 3: the first (school) day of the month after the month of the 5th birthday.
        (D(2021, 11, 21), D(2026, 12, 1)),
        (D(2021, 11, 1), D(2026, 12, 1)),
        (D(2021, 12, 31), D(2027, 1, 1)),  # December birthday: January of the next year
        (D(2020, 2, 29), D(2025, 4, 1)),  # 29 February: birthday 1 March, so April
    ],
)
def test_leerplicht_starts_the_month_after_the_fifth_birthday(born, starts):
    period = compulsory_period(date_of_birth=born)
    assert period.leerplicht_start == starts
    day_before = starts - dt.timedelta(days=1)
    assert compulsory_status(date_of_birth=born, on=day_before) is CompulsoryStatus.TOO_YOUNG
    assert compulsory_status(date_of_birth=born, on=starts) is CompulsoryStatus.LEERPLICHT


def test_the_issue_pupil_born_21_11_2021_is_not_leerplichtig_in_march_2026():
    assert not is_compulsory(date_of_birth=D(2021, 11, 21), on=D(2026, 3, 16))
    assert is_compulsory(date_of_birth=D(2021, 11, 21), on=D(2026, 12, 3))


def test_leerplicht_ends_at_the_end_of_the_school_year_in_which_the_child_turns_16():
    born = D(2010, 11, 5)  # turns 16 on 5-11-2026, school year 2026-27
    period = compulsory_period(date_of_birth=born)
    assert period.leerplicht_end == D(2027, 8, 1)
    assert compulsory_status(date_of_birth=born, on=D(2027, 7, 31)) is CompulsoryStatus.LEERPLICHT
    status = compulsory_status(date_of_birth=born, on=D(2027, 8, 1))
    assert status is CompulsoryStatus.KWALIFICATIEPLICHT


def test_a_summer_birthday_turns_16_in_the_school_year_that_starts_on_1_august():
    # 31 July belongs to the old school year, 1 August to the new one.
    assert compulsory_period(date_of_birth=D(2010, 7, 31)).leerplicht_end == D(2026, 8, 1)
    assert compulsory_period(date_of_birth=D(2010, 8, 1)).leerplicht_end == D(2027, 8, 1)


def test_twelve_full_school_years_end_leerplicht_before_sixteen():
    # Born 1-10-2010, groep 1 from 22-8-2014: 12 full school years 2014-15 .. 2025-26,
    # leerplicht ends on 1-8-2026, before the school year in which the child turns 16.
    born, first = D(2010, 10, 1), D(2014, 8, 22)
    assert compulsory_period(date_of_birth=born).leerplicht_end == D(2027, 8, 1)
    period = compulsory_period(date_of_birth=born, first_enrolment=first)
    assert period.leerplicht_end == D(2026, 8, 1)
    assert compulsory_status(date_of_birth=born, on=D(2026, 9, 1), first_enrolment=first) is (
        CompulsoryStatus.KWALIFICATIEPLICHT
    )


def test_joining_mid_year_does_not_count_that_year_as_full():
    born, first = D(2010, 10, 1), D(2015, 1, 12)  # first full school year: 2015-16
    period = compulsory_period(date_of_birth=born, first_enrolment=first)
    assert period.leerplicht_end == D(2027, 8, 1)  # age 16 comes first


def test_kwalificatieplicht_until_18_or_a_starting_qualification():
    born = D(2008, 3, 14)
    on = D(2025, 9, 1)
    assert compulsory_status(date_of_birth=born, on=on) is CompulsoryStatus.KWALIFICATIEPLICHT
    assert is_compulsory(date_of_birth=born, on=on)
    assert not is_compulsory(date_of_birth=born, on=on, starting_qualification=True)
    assert compulsory_status(date_of_birth=born, on=D(2026, 3, 14)) is CompulsoryStatus.RELEASED
    assert is_compulsory(date_of_birth=born, on=D(2026, 3, 13))


def test_a_starting_qualification_does_not_end_leerplicht_itself():
    born = D(2012, 5, 1)
    assert is_compulsory(date_of_birth=born, on=D(2026, 1, 5), starting_qualification=True)
