"""Small hand-built attendance files for the tests (SIGNALS.md, "Input")."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

HEADER = "student_id,date,scheduled_hours,unauthorised_hours,sick_hours,authorised_hours\n"
# 20 school days = 4 school weeks: Monday 26 October .. Friday 20 November 2026.
FIRST_DAY = dt.date(2026, 10, 26)


def school_days(n: int = 20, start: dt.date = FIRST_DAY) -> list[dt.date]:
    days, d = [], start
    while len(days) < n:
        if d.weekday() < 5:
            days.append(d)
        d += dt.timedelta(days=1)
    return days


def student_rows(
    source_id: str, *, unauthorised: dict[int, float] | None = None, n: int = 20, hours: float = 6
) -> list[str]:
    """One row per school day; `unauthorised` maps day index (0-based) -> hours."""
    unauthorised = unauthorised or {}
    return [
        f"{source_id},{day.isoformat()},{hours:g},{unauthorised.get(i, 0):g},0,0\n"
        for i, day in enumerate(school_days(n))
    ]


def write_csv(path: Path, *blocks: list[str]) -> Path:
    path.write_text(HEADER + "".join(line for block in blocks for line in block), "utf-8")
    return path


# 17 unauthorised hours within 4 school weeks: 6 + 6 + 5 on days 10, 11, 12 (index 9..11);
# the sum exceeds 16 on the third of these days (seed 001, 1.2: "meer dan 16 uur").
SEVENTEEN_HOURS = {9: 6, 10: 6, 11: 5}
SEVENTEEN_HOURS_FIRST_DATE = dt.date(2026, 11, 10)
