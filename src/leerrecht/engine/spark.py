"""Run the catalogue's SQL unchanged on Apache Spark (local mode or a cluster).

pyspark is imported lazily: the DuckDB path never needs it. The input is the canonical
Parquet written by :func:`leerrecht.engine.attendance.attendance_to_parquet` (input
validation and sparse expansion stay in DuckDB); the rules are the same SQL strings.
``master`` is any Spark master URL: ``local[2]`` (default), ``spark://host:7077`` (a
standalone cluster), ``yarn`` or ``k8s://...`` (see docs/scale.md). On a cluster the
Parquet path must be readable by every executor (shared file system or object store).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

import pyarrow as pa

from leerrecht.engine.catalogue import SqlContext
from leerrecht.engine.plan import PlannedSignal, output_combine, plan_relations

__all__ = ["DEFAULT_MASTER", "signals_run_spark", "spark_session", "spark_stop"]

DEFAULT_MASTER = "local[2]"

_SESSION: Any = None
_MASTER: str | None = None


def spark_session(*, master: str | None = None, shuffle_partitions: int = 4) -> Any:
    """A SparkSession (no UI) for ``master``, created once per process and master."""
    global _SESSION, _MASTER
    master = master or DEFAULT_MASTER
    if _SESSION is not None and master == _MASTER:
        return _SESSION
    if _SESSION is not None:
        spark_stop()
    from pyspark.sql import SparkSession

    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    builder = (
        SparkSession.builder.master(master)
        .appName("leerrecht-signals")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", str(shuffle_partitions))
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .config("spark.driver.memory", "2g")
        .config("spark.sql.ansi.enabled", "false")
    )
    if not master.startswith("local"):
        # executors on a cluster: modest defaults, overridable with SPARK_CONF / spark-defaults
        builder = builder.config("spark.executor.memory", "1g").config("spark.cores.max", "2")
    _SESSION = builder.getOrCreate()
    _MASTER = master
    _SESSION.sparkContext.setLogLevel("ERROR")
    return _SESSION


def spark_stop() -> None:
    """Stop the process's SparkSession (so another master can be used)."""
    global _SESSION, _MASTER
    if _SESSION is not None:
        _SESSION.stop()
    _SESSION, _MASTER = None, None


def signals_run_spark(
    *,
    parquet: str | Path,
    plan: Sequence[PlannedSignal],
    as_of: date | None = None,
    ctx: SqlContext | None = None,
    progress: Callable[[str, int, int], None] | None = None,
    spark: Any = None,
    master: str | None = None,
) -> pa.Table:
    """Run ``plan`` on canonical Parquet with Spark SQL; same output as DuckDB."""
    ctx = ctx or SqlContext()
    spark = spark or spark_session(master=master)
    cached = []
    try:
        spark.read.parquet(str(Path(parquet).resolve())).createOrReplaceTempView("attendance")
        for name, sql, small in plan_relations(
            plan, as_of=as_of.isoformat() if as_of else None, ctx=ctx
        ):
            df = spark.sql(sql)
            if small:
                df = df.cache()
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
    return output_combine(parts)


def _to_arrow(df: Any) -> pa.Table:
    if hasattr(df, "toArrow"):
        return df.toArrow()
    return pa.Table.from_pandas(df.toPandas(), preserve_index=False)
