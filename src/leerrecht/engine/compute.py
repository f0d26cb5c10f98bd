"""Compute signals: plan (preset / ids / parameters), load input, run the shared SQL.

:func:`signals_compute` is the public entry point. DuckDB runs in-process; Spark runs
the very same SQL strings through :mod:`leerrecht.engine.spark` (imported lazily).
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Literal

import duckdb
import pyarrow as pa
import pyarrow.compute as pc

from leerrecht.engine.attendance import (
    attendance_load,
    attendance_to_parquet,
    relation_replace,
)
from leerrecht.engine.catalogue import (
    CATALOGUE,
    DERIVED_SQL,
    SHARED_VIEWS,
    SqlContext,
    params_resolve,
    shared_sql,
    signal_get,
)
from leerrecht.engine.errors import EngineInputError
from leerrecht.engine.presets import preset_load

__all__ = [
    "OUTPUT_SCHEMA",
    "PlannedSignal",
    "output_normalise",
    "signals_compute",
    "signals_plan",
    "signals_run_duckdb",
]

Progress = Callable[[str, int, int], None]

#: The fixed output schema of both engines (docs/signals.md, "Output").
OUTPUT_SCHEMA = pa.schema(
    [
        ("student_id", pa.string()),
        ("signal", pa.string()),
        ("first_date", pa.date32()),
        ("value", pa.float64()),
        ("spell_length", pa.int64()),
        ("tier", pa.int64()),
    ]
)


@dataclass(frozen=True, slots=True)
class PlannedSignal:
    id: str
    params: dict[str, float | int]

    def sql(self, ctx: SqlContext) -> str:
        return CATALOGUE[self.id].sql(self.params, ctx)


def signals_plan(
    *,
    preset: str | Path | None = None,
    signal_ids: Sequence[str] | None = None,
    params: dict[str, dict[str, float | int]] | None = None,
) -> list[PlannedSignal]:
    """Which signals to run with which parameters.

    With a preset: its signals and thresholds, restricted to ``signal_ids`` when given
    (each must be in the preset). Without: ``signal_ids`` (or the whole catalogue) with
    catalogue defaults. ``params`` overrides parameters per signal id.
    """
    chosen: dict[str, dict[str, float | int]] = {}
    if preset is not None:
        p = preset_load(name_or_path=preset)
        chosen = {s.id: dict(s.params) for s in p.signals}
        if signal_ids:
            for sid in signal_ids:
                signal_get(sid)
                if sid not in chosen:
                    raise EngineInputError(
                        f"signal {sid!r} is not part of protocol {p.name!r} "
                        f"(its signals: {', '.join(chosen)})"
                    )
            chosen = {sid: chosen[sid] for sid in dict.fromkeys(signal_ids)}
    else:
        ids = list(dict.fromkeys(signal_ids)) if signal_ids else list(CATALOGUE)
        chosen = {sid: params_resolve(sid) for sid in ids}
    for sid, overrides in (params or {}).items():
        if sid not in chosen:
            raise EngineInputError(f"parameters given for signal {sid!r} that is not run")
        try:
            merged = {**chosen[sid], **overrides}
            chosen[sid] = params_resolve(sid, merged)
        except ValueError as exc:
            raise EngineInputError(str(exc)) from None
    return [PlannedSignal(sid, prm) for sid, prm in chosen.items()]


def _needed(plan: Sequence[PlannedSignal]) -> list[str]:
    needs = {n for s in plan for n in CATALOGUE[s.id].needs}
    return [name for name in DERIVED_SQL(SqlContext()) if name in needs]


def output_normalise(table: pa.Table) -> pa.Table:
    """Cast to :data:`OUTPUT_SCHEMA`, round ``value`` to 6 decimals, sort by id, signal."""
    cols = []
    for f in OUTPUT_SCHEMA:
        col = table.column(f.name).cast(f.type)
        if f.name == "value":
            col = pc.round(col, 6)
        cols.append(col)
    out = pa.Table.from_arrays(cols, schema=OUTPUT_SCHEMA)
    if out.num_rows:
        out = out.take(pc.sort_indices(out, [("student_id", "ascending"), ("signal", "ascending")]))
    return out.combine_chunks()


def signals_run_duckdb(
    con: duckdb.DuckDBPyConnection,
    *,
    plan: Sequence[PlannedSignal],
    as_of: date | None = None,
    ctx: SqlContext | None = None,
    progress: Progress | None = None,
) -> pa.Table:
    """Run ``plan`` on the view ``attendance`` of ``con`` (see attendance_load)."""
    ctx = ctx or SqlContext()
    for name, sql in shared_sql(as_of.isoformat() if as_of else None, ctx).items():
        kind = "VIEW" if name in SHARED_VIEWS else "TABLE"
        relation_replace(con, kind, name, sql)
    derived = DERIVED_SQL(ctx)
    for name in _needed(plan):
        relation_replace(con, "TABLE", name, derived[name])
    parts = []
    for i, sig in enumerate(plan, start=1):
        parts.append(con.sql(sig.sql(ctx)).to_arrow_table())
        if progress:
            progress(sig.id, i, len(plan))
    if not parts:
        return OUTPUT_SCHEMA.empty_table()
    return output_normalise(pa.concat_tables([p.cast(OUTPUT_SCHEMA, safe=False) for p in parts]))


def duckdb_connect(
    *,
    memory_limit: str | None = None,
    temp_directory: str | Path | None = None,
    threads: int | None = None,
) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB that may spill to ``temp_directory`` (out-of-core)."""
    config: dict[str, str] = {}
    if memory_limit:
        config["memory_limit"] = memory_limit
    if temp_directory:
        config["temp_directory"] = str(temp_directory)
    if threads:
        config["threads"] = str(threads)
    con = duckdb.connect(config=config)
    con.execute("SET enable_progress_bar = false")
    return con


def signals_compute(
    *,
    attendance: str | Path | Sequence[str | Path],
    calendar: str | Path | None = None,
    preset: str | Path | None = None,
    signal_ids: Sequence[str] | None = None,
    as_of: date | None = None,
    engine: Literal["duckdb", "spark"] = "duckdb",
    progress: Progress | None = None,
    params: dict[str, dict[str, float | int]] | None = None,
    memory_limit: str | None = None,
    temp_directory: str | Path | None = None,
) -> pa.Table:
    """Signals per student (first occurrence), sorted by student_id, signal.

    Columns: student_id, signal, first_date, value, spell_length, tier (see
    docs/signals.md). Raises :class:`EngineInputError` subclasses for bad input
    (AttendanceValidationError, PresetError, UnknownSignalError).
    """
    if engine not in ("duckdb", "spark"):
        raise EngineInputError(f"unknown engine {engine!r} (use duckdb or spark)")
    plan = signals_plan(preset=preset, signal_ids=signal_ids, params=params)
    con = duckdb_connect(memory_limit=memory_limit, temp_directory=temp_directory)
    try:
        if engine == "duckdb":
            attendance_load(con, attendance=attendance, calendar=calendar, as_of=as_of)
            return signals_run_duckdb(con, plan=plan, as_of=as_of, progress=progress)
        from leerrecht.engine import spark as spark_engine

        with tempfile.TemporaryDirectory(prefix="leerrecht-spark-") as tmp:
            canonical = Path(tmp) / "attendance.parquet"
            attendance_to_parquet(
                attendance=attendance, calendar=calendar, output=canonical, con=con
            )
            return spark_engine.signals_run_spark(
                parquet=canonical, plan=plan, as_of=as_of, progress=progress
            )
    finally:
        con.close()
