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
