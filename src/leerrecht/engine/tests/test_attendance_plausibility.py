"""Attendance import refuses implausible days, empty and header-only files, and reads
the encodings schools export (UTF-8 with/without BOM, UTF-16, Windows-1252)."""

from __future__ import annotations

import duckdb
import pytest
from typer.testing import CliRunner

from leerrecht.cli.main import app
from leerrecht.engine import AttendanceValidationError, attendance_load, signals_compute

HEADER = "student_id,date,scheduled_hours,unauthorised_hours,sick_hours,authorised_hours"
DUTCH = "leerlingnummer,datum,lesuren,ongeoorloofd,ziek,geoorloofd"
runner = CliRunner()


def problems(path):
    with pytest.raises(AttendanceValidationError) as info:
        attendance_load(duckdb.connect(), attendance=path)
    return info.value


def test_thirty_scheduled_and_twenty_five_unauthorised_hours_in_a_day_is_refused(tmp_path):
    path = tmp_path / "att.csv"
    path.write_text(f"{HEADER}\nA,2024-09-02,6,0,0,0\nA,2024-09-03,30,25,0,0\n")
    err = problems(path)
    assert [(p.line, p.column, p.message) for p in err.problems] == [
        (3, "scheduled_hours", "more than 24 hours in one day: 30"),
        (3, "unauthorised_hours", "more than 24 hours in one day: 25"),
    ]


def test_absence_above_scheduled_hours_is_refused(tmp_path):
    path = tmp_path / "att.csv"
    path.write_text(f"{HEADER}\nA,2024-09-02,6,5,3,0\n")
    (p,) = problems(path).problems
    assert (p.line, p.column) == (2, "scheduled_hours")
    assert p.message.startswith("absences (8.0 h) exceed scheduled hours (6.0 h)")


def test_header_only_file_is_refused_with_one_line_and_nonzero_exit(tmp_path):
    path = tmp_path / "att.csv"
    path.write_text(HEADER + "\n")
    (p,) = problems(path).problems
    assert str(p) == f"{path}: no data: the file has only a header line"
    result = runner.invoke(app, ["signals", str(path)])
    assert result.exit_code == 2
    assert result.stderr.strip() == f"error: {path}: no data: the file has only a header line"


def test_empty_file_message(tmp_path):
    path = tmp_path / "att.csv"
    path.write_bytes(b"")
    (p,) = problems(path).problems
    assert str(p) == f"{path}: the file is empty (expected a header line and data rows)"
    result = runner.invoke(app, ["signals", str(path)])
    assert result.exit_code == 2
    assert "the file is empty" in result.stderr


@pytest.mark.parametrize(
    ("encoding", "bom"),
    [("utf-8", b""), ("utf-8", b"\xef\xbb\xbf"), ("utf-16", b""), ("cp1252", b"")],
)
def test_school_export_encodings_give_the_same_signals(tmp_path, encoding, bom):
    # a name-like id with letters outside ASCII (ë, é, and the euro sign of Windows-1252)
    body = "\n".join([DUTCH] + [f"Zoë-€é,{d:02d}-09-2024,6,6,0,0" for d in (2, 3, 4, 5, 6)])
    path = tmp_path / f"att-{encoding}.csv"
    path.write_bytes(bom + (body + "\n").encode(encoding))
    out = signals_compute(attendance=path, signal_ids=["unauthorised_16h_4w"])
    assert out.select(["student_id", "signal"]).to_pylist() == [
        {"student_id": "Zoë-€é", "signal": "unauthorised_16h_4w"}
    ]


def test_latin1_only_bytes_that_are_no_text_are_named(tmp_path):
    path = tmp_path / "att.csv"
    # 0x81 and 0x8d are undefined in Windows-1252 and invalid in UTF-8
    path.write_bytes(HEADER.encode() + b"\nA\x81\x8d,2024-09-02,6,0,0,0\n")
    (p,) = problems(path).problems
    assert p.message == (
        "cannot read file: not UTF-8, UTF-16 or Windows-1252 text (save it as UTF-8)"
    )


def test_date_message_and_cli_help_name_the_accepted_formats(tmp_path):
    path = tmp_path / "att.csv"
    path.write_text(f"{HEADER}\nA,2024/09/02,6,0,0,0\n")
    (p,) = problems(path).problems
    assert p.message == "not a date: 2024/09/02 (expected YYYY-MM-DD or DD-MM-YYYY)"
    help_text = " ".join(runner.invoke(app, ["signals", "--help"]).output.split())
    assert "YYYY-MM-DD or DD-MM-YYYY" in help_text
