"""`leerrecht signals`: the CSV contract and one-line user errors (exit 2, no traceback)."""

from __future__ import annotations

import csv
import io

import pytest
from typer.testing import CliRunner

from leerrecht.cli.main import app

HEADER = "student_id,date,scheduled_hours,unauthorised_hours,sick_hours,authorised_hours"
runner = CliRunner()


@pytest.fixture
def att(tmp_path):
    lines = [HEADER]
    for sid in ("B", "A"):
        lines += [f"{sid},2024-09-{d:02d},6,6,0,0" for d in (2, 3, 4, 5, 6)]
    path = tmp_path / "att.csv"
    path.write_text("\n".join(lines) + "\n")
    return path


def test_csv_contract_sorted_one_row_per_student_signal(att):
    result = runner.invoke(app, ["signals", str(att), "--protocol", "landelijk"])
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows[0][:3] == ["student_id", "signal", "first_date"]
    body = [r[:3] for r in rows[1:]]
    # 6 h unauthorised a day: 18 h > 16 on the third school day (2024-09-04)
    assert body == [
        ["A", "unauthorised_16h_4w", "2024-09-04"],
        ["B", "unauthorised_16h_4w", "2024-09-04"],
    ]


def test_signal_filter_as_of_and_output_file(att, tmp_path):
    out = tmp_path / "out.csv"
    result = runner.invoke(
        app,
        [
            "signals",
            str(att),
            "--signal",
            "preventive_10h_4w",
            "--signal",
            "late_9x",
            "--as-of",
            "2024-09-03",
            "--output",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(out.open()))
    assert [(r["student_id"], r["signal"], r["first_date"]) for r in rows] == [
        ("A", "preventive_10h_4w", "2024-09-03"),
        ("B", "preventive_10h_4w", "2024-09-03"),
    ]


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["--protocol", "nope"], "unknown protocol preset 'nope'"),
        (["--signal", "nope"], "unknown signal 'nope'"),
        (["--protocol", "mazl", "--signal", "late_9x"], "not part of protocol 'mazl'"),
        (["--as-of", "2024-31-12"], "--as-of: not a date"),
        (["--engine", "pandas"], "unknown engine 'pandas'"),
    ],
)
def test_user_errors_exit_2_without_traceback(att, args, fragment):
    result = runner.invoke(app, ["signals", str(att), *args])
    assert result.exit_code == 2
    assert fragment in result.output
    assert "Traceback" not in result.output
    assert "student_id,signal" not in result.output


def test_invalid_rows_are_all_named_and_nothing_written(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(f"{HEADER}\nA,2024-09-02,6,x,0,0\nA,2024-09-03,6,0,-1,0\n")
    out = tmp_path / "out.csv"
    result = runner.invoke(app, ["signals", str(path), "--output", str(out)])
    assert result.exit_code == 2
    assert f"{path}, line 2, column unauthorised_hours: not a number: x" in result.output
    assert f"{path}, line 3, column sick_hours: negative hours: -1" in result.output
    assert "Traceback" not in result.output
    assert not out.exists()


def test_missing_file(tmp_path):
    result = runner.invoke(app, ["signals", str(tmp_path / "nope.csv")])
    assert result.exit_code == 2
    assert "nope.csv: file not found" in result.output
