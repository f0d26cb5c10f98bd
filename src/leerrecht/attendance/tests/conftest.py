from __future__ import annotations

import pandas  # noqa: F401 - imported before freezegun freezes time: importing pandas
import pytest  # while time is frozen crashes the interpreter (pyarrow imports it lazily)
from freezegun import freeze_time

from leerrecht.accounts.tests.factories import UserFactory
from leerrecht.registry.tests.factories import EnrolmentFactory, OrganisationFactory, StudentFactory


@pytest.fixture
def school(db):
    return OrganisationFactory(school=True)


@pytest.fixture
def coordinator(school):
    return UserFactory(school_coordinator=True, organisation=school)


@pytest.fixture
def enrolled(school):
    """Make a student enrolled at `school` with the given source id."""

    def _make(source_id: str, **kwargs):
        # without_bsn: the registry factory's BSN sequence repeats numbers (valid_bsn(1) == valid_bsn(2))
        student = StudentFactory(source_id=source_id, without_bsn=True, **kwargs)
        EnrolmentFactory(student=student, school=school)
        return student

    return _make


@pytest.fixture(autouse=True)
def _today():
    """Today is Monday 23 November 2026 (the files end on Friday 20 November)."""
    with freeze_time("2026-11-23 10:00:00"):
        yield
