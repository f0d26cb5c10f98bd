"""The protocol simulator and `leerrecht protocol diff|simulate` (no Django): its counts
are exactly what `leerrecht signals` prints with each version on the same file."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import Counter

import pytest
from typer.testing import CliRunner

from leerrecht.cli.main import app
from leerrecht.engine.errors import PresetError
from leerrecht.engine.preset_diff import preset_diff
from leerrecht.engine.presets import preset_load, preset_parse, preset_text
from leerrecht.engine.simulate import ANY_SIGNAL, simulate_presets, simulation_compare
from leerrecht.engine.tests.conftest import ladder_attendance_csv

runner = CliRunner()


@pytest.fixture
def attendance(tmp_path):
    path = tmp_path / "attendance.csv"
    ladder_attendance_csv(path)
    return path


@pytest.fixture
def draft(tmp_path):
    """haaglanden-po with the report threshold lowered from 16 to 10 hours."""
    text = preset_text(name_or_path="haaglanden-po").replace(
        "more_than_hours = 16", "more_than_hours = 10"
    )
    path = tmp_path / "draft.toml"
    path.write_text(text)
    return path


def _signal_counts(attendance, protocol) -> Counter:
    result = runner.invoke(app, ["signals", str(attendance), "--protocol", str(protocol)])
    assert result.exit_code == 0, result.output
    return Counter(row["signal"] for row in csv.DictReader(io.StringIO(result.stdout)))


def test_simulated_counts_equal_the_signals_command_for_each_version(attendance, draft):
    result = runner.invoke(
        app,
        [
            "protocol",
            "simulate",
            str(draft),
            "--attendance",
            str(attendance),
            "--against",
            "haaglanden-po",
        ],
    )
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    totals = {r["signal"]: r for r in rows if r["dimension"] == "total"}
    current = _signal_counts(attendance, "haaglanden-po")
    lowered = _signal_counts(attendance, draft)
    signals = set(current) | set(lowered)
    assert {"unauthorised_16h_4w", "sick_spell_7th_day"} <= signals
    for signal in signals:
        assert int(totals[signal]["haaglanden-po"]) == current[signal], signal
        assert int(totals[signal][str(draft)]) == lowered[signal], signal
    # more than 16 hours: S17-S24; more than 10 hours: S11-S24
    unauthorised = totals["unauthorised_16h_4w"]
    assert (int(unauthorised["haaglanden-po"]), int(unauthorised[str(draft)])) == (8, 14)
    assert int(unauthorised["difference"]) == 6
    weeks = [r for r in rows if r["dimension"] == "week" and r["signal"] == "unauthorised_16h_4w"]
    assert sum(int(r[str(draft)]) for r in weeks) == 14


def test_compare_names_who_enters_and_groups_per_school():
    day = dt.date(2024, 9, 20)
    before = {"unauthorised_16h_4w": {"A": day}, "sick_spell_7th_day": {"C": day}}
    after = {"unauthorised_16h_4w": {"A": day, "B": day}, "sick_spell_7th_day": {}}
    groups = {
        "A": {"school": "De Linde"},
        "B": {"school": "De Linde"},
        "C": {"school": "Het Baken"},
    }
    comparison = simulation_compare(before, after, groups=groups)
    assert comparison.entering["unauthorised_16h_4w"] == ["B"]
    assert comparison.leaving["sick_spell_7th_day"] == ["C"]
    assert comparison.entering[ANY_SIGNAL] == ["B"] and comparison.leaving[ANY_SIGNAL] == ["C"]
    per_school = {
        (r.group, r.signal): (r.before, r.after) for r in comparison.rows if r.dimension == "school"
    }
    assert per_school[("De Linde", "unauthorised_16h_4w")] == (1, 2)
    assert per_school[("Het Baken", ANY_SIGNAL)] == (1, 0)
    assert per_school[("De Linde", ANY_SIGNAL)] == (1, 2)


def test_a_signal_with_the_same_parameters_runs_once(attendance):
    calls = []
    preset = preset_load(name_or_path="haaglanden-po")
    simulate_presets(
        attendance=attendance,
        presets=[preset, preset],
        progress=lambda done, total, label: calls.append((done, total, label)),
    )
    signals = [label for _, _, label in calls if label not in ("attendance", "done")]
    assert len(signals) == len(preset.signals)
    assert calls[-1][0] == calls[-1][1]


def test_diff_names_the_changed_threshold_only(draft):
    changes = preset_diff(
        preset_load(name_or_path="haaglanden-po"), preset_parse(text=draft.read_text(), file="d")
    )
    assert [(c.path, c.kind, c.before, c.after) for c in changes] == [
        ("signals.unauthorised_16h_4w.more_than_hours", "changed", 16.0, 10.0)
    ]
    result = runner.invoke(app, ["protocol", "diff", "haaglanden-po", str(draft)])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "path,change,before,after",
        "signals.unauthorised_16h_4w.more_than_hours,changed,16,10",
    ]


def test_a_bad_draft_is_named_by_file_line_and_column(tmp_path, attendance):
    text = preset_text(name_or_path="haaglanden-po")
    with pytest.raises(
        PresetError, match=r"^concept:23:1: signals\.unauthorised_16h_4w\.more_than_hours"
    ):
        preset_parse(
            text=text.replace("more_than_hours = 16", "more_than_hours = -3"), file="concept"
        )
    with pytest.raises(PresetError, match=r"^concept:\d+:\d+: not valid TOML"):
        preset_parse(text=text.replace("[case_settings]", "[case_settings"), file="concept")
    bad = tmp_path / "bad.toml"
    bad.write_text(text.replace("more_than_hours = 16", "more_than_hours = -3"))
    result = runner.invoke(app, ["protocol", "simulate", str(bad), "--attendance", str(attendance)])
    assert result.exit_code == 2
    assert "more_than_hours" in result.output and "Traceback" not in result.output
    result = runner.invoke(app, ["protocol", "diff", "landelijk", "nope"])
    assert result.exit_code == 2 and "unknown protocol preset 'nope'" in result.output
