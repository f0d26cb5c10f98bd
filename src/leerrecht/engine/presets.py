"""Protocol presets: which signals a region uses, with which thresholds and follow-up.

A preset is a TOML file (shipped ones live in ``leerrecht/engine/presets/``)::

    name = "drechtsteden-vo"
    title = "SWV Drechtsteden VO - verzuimprotocol 2024-2025"
    source = "seed 001, 1.1-1.3"

    [signals.unauthorised_16h_4w]
    leads_to = ["report_duo", "report_leerplicht"]
    more_than_hours = 16          # parameters; omitted ones take the catalogue default
    window_days = 20

This module is THE reader of preset files and holds the schema of every table:
``[signals.*]`` (here), the case tables ``[case_settings]``, ``[norms.*]``, ``[routes.*]``,
``[escalation]``, ``[closure]`` (`engine.protocol.protocol_parse`), the thuiszitter
definitions and the region's ``[sector_presets]``. KPIs are norms with a ``target``
(a ``[kpi]`` table is refused), and the thuiszitter definition's "more than 20 school days,
mostly unauthorised" is taken from ``[signals.thuiszitter_inspectie]`` when the preset
has that signal (writing it twice is refused). Unknown tables, unknown signal ids and
parameters, impossible thresholds or durations and unknown ``leads_to`` values are refused
with a one-line :class:`PresetError` naming the file, table and key.
"""

from __future__ import annotations

import functools
import re
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from leerrecht.engine.catalogue import CATALOGUE, params_resolve
from leerrecht.engine.errors import PresetError
from leerrecht.engine.protocol import Protocol, protocol_parse

__all__ = [
    "LEADS_TO",
    "Preset",
    "PresetSignal",
    "preset_load",
    "preset_names",
    "preset_parse",
    "preset_text",
]

#: Closed vocabulary of what a signal leads to.
LEADS_TO = ("report_duo", "report_leerplicht", "jgz", "swv_list", "open_case")

_KNOWN_TOP = {"name", "title", "source", "description", "signals"}
# Every other top-level table a preset may have, and who reads it.
_KNOWN_TABLES = {
    "case_settings": "cases (engine.protocol)",
    "norms": "cases deadlines and quarterly KPIs (engine.protocol)",
    "routes": "cases (engine.protocol)",
    "escalation": "cases (engine.protocol)",
    "closure": "cases (engine.protocol)",
    "thuiszitter_definitions": "monitoring (thuiszitter definitions)",
    "sector_presets": "registry (which preset applies to a school sector)",
    "disclosure": "monitoring (minimum cell size of aggregate figures)",
    "reconciliation": "reconciliation (overrides of reconciliation/presets/reconciliation.toml)",
}
DEFINITION_KEYS = (
    "min_age",
    "max_age_exclusive",
    "more_than_school_days",
    "unauthorised_share_above",
)
# The thuiszitter definition keys that the Inspectie signal already states.
_DEFINITION_FROM_SIGNAL = ("more_than_school_days", "unauthorised_share_above")
_SIGNAL_META = {"leads_to", "note"}


@dataclass(frozen=True, slots=True)
class PresetSignal:
    id: str
    params: dict[str, float | int]
    leads_to: tuple[str, ...]
    note: str = ""


@dataclass(frozen=True, slots=True)
class Preset:
    name: str
    title: str
    source: str
    path: Path
    signals: tuple[PresetSignal, ...]
    description: str = ""
    extra: dict[str, Any] = field(default_factory=dict)  # the other (validated) tables
    protocol: Protocol | None = None  # the case tables, parsed
    definitions: dict[str, Any] = field(default_factory=dict)  # thuiszitter thresholds

    @property
    def signal_ids(self) -> list[str]:
        return [s.id for s in self.signals]

    def signal(self, signal_id: str) -> PresetSignal:
        for s in self.signals:
            if s.id == signal_id:
                return s
        raise KeyError(signal_id)


def _preset_dir() -> Path:
    return Path(str(resources.files("leerrecht.engine") / "presets"))


def preset_names() -> list[str]:
    """Names of the shipped presets (file stems in leerrecht/engine/presets/; files whose
    name starts with "_" are shared tables, such as _sources.toml, not presets)."""
    return sorted(p.stem for p in _preset_dir().glob("*.toml") if not p.stem.startswith("_"))


def _str(data: dict, key: str, file: str, *, required: bool) -> str:
    value = data.get(key, "")
    if required and key not in data:
        raise PresetError(f"{file}: {key}: missing (a string is required)")
    if not isinstance(value, str):
        raise PresetError(f"{file}: {key} = {value!r}: must be a string")
    return value


