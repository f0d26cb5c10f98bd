"""ASVS V5.1.x (input validation on the server, same rules for every door): POST
/api/v1/meldingen refuses what the web form refuses (issue 14, finding 7): 9999 hours over
5 days, a period in 2030 reported in 2020, a report dated in the future. Both doors call
cases.services.melding_create_duo, which checks the plausibility once."""

from __future__ import annotations

import datetime as dt
import json

import pandas  # noqa: F401 - import before freezegun freezes time (pyarrow imports it lazily)
import pytest
from django.test import Client
from freezegun import freeze_time
from tests.security.world import region, user_for

from leerrecht.accounts.models import Role
from leerrecht.api.services import api_token_create
from leerrecht.cases.models import Melding
from leerrecht.cases.services import CaseError, melding_create_duo

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today():
    with freeze_time("2026-11-23 10:00:00"):
        yield


@pytest.fixture
def a():
    return region("A", surname="Janssen")


def _post(a, body: dict):
    _, plaintext = api_token_create(
        organisation=a.school,
        name="LAS",
        role=Role.SCHOOL_COORDINATOR,
        scopes=["meldingen:write", "meldingen:read"],
    )
    return Client().post(
        "/api/v1/meldingen",
        data=json.dumps({"student_id": a.student.pk, "duo_kind": "16_uur", **body}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {plaintext}",
    )


@pytest.mark.parametrize(
    ("body", "says"),
    [
        (
            {
                "reported_on": "2026-11-23",
                "period_start": "2026-11-17",
                "period_end": "2026-11-21",
                "hours": 9999,
            },
            "meer dan 24 uur per dag",
        ),
        ({"reported_on": "2020-01-10", "period_start": "2030-01-06"}, "na de datum van de melding"),
        ({"reported_on": "2030-01-10", "period_start": "2029-12-01"}, "in de toekomst"),
    ],
)
def test_implausible_api_melding_is_a_dutch_problem(a, body, says):
    response = _post(a, body)
    assert response.status_code == 400, response.content
    assert response["Content-Type"].startswith("application/problem+json")
    assert says in response.json()["detail"]
    assert not Melding.objects.exists()


def test_the_web_form_door_refuses_the_same(a):
    user = user_for(a, Role.SCHOOL_COORDINATOR)
    with pytest.raises(CaseError, match="meer dan 24 uur per dag"):
        melding_create_duo(
            user=user,
            student=a.student,
            duo_kind="16_uur",
            reported_on=dt.date(2026, 11, 23),
            period_start=dt.date(2026, 11, 17),
            period_end=dt.date(2026, 11, 21),
            hours=9999,
        )


def test_a_plausible_melding_is_accepted(a):
    response = _post(a, {"reported_on": "2026-11-23", "period_start": "2026-10-26", "hours": 17})
    assert response.status_code == 201, response.content
