"""The case page lists every norm of the preset and the municipality's escalation ladder
as deadlines, with the dates `leerrecht deadlines` prints for the same case."""

from __future__ import annotations

import pytest
from django.urls import reverse

from leerrecht.cases.deadlines import protocol_load, schedule_preview

pytestmark = pytest.mark.django_db


def test_every_norm_and_ladder_step_is_on_the_case_page(open_case, lpa, login):
    protocol = protocol_load(open_case.protocol)
    code = open_case.student.residence_municipality.cbs_code
    body = login(lpa).get(reverse("cases:case_detail", args=[open_case.pk])).content.decode()
    preview = schedule_preview(
        protocol,
        municipality_code=code,
        anchor=open_case.anchor_date,
        opened=open_case.opened_on,
        route_key=open_case.route,
    )
    expected = [r for r in preview if r.kind in ("norm", "escalation")]
    assert {r.key for r in expected if r.kind == "norm"} == {n.key for n in protocol.norms}
    assert len([r for r in expected if r.kind == "escalation"]) == len(protocol.ladder_for(code))
    for row in expected:
        assert row.label in body, row.key
        assert f"{row.due:%d-%m-%Y}" in body, row.key
