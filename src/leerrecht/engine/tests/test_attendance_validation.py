"""Attendance input: every validation error names file, line and column; nothing is
produced; Dutch aliases; Parquet; sparse input with a school calendar equals dense."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

from leerrecht.engine import (
    AttendanceValidationError,
    EngineInputError,
    attendance_load,
    attendance_to_parquet,
    signals_compute,
)
from leerrecht.engine.tests.conftest import school_days, student, to_table

HEADER = "student_id,date,scheduled_hours,unauthorised_hours,sick_hours,authorised_hours"


def write(tmp_path: Path, text: str, name: str = "att.csv") -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def load_error(path: Path, **kw) -> AttendanceValidationError:
    con = duckdb.connect()
    with pytest.raises(AttendanceValidationError) as info:
        attendance_load(con, attendance=path, **kw)
    # nothing was produced: no attendance view exists
    names = {r[0] for r in con.execute("SELECT view_name FROM duckdb_views()").fetchall()}
    assert "attendance" not in names
    return info.value


@pytest.mark.parametrize(
    ("row", "column", "fragment"),
    [
        ("A,2024-13-01,6,0,0,0", "date", "not a date"),
        ("A,2024-09-03,six,0,0,0", "scheduled_hours", "not a number"),
        ("A,2024-09-03,6,-1,0,0", "unauthorised_hours", "negative hours"),
        ("A,2024-09-03,6,0,-2,0", "sick_hours", "negative hours"),
        ("A,2024-09-03,6,0,0,x", "authorised_hours", "not a number"),
        ("A,2024-09-03,6,4,2,1", "scheduled_hours", "attended hours would be negative"),
        (",2024-09-03,6,0,0,0", "student_id", "missing value"),
        ("A,2024-09-03,,0,0,0", "scheduled_hours", "missing value"),
    ],
)
def test_row_problem_names_line_and_column(tmp_path, row, column, fragment):
    path = write(tmp_path, f"{HEADER}\nA,2024-09-02,6,0,0,0\n{row}\n")
    err = load_error(path)
    assert err.total == 1
    (p,) = err.problems
    assert (p.file, p.line, p.column) == (str(path), 3, column)
    assert fragment in p.message
    assert f"{path}, line 3, column {column}: " in str(err)


@pytest.mark.parametrize(
    ("value", "column", "fragment"),
    [
        ("1.5", "late", "whole number"),
        ("-1", "late", "whole number"),
        ("2", "sent_home_sick", "0 or 1"),
        ("ja", "sent_home_sick", "0 or 1"),
    ],
)
def test_optional_columns_are_checked(tmp_path, value, column, fragment):
    late, shs = (value, "0") if column == "late" else ("0", value)
    path = write(tmp_path, f"{HEADER},late,sent_home_sick\nA,2024-09-02,6,0,0,0,{late},{shs}\n")
    (p,) = load_error(path).problems
    assert (p.line, p.column) == (2, column)
    assert fragment in p.message


def test_duplicate_student_day_names_both_lines(tmp_path):
    path = write(
        tmp_path, f"{HEADER}\nA,2024-09-02,6,0,0,0\nB,2024-09-02,6,0,0,0\nA,2024-09-02,6,1,0,0\n"
    )
    (p,) = load_error(path).problems
    assert (p.line, p.column) == (4, "date")
    assert "also on line 2" in p.message


def test_header_problems(tmp_path):
    path = write(tmp_path, "leerling,datum,lesuren,ongeoorloofd,ziek,kleur\nA,2024-09-02,6,0,0,x\n")
    err = load_error(path)
    found = {(p.line, p.column): p.message for p in err.problems}
    assert "unknown column" in found[(1, "kleur")]
    assert "missing required column" in found[(1, "authorised_hours")]


def test_every_problem_reported_and_listing_capped(tmp_path):
    rows = "\n".join(f"S{i},2024-09-02,6,-1,0,0" for i in range(150))
    err = load_error(write(tmp_path, f"{HEADER}\n{rows}\n"))
    assert err.total == 150
    assert len(err.problems) == 100
    assert [p.line for p in err.problems[:3]] == [2, 3, 4]
    assert "and 50 more problem(s) (150 in total)" in str(err)


def test_dutch_aliases_and_decimal_comma(tmp_path):
    path = write(
        tmp_path,
        "Leerlingnummer;Datum;Geroosterde uren;Ongeoorloofd;Ziek;Geoorloofd;Te laat;"
        "Ziek naar huis\n123;02-09-2024;6;1,5;0;0;1;0\n123;2024-09-03;6;0;0;0;;\n",
    )
    con = duckdb.connect()
    info = attendance_load(con, attendance=path)
    assert info.rows == 2
    rows = con.execute(
        "SELECT student_id, date, unauthorised_hours, late FROM attendance ORDER BY date"
    ).fetchall()
    assert rows == [("123", date(2024, 9, 2), 1.5, 1), ("123", date(2024, 9, 3), 0.0, 0)]


def test_parquet_reports_row_numbers(tmp_path):
    days = student("A", 3)
    table = to_table(days).set_column(
        2, "scheduled_hours", to_table(days).column("scheduled_hours").fill_null(0)
    )
    import pyarrow as pa

    table = table.set_column(3, "unauthorised_hours", pa.array([0.0, 7.0, 0.0]))
    path = tmp_path / "att.parquet"
    pq.write_table(table, path)
    (p,) = load_error(path).problems
    assert (p.line, p.unit, p.column) == (2, "row", "scheduled_hours")
    assert ", row 2, column scheduled_hours" in str(p)


def test_missing_file(tmp_path):
    (p,) = load_error(tmp_path / "nope.csv").problems
    assert "file not found" in p.message


def test_canonical_parquet_roundtrip_is_trusted(tmp_path):
    src = write(tmp_path, f"{HEADER}\nA,2024-09-02,6,0,0,0\nA,2024-09-03,6,6,0,0\n")
    out = tmp_path / "canonical.parquet"
    attendance_to_parquet(attendance=src, output=out)
    schema = pq.read_schema(out)
    assert schema.names == [*HEADER.split(","), "late", "sent_home_sick"]
    a = signals_compute(attendance=src)
    b = signals_compute(attendance=out)
    assert a.equals(b) and a.num_rows > 0


def test_attendance_to_parquet_writes_nothing_on_error(tmp_path):
    src = write(tmp_path, f"{HEADER}\nA,2024-09-02,6,9,0,0\n")
    out = tmp_path / "canonical.parquet"
    with pytest.raises(EngineInputError):
        attendance_to_parquet(attendance=src, output=out)
    assert not out.exists()


def _csv(days) -> str:
    lines = [f"{HEADER},late,sent_home_sick"]
    for d in days:
        lines.append(
            f"{d.student_id},{d.date},{d.scheduled_hours},{d.unauthorised_hours},"
            f"{d.sick_hours},{d.authorised_hours},{d.late},{d.sent_home_sick}"
        )
    return "\n".join(lines) + "\n"


def test_sparse_with_calendar_equals_dense(tmp_path):
    n = 60
    dense = (
        student("A", n, sick_hours={i: 6 for i in (3, 4, 10, 25, 26, 40)}, late={5: 9})
        + student("B", n, unauthorised_hours={i: 6 for i in range(30, 60)})
        + student("C", n, hours=5, sick_hours={i: 5 for i in range(1, 15)})
        + student("D", n, unauthorised_hours={n: 1})  # marks the extraction date
    )
    sparse = [
        d for d in dense if d.unauthorised_hours or d.sick_hours or d.authorised_hours or d.late
    ]
    # C's usual hours (5) come from the median of their own rows
    assert len(sparse) < len(dense) / 2
    cal = tmp_path / "calendar.csv"
    cal.write_text("datum\n" + "\n".join(str(d) for d in school_days(n)) + "\n")
    dense_csv = write(tmp_path, _csv(dense), "dense.csv")
    sparse_csv = write(tmp_path, _csv(sparse), "sparse.csv")
    a = signals_compute(attendance=dense_csv)
    b = signals_compute(attendance=sparse_csv, calendar=cal)
    assert a.num_rows >= 8
    assert a.equals(b)


def test_sparse_row_outside_calendar_is_an_error(tmp_path):
    cal = tmp_path / "calendar.csv"
    cal.write_text("date\n2024-09-02\n2024-09-03\n")
    path = write(tmp_path, f"{HEADER}\nA,2024-09-07,6,6,0,0\n")
    (p,) = load_error(path, calendar=cal).problems
    assert (p.line, p.column) == (2, "date")
    assert "not a school day in calendar" in p.message
