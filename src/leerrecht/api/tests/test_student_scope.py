"""A token sees exactly the students its organisation and role may see (issue 8, scope tests)."""

from __future__ import annotations

import pytest

from leerrecht.accounts.models import Role
from leerrecht.api.models import ApiToken
from leerrecht.privacy.models import AuditEvent
from leerrecht.registry.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def test_school_token_lists_only_its_own_students(client, two_schools, school_a_token, bearer):
    _, plaintext = school_a_token
    response = client.get("/api/v1/students", **bearer(plaintext))
    assert response.status_code == 200
    body = response.json()
    assert [s["source_id"] for s in body["results"]] == ["A-001"]
    assert body["count"] == 1


def test_school_token_cannot_read_another_schools_student(
    client, two_schools, school_a_token, bearer
):
    _, plaintext = school_a_token
    other = two_schools["student_b"]
    response = client.get(f"/api/v1/students/{other.pk}", **bearer(plaintext))
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert problem["status"] == 404
    assert "B-001" not in response.content.decode()
    # The probe is in the audit log as refused.
    event = AuditEvent.objects.get(outcome=AuditEvent.Outcome.DENIED)
    assert event.username.startswith("api-token-")
    assert event.processing_activity == "leerlingregistratie"


def test_school_token_reads_its_own_student(client, two_schools, school_a_token, bearer):
    _, plaintext = school_a_token
    own = two_schools["student_a"]
    response = client.get(f"/api/v1/students/{own.pk}", **bearer(plaintext))
    assert response.status_code == 200
    assert response.json()["source_id"] == "A-001"
    event = AuditEvent.objects.get()
    assert event.subject_student_id == own.pk
    assert event.action == AuditEvent.Action.READ


def test_policy_token_gets_no_personal_data(client, two_schools, make_token, bearer):
    municipality = OrganisationFactory(municipality_org=True)
    _, plaintext = make_token(municipality, Role.POLICY, ["figures:read"])
    listing = client.get("/api/v1/students", **bearer(plaintext))
    assert listing.status_code == 403
    assert listing["Content-Type"] == "application/problem+json"
    one = client.get(f"/api/v1/students/{two_schools['student_a'].pk}", **bearer(plaintext))
    assert one.status_code == 403


def test_policy_token_with_a_forced_scope_still_sees_nobody(
    client, two_schools, make_token, bearer
):
    """Defence in depth: even a token whose scopes were edited by hand inherits the policy
    role's empty data scope."""
    municipality = OrganisationFactory(municipality_org=True)
    token, plaintext = make_token(municipality, Role.POLICY, ["figures:read"])
    ApiToken.objects.filter(pk=token.pk).update(scopes=["students:read"])
    listing = client.get("/api/v1/students", **bearer(plaintext))
    assert listing.status_code == 200
    assert listing.json()["results"] == []
    one = client.get(f"/api/v1/students/{two_schools['student_a'].pk}", **bearer(plaintext))
    assert one.status_code == 404


def test_leerplicht_token_sees_residents_of_served_municipalities(
    client, two_schools, make_token, bearer
):
    leerplicht = OrganisationFactory(leerplicht=True)
    leerplicht.served_municipalities.set([two_schools["student_b"].residence_municipality])
    _, plaintext = make_token(leerplicht, Role.LEERPLICHT_OFFICER, ["students:read"])
    response = client.get("/api/v1/students", **bearer(plaintext))
    assert [s["source_id"] for s in response.json()["results"]] == ["B-001"]
