"""Run the catalogue's SQL unchanged on Apache Spark (local mode).

pyspark is imported lazily: the DuckDB path never needs it. The input is the canonical
Parquet written by :func:`leerrecht.engine.attendance.attendance_to_parquet` (input
validation and sparse expansion stay in DuckDB); the rules are the same SQL strings.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyarrow as pa

from leerrecht.engine.catalogue import DERIVED_SQL, SqlContext, shared_sql

if TYPE_CHECKING:
    from leerrecht.engine.compute import PlannedSignal

__all__ = ["signals_run_spark", "spark_session"]

_SESSION: Any = None


def spark_session(*, master: str = "local[2]", shuffle_partitions: int = 4) -> Any:
    """A small local SparkSession (no UI), created once per process."""
    global _SESSION
    if _SESSION is not None:
        return _SESSION
    from pyspark.sql import SparkSession

    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    _SESSION = (
        SparkSession.builder.master(master)
        .appName("leerrecht-signals")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", str(shuffle_partitions))
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .config("spark.driver.memory", "2g")
        .config("spark.sql.ansi.enabled", "false")
        .getOrCreate()
    )
    _SESSION.sparkContext.setLogLevel("ERROR")
    return _SESSION


def signals_run_spark(
    *,
    parquet: str | Path,
    plan: Sequence[PlannedSignal],
    as_of: date | None = None,
    ctx: SqlContext | None = None,
    progress: Callable[[str, int, int], None] | None = None,
    spark: Any = None,
) -> pa.Table:
    """Run ``plan`` on canonical Parquet with Spark SQL; same output as DuckDB."""
    from leerrecht.engine.compute import OUTPUT_SCHEMA, output_normalise

    ctx = ctx or SqlContext()
    spark = spark or spark_session()
    cached = []
    try:
        spark.read.parquet(str(parquet)).createOrReplaceTempView("attendance")
        relations = shared_sql(as_of.isoformat() if as_of else None, ctx)
        derived = DERIVED_SQL(ctx)
        needs = {n for s in plan for n in _needs(s.id)}
        relations.update({k: v for k, v in derived.items() if k in needs})
        for name, sql in relations.items():
            df = spark.sql(sql).cache()
            cached.append(df)
            df.createOrReplaceTempView(name)
        parts = []
        for i, sig in enumerate(plan, start=1):
            parts.append(_to_arrow(spark.sql(sig.sql(ctx))))
            if progress:
                progress(sig.id, i, len(plan))
    finally:
        for df in cached:
            df.unpersist()
    if not parts:
        return OUTPUT_SCHEMA.empty_table()
    return output_normalise(pa.concat_tables([p.cast(OUTPUT_SCHEMA, safe=False) for p in parts]))


def _needs(signal_id: str) -> tuple[str, ...]:
    from leerrecht.engine.catalogue import CATALOGUE

    return CATALOGUE[signal_id].needs


def _to_arrow(df: Any) -> pa.Table:
    if hasattr(df, "toArrow"):
        return df.toArrow()
    return pa.Table.from_pandas(df.toPandas(), preserve_index=False)
