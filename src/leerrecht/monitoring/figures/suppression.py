"""Small-count suppression for aggregate exports to policy users (issue 6, item 6).

The rule itself is the product-wide one of leerrecht.privacy.suppression (counts below 5,
zero included, become "<5"); this module applies it to report cells.
"""

from __future__ import annotations

from leerrecht.privacy.suppression import DEFAULT_THRESHOLD, suppress_small_counts

__all__ = ["DEFAULT_THRESHOLD", "suppress_count", "suppress_small_counts"]


def suppress_count(value, *, threshold: int = DEFAULT_THRESHOLD):
    """Suppress whole-number counts; other values (labels, percentages) pass unchanged."""
    if isinstance(value, bool) or not isinstance(value, int):
        return value
    return suppress_small_counts(value, threshold)
