"""Leerrecht analytics engine: attendance signals in plain Python + SQL (no Django).

Public API::

    from leerrecht.engine import signals_compute, preset_load, preset_names
    table = signals_compute(attendance="attendance.csv", preset="drechtsteden-vo")

See docs/signals.md for every signal and docs/adr/0003-signal-sql-dialect.md for the
shared DuckDB/Spark SQL subset.
"""

from leerrecht.engine.attendance import (
    ATTENDANCE_ALIASES,
    AttendanceInfo,
    attendance_load,
    attendance_to_parquet,
)
from leerrecht.engine.catalogue import CATALOGUE, OUTPUT_COLUMNS
from leerrecht.engine.compute import OUTPUT_SCHEMA, signals_compute, signals_plan
from leerrecht.engine.errors import (
    AttendanceValidationError,
    EngineInputError,
    PresetError,
    Problem,
    UnknownSignalError,
)
from leerrecht.engine.presets import LEADS_TO, Preset, PresetSignal, preset_load, preset_names

__all__ = [
    "ATTENDANCE_ALIASES",
    "CATALOGUE",
    "LEADS_TO",
    "OUTPUT_COLUMNS",
    "OUTPUT_SCHEMA",
    "AttendanceInfo",
    "AttendanceValidationError",
    "EngineInputError",
    "Preset",
    "PresetError",
    "PresetSignal",
    "Problem",
    "UnknownSignalError",
    "attendance_load",
    "attendance_to_parquet",
    "preset_load",
    "preset_names",
    "signals_compute",
    "signals_plan",
]
