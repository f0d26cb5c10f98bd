"""Seed 003, Bijlage 6: the "% verandering" columns reproduce from the DUO counts."""

from __future__ import annotations

import csv

import pytest

from leerrecht.monitoring.figures.change import pct_change, pct_format
from leerrecht.monitoring.services import (
    BIJLAGE6_PCT_PAIRS,
    bijlage6_default_path,
)

# Rows copied by hand from seed 003, Bijlage 6 (counts 2013-14, 2016-17, 2017-18 and the
# two printed percentages).
SEED_ROWS = [
    ("Kop van Noord-Holland", 42, 13, 40, -5, 208),
    ("Noordwest Veluwe", 6, 21, 48, 700, 129),
    ("Walcheren", 21, 21, 38, 81, 81),
    ("Agglomeratie Amsterdam", 2330, 628, 681, -71, 8),
    ("Stedendriehoek", 213, 201, 204, -4, 1),
    ("Haaglanden", 552, 730, 659, 19, -10),
    ("West-Friesland", 93, 78, 33, -65, -58),
]


@pytest.mark.parametrize(("region", "y13", "y16", "y17", "pct13", "pct16"), SEED_ROWS)
def test_printed_rows_reproduce(region, y13, y16, y17, pct13, pct16):
    assert pct_change(old=y13, new=y17) == pct13
    assert pct_change(old=y16, new=y17) == pct16


def _packaged_rows():
    with bijlage6_default_path().open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_packaged_table_has_all_39_regions():
    rows = _packaged_rows()
    assert len(rows) == 39
    assert len({r["rmc_region"] for r in rows}) == 39
    # National totals of seed 003, 2.1 ("ruim 6.700" in 2017-18).
    totals = [
        sum(int(r[y]) for r in rows)
        for y in ("2013-14", "2014-15", "2015-16", "2016-17", "2017-18")
    ]
    assert totals == [8963, 8255, 7276, 6641, 6758]


def test_both_change_columns_reproduce_for_every_region():
    wrong = []
    for row in _packaged_rows():
        for column, (old, new) in BIJLAGE6_PCT_PAIRS.items():
            computed = pct_format(pct_change(old=int(row[old]), new=int(row[new])))
            if computed != row[column]:
                wrong.append((row["rmc_region"], column, row[column], computed))
    assert wrong == []


def test_rounding_is_half_away_from_zero_and_zero_base_has_no_percentage():
    assert pct_change(old=8, new=9) == 13  # 12.5 -> 13
    assert pct_change(old=8, new=7) == -13  # -12.5 -> -13
    assert pct_change(old=0, new=5) is None
    assert pct_format(None) == "–"
