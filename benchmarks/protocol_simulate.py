"""Benchmark of the protocol simulator (not a test). See docs/performance.md.

    .venv/bin/python benchmarks/protocol_simulate.py --students 100000 --days 190

Generates the synthetic attendance of benchmarks/signals.py (reused when present), stores
it as the product does (canonical Parquet of an import), then times in this run:

- baseline: one `signals` run of the region's protocol (haaglanden-po) on that file,
  i.e. what `leerrecht signals --protocol haaglanden-po` computes;
- simulate: `engine.simulate.simulate_presets` of the current version against a draft
  with the report threshold lowered from 16 to 10 hours, plus `simulation_compare`
  per school, municipality and week (what the simulator job does after the registry
  lookup). Target (issue 19): under 10 s for 100,000 pupils x 190 school days.

Prints the figures and the ratio simulate / baseline. Checks that the simulated counts
of the current version equal the baseline's rows per signal.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from signals import generate  # benchmarks/signals.py: the same synthetic data


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--students", type=int, default=100_000)
    parser.add_argument("--days", type=int, default=190)
    parser.add_argument("--data", type=Path, default=Path(tempfile.gettempdir()) / "lr-bench")
    args = parser.parse_args()

    from leerrecht.engine import attendance_to_parquet, signals_compute
    from leerrecht.engine.presets import preset_load, preset_parse, preset_text
    from leerrecht.engine.simulate import simulate_presets, simulation_compare

    args.data.mkdir(parents=True, exist_ok=True)
    raw = args.data / f"attendance_{args.students}x{args.days}.parquet"
    if not raw.is_file():
        t0 = time.perf_counter()
        generate(raw, args.students, args.days)
        print(f"generated {raw} in {time.perf_counter() - t0:.1f} s")
    stored = args.data / f"stored_{args.students}x{args.days}.parquet"
    if not stored.is_file():
        info = attendance_to_parquet(attendance=raw, output=stored)
        print(f"stored as an import: {info.rows:,} rows")

    current = preset_load(name_or_path="haaglanden-po")
    draft = preset_parse(
        text=preset_text(name_or_path="haaglanden-po").replace(
            "more_than_hours = 16", "more_than_hours = 10"
        ),
        file="haaglanden-po versie 2",
    )

    t0 = time.perf_counter()
    table = signals_compute(attendance=stored, preset="haaglanden-po")
    baseline = time.perf_counter() - t0
    baseline_counts = Counter(table.column("signal").to_pylist())

    t0 = time.perf_counter()
    before, after = simulate_presets(attendance=stored, presets=[current, draft])
    simulated = time.perf_counter() - t0
    ids = {sid for side in (before, after) for per in side.values() for sid in per}
    groups = {
        sid: {"school": f"school {hash(sid) % 60}", "municipality": f"gemeente {hash(sid) % 9}"}
        for sid in ids
    }
    t1 = time.perf_counter()
    comparison = simulation_compare(before, after, groups=groups)
    compared = time.perf_counter() - t1

    assert {s: len(v) for s, v in before.items() if v} == dict(baseline_counts), (
        "simulated counts of the current version differ from the signals run"
    )
    total = simulated + compared
    rows = args.students * args.days
    print(f"pupils x days        {args.students:,} x {args.days} = {rows:,} rows")
    print(f"baseline (1 signals) {baseline:8.2f} s   {sum(baseline_counts.values()):,} signal rows")
    print(f"simulate (2 versions){simulated:8.2f} s")
    print(f"compare (4 views)    {compared:8.2f} s   {len(comparison.rows):,} comparison rows")
    print(f"simulate + compare   {total:8.2f} s   ratio to baseline {total / baseline:.2f}x")
    print(f"target < 10 s        {'met' if total < 10 else 'NOT met'}")
    entering = len(comparison.entering.get("unauthorised_16h_4w", []))
    print(f"16 h -> 10 h: {entering:,} pupils newly flagged by the report signal")


if __name__ == "__main__":
    main()
