"""Compulsory school age as ONE rule (Leerplichtwet 1969, art. 3, 4 and 4a).

Pure Python (no Django): the product's stored signals, the thuiszitter lists and counts,
the Inspectie form, the yearly count and absolute verzuim all ask this module whether a
child was of compulsory school age on a day. Sources (DOMAIN.md "Absoluut verzuim",
"Definitions of thuiszitter"; seed 000 note 9; seed 001, 1.3):

- art. 3 lid 1: leerplicht starts on the first school day of the month after the month
  in which the child turns 5 (from a school calendar when the caller has one, otherwise
  the first weekday of that month).
- art. 4 lid 1: leerplicht ends at the end of the school year in which the child has
  followed 12 full school years, or at the latest at the end of the school year in which
  the child turns 16.
- art. 4a: then kwalificatieplicht until the 18th birthday, unless the young person has
  a starting qualification (startkwalificatie).

The school year runs from 1 August to 31 July (Leerplichtwet art. 1, "schooljaar").
The figures are the law's, the same for every region, so they are the defaults of
:class:`CompulsoryAgeRule` rather than preset data; a caller with its own configured
ages (reconciliation's ``[leerplicht]``) passes a rule built from them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

__all__ = [
    "CompulsoryAgeRule",
    "CompulsoryPeriod",
    "CompulsoryStatus",
    "compulsory_period",
    "compulsory_status",
    "is_compulsory",
]


class CompulsoryStatus(StrEnum):
    TOO_YOUNG = "too_young"  # before the start of leerplicht (art. 3)
    LEERPLICHT = "leerplicht"  # art. 3-4
    KWALIFICATIEPLICHT = "kwalificatieplicht"  # art. 4a
    RELEASED = "released"  # 18 or older, or a starting qualification after leerplicht


@dataclass(frozen=True, slots=True)
class CompulsoryAgeRule:
    """The parameters of the rule; the defaults are the Leerplichtwet."""

    start_age_years: int = 5  # art. 3 lid 1
    end_age_years: int = 16  # art. 4 lid 1 ("in ieder geval ... 16 jaar")
    full_school_years: int = 12  # art. 4 lid 1 ("12 volledige schooljaren")
    qualification_until_age: int = 18  # art. 4a lid 1
    school_year_start_month: int = 8  # art. 1: schooljaar 1 augustus - 31 juli
    school_year_start_day: int = 1
    # A child enrolled within this many days after the start of a school year has
    # followed that school year fully (lessons start in the second half of August or
    # early September, depending on the holiday region).
    full_year_enrolled_within_days: int = 45


LAW = CompulsoryAgeRule()


@dataclass(frozen=True, slots=True)
class CompulsoryPeriod:
    """Start and (exclusive) ends of leerplicht and kwalificatieplicht of one child."""

    leerplicht_start: dt.date
    leerplicht_end: dt.date  # first day no longer leerplichtig
    kwalificatieplicht_end: dt.date  # first day no longer kwalificatieplichtig (18th birthday)


def _birthday(born: dt.date, years: int) -> dt.date:
    try:
        return born.replace(year=born.year + years)
    except ValueError:  # born on 29 February: the birthday is 1 March in other years
        return dt.date(born.year + years, 3, 1)


def _school_year_start(on: dt.date, rule: CompulsoryAgeRule) -> dt.date:
    start = dt.date(on.year, rule.school_year_start_month, rule.school_year_start_day)
    return start if on >= start else start.replace(year=on.year - 1)


def _weekday(day: dt.date) -> bool:
    return day.weekday() < 5


def compulsory_period(
    *,
    date_of_birth: dt.date,
    first_enrolment: dt.date | None = None,
    rule: CompulsoryAgeRule = LAW,
    is_school_day: Callable[[dt.date], bool] | None = None,
) -> CompulsoryPeriod:
    """The child's leerplicht and kwalificatieplicht period.

    `first_enrolment` is the first day the child was enrolled at any school (groep 1 often
    starts at 4); with it the "12 full school years" end of art. 4 is applied, without it
    only the age-16 end (which is never later). `is_school_day` (a school calendar) finds
    the first school day of the start month; without one, its first weekday."""
    birthday = _birthday(date_of_birth, rule.start_age_years)
    first_of_month = dt.date(birthday.year + (birthday.month == 12), birthday.month % 12 + 1, 1)
    test = is_school_day or _weekday
    start = next(
        (day for day in (first_of_month + dt.timedelta(days=n) for n in range(120)) if test(day)),
        first_of_month,  # a calendar without school days: keep the first of the month
    )
    year_turning_16 = _school_year_start(_birthday(date_of_birth, rule.end_age_years), rule)
    end = year_turning_16.replace(year=year_turning_16.year + 1)
    if first_enrolment is not None:
        year = _school_year_start(first_enrolment, rule)
        if (first_enrolment - year).days > rule.full_year_enrolled_within_days:
            year = year.replace(year=year.year + 1)  # joined mid-year: the next one is full
        after_full_years = year.replace(year=year.year + rule.full_school_years)
        end = min(end, max(after_full_years, start))
    return CompulsoryPeriod(start, end, _birthday(date_of_birth, rule.qualification_until_age))


def compulsory_status(
    *,
    date_of_birth: dt.date,
    on: dt.date,
    starting_qualification: bool = False,
    first_enrolment: dt.date | None = None,
    rule: CompulsoryAgeRule = LAW,
) -> CompulsoryStatus:
    """Which duty the child is under on `on`."""
    period = compulsory_period(
        date_of_birth=date_of_birth, first_enrolment=first_enrolment, rule=rule
    )
    if on < period.leerplicht_start:
        return CompulsoryStatus.TOO_YOUNG
    if on < period.leerplicht_end:
        return CompulsoryStatus.LEERPLICHT
    if on < period.kwalificatieplicht_end and not starting_qualification:
        return CompulsoryStatus.KWALIFICATIEPLICHT
    return CompulsoryStatus.RELEASED


def is_compulsory(**facts: Any) -> bool:
    """Leerplichtig or kwalificatieplichtig on `on` (the age band of every thuiszitter
    definition, seed 001 1.3: "leer- of kwalificatieplichtig ... tussen de 5 en 18").
    Takes the keyword arguments of :func:`compulsory_status`."""
    return compulsory_status(**facts) in (
        CompulsoryStatus.LEERPLICHT,
        CompulsoryStatus.KWALIFICATIEPLICHT,
    )
