"""The region's own leerplichttelling (issue 13, "Consistent demo region"): counted from
Leerrecht's data for a school year and the year before it, never compared with the
national DUO figures of seed 003 Bijlage 6, which have their own reference page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from leerrecht.accounts.tests.factories import UserFactory
from leerrecht.monitoring.figures.periods import SchoolYear
from leerrecht.monitoring.reports import build_telling
from leerrecht.monitoring.services import bijlage6_import
from leerrecht.registry.tests.factories import (
    EnrolmentFactory,
    MunicipalityFactory,
    OrganisationFactory,
    StudentFactory,
)

pytestmark = pytest.mark.django_db
YEAR = SchoolYear(2025)  # 2025-26; the year before is 2024-25


@pytest.fixture
def region():
    """Two pupils of compulsory age in Den Haag who left school without a new one: the
    first in December 2024 (absoluut verzuim in 2024-25 and 2025-26), the second in
    October 2025 (only 2025-26)."""
    den_haag = MunicipalityFactory(den_haag=True)
    school = OrganisationFactory(school=True, municipality=den_haag)
    for left in (dt.date(2024, 12, 20), dt.date(2025, 10, 10)):
        pupil = StudentFactory(residence_municipality=den_haag, date_of_birth=dt.date(2014, 5, 1))
        EnrolmentFactory(student=pupil, school=school, start=dt.date(2020, 8, 20), end=left)


def _rows(built, title_start: str):
    (section,) = [s for s in built.report.sections if s.title.startswith(title_start)]
    return section.rows


def test_region_count_has_this_year_and_the_year_before_from_its_own_data(region):
    built = build_telling(user=None, year=YEAR, aggregate=False)
    rows = _rows(built, "Leerplichttelling van de regio")
    assert [(r[0], r[1]) for r in rows] == [("2024-25", 1), ("2025-26", 2)]
    assert rows[1][-1] == "100%"  # 1 -> 2 absoluut verzuim


def test_national_figures_stay_on_their_own_page(region, login):
    bijlage6_import()
    client = login(UserFactory(policy=True))
    own = client.get(reverse("monitoring:telling"), {"year": "2025-26"}).content.decode()
    dashboard = client.get(reverse("monitoring:dashboard")).content.decode()
    national = client.get(reverse("monitoring:telling_national")).content.decode()
    for page in (own, dashboard):
        assert "Kop van Noord-Holland" not in page and "2017-18" not in page
    assert "2024-25" in own and "2025-26" in own
    assert "Kop van Noord-Holland" in national and "Landelijke" in national
