"""Disclosure control cannot be undone by arithmetic (issue 14, finding 4; docs/privacy.md).

An attacker reads an aggregate page as a policy user would, writes down every relation the
page implies (a total is the sum of its parts, definition k = definition 1 + what k adds -
what k drops, every breakdown counts the same children, a percentage is numerator over
denominator) and solves them exactly (Gaussian elimination over fractions, independent of
the product's interval auditor). No hidden small count may come out as one value.
The three examples of the issue are reproduced with their own numbers.
"""

from __future__ import annotations

import re
from fractions import Fraction
from types import SimpleNamespace

import pytest

from leerrecht.monitoring import reports, selectors
from leerrecht.monitoring.figures import definitions as d
from leerrecht.monitoring.figures.periods import Quarter
from leerrecht.privacy.disclosure import SECONDARY, Disclosure

pytestmark = pytest.mark.django_db

HIDDEN = re.compile(r"^<\d+$")


# --------------------------------------------------------------------------- the attacker


class Attacker:
    """Unknowns are the cells shown as "<5" or "x" plus numbers the page implies."""

    def __init__(self) -> None:
        self.names: list[str] = []
        self.small: set[str] = set()
        self.equations: list[tuple[dict[str, Fraction], Fraction]] = []

    def term(self, name: str, shown) -> tuple[str | None, Fraction]:
        """(unknown name, 0) or (None, value) for one shown cell."""
        if isinstance(shown, int):
            return None, Fraction(shown)
        if isinstance(shown, str) and (HIDDEN.match(shown) or shown == SECONDARY):
            if name not in self.names:
                self.names.append(name)
            if shown != SECONDARY:
                self.small.add(name)
            return name, Fraction(0)
        raise AssertionError(f"{name}: unexpected cell {shown!r}")

    def unknown(self, name: str) -> str:
        if name not in self.names:
            self.names.append(name)
        return name

    def equation(self, terms: list[tuple[int, str, object]]) -> None:
        """sum(coefficient * cell) = 0; cells are (name, shown) or an unknown's name."""
        coefs: dict[str, Fraction] = {}
        const = Fraction(0)
        for coef, name, shown in terms:
            if shown is None:  # an implied unknown
                var, value = name, Fraction(0)
            else:
                var, value = self.term(name, shown)
            if var is None:
                const -= coef * value
            else:
                coefs[var] = coefs.get(var, Fraction(0)) + coef
        self.equations.append((coefs, const))

    def recovered(self) -> dict[str, Fraction]:
        """Every small hidden cell that the equations pin to one value."""
        cols = self.names
        rows = [[eq.get(c, Fraction(0)) for c in cols] + [k] for eq, k in self.equations]
        pivots, r = [], 0
        for c in range(len(cols)):
            p = next((i for i in range(r, len(rows)) if rows[i][c] != 0), None)
            if p is None:
                continue
            rows[r], rows[p] = rows[p], rows[r]
            rows[r] = [v / rows[r][c] for v in rows[r]]
            for i in range(len(rows)):
                if i != r and rows[i][c] != 0:
                    f = rows[i][c]
                    rows[i] = [a - f * b for a, b in zip(rows[i], rows[r], strict=True)]
            pivots.append((r, c))
            r += 1
        found = {}
        for row, c in pivots:
            others = [j for j in range(len(cols)) if j != c and rows[row][j] != 0]
            if not others and cols[c] in self.small:
                found[cols[c]] = rows[row][-1]
        return found


def _rows(built, title: str) -> list[list]:
    section = next(s for s in built.report.sections if s.title == title)
    return [list(r) for r in section.rows]


# --------------------------------------------------------------------------- fixtures


def _stock(counts: dict, added: dict, dropped: dict, n_children: int, causes: dict):
    """A thuiszitter stock with the given figures (rows only for the breakdowns)."""
    rows = []
    for cause, n in causes.items():
        for _ in range(n):
            rows.append(
                SimpleNamespace(
                    met=(d.BREED_CASUS2,),
                    cause=cause,
                    daytime_activity="thuis",
                    waiting_list=None,
                    sector="po",
                    age=10,
                    duration_days=40,
                    passend_aanbod=None,
                )
            )
    assert len(rows) == n_children
    comparison = d.DefinitionComparison((), counts, added, dropped)
    return SimpleNamespace(comparison=comparison, rows=rows)


