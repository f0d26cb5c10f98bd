"""Absence registrations -> canonical daily rows, against totals computed by hand."""

from __future__ import annotations

from pathlib import Path

import pytest

from leerrecht.engine.absences import (
    absence_events_read,
    absences_to_daily,
    code_table_read,
    timetable_default,
    timetable_read,
)
from leerrecht.engine.errors import AttendanceValidationError

SAMPLES = Path(__file__).resolve().parents[4] / "docs" / "samples"
COLUMNS = ("scheduled_hours", "unauthorised_hours", "sick_hours", "authorised_hours", "late")


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, "utf-8")
    return path


@pytest.fixture
def codes():
    return code_table_read(SAMPLES / "absence-codes.csv")


@pytest.fixture
def calendar(tmp_path):
    # Mon 16 - Fri 27 November 2026; Wednesday 25 is a study day (no school day).
    days = [f"2026-11-{d}" for d in (16, 17, 18, 19, 20, 23, 24, 26, 27)]
    return write(tmp_path, "kalender.csv", "date\n" + "\n".join(days) + "\n")


def rows_by_day(result) -> dict[tuple[str, str], tuple]:
    table = result.table.to_pylist()
    return {
        (r["student_id"], r["date"].isoformat()): (*(r[c] for c in COLUMNS), r["sent_home_sick"])
        for r in table
    }


def test_held_out_vo_registrations_give_the_hand_computed_daily_totals(tmp_path, codes, calendar):
    events = write(
        tmp_path,
        "registraties.csv",
        "stamnummer;begin;einde;lesuur;code\n"
        # 16th: lesson 1 both A and Z -> counted once, as ziek; 09:00-10:30 A touches
        # lessons 1 (already ziek), 2 and 3 -> 2 h ongeoorloofd.
        "P1;2026-11-16 08:30;2026-11-16 09:20;1;A\n"
        "P1;2026-11-16 08:30;2026-11-16 09:20;1;Z\n"
        "P1;2026-11-16 09:00;2026-11-16 10:30;;A\n"
        # 17th: late for lesson 3; sent home sick from 12:35 -> lessons 5-8 = 4 h ziek.
        "P1;2026-11-17 10:25;2026-11-17 11:15;3;T\n"
        "P1;2026-11-17 12:35;2026-11-17 16:10;;ZH\n"
        # 18th: a whole-day excursion (niet meetellen) beats an A in lesson 2.
        "P1;2026-11-18;2026-11-18;;M\n"
        "P1;2026-11-18 09:20;2026-11-18 10:10;2;A\n"
        # 20th: exemption for lesson 8 -> 1 h geoorloofd (vrijstelling).
        "P1;2026-11-20 15:20;2026-11-20 16:10;8;V\n"
        # 24th-26th sick, whole days: the study day 25th does not count.
        "P1;2026-11-24;2026-11-26;;Z\n"
        # On the study day itself: nothing to count.
        "P1;2026-11-25 08:30;2026-11-25 09:20;1;A\n"
        "P2;2026-11-19 08:30;2026-11-19 10:10;;L\n"
        "P2;2026-11-27 08:30;2026-11-27 09:20;1;A\n",
    )
    result = absences_to_daily(
        events, codes=codes, timetable=timetable_default("vo"), calendar=calendar
    )
    got = rows_by_day(result)
    nothing = (8.0, 0.0, 0.0, 0.0, 0, 0)
    expected = {
        ("P1", "2026-11-16"): (8.0, 2.0, 1.0, 0.0, 0, 0),
        ("P1", "2026-11-17"): (8.0, 0.0, 4.0, 0.0, 1, 1),
        ("P1", "2026-11-20"): (8.0, 0.0, 0.0, 1.0, 0, 0),
        ("P1", "2026-11-24"): (8.0, 0.0, 8.0, 0.0, 0, 0),
        ("P1", "2026-11-26"): (8.0, 0.0, 8.0, 0.0, 0, 0),
        ("P2", "2026-11-19"): (8.0, 0.0, 0.0, 2.0, 0, 0),
        ("P2", "2026-11-27"): (8.0, 1.0, 0.0, 0.0, 0, 0),
    }
    days = ("16", "17", "18", "19", "20", "23", "24", "26", "27")
    assert list(got) == [(p, f"2026-11-{d}") for p in ("P1", "P2") for d in days]
    assert got == {key: expected.get(key, nothing) for key in got}
    assert result.outside_school_days == 1
    assert result.code_counts == {"A": 5, "Z": 2, "T": 1, "ZH": 1, "M": 1, "V": 1, "L": 1}


