"""Casus 2 SMART goals (seed 000, casus 2 "Borging van de aanpak") on hand-made cases.

The KPIs are the norms of the haaglanden-po preset that have a target."""

from __future__ import annotations

import datetime as dt

import pytest

from leerrecht.cases.deadlines import protocol_load
from leerrecht.engine.protocol import protocol_parse, schedule_compute
from leerrecht.monitoring.figures.kpi import (
    FIRST_CONTACT,
    FIRST_CONVERSATION,
    GOALS,
    PASSEND_AANBOD,
    CaseDates,
    kpi_dashboard,
    kpi_evaluate,
    kpi_specs,
)
from leerrecht.monitoring.figures.periods import Quarter, add_months

D = dt.date
Q3 = Quarter(2026, 3)
AS_OF = D(2026, 11, 23)
SPECS = {s.id: s for s in kpi_specs(protocol_load("haaglanden-po"))}


def test_targets_are_the_seed_goals():
    assert {k: s.target_pct for k, s in SPECS.items()} == {
        FIRST_CONTACT: 80,
        GOALS: 90,
        PASSEND_AANBOD: 80,
        FIRST_CONVERSATION: 100,
    }


def test_first_contact_within_one_week():
    cases = [
        CaseDates("A", D(2026, 7, 1), first_contact=D(2026, 7, 8)),  # day 7: in time
        CaseDates("B", D(2026, 7, 1), first_contact=D(2026, 7, 9)),  # day 8: late
        CaseDates("C", D(2026, 8, 3), first_contact=D(2026, 8, 3)),
        CaseDates("D", D(2026, 9, 1)),  # never: missed
        CaseDates("E", D(2026, 10, 1), first_contact=D(2026, 10, 2)),  # Q4, not counted
    ]
    result = kpi_evaluate(spec=SPECS[FIRST_CONTACT], cases=cases, quarter=Q3, as_of=AS_OF)
    assert (result.achieved, result.evaluated, result.pending) == (2, 4, 0)
    assert result.pct == 50.0
    assert result.on_target is False
    assert [m.key for m in result.missed] == ["B", "D"]
    assert result.missed[0].deadline == D(2026, 7, 8)


def test_goals_within_the_first_month_uses_calendar_months():
    cases = [
        CaseDates("A", D(2026, 1, 31), goals_set=D(2026, 2, 28)),  # clamped deadline
        CaseDates("B", D(2026, 1, 31), goals_set=D(2026, 3, 1)),
        CaseDates("C", D(2026, 2, 10), goals_set=D(2026, 3, 10)),
    ]
    result = kpi_evaluate(spec=SPECS[GOALS], cases=cases, quarter=Quarter(2026, 1), as_of=AS_OF)
    assert (result.achieved, result.evaluated) == (2, 3)
    assert [m.key for m in result.missed] == ["B"]


def test_passend_aanbod_within_three_months_or_back_at_school():
    cases = [
        CaseDates("A", D(2026, 7, 15), passend_aanbod=D(2026, 10, 15)),  # exactly 3 months
        CaseDates("B", D(2026, 7, 15), passend_aanbod=D(2026, 10, 16)),
        CaseDates("C", D(2026, 7, 20), closed=D(2026, 8, 30)),  # back at school
        CaseDates("D", D(2026, 9, 30)),  # deadline 30-12-2026 not passed: pending
    ]
    result = kpi_evaluate(spec=SPECS[PASSEND_AANBOD], cases=cases, quarter=Q3, as_of=AS_OF)
    assert (result.achieved, result.evaluated, result.pending) == (2, 3, 1)
    assert round(result.pct, 1) == 66.7
    assert [m.key for m in result.missed] == ["B"]


def test_first_conversation_within_14_days_target_100():
    cases = [
        CaseDates("A", D(2026, 8, 1), first_conversation=D(2026, 8, 15)),
        CaseDates("B", D(2026, 8, 1), first_conversation=D(2026, 8, 10)),
    ]
    result = kpi_evaluate(spec=SPECS[FIRST_CONVERSATION], cases=cases, quarter=Q3, as_of=AS_OF)
    assert result.pct == 100.0
    assert result.on_target is True


