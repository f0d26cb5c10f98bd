"""Search finds children within the user's scope only, and every search is audited."""

from __future__ import annotations

import datetime as dt

import pytest

from leerrecht.accounts.tests.factories import UserFactory
from leerrecht.privacy.models import AuditEvent
from leerrecht.registry.tests.factories import EnrolmentFactory, OrganisationFactory, StudentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_schools():
    school_a = OrganisationFactory(school=True)
    school_b = OrganisationFactory(school=True)
    mine = StudentFactory(given_names="Sanne", surname="Jansen", date_of_birth=dt.date(2014, 5, 17))
    theirs = StudentFactory(
        given_names="Sanne", surname="Janssen", date_of_birth=dt.date(2014, 5, 17)
    )
    EnrolmentFactory(student=mine, school=school_a)
    EnrolmentFactory(student=theirs, school=school_b)
    return school_a, mine, theirs


def test_search_by_name_returns_only_students_of_own_school(login, two_schools):
    school_a, mine, theirs = two_schools
    client = login(UserFactory(organisation=school_a))

    response = client.get("/leerlingen/", {"q": "sanne"})

    assert response.status_code == 200
    assert mine.surname in response.text
    assert theirs.surname not in response.text


def test_search_by_dutch_birth_date_and_by_bsn(login, two_schools):
    school_a, mine, _ = two_schools
    client = login(UserFactory(organisation=school_a))

    assert mine.surname in client.get("/leerlingen/", {"q": "17-05-2014"}).text
    assert mine.surname in client.get("/leerlingen/", {"q": mine.bsn}).text
    dotted = f"{mine.bsn[:4]}.{mine.bsn[4:6]}.{mine.bsn[6:]}"  # as printed on a letter
    assert mine.surname in client.get("/leerlingen/", {"q": dotted}).text


def test_search_without_hits_shows_an_empty_state_and_is_audited(login, two_schools):
    school_a, _, _ = two_schools
    user = UserFactory(organisation=school_a)
    client = login(user)

    response = client.get("/leerlingen/", {"q": "Pietersen"})

    assert "Geen leerlingen gevonden" in response.text
    event = AuditEvent.objects.get(username=user.username)
    assert (event.action, event.processing_activity) == ("search", "zoeken")


def test_student_page_of_another_school_is_not_found(login, two_schools):
    school_a, mine, theirs = two_schools
    client = login(UserFactory(organisation=school_a))

    assert client.get(f"/leerlingen/{mine.pk}/").status_code == 200
    response = client.get(f"/leerlingen/{theirs.pk}/")
    assert response.status_code == 404
    assert theirs.surname not in response.text