def preset_path(name_or_path: str | Path) -> Path:
    """The file of a shipped preset (by name) or of any preset TOML file (by path)."""
    text = str(name_or_path)
    path = Path(text)
    if not (text.endswith(".toml") or path.is_file()):
        shipped = _preset_dir() / f"{text}.toml"
        if not shipped.is_file():
            raise PresetError(
                f"unknown protocol preset {text!r} (known: {', '.join(preset_names())})"
            )
        path = shipped
    return path


def shared_table(name: str) -> dict:
    """A shared table file of the preset folder (its name starts with "_", e.g.
    ``_sources.toml``: the titles of the documents that presets cite)."""
    if not name.startswith("_"):
        raise PresetError(f"{name}: a shared table's name starts with '_'")
    return toml_read(_preset_dir() / f"{name}.toml")


def toml_read(path: Path) -> dict:
    """THE reader of TOML files in the preset folder (presets and shared tables)."""
    file = str(path)
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise PresetError(f"{file}: file not found") from None
    except tomllib.TOMLDecodeError as exc:
        raise PresetError(f"{file}: not valid TOML: {exc}") from None


def preset_load(*, name_or_path: str | Path) -> Preset:
    """Load and validate a shipped preset by name, or any preset TOML file by path."""
    path = preset_path(name_or_path)
    return _preset_load_cached(str(path.resolve()), path.stat().st_mtime_ns)


@functools.lru_cache(maxsize=32)
def _preset_load_cached(file: str, _mtime_ns: int) -> Preset:
    path = Path(file)
    return _preset_build(toml_read(path), file, path)


def preset_text(*, name_or_path: str | Path) -> str:
    """The TOML text of a shipped preset (by name) or of a preset file (by path), after
    validating it: the seed of a protocol version kept in the database."""
    path = preset_path(name_or_path)
    preset_load(name_or_path=path)
    return path.read_text(encoding="utf-8")


def preset_parse(*, text: str, file: str) -> Preset:
    """Validate and load a preset given as TOML text (a protocol version kept in the
    database, an uploaded file), with exactly the schema of the preset files.

    `file` names the text in messages. Every :class:`PresetError` says where the problem
    is as ``<file>:<line>:<column>: <message>`` when the table or key can be found in the
    text (always for TOML syntax errors)."""
    return _preset_parse_cached(text, file)


@functools.lru_cache(maxsize=64)
def _preset_parse_cached(text: str, file: str) -> Preset:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        found = re.search(r"^(.*) \(at line (\d+), column (\d+)\)$", str(exc))
        if found is None:
            raise PresetError(f"{file}: not valid TOML: {exc}") from None
        message, line, column = found.groups()
        raise PresetError(f"{file}:{line}:{column}: not valid TOML: {message}") from None
    try:
        return _preset_build(data, file, Path(file))
    except PresetError as exc:
        message = str(exc)
        rest = message[len(file) + 2 :] if message.startswith(f"{file}: ") else message
        position = _position_of(text, rest)
        if position is None:
            raise
        raise type(exc)(f"{file}:{position[0]}:{position[1]}: {rest}") from None


def _position_of(text: str, message: str) -> tuple[int, int] | None:
    """Line and column (1-based) of the table or key a loader message starts with, e.g.
    ``signals.late_9x.at_least_times = 0: ...`` or ``routes.r.steps[1].due: missing``."""
    head = message.split(":", 1)[0].split(" ", 1)[0].strip("[]")
    parts = [p for p in head.replace("]", "").replace("[", ".").split(".") if p]
    if not parts:
        return None
    lines = text.splitlines()
    best: tuple[int, int] | None = None
    # The longest table path that has a header; then the key inside that table.
    for cut in range(len(parts), 0, -1):
        table = parts[:cut]
        index = 0
        if table[-1].isdigit():
            index, table = int(table[-1]), table[:-1]
        found = _header_line(lines, ".".join(table), index)
        if found is None:
            continue
        best = (found + 1, 1)
        if cut < len(parts):
            key = parts[cut] if not parts[cut].isdigit() else None
            for i in range(found + 1, len(lines)):
                stripped = lines[i].lstrip()
                if stripped.startswith("["):
                    break
                if key and stripped.split("=", 1)[0].strip() == key and "=" in stripped:
                    return (i + 1, len(lines[i]) - len(stripped) + 1)
        return best
    # A key at the top level (name, title, source) or a dotted table written inline.
    for i, line in enumerate(lines):
        if line.split("=", 1)[0].strip() == parts[0] and "=" in line:
            return (i + 1, 1)
    return best


def _header_line(lines: list[str], table: str, index: int) -> int | None:
    seen = 0
    for i, line in enumerate(lines):
        stripped = line.strip().split("#", 1)[0].strip()
        if stripped == f"[{table}]":
            return i
        if stripped == f"[[{table}]]":
            if seen == index:
                return i
            seen += 1
    return None


