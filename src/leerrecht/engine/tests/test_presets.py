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

[norms.first_contact]
label = "Eerste contact"
due = "1 weeks"
met_by = "contact"
target = 0.8

[routes.r]
title = "Route"

[[routes.r.steps]]
key = "talk"
label = "Gesprek"
due = "2 weeks"

[escalation]
[[escalation.steps]]
key = "one"
label = "Stap 1"
earliest = "4 weeks"
due = "8 weeks"
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


def test_every_table_is_read_by_the_one_loader(tmp_path):
    path = tmp_path / "test.toml"
    path.write_text(GOOD)
    p = preset_load(name_or_path=path)
    assert p.signal("unauthorised_16h_4w").params["more_than_hours"] == 12.0
    assert p.signal("unauthorised_16h_4w").params["window_days"] == 20  # default
    assert [n.key for n in p.protocol.norms] == ["first_contact"]
    assert p.protocol.route("r").steps[0].key == "talk"
    assert set(p.extra) == {"norms", "routes", "escalation"}


def test_the_thuiszitter_definition_comes_from_the_inspectie_signal():
    p = preset_load(name_or_path="haaglanden-po")
    inspectie = p.signal("thuiszitter_inspectie").params
    assert p.definitions["more_than_school_days"] == inspectie["window_days"] - 1 == 20
    assert p.definitions["unauthorised_share_above"] == inspectie["unauthorised_share_above"]


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
        ("[routes.r]", "[route.r]", "[route]: unknown table"),
        ("[norms.first_contact]", "[kpi.first_contact]", "kpi: a KPI is a norm with a target"),
        ('met_by = "contact"', 'met_by = "phase_end"', "norms.first_contact.target"),
        ('due = "1 weeks"', 'due = "0 weeks"', "norms.first_contact.due = '0 weeks'"),
        ('earliest = "4 weeks"', 'earliest = "3 months"', "escalation.steps[0].earliest"),
        (
            "[routes.r]",
            '[norms.again]\nlabel = "x"\ndue = "7 days"\nmet_by = "contact"\n\n[routes.r]',
            "norms.again: the same rule twice",
        ),
        (
            "[routes.r]",
            "[signals.thuiszitter_inspectie]\n[thuiszitter_definitions]\n"
            "more_than_school_days = 20\n\n[routes.r]",
            "thuiszitter_definitions.more_than_school_days: the same rule twice",
        ),
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
