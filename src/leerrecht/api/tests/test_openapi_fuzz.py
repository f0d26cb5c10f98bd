"""Schemathesis fuzzes the API with its own OpenAPI document (issue 8, tests).

Every operation gets generated requests (valid and invalid) with a valid token of a school
against a small seeded database: no response may be a 5xx, and every response must match
the document (status code, content type, headers, body schema).
"""

from __future__ import annotations

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from leerrecht.api.contract import contract_world
from leerrecht.api.models import ApiToken


@pytest.fixture
def in_test_transaction(db):
    # Requests go through Django's WSGI handler inside the test's transaction, as the test
    # client does: keep the handler from closing the connection after each request.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def fuzz_token(in_test_transaction, settings):
    """The contract examples' world (schools, students, a melding, a case with deadlines, a
    signal, an import), with its school token's rate limit lifted for the fuzzing."""
    settings.LEERRECHT_PROTOCOL = "haaglanden-po"
    world = contract_world()
    ApiToken.objects.update(rate_limit_per_minute=1_000_000)
    return world["tokens"]["school"]


# The document is fetched from the running application, as a client would.
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", WSGIHandler())


@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_api_answers_every_generated_request_as_documented(case, fuzz_token):
    excluded = []
    if case.method == "POST":
        # Writes validate meaning beyond the document: whether a file is a valid attendance
        # file, or whether a melding's end date lies after its start, cannot be expressed in
        # OpenAPI; such schema-valid requests rightly get a 400 with the problems.
        excluded.append(positive_data_acceptance)
    # Replace the generated credential by a valid one, but leave a request that schemathesis
    # deliberately sent WITHOUT the Authorization header as it is: that negative case must
    # get its 401, not be turned into a valid request by the test.
    authorised = "Authorization" in (case.headers or {})
    headers = {"Authorization": f"Bearer {fuzz_token}"} if authorised else None
    case.call_and_validate(headers=headers, excluded_checks=excluded)
