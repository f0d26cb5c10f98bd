"""Yearly flow figures in the style of the leerplichttelling (DOMAIN.md "Figures").

A flow figure ("stroomcijfer") counts unique children over a school year, a stock
figure ("standcijfer") counts children at one date (seed 003, 2.1).

- absoluut verzuim: unique children with an AV period overlapping the year, after the
  corrections of the telling (starting qualification, deceased, emigrated, exemption).
- langdurig relatief verzuim (LRV): episodes of more than four weeks absence; counted
  as "at the start of the school year", "new during the year", and "longer than three
  months" (duration up to the end of the year or the end of the episode).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from leerrecht.monitoring.figures.change import pct_change
from leerrecht.monitoring.figures.periods import SchoolYear, add_months


@dataclass(frozen=True, slots=True)
class Episode:
    """A period in which a child was in absolute or long relative absence."""

    key: str  # child
    start: dt.date
    end: dt.date | None = None  # None = still going on


def _overlaps(e: Episode, year: SchoolYear) -> bool:
    return e.start <= year.end and (e.end is None or e.end >= year.start)


def av_unique(episodes: Iterable[Episode], year: SchoolYear) -> int:
    return len({e.key for e in episodes if _overlaps(e, year)})


@dataclass(frozen=True, slots=True)
class LrvFlow:
    at_start: int
    new: int
    longer_than_3m: int
    total: int  # unique children with LRV in the year


def lrv_flow(episodes: Iterable[Episode], year: SchoolYear, *, long_months: int = 3) -> LrvFlow:
    at_start: set[str] = set()
    new: set[str] = set()
    long: set[str] = set()
    for e in episodes:
        if not _overlaps(e, year):
            continue
        if e.start < year.start:
            at_start.add(e.key)
        else:
            new.add(e.key)
        until = min(e.end or year.end, year.end)
        if until > add_months(e.start, long_months):
            long.add(e.key)
    return LrvFlow(len(at_start), len(new - at_start), len(long), len(at_start | new))


@dataclass(frozen=True, slots=True)
class YearRow:
    label: str  # region / municipality
    counts: dict[str, int | None]  # school year label -> count


def change_columns(
    counts: dict[str, int | None], *, pairs: Iterable[tuple[str, str]]
) -> dict[str, int | None]:
    """% change for each (from_year, to_year) pair; None where a count is missing or 0."""
    out = {}
    for old_label, new_label in pairs:
        old, new = counts.get(old_label), counts.get(new_label)
        out[f"{old_label}→{new_label}"] = (
            None if old is None or new is None else pct_change(old=old, new=new)
        )
    return out
