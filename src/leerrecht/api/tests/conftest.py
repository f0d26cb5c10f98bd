"""Fixtures for API tests: tokens for the common organisations, a client that sends them."""

from __future__ import annotations

import factory
import pandas  # noqa: F401 - import before freezegun freezes time (pyarrow imports it lazily)
import pytest

from leerrecht.accounts.models import Role
from leerrecht.api.services import api_token_create
from leerrecht.registry.tests.factories import (
    EnrolmentFactory,
    OrganisationFactory,
    StudentFactory,
    valid_bsn,
)


class ApiStudentFactory(StudentFactory):
    """Students with BSNs far apart (neighbouring `valid_bsn(n)` values can coincide)."""

    bsn = factory.Sequence(lambda n: valid_bsn(n * 20 + 40_000))


@pytest.fixture
def make_token():
    """make_token(organisation, role, scopes) -> (ApiToken, plaintext)."""

    def _make(organisation, role, scopes, **kwargs):
        return api_token_create(
            organisation=organisation,
            name=kwargs.pop("name", "koppeling"),
            role=role,
            scopes=scopes,
            **kwargs,
        )

    return _make


@pytest.fixture
def bearer():
    def _headers(plaintext: str) -> dict:
        return {"HTTP_AUTHORIZATION": f"Bearer {plaintext}"}

    return _headers


@pytest.fixture
def two_schools(db):
    """Two schools with one enrolled student each."""
    school_a = OrganisationFactory(school=True)
    school_b = OrganisationFactory(school=True)
    student_a = EnrolmentFactory(
        school=school_a, student=ApiStudentFactory(source_id="A-001")
    ).student
    student_b = EnrolmentFactory(
        school=school_b, student=ApiStudentFactory(source_id="B-001")
    ).student
    return {
        "school_a": school_a,
        "school_b": school_b,
        "student_a": student_a,
        "student_b": student_b,
    }


@pytest.fixture
def school_a_token(two_schools, make_token):
    return make_token(two_schools["school_a"], Role.SCHOOL_COORDINATOR, ["students:read"])
