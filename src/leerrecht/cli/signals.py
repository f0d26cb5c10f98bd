"""`leerrecht signals`: attendance signals per student as CSV (see docs/signals.md).

Contract (other tools rely on it): CSV with header, first columns exactly
``student_id,signal,first_date``, sorted by student_id then signal, one row per student
per signal; detail columns follow. Progress goes to stderr; user errors exit with 2.
"""

from __future__ import annotations

import csv
import io
import sys
from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.text import Text

from leerrecht.cli.errors import err_console, fail


def _parse_date(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        fail(f"--as-of: not a date: {value!r} (expected YYYY-MM-DD)")


def signals(
    attendance: Annotated[
        list[Path],
        typer.Argument(
            help="Attendance CSV or Parquet file(s), canonical or Dutch column names; dates "
            "YYYY-MM-DD or DD-MM-YYYY; text in UTF-8 (with or without BOM), UTF-16 or "
            "Windows-1252."
        ),
    ],
    calendar: Annotated[
        Path | None,
        typer.Option("--calendar", help="School calendar CSV (date[,default_scheduled_hours])."),
    ] = None,
    protocol: Annotated[
        str | None,
        typer.Option("--protocol", help="Protocol preset name or TOML file (default: all)."),
    ] = None,
    signal: Annotated[
        list[str] | None,
        typer.Option("--signal", help="Signal id to compute (repeatable)."),
    ] = None,
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="Use only days up to this date (YYYY-MM-DD).")
    ] = None,
    engine: Annotated[str, typer.Option("--engine", help="duckdb or spark.")] = "duckdb",
    spark_master: Annotated[
        str | None,
        typer.Option(
            "--spark-master",
            help="Spark master URL for --engine spark: local[2] (default), spark://HOST:PORT, "
            "yarn, k8s://... (see docs/scale.md).",
        ),
    ] = None,
    spark_workdir: Annotated[
        Path | None,
        typer.Option(
            "--spark-workdir",
            help="Directory for the canonical Parquet Spark reads; on a cluster one that every "
            "executor can read (default: a temporary directory).",
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="File to write: .parquet for Parquet, else CSV (default: stdout).",
        ),
    ] = None,
) -> None:
    """Compute attendance signals (first occurrence per student and signal) as CSV."""
    from leerrecht.engine import EngineInputError, signals_compute

    as_of_date = _parse_date(as_of)
    if engine not in ("duckdb", "spark"):
        fail(f"--engine: unknown engine {engine!r} (use duckdb or spark)")
    if engine != "spark" and (spark_master or spark_workdir):
        fail("--spark-master and --spark-workdir need --engine spark")
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    progress = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total}"),
        TimeElapsedColumn(),
        console=err_console,
        transient=True,
        disable=not err_console.is_terminal,
    )
    task = progress.add_task("signals", total=None)

    def on_progress(signal_id: str, done: int, total: int) -> None:
        progress.update(task, completed=done, total=total, description=signal_id)

    try:
        with progress:
            table = signals_compute(
                attendance=attendance if len(attendance) > 1 else attendance[0],
                calendar=calendar,
                preset=protocol,
                signal_ids=signal or None,
                as_of=as_of_date,
                engine=engine,  # type: ignore[arg-type]
                progress=on_progress,
                spark_master=spark_master,
                spark_workdir=spark_workdir,
            )
    except EngineInputError as exc:
        for line in str(exc).splitlines() or [type(exc).__name__]:
            err_console.print(Text.assemble(("error:", "bold red"), " ", line), soft_wrap=True)
        raise typer.Exit(2) from None
    except ImportError as exc:
        fail(f"--engine {engine}: {exc} (enable the Spark engine with: scripts/enable-spark.sh)")
    if output is not None and output.suffix.lower() in (".parquet", ".pq"):
        _write_parquet(table, output)
    else:
        _write_csv(table, output)


def _write_parquet(table, output: Path) -> None:
    import pyarrow.parquet as pq

    try:
        pq.write_table(table, output, compression="zstd")
    except OSError as exc:
        fail(f"{output}: cannot write ({exc})")


def _write_csv(table, output: Path | None) -> None:
    names = table.column_names
    buf = io.StringIO() if output is None else None
    try:
        fh = open(output, "w", newline="", encoding="utf-8") if output else buf  # noqa: SIM115
    except OSError as exc:
        fail(f"{output}: cannot write ({exc.strerror})")
    with fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(names)
        for batch in table.to_batches(max_chunksize=65536):
            cols = [batch.column(i).to_pylist() for i in range(len(names))]
            for row in zip(*cols, strict=True):
                writer.writerow(["" if v is None else _fmt(v) for v in row])
        if buf is not None:
            sys.stdout.write(buf.getvalue())


def _fmt(value: object) -> str:
    if isinstance(value, float):
        return f"{value:.6f}".rstrip("0").rstrip(".") if value == value else ""
    if isinstance(value, date):
        return value.isoformat()
    return str(value)
