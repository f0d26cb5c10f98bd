"""Non-attendance signals: risicoleerling, 4 weeks absent, Inspectie thuiszitter, tiers."""

from __future__ import annotations

from leerrecht.engine.tests.conftest import first, school_days, student


def span(a: int, b: int, hours: float = 6.0) -> dict:
    return {i: hours for i in range(a, b + 1)}


def test_under_50pct_needs_a_full_window(run):
    # sick (authorised) 100% from day 1: holds once the window has 20 school days
    days = student("A", 30, sick_hours=span(1, 30))
    hit = first(run(days, ["under_50pct_4w"]), "A", "under_50pct_4w")
    assert hit["first_date"] == school_days(20)[-1]
    assert hit["value"] == 0


def test_under_50pct_exactly_half_is_not_below(run):
    half = student("A", 40, authorised_hours={i: 3 for i in range(1, 41)})
    below = student("B", 40, authorised_hours={i: 3.25 for i in range(1, 41)})
    rows = run(half + below, ["under_50pct_4w"])
    assert first(rows, "A", "under_50pct_4w") is None
    assert first(rows, "B", "under_50pct_4w")["first_date"] == school_days(20)[-1]


def test_under_50pct_mostly_unauthorised_is_not_risicoleerling(run):
    truant = student("A", 40, unauthorised_hours=span(1, 40, 4), sick_hours=span(1, 40, 1))
    tie = student("B", 40, unauthorised_hours=span(1, 40, 2), sick_hours=span(1, 40, 2))
    rows = run(truant + tie, ["under_50pct_4w"])
    assert first(rows, "A", "under_50pct_4w") is None
    assert first(rows, "B", "under_50pct_4w") is not None  # sick >= unauthorised


def test_under_50pct_first_day_can_be_a_full_attendance_day(run):
    # the window only becomes full on day 20 (attended): first_date is that day
    days = student("A", 25, sick_hours=span(1, 19))
    hit = first(run(days, ["under_50pct_4w"]), "A", "under_50pct_4w")
    assert hit["first_date"] == school_days(20)[-1]


def test_absent_4w_consecutive_20_days_any_reason(run):
    nineteen = student("A", 40, sick_hours=span(5, 23))
    twenty = student("B", 40, sick_hours=span(5, 14), unauthorised_hours=span(15, 24))
    rows = run(nineteen + twenty, ["absent_4w_consecutive"])
    assert first(rows, "A", "absent_4w_consecutive") is None
    hit = first(rows, "B", "absent_4w_consecutive")
    assert hit["first_date"] == school_days(24)[-1]
    assert hit["spell_length"] == 20


def test_absent_4w_partial_day_breaks_the_run(run):
    days = student("A", 40, sick_hours={**span(5, 24), 14: 5.5})
    assert first(run(days, ["absent_4w_consecutive"]), "A", "absent_4w_consecutive") is None


def test_thuiszitter_21_days_mostly_unauthorised(run):
    twenty = student("A", 40, unauthorised_hours=span(5, 24))
    twenty_one = student("B", 40, unauthorised_hours=span(5, 25))
    half = student("C", 40, unauthorised_hours=span(5, 25, 3), sick_hours=span(5, 25, 3))
    rows = run(twenty + twenty_one + half, ["thuiszitter_inspectie"])
    assert first(rows, "A", "thuiszitter_inspectie") is None
    assert first(rows, "B", "thuiszitter_inspectie")["first_date"] == school_days(25)[-1]
    assert first(rows, "C", "thuiszitter_inspectie") is None  # 50% is not > 50%


def test_attendance_tier_cutoffs(run):
    # 20 days x 6 h = 120 h; 5% = 6 h, 10% = 12 h
    t1 = student("A", 20, sick_hours={1: 5.75})
    t2 = student("B", 20, sick_hours={1: 6})
    t3 = student("C", 20, sick_hours={1: 6, 2: 6})
    rows = run(t1 + t2 + t3, ["attendance_tier"])
    assert [first(rows, s, "attendance_tier")["tier"] for s in "ABC"] == [1, 2, 3]
    assert first(rows, "A", "attendance_tier")["first_date"] == school_days(20)[-1]
    rows = run(t1 + t2 + t3, ["attendance_tier"], params={"attendance_tier": {"tier2_from": 0.01}})
    assert first(rows, "A", "attendance_tier")["tier"] == 2