def _attack_thuiszitters(built) -> dict:
    attacker = Attacker()
    labels = {str(reports.DEFINITION_LABELS[k]): k for k in d.DEFINITIONS}
    count, extra = {}, {}
    for row in _rows(built, "Aantal per definitie"):
        key = labels[row[0]]
        count[key] = row[1]
        extra[key] = row[2]
    reasons: dict[str, list] = {k: [] for k in d.DEFINITIONS[1:]}
    dropped: dict[str, object] = {k: 0 for k in d.DEFINITIONS[1:]}  # no row = nothing
    for row in _rows(built, "Wat elke bredere definitie toevoegt, en waarom"):
        key = labels[row[0]]
        if row[1] == "telt niet mee wat definitie 1 wel meetelt":
            dropped[key] = row[2]
        else:
            reasons[key].append((row[1], row[2]))
    for key in d.DEFINITIONS[1:]:
        attacker.equation(
            [(1, f"extra {key}", extra[key])]
            + [(-1, f"reden {key} {r}", v) for r, v in reasons[key]]
        )
        attacker.equation(
            [
                (1, f"aantal {key}", count[key]),
                (-1, f"aantal {d.INSPECTIE}", count[d.INSPECTIE]),
                (-1, f"extra {key}", extra[key]),
                (1, f"valt af {key}", dropped[key]),
            ]
        )
    total = attacker.unknown("kinderen in de uitsplitsingen")
    for title in ("Naar oorzaak", "Naar dagbesteding", "Op een wachtlijst", "Po / vo"):
        attacker.equation(
            [(1, total, None)] + [(-1, f"{title} {r[0]}", r[1]) for r in _rows(built, title)]
        )
    return attacker.recovered()


def _build_thuiszitters(monkeypatch, stock):
    monkeypatch.setattr(selectors, "thuiszitter_stock", lambda **kw: stock)
    import datetime as dt

    return reports.build_thuiszitters(
        user=None, on=dt.date(2026, 11, 23), scope=selectors.Scope(), aggregate=True
    )


# --------------------------------------------------------------------------- the issue


def test_issue_example_breed_casus1_extra_84_with_reasons_65_small_17(monkeypatch):
    """'Breed (casus 1)' extra 84 with reasons 65, <5 and 17 revealed 2."""
    counts = {d.INSPECTIE: 40, d.ONDERZOEK: 52, d.BREED_CASUS1: 124, d.BREED_CASUS2: 130}
    added = {
        d.ONDERZOEK: {d.R_LRV_UNAUTHORISED: 12},
        d.BREED_CASUS1: {"a": 65, "b": 2, "c": 17},
        d.BREED_CASUS2: {"a": 90},
    }
    added[d.BREED_CASUS1] = dict(zip(sorted(reports.REASON_LABELS)[:3], (65, 2, 17), strict=True))
    added[d.BREED_CASUS2] = {sorted(reports.REASON_LABELS)[0]: 90}
    stock = _stock(counts, added, {k: 0 for k in d.DEFINITIONS[1:]}, 30, {"angst": 30})
    built = _build_thuiszitters(monkeypatch, stock)
    shown = [r[2] for r in _rows(built, "Wat elke bredere definitie toevoegt, en waarom")]
    assert "<5" in shown and SECONDARY in shown  # the 2, and one more to protect it
    assert _attack_thuiszitters(built) == {}


