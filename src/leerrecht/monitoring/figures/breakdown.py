"""Counting helpers for breakdowns (by cause, daytime activity, age, duration, tier)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence

#: Age bands used in breakdowns: po age, vo age, kwalificatieplicht age.
AGE_BANDS: tuple[tuple[int, int, str], ...] = (
    (0, 12, "5-11"),  # leerplicht starts the month after the 5th birthday (art. 3)
    (12, 16, "12-15"),
    (16, 99, "16-17"),
)

#: Duration bands in days (three months = the Thuiszitterspact norm, seed 003 1.1).
DURATION_BANDS: tuple[tuple[int, int, str], ...] = (
    (0, 29, "< 1 mnd"),
    (29, 92, "1-3 mnd"),
    (92, 183, "3-6 mnd"),
    (183, 100000, "> 6 mnd"),
)


def band(value: int, bands: Sequence[tuple[int, int, str]]) -> str:
    for low, high, label in bands:
        if low <= value < high:
            return label
    return bands[-1][2]


def count_by(values: Iterable[str], *, order: Sequence[str] = ()) -> list[tuple[str, int]]:
    """(label, count) pairs: the labels of `order` first (also when 0), then the rest by
    descending count and name."""
    counter = Counter(values)
    rows = [(label, counter.pop(label, 0)) for label in order]
    rows += sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))
    return rows


def kearney_tier(absence_rate: float, *, cutoffs: tuple[float, float] = (0.05, 0.10)) -> int:
    """Kearney / RTI tier from the share of scheduled hours absent (seed 002, "algemeen
    denkkader"; cut-offs are configuration, defaults SIGNALS.md attendance_tier)."""
    mild, severe = cutoffs
    if absence_rate >= severe:
        return 3
    if absence_rate >= mild:
        return 2
    return 1


def share(part: int, whole: int) -> float | None:
    return None if whole == 0 else 100.0 * part / whole
