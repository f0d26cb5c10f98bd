"""A plan builds the relations its rules read, and no others (docs/adr/0162)."""

from __future__ import annotations

from leerrecht.engine.catalogue import SqlContext
from leerrecht.engine.plan import plan_relations, signals_plan
from leerrecht.engine.tests.conftest import student


def _names(*signal_ids: str) -> list[str]:
    plan = signals_plan(signal_ids=list(signal_ids))
    return [name for name, _sql, _small in plan_relations(plan, as_of=None, ctx=SqlContext())]


def test_a_rolling_sum_rule_needs_no_school_year_aggregate_and_no_spells():
    names = _names("unauthorised_16h_4w")
    assert "student_years" not in names
    assert not {"sick_rows", "spells", "zero_seq", "base"} & set(names)
    # gappy students still get their own day numbers: the per-student pass stays
    assert names.index("students") < names.index("gappy") < names.index("events")


def test_the_tier_reads_only_the_school_year_aggregate():
    assert _names("attendance_tier") == ["att", "student_years"]


def test_the_whole_catalogue_builds_every_relation_once_in_dependency_order():
    names = _names()
    assert len(names) == len(set(names))
    for later, earlier in [
        ("students", "student_years"),
        ("events", "gappy_base"),
        ("spells", "sick_rows"),
        ("zero_rows", "zero_runs"),
        ("zero_runs", "zero_seq"),
    ]:
        assert names.index(earlier) < names.index(later)


def test_zero_runs_are_kept_for_the_shortest_planned_window(run):
    # thuiszitter_inspectie alone would keep only runs of 21+ days; with
    # absent_4w_consecutive at 9 days in the same plan, the 9-day run must survive the
    # pruning of zero-attendance rows, and the short run stays silent
    absent = {i: 6.0 for i in [*range(3, 5), *range(20, 29)]}
    rows = run(
        student("A", 40, unauthorised_hours=absent),
        ["absent_4w_consecutive", "thuiszitter_inspectie"],
        params={"absent_4w_consecutive": {"window_days": 9}},
    )
    assert [(r["signal"], r["value"], r["spell_length"]) for r in rows] == [
        ("absent_4w_consecutive", 9.0, 9)
    ]
