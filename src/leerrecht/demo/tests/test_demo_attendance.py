"""Demo attendance is valid canonical input (SIGNALS.md, "Input") with realistic patterns."""

from __future__ import annotations

import csv
from datetime import date

import duckdb

from leerrecht.demo.calendar import school_days
from leerrecht.demo.generate import PROFILE_SHARES


def _con(demo) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute(f"CREATE VIEW a AS SELECT * FROM read_parquet('{demo.path('attendance.parquet')}')")
    con.execute(f"CREATE VIEW e AS SELECT * FROM read_parquet('{demo.path('enrolments.parquet')}')")
    return con


def test_the_calendar_skips_weekends_holidays_and_public_holidays():
    days = school_days(start=date(2025, 8, 1), end=date(2026, 11, 20))
    assert days[0] == date(2025, 8, 18)
    assert days[-1] == date(2026, 11, 20)
    assert all(d.weekday() < 5 for d in days)
    for free in (
        date(2025, 10, 15),  # herfstvakantie
        date(2025, 12, 29),  # kerstvakantie
        date(2026, 2, 18),  # voorjaarsvakantie
        date(2026, 4, 6),  # Tweede Paasdag
        date(2026, 4, 27),  # Koningsdag (meivakantie)
        date(2026, 5, 14),  # Hemelvaart
        date(2026, 5, 25),  # Pinkstermaandag
        date(2026, 8, 3),  # zomervakantie
    ):
        assert free not in days
    assert date(2026, 8, 24) in days  # first day of 2026-27


def test_calendar_file_lists_exactly_the_school_days_up_to_the_reference_date(small_demo):
    with small_demo.path("calendar.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [date.fromisoformat(r["date"]) for r in rows] == school_days(
        start=date(2025, 8, 18), end=small_demo.reference_date
    )
    assert {r["default_scheduled_hours"] for r in rows} == {"5.5", "3.75"}


def test_every_row_is_valid_and_unique(small_demo):
    con = _con(small_demo)
    [(rows, bad, duplicates)] = con.execute(
        """SELECT count(*),
                  count(*) FILTER (WHERE scheduled_hours <= 0 OR unauthorised_hours < 0
                      OR sick_hours < 0 OR authorised_hours < 0 OR late < 0
                      OR sent_home_sick NOT IN (0, 1)
                      OR scheduled_hours - unauthorised_hours - sick_hours - authorised_hours < 0),
                  count(*) - count(DISTINCT (student_id, date))
           FROM a"""
    ).fetchall()
    assert rows > 0 and bad == 0 and duplicates == 0
    columns = [c[0] for c in con.execute("DESCRIBE SELECT * FROM a").fetchall()]
    assert columns == [
        "student_id",
        "date",
        "scheduled_hours",
        "unauthorised_hours",
        "sick_hours",
        "authorised_hours",
        "late",
        "sent_home_sick",
    ]


def test_only_school_days_and_only_enrolled_students_have_rows(small_demo):
    con = _con(small_demo)
    days = set(school_days(start=date(2025, 8, 18), end=small_demo.reference_date))
    present = {d for (d,) in con.execute("SELECT DISTINCT date FROM a").fetchall()}
    assert present == days
    [(outside,)] = con.execute(
        """SELECT count(*) FROM a WHERE NOT EXISTS (
             SELECT 1 FROM e WHERE e.source_id = a.student_id AND a.date >= e.start
               AND (e."end" IS NULL OR a.date <= e."end"))"""
    ).fetchall()
    assert outside == 0
    [(enrolled, with_rows)] = con.execute(
        "SELECT (SELECT count(DISTINCT source_id) FROM e), count(DISTINCT student_id) FROM a"
    ).fetchall()
    assert enrolled == with_rows == small_demo.students


def test_primary_schools_have_a_shorter_wednesday_and_secondary_longer_days(small_demo):
    con = _con(small_demo)
    rows = con.execute(
        """SELECT e.group LIKE 'groep%' AS po, dayofweek(a.date) = 3 AS wednesday,
                  avg(a.scheduled_hours)
           FROM a JOIN e ON e.source_id = a.student_id AND a.date >= e.start
                AND (e."end" IS NULL OR a.date <= e."end")
           WHERE e.group LIKE 'groep%' OR e.group LIKE 'klas%'
           GROUP BY ALL"""
    ).fetchall()
    hours = {(po, wednesday): avg for po, wednesday, avg in rows}
    assert hours[(True, False)] == 5.5
    assert hours[(True, True)] < 5
    assert 6 <= hours[(False, False)] <= 7 and 6 <= hours[(False, True)] <= 7


def test_shares_of_absence_patterns_are_in_sane_ranges(small_demo):
    con = _con(small_demo)
    [(tier1, tier3, late9, zero_runs, unauth16)] = con.execute(
        """WITH per_day AS (
             SELECT *, scheduled_hours - unauthorised_hours - sick_hours - authorised_hours
                       AS attended,
                    row_number() OVER (PARTITION BY student_id ORDER BY date) AS n
             FROM a),
           windows AS (
             SELECT student_id,
                    sum(CASE WHEN attended = 0 THEN 1 ELSE 0 END) OVER w AS zero_days,
                    sum(unauthorised_hours) OVER w AS unauth
             FROM per_day WINDOW w AS (PARTITION BY student_id ORDER BY n
                                       ROWS BETWEEN 19 PRECEDING AND CURRENT ROW)),
           students AS (
             SELECT student_id,
                    1 - sum(attended) / sum(scheduled_hours) AS absence_rate,
                    sum(late) AS lates
             FROM per_day GROUP BY student_id),
           flags AS (
             SELECT student_id, max(zero_days) = 20 AS zero_run, max(unauth) > 16 AS u16
             FROM windows GROUP BY student_id)
           SELECT avg((absence_rate < 0.05)::INT), avg((absence_rate >= 0.10)::INT),
                  avg((lates >= 9)::INT), avg(zero_run::INT), avg(u16::INT)
           FROM students JOIN flags USING (student_id)"""
    ).fetchall()
    assert 0.6 <= tier1 <= 0.95  # most students attend (Kearney tier 1)
    assert 0.01 <= tier3 <= 0.15  # a minority is structurally absent
    assert 0.01 <= late9 <= 0.15
    assert 0.002 <= zero_runs <= 0.06  # 4 weeks without any attendance
    assert 0.005 <= unauth16 <= 0.06  # statutory 16 hours in 4 weeks (seed 001, 1.2)


def test_authorised_thuiszitters_are_eight_times_the_unauthorised_ones():
    # seed 000, section 1.1: the group at home *with* permission is eight times larger.
    ratio = PROFILE_SHARES["thuiszitter_authorised"] / PROFILE_SHARES["thuiszitter_unauthorised"]
    assert ratio == 8


def test_the_engine_accepts_the_demo_attendance(small_demo):
    from leerrecht.engine.attendance import attendance_load

    # The file is dense (a row for every enrolled school day), so no calendar is needed.
    con = duckdb.connect()
    attendance_load(con, attendance=small_demo.path("attendance.parquet"))
    [(rows,)] = con.execute("SELECT count(*) FROM attendance").fetchall()
    assert rows == small_demo.counts["attendance_rows"]
