"""`leerrecht deadlines` prints a case's full schedule (docs/cases.md, "Deadline preview"):
every norm of the preset, every route step and the municipality's escalation ladder.
Haaglanden (seeds/004, Bijlage 1): steps at 4-8, 8, 11 and 13 weeks from the first day of
worrying absence; Leidschendam-Voorburg (GM1916) and Rijswijk (GM0603) skip step 2."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest
from typer.testing import CliRunner

from leerrecht.cases.deadlines import protocol_load
from leerrecht.cli.main import app

runner = CliRunner()
ANCHOR, OPENED = dt.date(2026, 9, 7), dt.date(2026, 9, 21)
WEEK = dt.timedelta(weeks=1)


def _output(municipality: str, *extra: str) -> str:
    argv = ["deadlines", "--protocol", "haaglanden-po", "--municipality", municipality]
    argv += ["--anchor", ANCHOR.isoformat(), "--opened", OPENED.isoformat(), *extra]
    result = runner.invoke(app, argv)
    assert result.exit_code == 0, result.output
    return result.output


def _rows(municipality: str, *extra: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(_output(municipality, *extra))))


def test_the_output_columns_are_the_contract():
    assert _output("GM0518").splitlines()[0] == "kind,key,label,earliest,due,source"
    ladder = [r for r in _rows("GM0518") if r["kind"] == "escalation"]
    assert ladder[0]["source"].startswith("Routeboek Haaglanden po 2025, Bijlage 1")
    assert "seed" not in _output("GM0518")
    as_json = json.loads(_output("GM0518", "--format", "json"))
    assert all(list(r) == ["kind", "key", "label", "earliest", "due", "source"] for r in as_json)
    as_csv = _rows("GM0518")
    assert as_json == as_csv


def test_den_haag_ladder_has_four_steps_from_the_first_day_of_worrying_absence():
    ladder = [r for r in _rows("GM0518") if r["kind"] == "escalation"]
    assert [(r["key"], r["earliest"], r["due"]) for r in ladder] == [
        ("peer_consultation", str(ANCHOR + 4 * WEEK), str(ANCHOR + 8 * WEEK)),
        ("management", "", str(ANCHOR + 8 * WEEK)),
        ("advisory_table", "", str(ANCHOR + 11 * WEEK)),
        ("directors", "", str(ANCHOR + 13 * WEEK)),
    ]


@pytest.mark.parametrize("municipality", ["GM1916", "GM0603"])
def test_leidschendam_voorburg_and_rijswijk_skip_step_two(municipality):
    keys = [r["key"] for r in _rows(municipality) if r["kind"] == "escalation"]
    assert keys == ["peer_consultation", "advisory_table", "directors"]


def test_every_norm_and_every_route_step_is_listed_with_its_dutch_label():
    protocol = protocol_load("haaglanden-po")
    records = _rows("GM0518")
    norms = {r["key"]: r for r in records if r["kind"] == "norm"}
    assert set(norms) == {n.key for n in protocol.norms}
    first_contact = norms["first_contact"]
    assert first_contact["label"] == "Eerste contact binnen één week"
    assert first_contact["due"] == str(OPENED + WEEK)
    assert norms["passend_aanbod"]["due"] == "2026-12-07"  # 3 months from the anchor
    steps = [r["key"] for r in records if r["kind"] == "route"]
    assert steps == [s.key for s in protocol.route("with_enrolment").steps]


def test_route_without_enrolment_has_no_ladder():
    rows = _rows("GM0518", "--route", "without_enrolment")
    assert {r["kind"] for r in rows} == {"norm", "route"}
    letter = next(r for r in rows if r["key"] == "letter")
    assert letter["due"] == "2026-09-28"  # 5 working days from opening


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--municipality", "Den Haag"], "--municipality 'Den Haag': a CBS code"),
        (["--anchor", "7-9-2026"], "--anchor '7-9-2026': not a date"),
        (["--route", "nowhere"], "routes.nowhere: unknown route"),
        (["--protocol", "atlantis"], "unknown protocol preset 'atlantis'"),
        (["--format", "xml"], "--format 'xml'"),
    ],
)
def test_bad_input_is_one_clear_line(args, message):
    base = {
        "--protocol": "haaglanden-po",
        "--municipality": "GM0518",
        "--anchor": "2026-09-07",
        "--opened": "2026-09-21",
    }
    base.update(dict(zip(args[::2], args[1::2], strict=True)))
    argv = ["deadlines", *[x for kv in base.items() for x in kv]]
    if args[0] not in base or args[0] in ("--route", "--format"):
        argv += args
    result = runner.invoke(app, argv)
    assert result.exit_code != 0
    assert message in result.output
    assert "Traceback" not in result.output