def _preset_build(data: dict, file: str, path: Path) -> Preset:
    for key, value in data.items():
        if key in _KNOWN_TOP:
            continue
        if key == "kpi":
            raise PresetError(
                f"{file}: kpi: a KPI is a norm with a target; write [norms.<key>] with "
                "label, due, from, met_by and target (a share, e.g. 0.8)"
            )
        if not isinstance(value, dict | list):
            raise PresetError(
                f"{file}: {key}: unknown top-level key (known: {', '.join(sorted(_KNOWN_TOP))})"
            )
        if key not in _KNOWN_TABLES:
            raise PresetError(
                f"{file}: [{key}]: unknown table (known: {', '.join(sorted(_KNOWN_TABLES))})"
            )
    name = _str(data, "name", file, required=True)
    title = _str(data, "title", file, required=True)
    source = _str(data, "source", file, required=True)
    description = _str(data, "description", file, required=False)
    raw_signals = data.get("signals")
    if not isinstance(raw_signals, dict) or not raw_signals:
        raise PresetError(f"{file}: signals: at least one [signals.<id>] table is required")
    signals = []
    for sid, body in raw_signals.items():
        where = f"signals.{sid}"
        if sid not in CATALOGUE:
            raise PresetError(f"{file}: {where}: unknown signal id (known: {', '.join(CATALOGUE)})")
        if not isinstance(body, dict):
            raise PresetError(f"{file}: {where}: must be a table")
        leads = body.get("leads_to", [])
        if not isinstance(leads, list) or not all(isinstance(x, str) for x in leads):
            raise PresetError(f"{file}: {where}.leads_to: must be a list of strings")
        for item in leads:
            if item not in LEADS_TO:
                raise PresetError(
                    f"{file}: {where}.leads_to: unknown value {item!r} "
                    f"(allowed: {', '.join(LEADS_TO)})"
                )
        note = body.get("note", "")
        if not isinstance(note, str):
            raise PresetError(f"{file}: {where}.note: must be a string")
        given = {k: v for k, v in body.items() if k not in _SIGNAL_META}
        try:
            params = params_resolve(sid, given, where=where)
        except ValueError as exc:
            raise PresetError(f"{file}: {exc}") from None
        signals.append(PresetSignal(sid, params, tuple(leads), note))
    extra = {k: v for k, v in data.items() if k not in _KNOWN_TOP}
    protocol = protocol_parse(data, name=name, file=file)
    definitions = _definitions(data, signals, file)
    _sector_presets(data, file)
    return Preset(
        name, title, source, path, tuple(signals), description, extra, protocol, definitions
    )


def _definitions(data: dict, signals: list[PresetSignal], file: str) -> dict[str, Any]:
    """The thuiszitter thresholds: the table's keys, and the Inspectie signal's window and
    share when the preset has that signal (the same rule may not be written twice)."""
    table = data.get("thuiszitter_definitions", {})
    if not isinstance(table, dict):
        raise PresetError(f"{file}: thuiszitter_definitions: must be a table")
    unknown = sorted(set(table) - set(DEFINITION_KEYS))
    if unknown:
        raise PresetError(
            f"{file}: thuiszitter_definitions.{unknown[0]}: unknown key "
            f"(known: {', '.join(DEFINITION_KEYS)})"
        )
    for key, value in table.items():
        if not isinstance(value, int | float) or isinstance(value, bool) or value < 0:
            raise PresetError(f"{file}: thuiszitter_definitions.{key} = {value!r}: a number >= 0")
    definitions = dict(table)
    inspectie = next((s for s in signals if s.id == "thuiszitter_inspectie"), None)
    if inspectie is not None:
        twice = [k for k in _DEFINITION_FROM_SIGNAL if k in table]
        if twice:
            raise PresetError(
                f"{file}: thuiszitter_definitions.{twice[0]}: the same rule twice; "
                "[signals.thuiszitter_inspectie] (window_days, unauthorised_share_above) "
                "already states it"
            )
        definitions["more_than_school_days"] = int(inspectie.params["window_days"]) - 1
        definitions["unauthorised_share_above"] = inspectie.params["unauthorised_share_above"]
    if definitions.get("min_age", 0) >= definitions.get("max_age_exclusive", 99):
        raise PresetError(f"{file}: thuiszitter_definitions.min_age: not below max_age_exclusive")
    return definitions


def _sector_presets(data: dict, file: str) -> None:
    table = data.get("sector_presets", {})
    if not isinstance(table, dict) or not all(isinstance(v, str) for v in table.values()):
        raise PresetError(f'{file}: sector_presets: a table of sector = "preset name"')
