"""The first day of the absence a signal rests on (JOURNEYS.md, school: "the first day of
absence as well as the day the threshold was crossed").

A signal's ``first_date`` is the school day its rule first held. The absence behind it
starts earlier: for a spell signal (one with ``spell_length``) on the first day of the run
of consecutive school days with absence that contains ``first_date``; for a window signal
on the first day with absence in the 4 school weeks (20 school days, seed 001 1.2 "16 uur
in 4 weken") up to ``first_date``.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from pathlib import Path

import duckdb
import pyarrow as pa

#: The window of window signals, in school days (4 school weeks; seed 001, 1.2).
WINDOW_SCHOOL_DAYS = 20

_SQL = """
WITH r AS (
  SELECT student_id, date,
         coalesce(unauthorised_hours, 0) + coalesce(sick_hours, 0)
           + coalesce(authorised_hours, 0) > 0 AS absent,
         row_number() OVER (PARTITION BY student_id ORDER BY date) AS rn
  FROM read_parquet(?)
),
d AS (  -- island number: consecutive absent school days share one
  SELECT *, rn - row_number() OVER (PARTITION BY student_id, absent ORDER BY date) AS island
  FROM r
),
h AS (
  SELECT hits.student_id, hits.first_date, hits.spell_length, d.rn AS hit_rn,
         d.absent AS hit_absent, d.island AS hit_island
  FROM hits JOIN d ON d.student_id = hits.student_id AND d.date = hits.first_date
)
SELECT h.student_id, h.first_date, h.spell_length,
       CASE WHEN h.spell_length IS NOT NULL AND h.spell_length > 0 AND h.hit_absent
            THEN min(d.date) FILTER (WHERE d.absent AND d.island = h.hit_island)
            ELSE min(d.date) FILTER (WHERE d.absent AND d.rn > h.hit_rn - ?) END
FROM h JOIN d ON d.student_id = h.student_id AND d.rn <= h.hit_rn
GROUP BY h.student_id, h.first_date, h.spell_length, h.hit_rn, h.hit_absent, h.hit_island
"""


def absence_run_starts(
    parquet: str | Path, hits: Iterable[tuple[str, date, int | None]]
) -> dict[tuple[str, date, int | None], date]:
    """For each (student_id, first_date, spell_length): the first day of its absence.
    Hits whose day is not in the file, or without any absence before them, are left out."""
    rows = list(dict.fromkeys(hits))
    if not rows:
        return {}
    table = pa.table(
        {
            "student_id": pa.array([r[0] for r in rows], pa.string()),
            "first_date": pa.array([r[1] for r in rows], pa.date32()),
            "spell_length": pa.array([r[2] for r in rows], pa.int64()),
        }
    )
    con = duckdb.connect()
    try:
        con.register("hits", table)
        found = con.execute(_SQL, [str(parquet), WINDOW_SCHOOL_DAYS]).fetchall()
    finally:
        con.close()
    return {(s, f, n): start for s, f, n, start in found if start is not None}
