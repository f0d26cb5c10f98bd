"""`leerrecht import-attendance`: summary on success, one line per problem and exit 2 on bad input."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from leerrecht.attendance.models import AttendanceImport, SignalHit
from leerrecht.attendance.tests.helpers import SEVENTEEN_HOURS, student_rows, write_csv
from leerrecht.cli.main import app

pytestmark = pytest.mark.django_db

runner = CliRunner()


def test_command_imports_file_and_prints_summary(tmp_path, enrolled):
    enrolled("S-1")
    path = write_csv(
        tmp_path / "verzuim.csv",
        student_rows("S-1", unauthorised=SEVENTEEN_HOURS),
        student_rows("ONBEKEND-9"),
    )

    result = runner.invoke(app, ["import-attendance", str(path), "--protocol", "landelijk"])

    assert result.exit_code == 0, result.output
    assert "Signalen nieuw opgeslagen" in result.output
    assert "ONBEKEND-9" in result.output
    imp = AttendanceImport.objects.get()
    assert imp.status == "done" and imp.protocol == "landelijk" and imp.organisation is None
    assert imp.job.status == "done"
    assert list(SignalHit.objects.values_list("signal", flat=True)) == ["unauthorised_16h_4w"]


def test_command_second_run_reuses_the_import(tmp_path, enrolled):
    enrolled("S-1")
    path = write_csv(tmp_path / "v.csv", student_rows("S-1", unauthorised=SEVENTEEN_HOURS))
    runner.invoke(app, ["import-attendance", str(path)])

    result = runner.invoke(app, ["import-attendance", str(path)])

    assert result.exit_code == 0, result.output
    assert "al eerder ingelezen" in result.output
    assert AttendanceImport.objects.count() == 1
    assert SignalHit.objects.count() == 1


def test_command_reports_each_problem_with_line_and_exits_2(tmp_path, enrolled):
    enrolled("S-1")
    rows = student_rows("S-1")
    rows[0] = "S-1,26-10-2026x,6,0,0,0\n"  # line 2
    path = write_csv(tmp_path / "fout.csv", rows)

    result = runner.invoke(app, ["import-attendance", str(path)])

    assert result.exit_code == 2
    assert "fout.csv, regel 2, kolom date: geen datum: 26-10-2026x" in result.output
    assert "Traceback" not in result.output
    assert not AttendanceImport.objects.exists()
    assert not SignalHit.objects.exists()


def test_command_refuses_unknown_user_and_protocol(tmp_path):
    path = write_csv(tmp_path / "v.csv", student_rows("S-1"))

    unknown_user = runner.invoke(app, ["import-attendance", str(path), "--as-user", "niemand"])
    unknown_protocol = runner.invoke(app, ["import-attendance", str(path), "--protocol", "xyz"])
    missing = runner.invoke(app, ["import-attendance", str(tmp_path / "weg.csv")])

    assert unknown_user.exit_code == 2 and "niemand" in unknown_user.output
    assert unknown_protocol.exit_code == 2 and "xyz" in unknown_protocol.output
    assert missing.exit_code == 2 and "file not found" in missing.output
    assert not AttendanceImport.objects.exists()


def test_command_as_school_user_keeps_school_scope(tmp_path, coordinator, enrolled):
    enrolled("S-1")
    from leerrecht.registry.tests.factories import StudentFactory

    StudentFactory(source_id="ELDERS-1", without_bsn=True)
    path = write_csv(
        tmp_path / "v.csv",
        student_rows("S-1", unauthorised=SEVENTEEN_HOURS),
        student_rows("ELDERS-1", unauthorised=SEVENTEEN_HOURS),
    )

    result = runner.invoke(app, ["import-attendance", str(path), "--as-user", coordinator.username])

    assert result.exit_code == 0, result.output
    imp = AttendanceImport.objects.get()
    assert imp.organisation == coordinator.organisation
    assert imp.result["out_of_scope_students"] == 1
    assert list(SignalHit.objects.values_list("student__source_id", flat=True)) == ["S-1"]
