"""Unauthorised absence and lateness (seed 001, 1.2; seed 000, casus 2)."""

from __future__ import annotations

import itertools
from datetime import date

from leerrecht.engine.tests.conftest import HOLIDAY, first, school_days, student

U16 = "unauthorised_16h_4w"


def test_16h_is_strict_more_than(run):
    # 4 + 4 + 4 + 4 = exactly 16 within 20 school days: not "more than 16" (seed 001, 1.2)
    at = student("A", 30, unauthorised_hours={2: 4, 5: 4, 9: 4, 12: 4})
    above = student("B", 30, unauthorised_hours={2: 4, 5: 4, 9: 4, 12: 4.25})
    rows = run(at + above, [U16])
    assert first(rows, "A", U16) is None
    hit = first(rows, "B", U16)
    assert hit["first_date"] == school_days(12)[-1]
    assert hit["value"] == 16.25


def test_16h_window_is_20_school_days(run):
    # day 1 and day 21 are 21 school days apart: never in one 20-day window ...
    apart = student("A", 30, unauthorised_hours={1: 6, 10: 5, 21: 6})
    # ... day 2 and day 21 are exactly 20 days: in one window
    inside = student("B", 30, unauthorised_hours={2: 6, 10: 5, 21: 6})
    rows = run(apart + inside, [U16])
    assert first(rows, "A", U16) is None
    assert first(rows, "B", U16)["first_date"] == school_days(21)[-1]


def test_holiday_and_weekends_do_not_break_the_window(run):
    # school days 30 and 36 straddle the autumn holiday week; still 7 school days apart
    days = school_days(40)
    assert any(a < HOLIDAY[0] and b > HOLIDAY[1] for a, b in itertools.pairwise(days))
    rows = run(student("A", 40, unauthorised_hours={30: 6, 33: 6, 36: 6}), [U16])
    assert first(rows, "A", U16)["first_date"] == days[35]


def test_shorter_window_before_day_20(run):
    rows = run(student("A", 5, unauthorised_hours={1: 6, 2: 6, 3: 6}), [U16])
    assert first(rows, "A", U16)["first_date"] == school_days(3)[-1]


def test_preventive_10h_is_at_least(run):
    below = student("A", 25, unauthorised_hours={3: 5, 8: 4.75})
    at = student("B", 25, unauthorised_hours={3: 5, 8: 5})
    rows = run(below + at, ["preventive_10h_4w"])
    assert first(rows, "A", "preventive_10h_4w") is None
    assert first(rows, "B", "preventive_10h_4w")["first_date"] == school_days(8)[-1]


def test_thresholds_come_from_parameters(run):
    days = student("A", 25, unauthorised_hours={3: 5, 8: 5})
    rows = run(days, [U16], params={U16: {"more_than_hours": 9}})
    assert first(rows, "A", U16)["first_date"] == school_days(8)[-1]


def test_late_9x_at_and_below(run):
    eight = student("A", 30, late={i: 1 for i in range(1, 9)})
    nine = student("B", 30, late={1: 2, 4: 3, 7: 3, 20: 1})
    rows = run(eight + nine, ["late_9x"])
    assert first(rows, "A", "late_9x") is None
    hit = first(rows, "B", "late_9x")
    assert hit["first_date"] == school_days(20)[-1]
    assert hit["value"] == 9


def test_late_9x_resets_on_1_august(run):
    # school year 2024-25 ends 31 July: 5 late in July + 5 in (late) August is no signal
    start = date(2025, 7, 1)
    days = school_days(60, start)
    july = [i for i, d in enumerate(days, 1) if d.month == 7][:5]
    august = [i for i, d in enumerate(days, 1) if d.month == 8][:5]
    rollover = student("A", 60, start=start, late={i: 1 for i in july + august})
    same_year = student("B", 60, start=start, late={i: 1 for i in [*august, 45, 46, 47, 48]})
    rows = run(rollover + same_year, ["late_9x"])
    assert first(rows, "A", "late_9x") is None
    assert first(rows, "B", "late_9x")["first_date"] == days[47]


def test_as_of_ignores_later_days(run):
    days = student("A", 30, unauthorised_hours={5: 9, 15: 9})
    cut = school_days(14)[-1]
    assert first(run(days, [U16], as_of=cut), "A", U16) is None
    assert first(run(days, [U16]), "A", U16)["first_date"] == school_days(15)[-1]
