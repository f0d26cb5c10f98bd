"""Small-count suppression for aggregate exports (issue 5, point 6: data minimisation).

Policy users see aggregates, never persons. A count of 1-4 in a small municipality or
school can identify a child, so every aggregate that leaves the system for policy users
shows such counts as "<5". Zero is under 5 and is suppressed too (the issue's rule taken
literally): otherwise "0" next to "<5" in a complementary cell lets a reader subtract.
"""

from __future__ import annotations

SUPPRESSED = "<5"
DEFAULT_THRESHOLD = 5


def suppress_small_counts(
    value: int | None, threshold: int = DEFAULT_THRESHOLD
) -> str | int | None:
    """`value` unchanged when at least `threshold`; otherwise the text "<threshold".

    None (no figure) stays None. Negative counts are a programming error.
    """
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"suppress_small_counts expects a whole number, got {value!r}")
    if value < 0:
        raise ValueError(f"a count cannot be negative: {value}")
    if threshold < 1:
        raise ValueError(f"threshold must be at least 1: {threshold}")
    if value >= threshold:
        return value
    return SUPPRESSED if threshold == DEFAULT_THRESHOLD else f"<{threshold}"


def suppress_rows(
    rows: list[dict], *, count_fields: tuple[str, ...], threshold: int = DEFAULT_THRESHOLD
) -> list[dict]:
    """A copy of `rows` with every field in `count_fields` passed through the suppression."""
    return [
        {
            key: suppress_small_counts(value, threshold) if key in count_fields else value
            for key, value in row.items()
        }
        for row in rows
    ]
