"""What both runners share: the plan (which signals, which parameters), the relations a
plan needs, and the one output schema with its normalisation.

:mod:`leerrecht.engine.compute` (DuckDB) and :mod:`leerrecht.engine.spark` both import
this module and never each other's internals, so the engine has no import cycle.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

from leerrecht.engine.catalogue import (
    CATALOGUE,
    DERIVED_SQL,
    RELATION_DEPS,
    SHARED_VIEWS,
    SqlContext,
    params_resolve,
    rolling_sql,
    shared_sql,
    signal_get,
)
from leerrecht.engine.errors import EngineInputError
from leerrecht.engine.presets import Preset, preset_load

__all__ = [
    "OUTPUT_SCHEMA",
    "PlannedSignal",
    "output_combine",
    "output_normalise",
    "plan_relations",
    "signals_plan",
]

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

#: With this many planned signals or fewer, DuckDB keeps ``events`` a view (each rule's
#: filter is pushed into the scan); with more, one materialised pass is cheaper.
EVENTS_VIEW_MAX_SIGNALS = 2


@dataclass(frozen=True, slots=True)
class PlannedSignal:
    id: str
    params: dict[str, float | int]

    def sql(self, ctx: SqlContext) -> str:
        return CATALOGUE[self.id].sql(self.params, ctx)


def signals_plan(
    *,
    preset: str | Path | Preset | None = None,
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
        p = preset if isinstance(preset, Preset) else preset_load(name_or_path=preset)
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


def plan_relations(
    plan: Sequence[PlannedSignal], *, as_of: str | None, ctx: SqlContext
) -> list[tuple[str, str, bool]]:
    """(name, SQL, small) of every relation ``plan`` reads, in dependency order.

    Only the relations the planned rules need (their ``needs`` and what those read, see
    RELATION_DEPS) are built. ``small`` relations are worth materialising (DuckDB temp
    table, Spark cache); the others stay views so filters reach the scan.
    """
    needed: set[str] = set()
    todo = [n for s in plan for n in CATALOGUE[s.id].needs]
    while todo:
        name = todo.pop()
        if name not in needed:
            needed.add(name)
            todo.extend(RELATION_DEPS[name])
    zero_windows = [
        int(s.params["window_days"]) for s in plan if "zero_rows" in CATALOGUE[s.id].needs
    ]
    relations = shared_sql(
        as_of,
        ctx,
        student_years="student_years" in needed,
        min_sched=any("students" in CATALOGUE[s.id].needs for s in plan),
    )
    relations |= DERIVED_SQL(ctx, zero_run_min=min(zero_windows, default=1))
    out = []
    for name, sql in relations.items():
        if name not in needed:
            continue
        small = name not in SHARED_VIEWS
        if name == "events" and len(plan) <= EVENTS_VIEW_MAX_SIGNALS:
            # a view: each reader's own filter (unauth > 0, sick > 0, ...; every reader
            # of events has one, and it implies the event test) goes into the scan, so
            # the view need not test "carries an event" and reads only the columns the
            # rule uses
            small, sql = False, relations["base"]
        out.append((name, sql, small))
    # rolling sums over events: one relation per (column, window), materialised when
    # several planned rules read it (e.g. unauthorised_16h_4w and preventive_10h_4w)
    rolling = [
        rolling_sql(column, int(s.params["window_days"]))
        for s in plan
        if (column := CATALOGUE[s.id].rolling) is not None
    ]
    uses = Counter(name for name, _sql in rolling)
    out += [(name, sql, uses[name] > 1) for name, sql in dict(rolling).items()]
    return out


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


def output_combine(parts: Sequence[pa.Table]) -> pa.Table:
    """The per-signal results of one run as one normalised table."""
    if not parts:
        return OUTPUT_SCHEMA.empty_table()
    return output_normalise(pa.concat_tables([p.cast(OUTPUT_SCHEMA, safe=False) for p in parts]))
