"""Small counts are suppressed in aggregate exports for policy users (issue 5, point 6)."""

from __future__ import annotations

import pytest

from leerrecht.privacy.suppression import suppress_rows, suppress_small_counts


@pytest.mark.parametrize("value", [0, 1, 2, 3, 4])
def test_counts_under_five_become_less_than_five(value):
    assert suppress_small_counts(value) == "<5"


@pytest.mark.parametrize("value", [5, 6, 17, 1200])
def test_counts_of_five_and_more_are_shown(value):
    assert suppress_small_counts(value) == value


def test_other_threshold():
    assert suppress_small_counts(9, threshold=10) == "<10"
    assert suppress_small_counts(10, threshold=10) == 10


def test_no_figure_stays_no_figure():
    assert suppress_small_counts(None) is None


@pytest.mark.parametrize("bad", [-1, 2.5, "3", True])
def test_non_counts_are_refused(bad):
    with pytest.raises((TypeError, ValueError)):
        suppress_small_counts(bad)


def test_rows_suppress_only_the_count_fields():
    rows = [
        {"gemeente": "Rijswijk", "thuiszitters": 3, "jaar": 2026},
        {"gemeente": "Delft", "thuiszitters": 12, "jaar": 2026},
    ]
    assert suppress_rows(rows, count_fields=("thuiszitters",)) == [
        {"gemeente": "Rijswijk", "thuiszitters": "<5", "jaar": 2026},
        {"gemeente": "Delft", "thuiszitters": 12, "jaar": 2026},
    ]
    assert rows[0]["thuiszitters"] == 3  # input untouched
