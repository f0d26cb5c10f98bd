"""Leerplichttelling-style flow figures on hand-made episodes (DOMAIN.md "Figures")."""

from __future__ import annotations

import datetime as dt

from leerrecht.monitoring.figures.flow import Episode, av_unique, change_columns, lrv_flow
from leerrecht.monitoring.figures.periods import SchoolYear

D = dt.date
YEAR = SchoolYear(2025)  # 1-8-2025 .. 31-7-2026


def test_school_year_bounds_and_labels():
    assert (YEAR.start, YEAR.end, str(YEAR)) == (D(2025, 8, 1), D(2026, 7, 31), "2025-26")
    assert SchoolYear.of(D(2026, 7, 31)) == YEAR
    assert SchoolYear.parse("2017-18") == SchoolYear(2017)


def test_lrv_at_start_new_and_longer_than_three_months():
    episodes = [
        Episode("a", D(2025, 6, 1), D(2025, 9, 15)),  # at start; 3.5 months -> long
        Episode("b", D(2025, 10, 1), D(2025, 11, 15)),  # new, 1.5 months
        Episode("c", D(2026, 3, 1)),  # new, ongoing: 1-3 .. 31-7 -> long
        Episode("d", D(2025, 3, 1), D(2025, 7, 1)),  # ended before the year: not counted
        Episode("b", D(2026, 2, 1), D(2026, 2, 28)),  # b again: one unique child
    ]
    flow = lrv_flow(episodes, YEAR)
    assert (flow.at_start, flow.new, flow.longer_than_3m, flow.total) == (1, 2, 2, 3)


def test_absolute_verzuim_counts_unique_children():
    episodes = [
        Episode("x", D(2025, 8, 20), D(2025, 9, 5)),
        Episode("x", D(2026, 1, 5), D(2026, 1, 20)),
        Episode("y", D(2024, 1, 1)),
        Episode("z", D(2026, 8, 2)),  # next school year
    ]
    assert av_unique(episodes, YEAR) == 2


def test_change_columns():
    out = change_columns(
        {"2016-17": 13, "2017-18": 40, "2015-16": None},
        pairs=[
            ("2016-17", "2017-18"),
            ("2015-16", "2017-18"),
        ],
    )
    assert out == {"2016-17→2017-18": 208, "2015-16→2017-18": None}
