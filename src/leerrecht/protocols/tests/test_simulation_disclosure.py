"""The simulation page's figures for users who see no children: one disclosure control
(ADR 0121, 0192) over the signal tables and the open-case block, and figures that agree."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from leerrecht.accounts.models import Role
from leerrecht.accounts.tests.factories import UserFactory
from leerrecht.protocols.simulation import simulation_view
from leerrecht.registry.tests.factories import OrganisationFactory

SIGNAL = "ongeoorloofd_16u_4w"


def _job(rows, cases):
    labels = {"current": "versie 1", "candidate": "versie 2"}
    return SimpleNamespace(
        pk=1, result={"rows": rows, "cases": cases, "kpis": []}, payload={"labels": labels}
    )


@pytest.fixture
def policy(db):
    return UserFactory(role=Role.POLICY, organisation=OrganisationFactory(municipality_org=True))


def test_open_case_totals_and_deadline_counts_are_suppressed_for_policy(policy):
    cases = {
        "cases": 3,
        "moved": 2,
        "refused": 0,
        "milestones": [
            {"label": "Gesprek", "earlier": 2, "later": 0, "new": 0, "dropped": 0, "days": -12}
        ],
    }
    view = simulation_view(job=_job([], cases), user=policy)
    assert view["cases"] == {"cases": "<5", "moved": "<5", "refused": "<5"}
    assert view["case_rows"] == [{"label": "Gesprek", "counts": ["<5"] * 4, "mean": ""}]

    officer_view = simulation_view(
        job=_job([], cases),
        user=UserFactory(
            role=Role.LEERPLICHT_OFFICER, organisation=OrganisationFactory(leerplicht=True)
        ),
    )
    assert officer_view["cases"] == {"cases": 3, "moved": 2, "refused": 0}
    assert officer_view["case_rows"][0]["counts"] == [2, 0, 0, 0]
    assert officer_view["case_rows"][0]["mean"] == "-6"


def test_a_total_is_never_hidden_while_the_rows_that_sum_to_it_are_shown(policy):
    # 8 children at one school, all in week 1: the empty week 2 ("<5") would follow from
    # the total minus week 1, so one of those must go; hiding the total protects nothing
    # (the school row gives it back), so the page hides week 1 and shows the total.
    rows = [
        ["total", "", SIGNAL, 8, 8],
        ["school", "De Linde", SIGNAL, 8, 8],
        ["week", "2025-W01", SIGNAL, 8, 8],
        ["week", "2025-W02", SIGNAL, 0, 0],
    ]
    cases = {"cases": 12, "moved": 6, "refused": 0, "milestones": []}
    view = simulation_view(job=_job(rows, cases), user=policy)
    tables = {t["dimension"]: t["rows"] for t in view["tables"]}
    assert [(r["before"], r["after"], r["difference"]) for r in tables["total"]] == [(8, 8, "+0")]
    assert [(r["before"], r["after"]) for r in tables["school"]] == [(8, 8)]
    assert [(r["group"], r["before"]) for r in tables["week"]] == [
        ("week 1 van 2025", "x"),
        ("week 2 van 2025", "<5"),
    ]
    # figures agree: a shown total equals the sum of its breakdown when all parts are shown
    for dimension in ("school", "week"):
        parts = [r["before"] for r in tables[dimension]]
        if all(isinstance(p, int) for p in parts):
            assert sum(parts) == tables["total"][0]["before"]
    assert view["cases"] == {"cases": 12, "moved": 6, "refused": "<5"}


def test_quarterly_kpi_outcome_under_both_versions_computed_by_hand(policy):
    import datetime as dt

    from leerrecht.engine.presets import preset_load, preset_parse, preset_text
    from leerrecht.monitoring.figures.kpi import CaseDates
    from leerrecht.protocols.editing import toml_value_set
    from leerrecht.protocols.jobs import kpi_outcomes

    current = preset_load(name_or_path="haaglanden-po")  # first contact within 1 week, 80%
    candidate = preset_parse(
        text=toml_value_set(
            preset_text(name_or_path="haaglanden-po"),
            table="norms.first_contact",
            key="due",
            value="2 weeks",
        ),
        file="concept.toml",
    )
    start = dt.date(2026, 7, 6)  # a Monday in 2026-Q3
    # 6 cases: contact after 3 days (2 cases) or after 10 days (4 cases)
    cases = [
        CaseDates(key=f"C-{i}", start=start, first_contact=start + dt.timedelta(days=days))
        for i, days in enumerate([3, 3, 10, 10, 10, 10])
    ]
    rows = kpi_outcomes(
        current=current, candidate=candidate, cases=cases, as_of=dt.date(2026, 12, 1)
    )
    row = next(r for r in rows if r["quarter"] == "2026-Q3" and "contact" in r["label"].lower())
    # by hand: within 1 week 2 of 6 (33%, target 80%: missed); within 2 weeks 6 of 6 (met)
    assert row["before"] == [2, 6, 80] and row["after"] == [6, 6, 80]

    result = {"rows": [], "cases": {}, "kpis": [], "kpi_outcomes": [row]}
    job = SimpleNamespace(pk=1, result=result, payload={"labels": {}})
    officer = UserFactory(
        role=Role.LEERPLICHT_OFFICER, organisation=OrganisationFactory(leerplicht=True)
    )
    shown = simulation_view(job=job, user=officer)["kpi_outcomes"][0]
    assert shown["quarter"] == "kwartaal 3 van 2026"
    assert shown["before"] == "33% van 6 (doel 80%): niet gehaald"
    assert shown["after"] == "100% van 6 (doel 80%): gehaald"
    # policy: 2 achieved is under the minimum, so that share (and its verdict) is hidden
    policy_row = simulation_view(job=job, user=policy)["kpi_outcomes"][0]
    assert policy_row["before"] == "x"
    assert policy_row["after"] == "100% van 6 (doel 80%): gehaald"
