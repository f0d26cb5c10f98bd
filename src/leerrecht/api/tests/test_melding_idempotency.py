"""Re-sending the same melding never creates a duplicate (issue 8, point 4)."""

from __future__ import annotations

import json

import pytest
from freezegun import freeze_time

from leerrecht.accounts.models import Role
from leerrecht.cases.models import Melding

pytestmark = pytest.mark.django_db

BODY = {
    "student_id": None,
    "duo_kind": "16_uur",
    "reported_on": "2026-11-23",
    "period_start": "2026-10-26",
    "hours": 17,
}


@pytest.fixture(autouse=True)
def _today():
    with freeze_time("2026-11-23 10:00:00"):
        yield


@pytest.fixture
def writer(two_schools, make_token):
    _, plaintext = make_token(
        two_schools["school_a"], Role.SCHOOL_COORDINATOR, ["meldingen:write", "meldingen:read"]
    )
    return plaintext


def _post(client, plaintext, body, key=None):
    headers = {"Authorization": f"Bearer {plaintext}"}
    if key:
        headers["Idempotency-Key"] = key
    return client.post(
        "/api/v1/meldingen", data=json.dumps(body), content_type="application/json", headers=headers
    )


def test_same_idempotency_key_replays_the_first_answer(client, two_schools, writer):
    body = {**BODY, "student_id": two_schools["student_a"].pk}
    first = _post(client, writer, body, key="k-1")
    again = _post(client, writer, body, key="k-1")
    assert first.status_code == 201
    assert first["Location"] == f"/api/v1/meldingen/{first.json()['id']}"
    assert again.status_code == 201
    assert again["Idempotency-Replayed"] == "true"
    assert again.json() == first.json()
    assert Melding.objects.count() == 1
    melding = Melding.objects.get()
    assert (melding.duo_kind, melding.duo_status) == ("16_uur", "geregistreerd")


def test_same_key_with_another_body_is_a_409(client, two_schools, writer):
    body = {**BODY, "student_id": two_schools["student_a"].pk}
    _post(client, writer, body, key="k-2")
    other = _post(client, writer, {**body, "hours": 20}, key="k-2")
    assert other.status_code == 409
    assert other["Content-Type"] == "application/problem+json"
    assert Melding.objects.count() == 1


def test_without_a_key_the_natural_key_prevents_a_duplicate(client, two_schools, writer):
    body = {**BODY, "student_id": two_schools["student_a"].pk}
    first = _post(client, writer, body)
    again = _post(client, writer, body)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == first.json()["id"]
    assert Melding.objects.count() == 1


def test_melding_for_another_schools_student_is_404(client, two_schools, writer):
    response = _post(client, writer, {**BODY, "student_id": two_schools["student_b"].pk})
    assert response.status_code == 404
    assert Melding.objects.count() == 0


def test_end_before_start_is_a_400_with_the_reason(client, two_schools, writer):
    body = {**BODY, "student_id": two_schools["student_a"].pk, "period_end": "2026-10-01"}
    response = _post(client, writer, body)
    assert response.status_code == 400
    assert response.json()["detail"] == "De einddatum van het verzuim ligt voor de begindatum."


def test_other_school_cannot_read_the_melding(client, two_schools, writer, make_token):
    created = _post(client, writer, {**BODY, "student_id": two_schools["student_a"].pk}).json()
    _, other = make_token(two_schools["school_b"], Role.SCHOOL_COORDINATOR, ["meldingen:read"])
    response = client.get(created["links"]["self"], headers={"Authorization": f"Bearer {other}"})
    assert response.status_code == 404
    listing = client.get("/api/v1/meldingen", headers={"Authorization": f"Bearer {other}"})
    assert listing.json()["count"] == 0
