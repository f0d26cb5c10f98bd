"""Protocol presets (TOML): shipped ones load; impossible ones are refused clearly."""

from __future__ import annotations

import pytest

from leerrecht.engine import CATALOGUE, LEADS_TO, PresetError, preset_load, preset_names

GOOD = """
name = "test"
title = "Test"
source = "seed 001, 1.2"

[signals.unauthorised_16h_4w]
leads_to = ["report_duo"]
more_than_hours = 12

[route]
steps = ["talk", "report"]

[kpi]
first_contact_days = 7
"""


def test_shipped_presets():
    assert set(preset_names()) >= {
        "landelijk",
        "casus1-leerrecht",
        "casus2-preventie",
        "drechtsteden-vo",
        "haaglanden-po",
        "mazl",
    }
    for name in preset_names():
        p = preset_load(name_or_path=name)
        assert p.name == name and p.title and p.source
        for s in p.signals:
            assert s.id in CATALOGUE
            assert set(s.leads_to) <= set(LEADS_TO)


def test_landelijk_is_statutory_only():
    p = preset_load(name_or_path="landelijk")
    assert p.signal_ids == ["unauthorised_16h_4w", "late_9x"]
    assert p.signal("unauthorised_16h_4w").params == {"window_days": 20, "more_than_hours": 16}
    assert set(p.signal("late_9x").leads_to) == {"report_duo", "report_leerplicht"}


def test_mazl_and_casus2_signals():
    assert preset_load(name_or_path="mazl").signal_ids == [
        "sick_4th_report_12w",
        "sick_spell_7th_day",
    ]
    casus2 = preset_load(name_or_path="casus2-preventie").signal_ids
    for sid in (
        "preventive_10h_4w",
        "sick_short_spells_3x_2m",
        "sick_long_spell_10d",
        "sick_days_4_1m",
        "sent_home_sick_repeated",
    ):
        assert sid in casus2


def test_other_top_level_tables_pass_through(tmp_path):
    path = tmp_path / "test.toml"
    path.write_text(GOOD)
    p = preset_load(name_or_path=path)
    assert p.signal("unauthorised_16h_4w").params["more_than_hours"] == 12.0
    assert p.signal("unauthorised_16h_4w").params["window_days"] == 20  # default
    assert p.extra == {"route": {"steps": ["talk", "report"]}, "kpi": {"first_contact_days": 7}}


@pytest.mark.parametrize(
    ("replace", "by", "fragment"),
    [
        ("[signals.unauthorised_16h_4w]", "[signals.unknown_signal]", "signals.unknown_signal"),
        ("more_than_hours = 12", "more_than_hours = -1", "more_than_hours = -1"),
        ("more_than_hours = 12", "window_days = 0", "window_days = 0"),
        ("more_than_hours = 12", "window_days = 2.5", "window_days = 2.5"),
        ("more_than_hours = 12", "colour = 1", "colour: unknown parameter"),
        ('["report_duo"]', '["police"]', "leads_to: unknown value 'police'"),
        ('name = "test"', 'naam = "test"', "naam: unknown top-level key"),
    ],
)
def test_impossible_presets_are_refused(tmp_path, replace, by, fragment):
    path = tmp_path / "bad.toml"
    path.write_text(GOOD.replace(replace, by))
    with pytest.raises(PresetError) as info:
        preset_load(name_or_path=path)
    msg = str(info.value)
    assert msg.startswith(f"{path}: ")
    assert fragment in msg
    assert "\n" not in msg


@pytest.mark.parametrize(
    ("signal", "param", "value"),
    [
        ("under_50pct_4w", "attended_share_below", 1.5),
        ("thuiszitter_inspectie", "unauthorised_share_above", 1.0),
        ("preventive_10h_4w", "at_least_hours", 0),
        ("attendance_tier", "tier2_from", 0.5),
    ],
)
def test_impossible_shares_and_thresholds(tmp_path, signal, param, value):
    path = tmp_path / "bad.toml"
    path.write_text(
        f'name = "x"\ntitle = "x"\nsource = "x"\n[signals.{signal}]\n{param} = {value}\n'
    )
    with pytest.raises(PresetError, match=rf"signals\.{signal}\."):
        preset_load(name_or_path=path)


def test_unknown_preset_name():
    with pytest.raises(PresetError, match="unknown protocol preset 'nope'"):
        preset_load(name_or_path="nope")