def test_events_after_the_reference_date_are_not_yet_known():
    cases = [CaseDates("A", D(2026, 9, 28), first_contact=D(2026, 10, 2))]
    before = kpi_evaluate(spec=SPECS[FIRST_CONTACT], cases=cases, quarter=Q3, as_of=D(2026, 9, 30))
    assert (before.achieved, before.pending) == (0, 1)
    after = kpi_evaluate(spec=SPECS[FIRST_CONTACT], cases=cases, quarter=Q3, as_of=AS_OF)
    assert (after.achieved, after.evaluated) == (1, 1)


def test_no_cases_gives_no_percentage():
    result = kpi_evaluate(spec=SPECS[GOALS], cases=[], quarter=Q3, as_of=AS_OF)
    assert result.pct is None and result.on_target is None


def test_trend_over_quarters():
    cases = [
        CaseDates("A", D(2026, 4, 2), first_contact=D(2026, 4, 3)),
        CaseDates("B", D(2026, 7, 2), first_contact=D(2026, 7, 30)),
    ]
    trend = kpi_dashboard(
        specs=[SPECS[FIRST_CONTACT]], cases=cases, quarters=[Q3, Quarter(2026, 2)], as_of=AS_OF
    )
    assert [(str(r.quarter), r.pct) for r in trend[FIRST_CONTACT]] == [
        ("2026-Q2", 100.0),
        ("2026-Q3", 0.0),
    ]


def test_a_norm_without_target_is_a_deadline_but_no_kpi():
    protocol = protocol_parse(
        {
            "norms": {
                "kpi": {"label": "K", "due": "5 days", "met_by": "contact", "target": 0.75},
                "deadline_only": {"label": "D", "due": "2 weeks", "met_by": "conversation"},
            },
            "routes": {"r": {"title": "R", "steps": [{"key": "s", "label": "S"}]}},
        },
        name="x",
        file="x.toml",
    )
    specs = kpi_specs(protocol)
    assert [(s.id, s.target_pct) for s in specs] == [("kpi", 75)]
    assert specs[0].deadline(D(2026, 1, 1)) == D(2026, 1, 6)


@pytest.mark.parametrize("key", sorted(SPECS))
def test_the_kpi_deadline_is_the_case_deadline(key):
    protocol = protocol_load("haaglanden-po")
    anchor, opened = D(2026, 9, 7), D(2026, 9, 21)
    schedule = schedule_compute(
        protocol,
        route_key="with_enrolment",
        anchor=anchor,
        opened=opened,
        phase="phase_2",
        phase_since=opened,
        facts={},
        municipality_code="GM0518",
    )
    due = next(m.due for m in schedule if m.kind == "norm" and m.key == key)
    case = CaseDates("A", opened, absent_since=anchor)
    result = kpi_evaluate(spec=SPECS[key], cases=[case], quarter=Q3, as_of=D(2027, 6, 1))
    assert result.missed[0].deadline == due


def test_quarter_and_month_helpers():
    assert Quarter.parse("2026-Q1").previous() == Quarter(2025, 4)
    assert Quarter(2026, 4).end == D(2026, 12, 31)
    assert add_months(D(2024, 11, 30), 3) == D(2025, 2, 28)


def test_three_months_run_from_the_first_day_at_home():
    # At home since 1-6, case opened 1-7: the offer of 15-9 is more than 3 months later.
    case = CaseDates("A", D(2026, 7, 1), passend_aanbod=D(2026, 9, 15), absent_since=D(2026, 6, 1))
    result = kpi_evaluate(spec=SPECS[PASSEND_AANBOD], cases=[case], quarter=Q3, as_of=AS_OF)
    assert (result.achieved, result.evaluated) == (0, 1)
    assert result.missed[0].deadline == D(2026, 9, 1)
