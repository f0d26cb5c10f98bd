"""Compute signals: plan (preset / ids / parameters), load input, run the shared SQL.

:func:`signals_compute` is the public entry point. DuckDB runs in-process; Spark runs
the very same SQL strings through :mod:`leerrecht.engine.spark` (imported lazily).
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Literal

import duckdb
import pyarrow as pa

from leerrecht.engine.attendance import (
    attendance_load,
    attendance_to_parquet,
    relation_replace,
)
from leerrecht.engine.catalogue import SqlContext
from leerrecht.engine.errors import EngineInputError
from leerrecht.engine.plan import (
    OUTPUT_SCHEMA,
    PlannedSignal,
    output_combine,
    output_normalise,
    plan_relations,
    signals_plan,
)
from leerrecht.engine.presets import Preset

__all__ = [
    "OUTPUT_SCHEMA",
    "PlannedSignal",
    "output_normalise",
    "signals_compute",
    "signals_plan",
    "signals_run_duckdb",
]

Progress = Callable[[str, int, int], None]


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
    for name, sql, small in plan_relations(
        plan, as_of=as_of.isoformat() if as_of else None, ctx=ctx
    ):
        relation_replace(con, "TABLE" if small else "VIEW", name, sql)
    parts = []
    for i, sig in enumerate(plan, start=1):
        parts.append(con.sql(sig.sql(ctx)).to_arrow_table())
        if progress:
            progress(sig.id, i, len(plan))
    return output_combine(parts)


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
    preset: str | Path | Preset | None = None,
    signal_ids: Sequence[str] | None = None,
    as_of: date | None = None,
    engine: Literal["duckdb", "spark"] = "duckdb",
    progress: Progress | None = None,
    params: dict[str, dict[str, float | int]] | None = None,
    memory_limit: str | None = None,
    temp_directory: str | Path | None = None,
    spark_master: str | None = None,
    spark_workdir: str | Path | None = None,
) -> pa.Table:
    """Signals per student (first occurrence), sorted by student_id, signal.

    Columns: student_id, signal, first_date, value, spell_length, tier (see
    docs/signals.md). Raises :class:`EngineInputError` subclasses for bad input
    (AttendanceValidationError, PresetError, UnknownSignalError).

    ``engine="spark"``: validation and the canonical Parquet stay in DuckDB; Spark reads
    that file from ``spark_workdir`` (default: a temporary directory; on a cluster a
    directory every executor can read) and runs on ``spark_master`` (default local[2]).
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

        with tempfile.TemporaryDirectory(prefix="leerrecht-spark-", dir=spark_workdir) as tmp:
            canonical = Path(tmp) / "attendance.parquet"
            attendance_to_parquet(
                attendance=attendance, calendar=calendar, output=canonical, con=con
            )
            return spark_engine.signals_run_spark(
                parquet=canonical, plan=plan, as_of=as_of, progress=progress, master=spark_master
            )
    finally:
        con.close()
