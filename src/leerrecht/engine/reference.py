"""A slow, obviously-correct pure-Python reading of SIGNALS.md (for tests only).

Every rule is evaluated literally, day by day, on the dense list of a student's school
days, with windows as list slices. It shares no code with the SQL, only the parameter
defaults (catalogue) and the output normalisation; the property tests compare the two.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

import pyarrow as pa

from leerrecht.engine.catalogue import params_resolve
from leerrecht.engine.plan import OUTPUT_SCHEMA, output_normalise

EPS = 1e-9


@dataclass(frozen=True, slots=True)
class Day:
    student_id: str
    date: date
    scheduled_hours: float
    unauthorised_hours: float = 0.0
    sick_hours: float = 0.0
    authorised_hours: float = 0.0
    late: int = 0
    sent_home_sick: int = 0

    @property
    def attended(self) -> float:
        return (
            self.scheduled_hours - self.unauthorised_hours - self.sick_hours - self.authorised_hours
        )


def _school_year(d: date) -> int:
    return d.year if d.month >= 8 else d.year - 1


def _runs(flags: list[bool]) -> list[tuple[int, int] | None]:
    """For each index: (start, end) of the maximal run of True containing it, else None."""
    out: list[tuple[int, int] | None] = [None] * len(flags)
    i = 0
    while i < len(flags):
        if flags[i]:
            j = i
            while j + 1 < len(flags) and flags[j + 1]:
                j += 1
            for k in range(i, j + 1):
                out[k] = (i, j)
            i = j + 1
        else:
            i += 1
    return out


def _student(days: list[Day], sig: str, p: Mapping) -> tuple | None:
    """(date, value, spell_length, tier) of the first day the rule holds, else None."""
    n = len(days)
    sick_run = _runs([d.sick_hours > 0 for d in days])
    zero_run = _runs([d.attended <= EPS for d in days])

    def win(i: int, size: int) -> list[Day]:
        return days[max(0, i - size + 1) : i + 1]

    for i in range(n):
        d = days[i]
        if sig == "unauthorised_16h_4w":
            s = sum(x.unauthorised_hours for x in win(i, p["window_days"]))
            if s > p["more_than_hours"] + EPS:
                return d.date, s, None, None
        elif sig == "preventive_10h_4w":
            s = sum(x.unauthorised_hours for x in win(i, p["window_days"]))
            if s >= p["at_least_hours"] - EPS:
                return d.date, s, None, None
        elif sig == "sent_home_sick_repeated":
            s = sum(x.sent_home_sick for x in win(i, p["window_days"]))
            if s >= p["at_least_days"]:
                return d.date, s, None, None
        elif sig == "late_9x":
            sy = _school_year(d.date)
            s = sum(x.late for x in days[: i + 1] if _school_year(x.date) == sy)
            if s >= p["at_least_times"]:
                return d.date, s, None, None
        elif sig in ("sick_long_spell_10d", "sick_spell_7th_day", "sick_50h_spell"):
            run = sick_run[i]
            if run is None:
                continue
            pos, length = i - run[0] + 1, run[1] - run[0] + 1
            if sig == "sick_long_spell_10d" and pos > p["more_than_days"]:
                return d.date, pos, length, None
            if sig == "sick_spell_7th_day" and pos >= p["at_day"]:
                return d.date, pos, length, None
            if sig == "sick_50h_spell":
                hours = sum(x.sick_hours for x in days[run[0] : i + 1])
                if hours > p["more_than_hours"] + EPS:
                    return d.date, hours, length, None
        elif sig == "sick_short_spells_3x_2m":
            run = sick_run[i]
            if run is None or run[1] != i or run[1] - run[0] + 1 > p["max_spell_days"]:
                continue
            lo = i - p["window_days"] + 1
            spells = {r for r in sick_run[max(0, lo) : i + 1] if r is not None}
            short = [r for r in spells if r[0] >= lo and r[1] - r[0] + 1 <= p["max_spell_days"]]
            if len(short) >= p["at_least_spells"]:
                return d.date, len(short), run[1] - run[0] + 1, None
        elif sig == "sick_days_4_1m":
            lo = max(0, i - p["window_days"] + 1)
            sick_days = [k for k in range(lo, i + 1) if sick_run[k] is not None]
            spells = {sick_run[k] for k in sick_days}
            if len(sick_days) > p["more_than_days"] and len(spells) >= p["at_least_spells"]:
                return d.date, len(sick_days), None, None
        elif sig == "sick_4th_report_12w":
            run = sick_run[i]
            if run is None or run[0] != i:
                continue
            lo = i - p["window_days"] + 1
            starts = {r[0] for r in sick_run[max(0, lo) : i + 1] if r is not None and r[0] >= lo}
            if len(starts) >= p["at_least_spells"]:
                return d.date, len(starts), run[1] - run[0] + 1, None
        elif sig == "under_50pct_4w":
            size = p["window_days"]
            if i + 1 < size:
                continue
            w = win(i, size)
            att = sum(x.attended for x in w)
            sch = sum(x.scheduled_hours for x in w)
            u = sum(x.unauthorised_hours for x in w)
            sa = sum(x.sick_hours + x.authorised_hours for x in w)
            if att < p["attended_share_below"] * sch - EPS and sa >= u - EPS:
                return d.date, (att / sch if sch > 0 else 0.0), None, None
        elif sig in ("absent_4w_consecutive", "thuiszitter_inspectie"):
            size = p["window_days"]
            if i + 1 < size:
                continue
            w = win(i, size)
            if not all(x.attended <= EPS for x in w):
                continue
            run = zero_run[i]
            assert run is not None
            length = run[1] - run[0] + 1
            if sig == "absent_4w_consecutive":
                return d.date, size, length, None
            u = sum(x.unauthorised_hours for x in w)
            total = sum(x.unauthorised_hours + x.sick_hours + x.authorised_hours for x in w)
            if u > p["unauthorised_share_above"] * total + EPS:
                return d.date, (u / total if total > 0 else 0.0), length, None
    if sig == "attendance_tier" and days:
        last = days[-1]
        sy = _school_year(last.date)
        year = [x for x in days if _school_year(x.date) == sy]
        sch = sum(x.scheduled_hours for x in year)
        absent = sum(x.unauthorised_hours + x.sick_hours + x.authorised_hours for x in year)
        rate = absent / sch if sch > 0 else 0.0
        tier = 3 if rate >= p["tier3_from"] - EPS else 2 if rate >= p["tier2_from"] - EPS else 1
        return last.date, rate, None, tier
    return None


def reference_signals(
    days: Iterable[Day],
    *,
    signal_ids: Iterable[str],
    params: Mapping[str, Mapping[str, float | int]] | None = None,
    as_of: date | None = None,
) -> pa.Table:
    """First occurrence per student and signal, in the engine's output schema."""
    per_student: dict[str, list[Day]] = {}
    for d in days:
        if as_of is None or d.date <= as_of:
            per_student.setdefault(d.student_id, []).append(d)
    rows: dict[str, list] = {f.name: [] for f in OUTPUT_SCHEMA}
    for sid in signal_ids:
        prm = params_resolve(sid, (params or {}).get(sid))
        for student, lst in per_student.items():
            lst.sort(key=lambda x: x.date)
            hit = _student(lst, sid, prm)
            if hit is None:
                continue
            for name, value in zip(OUTPUT_SCHEMA.names, (student, sid, *hit), strict=True):
                rows[name].append(value)
    return output_normalise(pa.table(rows, schema=OUTPUT_SCHEMA))
