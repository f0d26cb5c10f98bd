"""Sickness signals (seed 000, casus 2, four criteria; seed 001, 1.1; M@ZL)."""

from __future__ import annotations

from leerrecht.engine.tests.conftest import first, school_days, student


def sick(*days_: int, hours: float = 6.0) -> dict:
    return {d: hours for d in days_}


def test_signals_md_worked_example(run):
    # SIGNALS.md "Worked example": sick on days 3, 4, 10, 25, 26 of 40 school days
    days = student("A", 40, sick_hours=sick(3, 4, 10, 25, 26))
    rows = run(days, ["sick_short_spells_3x_2m", "sick_days_4_1m"])
    hit = first(rows, "A", "sick_short_spells_3x_2m")
    assert hit["first_date"] == school_days(26)[-1]
    assert hit["value"] == 3
    assert first(rows, "A", "sick_days_4_1m") is None  # {10, 25, 26} = 3, not > 4


def test_short_spells_need_three_short_ones(run):
    two = student("A", 40, sick_hours=sick(3, 10, 11))
    with_long = student("B", 40, sick_hours=sick(3, 10, 11, 12, 20))  # [10-12] is 3 days
    three = student("C", 40, sick_hours=sick(3, 10, 11, 20))
    rows = run(two + with_long + three, ["sick_short_spells_3x_2m"])
    assert first(rows, "A", "sick_short_spells_3x_2m") is None
    assert first(rows, "B", "sick_short_spells_3x_2m") is None
    assert first(rows, "C", "sick_short_spells_3x_2m")["first_date"] == school_days(20)[-1]


def test_short_spells_must_lie_entirely_within_40_days(run):
    # window ending at day 45 = days 6..45: a spell [5-6] straddles it, [6-7] lies inside
    straddle = student("A", 50, sick_hours=sick(5, 6, 20, 45))
    inside = student("B", 50, sick_hours=sick(6, 7, 20, 45))
    rows = run(straddle + inside, ["sick_short_spells_3x_2m"])
    assert first(rows, "A", "sick_short_spells_3x_2m") is None
    assert first(rows, "B", "sick_short_spells_3x_2m")["first_date"] == school_days(45)[-1]


def test_long_spell_more_than_10_days_across_holiday(run):
    ten = student("A", 40, sick_hours=sick(*range(25, 35)))
    eleven = student("B", 40, sick_hours=sick(*range(25, 36)))  # spans the autumn holiday
    rows = run(ten + eleven, ["sick_long_spell_10d"])
    assert first(rows, "A", "sick_long_spell_10d") is None
    hit = first(rows, "B", "sick_long_spell_10d")
    assert hit["first_date"] == school_days(35)[-1]
    assert (hit["value"], hit["spell_length"]) == (11, 11)


def test_spell_7th_day(run):
    six = student("A", 20, sick_hours=sick(*range(2, 8)))
    seven = student("B", 20, sick_hours=sick(*range(2, 9)))
    rows = run(six + seven, ["sick_spell_7th_day"])
    assert first(rows, "A", "sick_spell_7th_day") is None
    assert first(rows, "B", "sick_spell_7th_day")["first_date"] == school_days(8)[-1]


def test_sick_days_more_than_4_over_two_spells(run):
    one_spell = student("A", 30, sick_hours=sick(2, 3, 4, 5, 6))
    four_days = student("B", 30, sick_hours=sick(2, 3, 10, 11))
    five_two = student("C", 30, sick_hours=sick(2, 3, 10, 11, 12))
    rows = run(one_spell + four_days + five_two, ["sick_days_4_1m"])
    assert first(rows, "A", "sick_days_4_1m") is None
    assert first(rows, "B", "sick_days_4_1m") is None
    assert first(rows, "C", "sick_days_4_1m")["first_date"] == school_days(12)[-1]


def test_sick_days_spell_started_before_window_counts_as_one(run):
    # window of day 25 = days 6..25: spell [4-7] meets it with days 6,7 + spell [20-22]
    days = student("A", 30, sick_hours=sick(4, 5, 6, 7, 20, 21, 22))
    hit = first(run(days, ["sick_days_4_1m"]), "A", "sick_days_4_1m")
    # day 20: window 1..20 holds 4,5,6,7,20 = 5 days over 2 spells
    assert hit["first_date"] == school_days(20)[-1]


def test_sent_home_sick_three_in_40(run):
    two = student("A", 50, sent_home_sick={3: 1, 30: 1}, sick_hours={3: 3, 30: 3})
    apart = student("B", 50, sent_home_sick={1: 1, 20: 1, 41: 1})
    three = student("C", 50, sent_home_sick={2: 1, 20: 1, 41: 1})
    rows = run(two + apart + three, ["sent_home_sick_repeated"])
    assert first(rows, "A", "sent_home_sick_repeated") is None
    assert first(rows, "B", "sent_home_sick_repeated") is None
    assert first(rows, "C", "sent_home_sick_repeated")["first_date"] == school_days(41)[-1]


def test_4th_report_within_60_days(run):
    three = student("A", 70, sick_hours=sick(2, 20, 40))
    outside = student("B", 70, sick_hours=sick(1, 20, 40, 61))  # 1..61 is 61 days
    inside = student("C", 70, sick_hours=sick(2, 20, 40, 61, 62))  # 2..61 is 60 days
    rows = run(three + outside + inside, ["sick_4th_report_12w"])
    assert first(rows, "A", "sick_4th_report_12w") is None
    assert first(rows, "B", "sick_4th_report_12w") is None
    hit = first(rows, "C", "sick_4th_report_12w")
    assert hit["first_date"] == school_days(61)[-1]  # first day of the 4th spell
    assert hit["spell_length"] == 2


def test_50_hours_in_one_spell(run):
    fifty = student("A", 20, sick_hours=sick(*range(3, 13), hours=5))  # 10 x 5 = 50
    more = student("B", 20, sick_hours={**sick(*range(3, 13), hours=5), 13: 0.5})
    split = student(
        "C", 20, sick_hours={**sick(*range(3, 8), hours=6), **sick(9, 10, 11, 12, 13, 14, hours=6)}
    )
    rows = run(fifty + more + split, ["sick_50h_spell"])
    assert first(rows, "A", "sick_50h_spell") is None
    assert first(rows, "B", "sick_50h_spell")["first_date"] == school_days(13)[-1]
    assert first(rows, "C", "sick_50h_spell") is None  # 30 h + 36 h, two spells