def test_issue_example_definition_3_minus_extra_reveals_definition_1(monkeypatch):
    """scope school:52: definition 3 = 6 and extra over definition 1 = 5 revealed
    definition 1 = 1."""
    reason = sorted(reports.REASON_LABELS)[0]
    counts = {d.INSPECTIE: 1, d.ONDERZOEK: 1, d.BREED_CASUS1: 6, d.BREED_CASUS2: 6}
    added = {d.ONDERZOEK: {}, d.BREED_CASUS1: {reason: 5}, d.BREED_CASUS2: {reason: 5}}
    stock = _stock(counts, added, {k: 0 for k in d.DEFINITIONS[1:]}, 6, {"angst": 6})
    built = _build_thuiszitters(monkeypatch, stock)
    first = _rows(built, "Aantal per definitie")[0]
    assert first[1] == "<5"
    assert _attack_thuiszitters(built) == {}


def test_issue_example_kpi_percentage_over_a_small_number(monkeypatch):
    """'op tijd <5; beoordeeld 5; behaald 80 %' revealed 4."""
    quarter = Quarter.of(__import__("datetime").date(2026, 11, 23))

    def dashboard(*, specs, cases, quarters, as_of):
        result = SimpleNamespace(
            quarter=quarter,
            achieved=4,
            evaluated=5,
            pct=80.0,
            on_target=True,
            pending=7,
            missed=(),
        )
        return {spec.id: [result] for spec in specs}

    monkeypatch.setattr(reports, "kpi_dashboard", dashboard)
    monkeypatch.setattr(selectors, "kpi_case_dates", lambda **kw: [])
    built = reports.build_kpi(
        user=None,
        scope=selectors.Scope(),
        as_of=__import__("datetime").date(2026, 11, 23),
        quarters=1,
        aggregate=True,
    )
    headline, *trends = built.report.sections
    for row in headline.rows:  # doel, kwartaal, op tijd, beoordeeld, behaald, ..., gehaald
        assert row[2:5] == ["<5", 5, SECONDARY] and row[6] == SECONDARY, row
    for section in trends:
        for row in section.rows:
            assert row[1:4] == ["<5", 5, SECONDARY], row
    for chart in built.charts:  # the table behind each chart: no percentage either
        assert all(v in (None, "", "–") for row in chart.rows for v in row[1:]), chart.rows


def test_percentages_need_both_numbers_shown_and_large():
    dc = Disclosure(threshold=5)
    small, five, big = dc.count(4), dc.count(5), dc.count(20)
    p1, p2, p3 = (
        dc.percent(small, five, "80%"),
        dc.percent(five, big, "25%"),
        dc.percent(big, big, "100%"),
    )
    dc.protect()
    assert (p1.shown, p2.shown, p3.shown) == (SECONDARY, "25%", "100%")


def test_secondary_suppression_survives_the_at_least_threshold_bound():
    """A hidden pair 0 + 5 would pin the 0 to 0 if the reader knows "x" >= 5: hide more."""
    dc = Disclosure(threshold=5)
    total, parts = dc.count(30), [dc.count(0), dc.count(5), dc.count(25)]
    dc.total(total, parts)
    dc.protect()
    assert dc.pinned() == []
    assert parts[0].shown == "<5"


def test_telling_totals_do_not_give_away_a_small_region(monkeypatch):
    years = ["2021/22", "2022/23"]
    rows = [
        SimpleNamespace(label="Regio A", counts={"2021/22": 40, "2022/23": 3}),
        SimpleNamespace(label="Regio B", counts={"2021/22": 50, "2022/23": 60}),
        SimpleNamespace(label="Regio C", counts={"2021/22": 70, "2022/23": 80}),
    ]
    monkeypatch.setattr(selectors, "telling_imported", lambda: (years, rows))
    built = reports.build_telling_national(user=None, aggregate=True)
    attacker = Attacker()
    table = _rows(built, "Aantal absoluut en langdurig relatief verzuim, % verandering")
    totals = {r[0]: r[1] for r in _rows(built, "Totaal alle regio's")}
    for i, year in enumerate(years, start=1):
        attacker.equation(
            [(1, f"totaal {year}", totals[year])] + [(-1, f"{r[0]} {year}", r[i]) for r in table]
        )
    assert attacker.small and attacker.recovered() == {}
    assert all(r[3] in ("–", SECONDARY) for r in table if "<5" in r)