def test_po_counts_clock_minutes_once_where_registrations_overlap(tmp_path, codes):
    # Default PO day: 08:30-10:15, 10:30-12:00, 12:30-14:30 (5.25 h). A 09:00-11:00 and
    # Z 10:45-11:30: A = 75 + 15 min, Z = 45 min (10:45-11:00 counts once, as ziek).
    events = write(
        tmp_path,
        "eduarte.csv",
        "12345;20261116;0900;20261116;1100;;;A;\n12345;20261116;1045;20261116;1130;;;Z;\n",
    )
    result = absences_to_daily(events, codes=codes, timetable=timetable_default("po"))
    assert rows_by_day(result) == {("12345", "2026-11-16"): (5.25, 1.5, 0.75, 0.0, 0, 0)}
    assert result.layout == "eduarte"


@pytest.mark.parametrize(
    "sample", ["absences-magister.csv", "absences-eduarte.csv", "absences-somtoday.json"]
)
def test_every_sample_layout_gives_the_same_daily_rows(sample, codes):
    args = {
        "codes": codes,
        "timetable": timetable_read(SAMPLES / "timetable-vo.toml"),
        "calendar": SAMPLES / "school-calendar.csv",
    }
    reference = absences_to_daily(SAMPLES / "absences-magister.csv", **args)
    result = absences_to_daily(SAMPLES / sample, **args)
    assert result.table.equals(reference.table)
    assert rows_by_day(result)[("L0000501", "2026-11-11")] == (6.0, 2.0, 0.0, 0.0, 0, 0)


def test_unknown_codes_stop_the_conversion_listing_them(tmp_path, codes):
    events = write(
        tmp_path,
        "r.csv",
        "stamnummer;begin;einde;lesuur;code\n"
        "P1;2026-11-16 08:30;2026-11-16 09:20;1;A\n"
        "P1;2026-11-16 08:30;2026-11-16 09:20;2;QQ\n"
        "P1;2026-11-17 08:30;2026-11-17 09:20;2;XY\n",
    )
    with pytest.raises(AttendanceValidationError) as caught:
        absences_to_daily(events, codes=codes, timetable=timetable_default("vo"))
    (problem,) = caught.value.problems
    assert (problem.line, problem.column) == (3, "code")
    assert "QQ, XY" in problem.message


def test_unrecognised_layout_and_bad_values_are_named_by_line_and_column(tmp_path):
    unknown = write(tmp_path, "x.csv", "naam,datum\nP1,2026-11-16\n")
    with pytest.raises(AttendanceValidationError) as caught:
        absence_events_read(unknown)
    assert "layout not recognised" in str(caught.value)
    bad = write(
        tmp_path,
        "m.csv",
        "stamnummer;begin;einde;lesuur;code\n"
        "P1;2026-11-16 08:30;2026-11-16 09:20;1;A\n"
        "P1;16 nov;2026-11-16 09:20;x;A\n",
    )
    with pytest.raises(AttendanceValidationError) as caught:
        absence_events_read(bad)
    assert [(p.line, p.column) for p in caught.value.problems] == [(3, "begin"), (3, "lesuur")]


def _magister_as_xlsx(path: Path, *, bad_row: int | None = None) -> Path:
    """The Magister sample as Excel saves it: real date-time and number cells, not text."""
    from datetime import datetime

    from openpyxl import Workbook

    lines = (SAMPLES / "absences-magister.csv").read_text("utf-8").splitlines()
    delimiter = ";" if ";" in lines[0] else ","
    header = lines[0].split(delimiter)
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for number, line in enumerate(lines[1:], start=2):
        cells: list = []
        for name, value in zip(header, line.split(delimiter), strict=True):
            if name in ("begin", "einde") and value:
                cells.append(datetime.fromisoformat(value))
            elif value.isdigit():
                cells.append(int(value))
            else:
                cells.append(value)
        if number == bad_row:
            cells[header.index("begin")] = "16 nov"
        sheet.append(cells)
    book.save(path)
    return path


def test_an_excel_export_gives_the_same_daily_rows_as_the_csv(tmp_path, codes):
    args = {
        "codes": codes,
        "timetable": timetable_read(SAMPLES / "timetable-vo.toml"),
        "calendar": SAMPLES / "school-calendar.csv",
    }
    reference = absences_to_daily(SAMPLES / "absences-magister.csv", **args)
    result = absences_to_daily(_magister_as_xlsx(tmp_path / "registraties.xlsx"), **args)
    assert result.table.equals(reference.table)


def test_a_bad_cell_in_an_excel_export_is_named_by_row_and_column(tmp_path):
    path = _magister_as_xlsx(tmp_path / "registraties.xlsx", bad_row=4)
    with pytest.raises(AttendanceValidationError) as caught:
        absence_events_read(path)
    assert [(p.line, p.column) for p in caught.value.problems] == [(4, "begin")]
    assert "row 4" in str(caught.value)
