"""Tokens authenticate, carry scopes, can be revoked, are rate limited; errors are problems."""

from __future__ import annotations

import datetime as dt

import pytest
from freezegun import freeze_time

from leerrecht.accounts.models import Role
from leerrecht.api.models import ApiToken
from leerrecht.api.services import ApiTokenError, api_token_create, api_token_revoke
from leerrecht.privacy.models import AuditEvent
from leerrecht.registry.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def test_token_value_is_shown_once_and_only_its_hash_is_stored(two_schools):
    token, plaintext = api_token_create(
        organisation=two_schools["school_a"],
        name="ParnasSys",
        role=Role.SCHOOL_COORDINATOR,
        scopes=["students:read"],
    )
    secret = plaintext.split("_", 2)[2]
    stored = ApiToken.objects.get(pk=token.pk)
    assert plaintext.startswith(f"lr_{stored.prefix}_")
    assert secret not in str(ApiToken.objects.filter(pk=token.pk).values().get())
    assert not stored.account.has_usable_password()
    assert stored.account.organisation == two_schools["school_a"]


@pytest.mark.parametrize(
    ("kind_trait", "role", "scopes", "message"),
    [
        ("school", Role.LEERPLICHT_OFFICER, ["students:read"], "not available for a school"),
        ("municipality_org", Role.POLICY, ["students:read"], "aggregates only"),
        ("school", Role.SCHOOL_COORDINATOR, ["students:write"], "unknown scope"),
        ("care", Role.CARE_WORKER, ["students:read"], "not available for a care"),
        ("school", Role.SCHOOL_COORDINATOR, [], "at least one scope"),
    ],
)
def test_token_creation_refuses_roles_and_scopes_outside_the_access_model(
    kind_trait, role, scopes, message
):
    organisation = OrganisationFactory(**{kind_trait: True})
    with pytest.raises(ApiTokenError, match=message):
        api_token_create(organisation=organisation, name="x", role=role, scopes=scopes)


def test_missing_wrong_and_revoked_tokens_get_401_problem(client, school_a_token, bearer):
    token, plaintext = school_a_token
    missing = client.get("/api/v1/students")
    assert missing.status_code == 401
    assert missing["Content-Type"] == "application/problem+json"
    assert missing["WWW-Authenticate"].startswith("Bearer")
    wrong = client.get("/api/v1/students", **bearer(plaintext[:-2] + "xx"))
    assert wrong.status_code == 401
    api_token_revoke(token=token)
    revoked = client.get("/api/v1/students", **bearer(plaintext))
    assert revoked.status_code == 401
    assert revoked.json()["detail"].startswith("Geef een geldig API-token mee")
    # Every refused call is in the audit log.
    assert (
        AuditEvent.objects.filter(
            action=AuditEvent.Action.LOGIN, outcome=AuditEvent.Outcome.DENIED
        ).count()
        == 3
    )


def test_token_without_the_scope_gets_403(client, two_schools, make_token, bearer):
    _, plaintext = make_token(two_schools["school_a"], Role.SCHOOL_COORDINATOR, ["signals:read"])
    response = client.get("/api/v1/students", **bearer(plaintext))
    assert response.status_code == 403
    assert response.json()["detail"] == (
        "Dit token heeft de scope 'students:read' niet voor deze resource."
    )


def test_rate_limit_answers_429_with_retry_after(client, two_schools, make_token, bearer):
    _, plaintext = make_token(
        two_schools["school_a"], Role.SCHOOL_COORDINATOR, ["students:read"], rate_limit_per_minute=3
    )
    with freeze_time(dt.datetime(2026, 11, 23, 9, 30, 15, tzinfo=dt.UTC)):
        statuses = [
            client.get("/api/v1/students", **bearer(plaintext)).status_code for _ in range(4)
        ]
        limited = client.get("/api/v1/students", **bearer(plaintext))
    assert statuses == [200, 200, 200, 429]
    assert limited.status_code == 429
    assert limited["Retry-After"] == "45"
    assert limited["Content-Type"] == "application/problem+json"
    assert limited.json()["detail"] == (
        "Dit token mag 3 verzoeken per minuut doen; probeer het over 45 seconden opnieuw."
    )
    # A new minute is a new window.
    with freeze_time(dt.datetime(2026, 11, 23, 9, 31, 1, tzinfo=dt.UTC)):
        again = client.get("/api/v1/students", **bearer(plaintext))
    assert again.status_code == 200
    assert again["RateLimit-Limit"] == "3"
    assert again["RateLimit-Remaining"] == "2"


def test_rate_limit_is_per_token(client, two_schools, make_token, bearer):
    school = two_schools["school_a"]
    _, first = make_token(
        school, Role.SCHOOL_COORDINATOR, ["students:read"], rate_limit_per_minute=1
    )
    _, second = make_token(
        school, Role.SCHOOL_COORDINATOR, ["students:read"], rate_limit_per_minute=1
    )
    with freeze_time(dt.datetime(2026, 11, 23, 9, 30, 0, tzinfo=dt.UTC)):
        assert client.get("/api/v1/students", **bearer(first)).status_code == 200
        assert client.get("/api/v1/students", **bearer(first)).status_code == 429
        assert client.get("/api/v1/students", **bearer(second)).status_code == 200


def test_invalid_parameters_give_400_problem_naming_the_parameter(client, school_a_token, bearer):
    _, plaintext = school_a_token
    response = client.get("/api/v1/students?page=0&bsn=12", **bearer(plaintext))
    assert response.status_code == 400
    problem = response.json()
    assert problem["title"] == "Ongeldig verzoek"
    assert {p["name"] for p in problem["invalid_params"]} == {"page", "bsn"}
    assert "Traceback" not in response.content.decode()


def test_unknown_api_path_is_a_problem_not_an_html_page(client):
    response = client.get("/api/v1/leerlingen")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"


def test_pagination_links_and_version_header(client, two_schools, make_token, bearer):
    from leerrecht.api.tests.conftest import ApiStudentFactory
    from leerrecht.registry.tests.factories import EnrolmentFactory

    school = two_schools["school_a"]
    for _ in range(4):
        EnrolmentFactory(school=school, student=ApiStudentFactory())
    _, plaintext = make_token(school, Role.SCHOOL_COORDINATOR, ["students:read"])
    response = client.get("/api/v1/students?page=2&pageSize=2", **bearer(plaintext))
    body = response.json()
    assert response["API-Version"] == "1.1.0"
    assert body["count"] == 5
    assert len(body["results"]) == 2
    assert body["links"] == {
        "self": "/api/v1/students?page=2&pageSize=2",
        "next": "/api/v1/students?page=3&pageSize=2",
        "previous": "/api/v1/students?page=1&pageSize=2",
    }


def test_every_authenticated_call_writes_one_audit_entry(client, school_a_token, bearer):
    _, plaintext = school_a_token
    client.get("/api/v1/students", **bearer(plaintext))
    client.get("/api/v1/students?page=0", **bearer(plaintext))
    events = list(AuditEvent.objects.order_by("id"))
    assert [(e.action, e.outcome) for e in events] == [
        (AuditEvent.Action.SEARCH, AuditEvent.Outcome.OK),
        # the declared action of the operation, refused as invalid input
        (AuditEvent.Action.SEARCH, AuditEvent.Outcome.ERROR),
    ]
