"""Benchmark of the signal engine (not a test). See docs/performance.md.

    .venv/bin/python benchmarks/signals.py --students 100000 --days 190 --data /tmp/lr-bench

Generates synthetic canonical Parquet with DuckDB SQL (reused when present), then runs
each phase in its own subprocess so that its wall time and peak RSS are its own:
raw Parquet scan, all signals on DuckDB (incl. input validation), a straightforward
pandas groupby-rolling implementation of unauthorised_16h_4w, and (optionally) Spark
vs DuckDB on the first --spark-subset students.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


# --- data --------------------------------------------------------------------------------

_GENERATE = """
COPY (
  WITH cal AS (
    SELECT d::DATE AS date, row_number() OVER (ORDER BY d) AS day_no
    FROM generate_series(DATE '2024-09-02', DATE '2025-12-31', INTERVAL 1 DAY) g(d)
    WHERE dayofweek(d) BETWEEN 1 AND 5
      AND NOT (d BETWEEN DATE '2024-10-21' AND DATE '2024-10-25')
      AND NOT (d BETWEEN DATE '2024-12-23' AND DATE '2025-01-03')
      AND NOT (d BETWEEN DATE '2025-02-17' AND DATE '2025-02-21')
      AND NOT (d BETWEEN DATE '2025-04-28' AND DATE '2025-05-09')
      AND NOT (d BETWEEN DATE '2025-07-14' AND DATE '2025-08-29')
    QUALIFY day_no <= {days}
  ),
  st AS (SELECT s, hash(s) % 100 AS profile, (hash(s * 7 + 1) % 150) AS drop_day
         FROM range({students}) t(s)),
  g AS (
    SELECT st.s, st.profile, st.drop_day, cal.date, cal.day_no,
      CASE WHEN dayofweek(cal.date) = 3 THEN 4.0 ELSE 6.0 END AS sched,
      (hash(st.s, cal.day_no, 1) % 10000) / 10000.0 AS r1,
      (hash(st.s, cal.day_no // 3, 2) % 10000) / 10000.0 AS r3,
      (hash(st.s, cal.day_no, 3) % 10000) / 10000.0 AS r4
    FROM st CROSS JOIN cal
  ),
  a AS (
    SELECT s, date, sched,
      -- thuiszitter-like (2%): from drop_day on absent, mostly unauthorised
      CASE WHEN profile < 2 AND day_no >= drop_day THEN
             CASE WHEN r1 < 0.7 THEN 'u' ELSE 's' END
           WHEN profile < 12 AND r3 < 0.12 THEN 's'          -- sickly: 3-day spells
           WHEN r1 < 0.02 THEN 's'                           -- a sick day now and then
           WHEN profile < 25 AND r4 < 0.04 THEN 'u'          -- truant days
           WHEN r4 > 0.995 THEN 'a'                          -- authorised leave
           ELSE 'p' END AS kind,
      r1, r4
    FROM g
  )
  SELECT 'S' || lpad(CAST(s AS VARCHAR), 8, '0') AS student_id, date,
    CAST(sched AS DOUBLE) AS scheduled_hours,
    CAST(CASE WHEN kind = 'u' THEN sched WHEN kind = 'p' AND r4 BETWEEN 0.5 AND 0.53 THEN 1
         ELSE 0 END AS DOUBLE) AS unauthorised_hours,
    CAST(CASE WHEN kind = 's' THEN sched WHEN kind = 'p' AND r1 BETWEEN 0.9 AND 0.905 THEN 3
         ELSE 0 END AS DOUBLE) AS sick_hours,
    CAST(CASE WHEN kind = 'a' THEN sched ELSE 0 END AS DOUBLE) AS authorised_hours,
    CAST(CASE WHEN kind = 'p' AND r1 BETWEEN 0.3 AND 0.33 THEN 1 ELSE 0 END AS INTEGER)
      AS late,
    CAST(CASE WHEN kind = 'p' AND r1 BETWEEN 0.9 AND 0.905 THEN 1 ELSE 0 END AS INTEGER)
      AS sent_home_sick
  FROM a
  ORDER BY student_id, date
) TO '{path}' (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 1000000)
"""


def generate(path: Path, students: int, days: int) -> None:
    import duckdb

    con = duckdb.connect()
    con.execute(_GENERATE.format(students=int(students), days=int(days), path=str(path)))
    con.close()


# --- phases (each runs in its own process) -------------------------------------------------


def phase_scan(path: str) -> dict:
    import duckdb

    t0 = time.perf_counter()
    con = duckdb.connect()
    total = con.execute(
        f"SELECT count(*), sum(unauthorised_hours), sum(sick_hours) FROM read_parquet('{path}')"
    ).fetchall()[0]
    return {"seconds": time.perf_counter() - t0, "rows": total[0]}


def phase_duckdb(path: str, memory_limit: str | None, temp_dir: str | None) -> dict:
    from leerrecht.engine import signals_compute

    t0 = time.perf_counter()
    out = signals_compute(attendance=path, memory_limit=memory_limit, temp_directory=temp_dir)
    seconds = time.perf_counter() - t0
    counts: dict[str, int] = {}
    for s in out.column("signal").to_pylist():
        counts[s] = counts.get(s, 0) + 1
    return {"seconds": seconds, "rows": out.num_rows, "per_signal": counts}


def phase_import(path: str, canonical: str, memory_limit: str | None, temp_dir: str | None) -> dict:
    """Validate the raw file and store it as canonical Parquet (the product's import)."""
    from leerrecht.engine import attendance_to_parquet
    from leerrecht.engine.compute import duckdb_connect

    t0 = time.perf_counter()
    con = duckdb_connect(memory_limit=memory_limit, temp_directory=temp_dir)
    info = attendance_to_parquet(attendance=path, output=canonical, con=con)
    return {"seconds": time.perf_counter() - t0, "rows": info.rows}


def phase_pandas(path: str) -> dict:
    import pandas as pd

    t0 = time.perf_counter()
    df = pd.read_parquet(path, columns=["student_id", "date", "unauthorised_hours"]).sort_values(
        ["student_id", "date"]
    )
    w = (
        df.groupby("student_id", sort=False)["unauthorised_hours"]
        .rolling(20, min_periods=1)
        .sum()
        .reset_index(level=0, drop=True)
    )
    hits = df.loc[w > 16 + 1e-9].groupby("student_id")["date"].min()
    return {"seconds": time.perf_counter() - t0, "rows": int(hits.size)}


def phase_duckdb_unauth(path: str) -> dict:
    """unauthorised_16h_4w alone through the engine (like for like with pandas)."""
    from leerrecht.engine import signals_compute

    t0 = time.perf_counter()
    out = signals_compute(attendance=path, signal_ids=["unauthorised_16h_4w"])
    return {"seconds": time.perf_counter() - t0, "rows": out.num_rows}


def phase_spark(path: str, subset: int) -> dict:
    import tempfile

    import duckdb

    from leerrecht.engine.compute import signals_plan, signals_run_duckdb
    from leerrecht.engine.spark import signals_run_spark

    with tempfile.TemporaryDirectory() as tmp:
        sub = Path(tmp) / "subset.parquet"
        con = duckdb.connect()
        con.execute(
            f"COPY (SELECT * FROM read_parquet('{path}') WHERE student_id IN ("
            f"SELECT DISTINCT student_id FROM read_parquet('{path}') ORDER BY 1 LIMIT {subset}"
            f")) TO '{sub}' (FORMAT parquet)"
        )
        con.execute(f"CREATE VIEW attendance AS SELECT * FROM read_parquet('{sub}')")
        plan = signals_plan()
        duck = signals_run_duckdb(con, plan=plan)
        t0 = time.perf_counter()
        spark = signals_run_spark(parquet=sub, plan=plan)
        return {
            "seconds": time.perf_counter() - t0,
            "rows": spark.num_rows,
            "duckdb_rows": duck.num_rows,
            "equal": bool(spark.equals(duck)),
        }


def _child(args: argparse.Namespace) -> None:
    path = str(Path(args.data) / "attendance.parquet")
    canonical = str(Path(args.data) / "canonical.parquet")
    if args.phase == "generate":
        generate(Path(path), args.students, args.days)
        res: dict = {}
    elif args.phase == "scan":
        res = phase_scan(path)
    elif args.phase == "import":
        res = phase_import(path, canonical, args.memory_limit, args.temp_dir)
    elif args.phase == "duckdb":
        res = phase_duckdb(canonical, args.memory_limit, args.temp_dir)
    elif args.phase == "duckdb-unauth":
        res = phase_duckdb_unauth(canonical)
    elif args.phase == "pandas":
        # The generated file, sorted by student and date as delivered: the canonical file
        # is written in parallel and unsorted (ADR 0162), which would slow pandas down and
        # flatter the ratio.
        res = phase_pandas(path)
    elif args.phase == "spark":
        res = phase_spark(canonical, args.spark_subset)
    else:
        raise SystemExit(f"unknown phase {args.phase}")
    res["peak_mb"] = _peak_mb()
    print("RESULT " + json.dumps(res))


def _run(phase: str, args: argparse.Namespace) -> dict:
    cmd = [sys.executable, __file__, "--phase", phase, "--data", args.data]
    cmd += ["--spark-subset", str(args.spark_subset)]
    cmd += ["--students", str(args.students), "--days", str(args.days)]
    if args.memory_limit:
        cmd += ["--memory-limit", args.memory_limit]
    if args.temp_dir:
        cmd += ["--temp-dir", args.temp_dir]
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)  # noqa: S603
    wall = time.perf_counter() - t0
    for line in proc.stdout.splitlines():
        if line.startswith("RESULT "):
            res = json.loads(line[7:])
            res["process_wall"] = wall
            return res
    raise SystemExit(f"phase {phase} failed:\n{proc.stderr[-3000:]}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--students", type=int, default=100_000)
    ap.add_argument("--days", type=int, default=190)
    ap.add_argument("--data", default=str(Path(tempfile.gettempdir()) / "leerrecht-bench"))
    ap.add_argument("--spark-subset", type=int, default=2000, help="0 = skip Spark")
    ap.add_argument("--skip-pandas", action="store_true")
    ap.add_argument("--memory-limit", default=None, help="DuckDB memory_limit, e.g. 1GB")
    ap.add_argument("--temp-dir", default=None, help="DuckDB temp_directory (spilling)")
    ap.add_argument("--phase", default=None, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.phase:
        _child(args)
        return
    data = Path(args.data)
    data.mkdir(parents=True, exist_ok=True)
    path = data / "attendance.parquet"
    meta = data / "meta.json"
    wanted = {"students": args.students, "days": args.days}
    if not (path.exists() and meta.exists() and json.loads(meta.read_text()) == wanted):
        t0 = time.perf_counter()
        _run("generate", args)  # in a subprocess: ru_maxrss survives exec into children
        meta.write_text(json.dumps(wanted))
        print(f"generated {path} in {time.perf_counter() - t0:.1f} s")
    print(
        f"data: {args.students:,} students x {args.days} school days, "
        f"{path.stat().st_size / 1e6:.0f} MB Parquet"
    )
    scan = _run("scan", args)
    print(
        f"raw parquet scan     : {scan['seconds']:6.2f} s  peak {scan['peak_mb']:6.0f} MB  "
        f"rows {scan['rows']:,}"
    )
    imp = _run("import", args)
    print(
        f"import (validate + write canonical parquet): {imp['seconds']:6.2f} s  "
        f"peak {imp['peak_mb']:6.0f} MB"
    )
    duck = _run("duckdb", args)
    print(
        f"all signals (duckdb) : {duck['seconds']:6.2f} s  peak {duck['peak_mb']:6.0f} MB  "
        f"output rows {duck['rows']:,}  (process incl. imports {duck['process_wall']:.1f} s)"
    )
    print(f"  ratio to raw scan: {duck['seconds'] / scan['seconds']:.1f}x")
    print("  per signal: " + ", ".join(f"{k}={v:,}" for k, v in sorted(duck["per_signal"].items())))
    if not args.skip_pandas:
        unauth = _run("duckdb-unauth", args)
        pdr = _run("pandas", args)
        same = "same" if pdr["rows"] == unauth["rows"] else "DIFFERENT"
        print(
            f"unauthorised_16h_4w  : engine {unauth['seconds']:.2f} s vs pandas "
            f"{pdr['seconds']:.2f} s (peak {pdr['peak_mb']:.0f} MB) -> "
            f"{pdr['seconds'] / unauth['seconds']:.1f}x faster; students {same}"
        )
    if args.spark_subset:
        sp = _run("spark", args)
        print(
            f"spark subset ({args.spark_subset} students): {sp['seconds']:.1f} s, "
            f"{sp['rows']} rows, equal to duckdb: {sp['equal']}"
        )


if __name__ == "__main__":
    main()
