"""The command line writes the result files; bad input is one line, exit 2, nothing written."""

from __future__ import annotations

import csv
import json

import pytest
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


def test_reconcile_bad_rows_are_listed_in_problems_and_do_not_stop_the_run(tmp_path):
    # Repro (issue 16): one list with BSNs failing the 11-check refused the whole list.
    good = ["111222333", "123456782", "010000008", "100000022", "100000034"]
    lines_a = ["Achternaam;Voornamen;Geboortedatum;BSN"]
    lines_a += [f"Kind{k};Sam;0{k + 1}-02-2014;{bsn}" for k, bsn in enumerate(good)]
    invalid = [f"12345678{d}" for d in (0, 1, 3, 4, 9)]  # only ...2 passes the 11-check
    lines_a += [f"Fout{k};Sam;0{k + 1}-03-2014;{bsn}" for k, bsn in enumerate(invalid)]
    lines_a += ["Jansen;Daan;31-02-2014;"]  # unparseable date
    a = _write(tmp_path / "a.csv", "\n".join(lines_a) + "\n")
    b = _write(
        tmp_path / "b.csv",
        "Achternaam;Voornamen;Geboortedatum;BSN\n"
        + "".join(f"Kind{k};Sam;0{k + 1}-02-2014;{bsn}\n" for k, bsn in enumerate(good))
        + "".join(f"Fout{k};Sam;0{k + 1}-03-2014;\n" for k in range(5)),
    )
    out = tmp_path / "out"
    result = runner.invoke(app, ["reconcile", a, b, "--out", str(out)])
    assert result.exit_code == 0, result.output
    problems = _rows(out / "problems.csv")
    assert [(p["file"], p["line"], p["column"]) for p in problems] == [
        *[("a.csv", str(line), "BSN") for line in range(7, 12)],
        ("a.csv", "12", "Geboortedatum"),
    ]
    assert "elfproef mislukt" in problems[0]["reason"]
    summary = json.loads((out / "summary.json").read_text())
    assert summary["matched"] == 10 and summary["problems"] == 6  # the bad-BSN rows by name


def test_reconcile_initials_with_dots_do_not_crash(tmp_path):
    # Repro: "Jansen;Daan;01-02-2015" vs "Jansen;D.J.;01-02-2015" -> AttributeError.
    a = _write(tmp_path / "a.csv", "Achternaam;Voornamen;Geboortedatum\nJansen;Daan;01-02-2015\n")
    b = _write(tmp_path / "b.csv", "Achternaam;Voornamen;Geboortedatum\nJansen;D.J.;01-02-2015\n")
    result = runner.invoke(app, ["reconcile", a, b, "--out", str(tmp_path / "out")])
    assert result.exit_code == 0 and "Traceback" not in result.output
    rows = _rows(tmp_path / "out" / "matched.csv") + _rows(tmp_path / "out" / "review.csv")
    assert "alleen de eerste initiaal komt overeen" in rows[0]["reasons"]


