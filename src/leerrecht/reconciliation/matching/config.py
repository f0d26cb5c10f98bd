"""Settings of matching and absolute verzuim, read from TOML (no literals in the rules).

Defaults ship in ``leerrecht/reconciliation/presets/reconciliation.toml``. A protocol preset
(``leerrecht/engine/presets/<name>.toml``) may override single keys in a top-level
``[reconciliation]`` table with the same sub-tables, e.g.::

    [reconciliation.absolute_verzuim]
    transfer_grace_weeks = 4
"""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

SchoolDayTest = Callable[[dt.date], bool]


class ConfigError(ValueError):
    """A setting is missing or malformed; the message names the file and key."""


@dataclass(frozen=True, slots=True)
class MatchConfig:
    weight_surname: float = 0.45
    weight_given: float = 0.30
    weight_birth_date: float = 0.25
    auto_match_from: float = 0.90
    review_from: float = 0.84
    initials_only: float = 0.90
    first_initial_only: float = 0.75
    swapped_day_month: float = 0.85
    birth_date_typo: float = 0.50
    candidate_surname_from: float = 0.85
    identifier_surname_agree_from: float = 0.85
    identifier_given_agree_from: float = 0.75
    address_same_bonus: float = 0.05
    status_words: dict[str, list[str]] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class LeerplichtConfig:
    start_age_years: int = 5
    end_age_years: int = 16
    qualification_until_age: int = 18
    school_year_start_month: int = 8
    school_year_start_day: int = 1


@dataclass(frozen=True, slots=True)
class AbsoluteVerzuimConfig:
    exempting_articles: list[str] = field(default_factory=list)
    transfer_grace_weeks: int = 6
    transfer_lookback_days: int = 92
    route_letter_working_days: int = 5


@dataclass(frozen=True, slots=True)
class TaskConfig:
    missing_registration_due_days: int = 10


@dataclass(frozen=True, slots=True)
class ReconciliationConfig:
    matching: MatchConfig
    leerplicht: LeerplichtConfig
    absolute_verzuim: AbsoluteVerzuimConfig
    tasks: TaskConfig
    source: str = ""


_SECTIONS = {
    "matching": MatchConfig,
    "leerplicht": LeerplichtConfig,
    "absolute_verzuim": AbsoluteVerzuimConfig,
    "tasks": TaskConfig,
}


def _default_path() -> Path:
    return Path(
        str(resources.files("leerrecht.reconciliation") / "presets" / "reconciliation.toml")
    )


def _preset_path(name: str) -> Path:
    return Path(str(resources.files("leerrecht.engine") / "presets" / f"{name}.toml"))


def _build(section: str, cls, data: dict[str, Any], origin: str):
    known = {f.name: f for f in fields(cls)}
    values = {}
    for key, value in data.items():
        if key not in known:
            raise ConfigError(f"{origin}: unknown setting [{section}] {key}")
        default = known[key].default
        numeric = isinstance(default, (int, float)) and not isinstance(default, bool)
        if numeric and (
            not isinstance(value, (int, float)) or isinstance(value, bool) or value < 0
        ):
            raise ConfigError(f"{origin}: [{section}] {key} must be a number >= 0")
        values[key] = value
    return cls(**values)


def config_from_mapping(data: dict[str, Any], *, origin: str = "config") -> ReconciliationConfig:
    built = {}
    for section, cls in _SECTIONS.items():
        built[section] = _build(section, cls, data.get(section, {}), origin)
    m = built["matching"]
    if not 0 < m.review_from <= m.auto_match_from <= 1:
        raise ConfigError(f"{origin}: need 0 < review_from <= auto_match_from <= 1")
    total = m.weight_surname + m.weight_given + m.weight_birth_date
    if abs(total - 1.0) > 1e-6:
        raise ConfigError(f"{origin}: the three matching weights must add up to 1.0, not {total}")
    return ReconciliationConfig(**built, source=origin)


def _merge(base: dict, override: dict) -> dict:
    out = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


@cache
def config_load(preset: str | None = None) -> ReconciliationConfig:
    """Shipped defaults, overridden by the ``[reconciliation]`` table of `preset` if any."""
    path = _default_path()
    with path.open("rb") as fh:
        data = tomllib.load(fh)
    origin = path.name
    if preset:
        ppath = _preset_path(preset)
        if ppath.is_file():
            with ppath.open("rb") as fh:
                override = tomllib.load(fh).get("reconciliation", {})
            if override:
                data = _merge(data, override)
                origin = f"{path.name} + {ppath.name}"
    return config_from_mapping(data, origin=origin)


@cache
def school_day_test(preset: str | None = None) -> SchoolDayTest:
    """Is a day a school day, by the school calendar of protocol preset `preset`
    (``[case_settings] school_holidays`` + Dutch public holidays + weekends)? Without a
    preset (or one without a calendar) only weekends and public holidays are known."""
    from leerrecht.cases.deadlines import Calendar, ProtocolError, is_school_day, protocol_load

    calendar = Calendar()
    if preset:
        try:
            calendar = protocol_load(preset).calendar
        except ProtocolError:
            calendar = Calendar()
    return lambda day: is_school_day(day, calendar)
