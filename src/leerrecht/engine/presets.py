"""Protocol presets: which signals a region uses, with which thresholds and follow-up.

A preset is a TOML file (shipped ones live in ``leerrecht/engine/presets/``)::

    name = "drechtsteden-vo"
    title = "SWV Drechtsteden VO - verzuimprotocol 2024-2025"
    source = "seed 001, 1.1-1.3"

    [signals.unauthorised_16h_4w]
    leads_to = ["report_duo", "report_leerplicht"]
    more_than_hours = 16          # parameters; omitted ones take the catalogue default
    window_days = 20

Only ``name``, ``title``, ``source``, ``description`` and ``[signals.*]`` are read here.
Other top-level TABLES (``[route]``, ``[escalation]``, ``[kpi]``, ...) belong to other
parts of the product and are passed through untouched in :attr:`Preset.extra`.
Unknown signal ids, unknown parameters, impossible thresholds and unknown ``leads_to``
values are refused with a one-line :class:`PresetError` naming the file and key.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from leerrecht.engine.catalogue import CATALOGUE, params_resolve
from leerrecht.engine.errors import PresetError

__all__ = ["LEADS_TO", "Preset", "PresetSignal", "preset_load", "preset_names"]

#: Closed vocabulary of what a signal leads to.
LEADS_TO = ("report_duo", "report_leerplicht", "jgz", "swv_list", "open_case")

_KNOWN_TOP = {"name", "title", "source", "description", "signals"}
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
    extra: dict[str, Any] = field(default_factory=dict)  # other top-level tables

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


def preset_load(*, name_or_path: str | Path) -> Preset:
    """Load and validate a shipped preset by name, or any preset TOML file by path."""
    text = str(name_or_path)
    path = Path(text)
    if not (text.endswith(".toml") or path.is_file()):
        shipped = _preset_dir() / f"{text}.toml"
        if not shipped.is_file():
            raise PresetError(
                f"unknown protocol preset {text!r} (known: {', '.join(preset_names())})"
            )
        path = shipped
    file = str(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise PresetError(f"{file}: file not found") from None
    except tomllib.TOMLDecodeError as exc:
        raise PresetError(f"{file}: not valid TOML: {exc}") from None
    for key, value in data.items():
        if key not in _KNOWN_TOP and not isinstance(value, dict | list):
            raise PresetError(
                f"{file}: {key}: unknown top-level key (known: {', '.join(sorted(_KNOWN_TOP))})"
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
    return Preset(name, title, source, path, tuple(signals), description, extra)
