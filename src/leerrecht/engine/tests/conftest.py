"""Shared helpers: school-day calendars with gaps, tables, one DuckDB connection."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, timedelta

import duckdb
import pyarrow as pa
import pytest

from leerrecht.engine.compute import signals_plan, signals_run_duckdb
from leerrecht.engine.reference import Day

# autumn holiday in the generated calendars: a run across it must stay consecutive
HOLIDAY = (date(2024, 10, 21), date(2024, 10, 25))


def school_days(n: int, start: date = date(2024, 9, 2)) -> list[date]:
    """n school days from ``start``: weekdays, skipping the autumn holiday week."""
    out, d = [], start
    while len(out) < n:
        if d.weekday() < 5 and not (HOLIDAY[0] <= d <= HOLIDAY[1]):
            out.append(d)
        d += timedelta(days=1)
    return out


def student(
    sid: str, n: int, *, hours: float = 6.0, start: date = date(2024, 9, 2), **per_day: dict
) -> list[Day]:
    """A dense student: n school days fully attended, then per-day overrides.

    per_day maps a column to {day_number (1-based): value}, e.g. sick_hours={3: 6}.
    """
    days = school_days(n, start)
    out = []
    for i, d in enumerate(days, start=1):
        kw = {col: values[i] for col, values in per_day.items() if i in values}
        out.append(Day(sid, d, kw.pop("scheduled_hours", hours), **kw))
    return out


def to_table(days: Iterable[Day]) -> pa.Table:
    days = list(days)
    return pa.table(
        {
            "student_id": pa.array([d.student_id for d in days], pa.string()),
            "date": pa.array([d.date for d in days], pa.date32()),
            "scheduled_hours": pa.array([float(d.scheduled_hours) for d in days]),
            "unauthorised_hours": pa.array([float(d.unauthorised_hours) for d in days]),
            "sick_hours": pa.array([float(d.sick_hours) for d in days]),
            "authorised_hours": pa.array([float(d.authorised_hours) for d in days]),
            "late": pa.array([int(d.late) for d in days], pa.int32()),
            "sent_home_sick": pa.array([int(d.sent_home_sick) for d in days], pa.int32()),
        }
    )


@pytest.fixture(scope="session")
def con() -> duckdb.DuckDBPyConnection:
    c = duckdb.connect()
    c.execute("SET enable_progress_bar = false")
    return c


@pytest.fixture
def run(con):
    """run(days, signal_ids, params=None, as_of=None) -> list of row dicts."""

    def _run(
        days: Iterable[Day],
        signal_ids: Sequence[str],
        params: dict | None = None,
        as_of: date | None = None,
    ) -> list[dict]:
        con.register("attendance", to_table(days))
        plan = signals_plan(signal_ids=list(signal_ids), params=params)
        return signals_run_duckdb(con, plan=plan, as_of=as_of).to_pylist()

    return _run


def first(rows: list[dict], sid: str, signal: str) -> dict | None:
    hits = [r for r in rows if r["student_id"] == sid and r["signal"] == signal]
    assert len(hits) <= 1, "one row per student per signal"
    return hits[0] if hits else None


@pytest.fixture(scope="session")
def spark():
    """One local SparkSession for the whole test run (the JVM starts once)."""
    import shutil

    # scripts/test.sh installs pyspark and Java: a missing one is a broken set-up, not a skip.
    if shutil.which("java") is None:
        pytest.fail("Java is not installed: run scripts/test.sh, which installs it")
    from leerrecht.engine.spark import spark_session

    return spark_session()


def ladder_attendance_csv(path, *, pupils: int = 24, prefix: str = "S") -> None:
    """Pupil <prefix><i> misses i hours without a reason (one hour a day) in 4 school
    weeks, and pupils 20 and up are sick for 8 days in a row as well: >16 h flags pupils
    17-24, >10 h flags 11-24."""
    lines = ["student_id,date,scheduled_hours,unauthorised_hours,sick_hours,authorised_hours"]
    for i in range(1, pupils + 1):
        for n, day in enumerate(school_days(20)):
            unauthorised = 1 if n < i else 0
            sick = 5 if i >= 20 and n < 8 else 0
            lines.append(f"{prefix}{i:02d},{day},6,{unauthorised},{sick},0")
    path.write_text("\n".join(lines) + "\n")
