"""Long worklists come in pages (LEERRECHT_PAGE_SIZE, ADR 0133); the page links keep the filters, and on a
phone each row is a card with its column names (data-label)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from freezegun import freeze_time

from leerrecht.cases.services import case_open
from leerrecht.registry.tests.factories import EnrolmentFactory, StudentFactory

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 23)
PAGE_SIZE = 4  # small pages, few cases to make


@pytest.fixture
def caseload(settings, lpa, leerplicht_org, den_haag, school):
    """PAGE_SIZE + 3 overdue cases, one per pupil."""
    settings.LEERRECHT_PAGE_SIZE = PAGE_SIZE
    for i in range(PAGE_SIZE + 3):
        pupil = StudentFactory(residence_municipality=den_haag, surname=f"Leerling{i:02d}")
        EnrolmentFactory(student=pupil, school=school)
        case_open(
            user=lpa,
            student=pupil,
            anchor_date=dt.date(2026, 8, 24),
            regiehouder=leerplicht_org,
            casusverantwoordelijke=lpa,
            opened_on=TODAY,
        )
    return PAGE_SIZE + 3


@freeze_time("2026-11-23 09:00")
def test_worklist_pages_keep_the_filters(login, lpa, school, caseload):
    client = login(lpa)
    url = reverse("cases:worklist")
    first = client.get(url, {"school": school.pk, "te_laat": "1"})
    html = first.content.decode()
    assert len(first.context["page"].object_list) == PAGE_SIZE
    assert first.context["page"].paginator.count == caseload
    assert f"?school={school.pk}&amp;te_laat=1&amp;pagina=2" in html
    assert 'aria-current="page">1<' in html
    assert 'data-label="Fase"' in html  # the card's column names on a phone

    second = client.get(url, {"school": school.pk, "te_laat": "1", "pagina": "2"})
    assert len(second.context["page"].object_list) == 3
    names = {r.student.surname for r in first.context["page"].object_list}
    assert names.isdisjoint(r.student.surname for r in second.context["page"].object_list)
    assert f"?school={school.pk}&amp;te_laat=1&amp;pagina=1" in second.content.decode()


@freeze_time("2026-11-23 09:00")
def test_case_list_pages_instead_of_cutting_off(login, lpa, caseload):
    client = login(lpa)
    url = reverse("cases:case_list")
    assert len(client.get(url).context["items"]) == PAGE_SIZE
    last = client.get(url, {"pagina": "2"})
    assert len(last.context["items"]) == 3
    # A page number out of range shows the last page, never an error.
    assert client.get(url, {"pagina": "99"}).context["page"].number == 2
