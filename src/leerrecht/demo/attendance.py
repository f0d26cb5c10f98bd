"""Daily attendance of one chunk of demo students, vectorised with numpy.

The output follows SIGNALS.md, "Input: daily attendance": one row per enrolled student per
school day, hours in multiples of 0.25 (exact in binary floating point, so output is
byte-for-byte reproducible). Profiles and their shares are described in
docs/demo-region.md; episodes of a profile overwrite the baseline pattern on their days.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pyarrow as pa

__all__ = ["ATTENDANCE_SCHEMA", "ChunkStudent", "attendance_chunk"]

ATTENDANCE_SCHEMA = pa.schema(
    [
        ("student_id", pa.string()),
        ("date", pa.date32()),
        ("scheduled_hours", pa.float64()),
        ("unauthorised_hours", pa.float64()),
        ("sick_hours", pa.float64()),
        ("authorised_hours", pa.float64()),
        ("late", pa.int32()),
        ("sent_home_sick", pa.int32()),
    ]
)

# Scheduled hours per weekday (Mon..Fri). po: shorter Wednesday; so like po; vso 5.5 a day.
PO_WEEK = (5.5, 5.5, 3.75, 5.5, 5.5)
VSO_WEEK = (5.5, 5.5, 5.5, 5.5, 5.0)
VO_DAY_CHOICES = (6.0, 6.5, 7.0)

_EPOCH = date(1970, 1, 1)


@dataclass(frozen=True)
class ChunkStudent:
    source_id: str
    # Enrolment segments as (first school-day index, end index exclusive, school type).
    segments: tuple[tuple[int, int, str], ...]
    profile: str
    # Days (index ranges, end exclusive) absent because of a suspension (authorised).
    suspended: tuple[tuple[int, int], ...] = ()


def _quarter(x: np.ndarray) -> np.ndarray:
    return np.floor(x * 4.0) / 4.0


def attendance_chunk(
    *, students: list[ChunkStudent], days: list[date], rng: np.random.Generator
) -> pa.Table:
    n, n_days = len(students), len(days)
    weekday = np.array([d.weekday() for d in days], dtype=np.int64)
    day_numbers = np.array([(d - _EPOCH).days for d in days], dtype=np.int32)

    # Timetables: a vo student gets 6-7 hours per weekday, fixed for the whole period.
    vo_weeks = rng.choice(np.array(VO_DAY_CHOICES), size=(n, 5))
    scheduled = np.zeros((n, n_days), dtype=np.float64)
    enrolled = np.zeros((n, n_days), dtype=bool)
    po_row, vso_row = np.array(PO_WEEK)[weekday], np.array(VSO_WEEK)[weekday]
    for i, student in enumerate(students):
        for start, end, school_type in student.segments:
            if end <= start:
                continue
            enrolled[i, start:end] = True
            if school_type in ("po", "so"):
                scheduled[i, start:end] = po_row[start:end]
            elif school_type == "vso":
                scheduled[i, start:end] = vso_row[start:end]
            else:
                scheduled[i, start:end] = vo_weeks[i][weekday[start:end]]

    profiles = np.array([s.profile for s in students])
    mild = profiles == "mild"

    # Baseline: short sickness spells (1-4 days), appointments, incidental truancy,
    # lateness and being sent home sick; the mild tier gets several times as much.
    sick_rate = rng.gamma(3.0, 1 / 3, size=n) / 150.0 * np.where(mild, 3.0, 1.0)
    starts = rng.random((n, n_days)) < sick_rate[:, None]
    lengths = rng.choice(np.array([1, 2, 3, 4]), p=[0.5, 0.3, 0.15, 0.05], size=(n, n_days))
    sick_day = starts.copy()
    for shift in range(1, 4):
        sick_day[:, shift:] |= starts[:, :-shift] & (lengths[:, :-shift] > shift)
    sick = np.where(sick_day, scheduled, 0.0)

    appointment = rng.random((n, n_days)) < np.where(mild, 2 / 150, 1 / 150)[:, None]
    authorised = np.where(
        appointment, np.minimum(scheduled, rng.choice(np.array([1.0, 2.0]), size=(n, n_days))), 0
    )
    truant = rng.random((n, n_days)) < np.where(mild, 4 / 500, 1 / 500)[:, None]
    unauthorised = np.where(truant, np.minimum(scheduled, 1.0), 0.0)
    late = (rng.random((n, n_days)) < np.where(mild, 2 / 200, 1 / 200)[:, None]).astype(np.int32)
    sent_home = rng.random((n, n_days)) < 1 / 600
    sick = np.where(sent_home & ~sick_day, _quarter(scheduled / 2), sick)

    def clear(i: int, sl: slice) -> None:
        sick[i, sl] = 0.0
        authorised[i, sl] = 0.0
        unauthorised[i, sl] = 0.0
        sent_home[i, sl] = False

    def window(i: int, length: int) -> tuple[int, int] | None:
        """A random run of `length` enrolled days of student i (first segment long enough)."""
        for start, end, _ in students[i].segments:
            if end - start >= length:
                first = int(rng.integers(start, end - length + 1))
                return first, first + length
        return None

    def spread_hours(i: int, first: int, last: int, total: float) -> None:
        order = rng.permutation(np.arange(first, last))
        remaining = total
        for d in order:
            if remaining <= 0:
                break
            hours = min(scheduled[i, d], remaining, float(rng.choice([2.0, 3.0, 4.0, 5.0])))
            hours = float(_quarter(np.array(hours)))
            clear(i, slice(d, d + 1))
            unauthorised[i, d] = hours
            remaining -= hours

    for i, student in enumerate(students):
        profile = student.profile
        if profile == "short_spells":
            span = window(i, 40)
            if span:
                count = int(rng.integers(3, 5))
                offsets = sorted(rng.choice(np.arange(0, 38, 4), size=count, replace=False))
                for off in offsets:
                    length = int(rng.integers(1, 3))
                    sl = slice(span[0] + off, span[0] + off + length)
                    clear(i, sl)
                    sick[i, sl] = scheduled[i, sl]
        elif profile == "long_sick":
            span = window(i, int(rng.integers(11, 31)))
            if span:
                sl = slice(*span)
                clear(i, sl)
                sick[i, sl] = scheduled[i, sl]
        elif profile in ("unauthorised_16h", "unauthorised_10h"):
            span = window(i, 20)
            if span:
                if profile == "unauthorised_16h":
                    total = float(rng.integers(17 * 4, 32 * 4)) / 4
                else:
                    total = float(rng.integers(10 * 4, 15 * 4)) / 4
                spread_hours(i, span[0], span[1], total)
        elif profile == "late":
            for start, end, _ in student.segments:
                late[i, start:end] |= (rng.random(end - start) < 0.12).astype(np.int32)
        elif profile == "sent_home":
            span = window(i, 40)
            if span:
                picks = rng.choice(np.arange(span[0], span[1]), size=int(rng.integers(3, 6)))
                for d in picks:
                    clear(i, slice(d, d + 1))
                    sent_home[i, d] = True
                    sick[i, d] = _quarter(scheduled[i, d] / 2)
        elif profile == "partial":
            span = window(i, int(rng.integers(25, 71)))
            if span:
                sl = slice(*span)
                clear(i, sl)
                length = span[1] - span[0]
                absent = _quarter(scheduled[i, sl] * rng.uniform(0.55, 0.85, size=length))
                reason = rng.choice(np.array([0, 1, 2]), p=[0.55, 0.35, 0.10], size=length)
                authorised[i, sl] = np.where(reason == 0, absent, 0.0)
                sick[i, sl] = np.where(reason == 1, absent, 0.0)
                unauthorised[i, sl] = np.where(reason == 2, absent, 0.0)
        elif profile in ("thuiszitter_authorised", "thuiszitter_unauthorised"):
            start, end, _ = student.segments[-1]
            if end - start >= 25:
                first = int(rng.integers(start, end - 24))
                # 70% still at home on the last day; the others return after 25-80 days.
                last = end if rng.random() < 0.7 else min(end, first + int(rng.integers(25, 81)))
                sl = slice(first, last)
                clear(i, sl)
                if profile == "thuiszitter_unauthorised":
                    unauthorised[i, sl] = scheduled[i, sl]
                elif rng.random() < 0.6:
                    sick[i, sl] = scheduled[i, sl]
                else:
                    authorised[i, sl] = scheduled[i, sl]
        for first, last in student.suspended:
            sl = slice(first, last)
            clear(i, sl)
            authorised[i, sl] = scheduled[i, sl]

    # Never more absence than scheduled: trim appointments first, then truancy, then sickness.
    over = np.maximum(authorised + unauthorised + sick - scheduled, 0.0)
    cut = np.minimum(authorised, over)
    authorised -= cut
    over -= cut
    cut = np.minimum(unauthorised, over)
    unauthorised -= cut
    over -= cut
    sick -= np.minimum(sick, over)
    attended = scheduled - authorised - unauthorised - sick
    late = np.where(attended > 0, late, 0).astype(np.int32)
    sent_home_flag = (sent_home & (attended > 0) & (sick > 0)).astype(np.int32)

    rows, cols = np.nonzero(enrolled)
    ids = pa.array([s.source_id for s in students], type=pa.string())
    student_id = pa.DictionaryArray.from_arrays(pa.array(rows.astype(np.int32)), ids).cast(
        pa.string()
    )
    return pa.Table.from_arrays(
        [
            student_id,
            pa.array(day_numbers[cols], type=pa.date32()),
            pa.array(scheduled[rows, cols]),
            pa.array(unauthorised[rows, cols]),
            pa.array(sick[rows, cols]),
            pa.array(authorised[rows, cols]),
            pa.array(late[rows, cols]),
            pa.array(sent_home_flag[rows, cols]),
        ],
        schema=ATTENDANCE_SCHEMA,
    )