@pytest.mark.parametrize(
    ("encoding", "bom"),
    [("utf-16", b""), ("utf-16-le", b""), ("utf-8", b"\xef\xbb\xbf"), ("cp1252", b"")],
)
def test_reconcile_reads_every_common_encoding(tmp_path, encoding, bom):
    # Repro: UTF-16 input got the reason "koppel minstens de kolommen".
    text = "Achternaam;Voornamen;Geboortedatum\nŞahin;Zoë;01-02-2015\n"
    if encoding == "cp1252":
        text = text.replace("Ş", "S")
    (tmp_path / "a.csv").write_bytes(bom + text.encode(encoding))
    b = _write(tmp_path / "b.csv", "Achternaam;Voornamen;Geboortedatum\nSahin;Zoe;01-02-2015\n")
    out = tmp_path / "out"
    result = runner.invoke(app, ["reconcile", str(tmp_path / "a.csv"), b, "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert json.loads((out / "summary.json").read_text())["matched"] == 1


def test_reconcile_unknown_encoding_is_one_clear_line(tmp_path):
    (tmp_path / "a.csv").write_bytes(b"Achternaam;Voornamen\n\x81\x8d\x9d;X\n")
    out = tmp_path / "out"
    result = runner.invoke(
        app, ["reconcile", str(tmp_path / "a.csv"), str(tmp_path / "a.csv"), "--out", str(out)]
    )
    assert result.exit_code == 2 and "tekstcodering is niet herkend" in result.output
    assert "Traceback" not in result.output and not out.exists()


def test_reconcile_duplicate_rows_are_their_own_group(tmp_path):
    a = _write(
        tmp_path / "a.csv",
        "Achternaam;Voornamen;Geboortedatum\nKok;Noor;02-02-2013\nKok;Noor;02-02-2013\n",
    )
    b = _write(tmp_path / "b.csv", "Achternaam;Voornamen;Geboortedatum\nKok;Noor;02-02-2013\n")
    out = tmp_path / "out"
    assert runner.invoke(app, ["reconcile", a, b, "--out", str(out)]).exit_code == 0
    assert _rows(out / "duplicates.csv") == [
        {"file": "a.csv", "line": "3", "same_child_as_line": "2"}
    ]
    assert _rows(out / "only_a.csv") == [] and len(_rows(out / "matched.csv")) == 1
    assert _rows(out / "problems.csv")[0]["reason"] == "dubbel: zelfde kind als regel 2"


def test_preset_help_keeps_every_word():
    # Repro: "--preset" help read "whose  applies" (the formatter ate "[reconciliation]").
    result = runner.invoke(app, ["reconcile", "--help"], env={"COLUMNS": "200"})
    assert "whose reconciliation table and school calendar apply" in result.output


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


def test_absolute_verzuim_side_files_use_the_one_reader(tmp_path):
    # Repros: an enrolment BSN without its leading zero (Excel), a blank line in the middle
    # of the enrolments file, exemptions written as "5 onder a" / "Artikel 5 onder a".
    register = _write(
        tmp_path / "brp.csv",
        "BSN;Voornamen;Achternaam;Geboortedatum;Gemeente\n"
        "010000008;Lina;Bouzid;09-01-2013;GM0518\n"
        "111222333;Sem;Smit;09-01-2013;GM0518\n"
        "123456782;Noor;Kok;09-01-2013;GM0518\n"
        "100000022;Finn;Bos;09-01-2013;GM0518\n"
        "100000034;Eva;Jansen;09-01-2013;GM0518\n",
    )
    enrol = _write(
        tmp_path / "inschrijvingen.csv",
        "bsn,start,end\n10000008,2017-08-21,\n\n999999999,2017-08-21,\n",
    )
    exempt = _write(
        tmp_path / "vrijstellingen.csv",
        "BSN;Artikel;Vanaf;Tot\n"
        "111222333;5 onder a;01-09-2026;\n"
        "123456782;Artikel 5 onder a;01-09-2026;\n"
        "100000022;vrijstelling wegens ziekte;01-09-2026;\n",
    )
    out = tmp_path / "av"
    args = ["absolute-verzuim", register, "--on", "23-11-2026", "--out", str(out)]
    result = runner.invoke(app, [*args, "--enrolments", enrol, "--exemptions", exempt])
    assert result.exit_code == 0, result.output
    dropped = {r["bsn"]: r["code"] for r in _rows(out / "dropped.csv")}
    assert dropped == {"010000008": "enrolled", "111222333": "exemption", "123456782": "exemption"}
    assert sorted(r["bsn"] for r in _rows(out / "candidates.csv")) == ["100000022", "100000034"]
    problems = {
        (p["file"], p["line"], p["column"]): p["reason"] for p in _rows(out / "problems.csv")
    }
    assert "elfproef" in problems[("inschrijvingen.csv", "4", "bsn")]
    assert "geen bekend artikel" in problems[("vrijstellingen.csv", "4", "Artikel")]
