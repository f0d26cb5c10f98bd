"""Simulate a protocol against attendance: which children each version flags (no Django).

`simulate_presets` loads the attendance once (DuckDB) and runs the signals of every
preset on it; a signal whose parameters are the same in an earlier preset is not run
again. `simulation_compare` turns two results into the rows the simulator shows and
`leerrecht protocol simulate` prints: children flagged per signal (and by any signal),
in total, per school, per municipality and per week of the first signal day, before and
after, plus who newly enters and who drops out per signal. The counts are exactly the
rows `leerrecht signals --protocol <preset>` prints for the same file (one row per child
per signal).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from leerrecht.engine.attendance import attendance_load
from leerrecht.engine.compute import duckdb_connect, signals_run_duckdb
from leerrecht.engine.plan import signals_plan
from leerrecht.engine.presets import Preset

__all__ = [
    "ANY_SIGNAL",
    "ComparisonRow",
    "Flagged",
    "simulate_presets",
    "simulation_compare",
]

#: The "signal" of a row that counts children flagged by at least one signal.
ANY_SIGNAL = "*"
DIMENSIONS = ("total", "school", "municipality", "week")
UNKNOWN_GROUP = "?"

# signal id -> {student id: first date}
Flagged = dict[str, dict[str, dt.date]]
Progress = Callable[[int, int, str], None]


def simulate_presets(
    *,
    attendance: str | Path | Sequence[str | Path],
    presets: Sequence[Preset],
    calendar: str | Path | None = None,
    as_of: dt.date | None = None,
    progress: Progress | None = None,
    memory_limit: str | None = None,
) -> list[Flagged]:
    """The children each preset flags on the same attendance, per signal."""
    plans = [signals_plan(preset=p) for p in presets]
    total = 1 + sum(len(plan) for plan in plans)
    done = 0
    if progress:
        progress(0, total, "attendance")
    con = duckdb_connect(memory_limit=memory_limit)
    results: list[Flagged] = []
    computed: dict[tuple, dict[str, dt.date]] = {}
    try:
        attendance_load(con, attendance=attendance, calendar=calendar, as_of=as_of)
        done += 1
        for plan in plans:
            key_of = {s.id: (s.id, tuple(sorted(s.params.items()))) for s in plan}
            todo = [s for s in plan if key_of[s.id] not in computed]
            done += len(plan) - len(todo)
            if todo:
                offset = done

                def step(signal_id: str, i: int, n: int, offset: int = offset) -> None:
                    if progress:
                        progress(offset + i, total, signal_id)

                table = signals_run_duckdb(con, plan=todo, as_of=as_of, progress=step)
                found: dict[str, dict[str, dt.date]] = {s.id: {} for s in todo}
                for batch in table.select(["student_id", "signal", "first_date"]).to_batches():
                    for sid, signal, first in zip(
                        *(batch.column(i).to_pylist() for i in range(3)), strict=True
                    ):
                        found[signal][sid] = first
                for s in todo:
                    computed[key_of[s.id]] = found[s.id]
                done += len(todo)
            results.append({s.id: computed[key_of[s.id]] for s in plan})
    finally:
        con.close()
    if progress:
        progress(total, total, "done")
    return results


@dataclass(frozen=True, slots=True)
class ComparisonRow:
    dimension: str  # "total" | "school" | "municipality" | "week"
    group: str  # "" for total, else the school / municipality name or "2026-W05"
    signal: str  # a signal id or ANY_SIGNAL
    before: int
    after: int

    @property
    def difference(self) -> int:
        return self.after - self.before


@dataclass
class Comparison:
    rows: list[ComparisonRow]
    # signal id (and ANY_SIGNAL) -> sorted student ids
    entering: dict[str, list[str]] = field(default_factory=dict)
    leaving: dict[str, list[str]] = field(default_factory=dict)


def _any(flagged: Flagged) -> dict[str, dt.date]:
    first: dict[str, dt.date] = {}
    for per_student in flagged.values():
        for sid, day in per_student.items():
            if sid not in first or day < first[sid]:
                first[sid] = day
    return first


def _group(dimension: str, sid: str, day: dt.date, groups: Mapping[str, Mapping[str, str]]):
    if dimension == "total":
        return ""
    if dimension == "week":
        year, week, _ = day.isocalendar()
        return f"{year}-W{week:02d}"
    return groups.get(sid, {}).get(dimension) or UNKNOWN_GROUP


def simulation_compare(
    before: Flagged,
    after: Flagged,
    *,
    groups: Mapping[str, Mapping[str, str]] | None = None,
    dimensions: Sequence[str] = DIMENSIONS,
) -> Comparison:
    """Counts per dimension, group and signal, before and after; and per signal who
    enters and who drops out. `groups` maps a student id to its "school" and
    "municipality" (a child without one is counted under "?")."""
    groups = groups or {}
    sides = [dict(before), dict(after)]
    for side in sides:
        side[ANY_SIGNAL] = _any(side)
    signals = list(dict.fromkeys([*before, *after, ANY_SIGNAL]))
    counts: dict[tuple[str, str, str], list[int]] = {}
    for dimension in dimensions:
        for signal in signals:
            for i, side in enumerate(sides):
                for sid, day in side.get(signal, {}).items():
                    key = (dimension, _group(dimension, sid, day, groups), signal)
                    counts.setdefault(key, [0, 0])[i] += 1
            if dimension == "total":
                counts.setdefault((dimension, "", signal), [0, 0])
    order = {s: i for i, s in enumerate(signals)}
    rows = [
        ComparisonRow(d, g, s, b, a)
        for (d, g, s), (b, a) in sorted(
            counts.items(), key=lambda kv: (dimensions.index(kv[0][0]), kv[0][1], order[kv[0][2]])
        )
    ]
    entering = {s: sorted(set(sides[1].get(s, {})) - set(sides[0].get(s, {}))) for s in signals}
    leaving = {s: sorted(set(sides[0].get(s, {})) - set(sides[1].get(s, {}))) for s in signals}
    return Comparison(rows, entering, leaving)
