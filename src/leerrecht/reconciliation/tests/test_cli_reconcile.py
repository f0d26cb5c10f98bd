"""The command line writes the result files; bad input is one line, exit 2, nothing written."""

from __future__ import annotations

import csv
import json

from typer.testing import CliRunner

from leerrecht.cli.main import app

runner = CliRunner()


def _write(path, text):
    path.write_text(text, encoding="utf-8")
    return str(path)


def _rows(path):
    with path.open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh, delimiter=";"))


def test_reconcile_writes_the_four_groups_and_coverage(tmp_path):
    a = _write(
        tmp_path / "a.csv",
        "Achternaam;Voornamen;Geboortedatum;Status\nde Vries;Sanne;07-03-2014;thuiszitter\nYilmaz;Elif;02-02-2013;\n",
    )
    b = _write(
        tmp_path / "b.csv",
        'Naam,Roepnaam,Geb datum,Situatie\n"Vries, de",S.,03-07-2014,terug op school\nBakker,Lotte,01-01-2015,\n',
    )
    out = tmp_path / "out"
    result = runner.invoke(app, ["reconcile", a, b, "--out", str(out)])
    assert result.exit_code == 0, result.output
    summary = json.loads((out / "summary.json").read_text())
    assert (summary["matched"], summary["conflicts"], summary["only_a"], summary["only_b"]) == (
        1,
        1,
        1,
        1,
    )
    assert summary["coverage_a"] == 50.0
    conflict = _rows(out / "conflicts.csv")[0]
    assert (
        conflict["name_a"] == "Sanne de Vries" and "dag en maand verwisseld" in conflict["reasons"]
    )
    assert _rows(out / "only_a.csv")[0]["name"] == "Elif Yilmaz"
    assert _rows(out / "only_b.csv")[0]["name"] == "Lotte Bakker"


def test_reconcile_bad_row_is_one_line_error_and_no_files(tmp_path):
    a = _write(tmp_path / "a.csv", "Achternaam;Geboortedatum\nJansen;31-02-2014\n")
    b = _write(tmp_path / "b.csv", "Achternaam;Geboortedatum\nJansen;01-02-2014\n")
    out = tmp_path / "out"
    result = runner.invoke(app, ["reconcile", a, b, "--out", str(out)])
    assert result.exit_code == 2
    assert "regel 2, kolom 'Geboortedatum'" in result.output and "Traceback" not in result.output
    assert not out.exists()


def test_absolute_verzuim_from_files_without_database(tmp_path):
    register = _write(
        tmp_path / "brp.csv",
        "BSN;Voornamen;Achternaam;Geboortedatum;Gemeente;Datum vestiging;Datum vertrek;Reden vertrek\n"
        "111222333;Lina;Bouzid;09-01-2013;GM0518;09-01-2013;;\n"
        "123456782;Sem;Smit;09-01-2013;GM0518;09-01-2013;;\n"
        "100000022;Noor;Kok;09-01-2013;GM0518;09-01-2013;01-06-2026;emigratie\n",
    )
    enrol = _write(tmp_path / "inschrijvingen.csv", "bsn,start,end\n123456782,2017-08-21,\n")
    out = tmp_path / "av"
    result = runner.invoke(
        app,
        [
            "absolute-verzuim",
            register,
            "--on",
            "23-11-2026",
            "--enrolments",
            enrol,
            "--out",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    kept = _rows(out / "candidates.csv")
    dropped = {r["bsn"]: r["code"] for r in _rows(out / "dropped.csv")}
    assert [r["bsn"] for r in kept] == ["111222333"]
    assert dropped == {"123456782": "enrolled", "100000022": "emigrated"}
