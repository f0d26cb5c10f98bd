"""What changed between two protocol presets (no Django): thresholds, steps, deadlines.

Both presets are loaded through the one loader (`engine.presets`); the diff compares
their validated content as flat paths, e.g. ``signals.unauthorised_16h_4w.more_than_hours``
(a signal's resolved parameters, so an omitted parameter counts as its default),
``routes.rmc.steps.report.due`` (route and ladder steps are named by their ``key``) or
``norms.first_contact.target``. Used by `leerrecht protocol diff` and the protocol
history in the beheer workspace.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from leerrecht.engine.presets import Preset

__all__ = ["PresetChange", "preset_diff", "preset_flatten"]

# Where a path starts -> the area of the protocol it belongs to.
AREAS = (
    "signals",
    "case_settings",
    "norms",
    "routes",
    "escalation",
    "closure",
    "thuiszitter_definitions",
    "sector_presets",
    "disclosure",
    "reconciliation",
)


@dataclass(frozen=True, slots=True)
class PresetChange:
    path: str
    kind: str  # "added" | "removed" | "changed"
    before: Any
    after: Any

    @property
    def area(self) -> str:
        return self.path.split(".", 1)[0]


def _flatten(value: Any, prefix: str, out: dict[str, Any]) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            _flatten(item, f"{prefix}.{key}" if prefix else str(key), out)
    elif isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
        for i, item in enumerate(value):
            name = item.get("key", i) if isinstance(item.get("key", i), str) else i
            _flatten(item, f"{prefix}.{name}", out)
    elif isinstance(value, list):
        out[prefix] = tuple(value)
    else:
        out[prefix] = value


def preset_flatten(preset: Preset) -> dict[str, Any]:
    """Every rule of a preset as path -> value (order: as written)."""
    out: dict[str, Any] = {"title": preset.title, "source": preset.source}
    for signal in preset.signals:
        where = f"signals.{signal.id}"
        for key, value in signal.params.items():
            out[f"{where}.{key}"] = value
        out[f"{where}.leads_to"] = signal.leads_to
        if signal.note:
            out[f"{where}.note"] = signal.note
    _flatten(preset.extra, "", out)
    return out


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, int | float) and isinstance(b, int | float) and not isinstance(a, bool):
        return float(a) == float(b)
    return a == b


def preset_diff(before: Preset, after: Preset) -> list[PresetChange]:
    """The changes from `before` to `after`, in the order the paths appear."""
    a, b = preset_flatten(before), preset_flatten(after)
    changes = []
    for path in dict.fromkeys([*a, *b]):
        if path not in b:
            changes.append(PresetChange(path, "removed", a[path], None))
        elif path not in a:
            changes.append(PresetChange(path, "added", None, b[path]))
        elif not _same(a[path], b[path]):
            changes.append(PresetChange(path, "changed", a[path], b[path]))
    return changes
