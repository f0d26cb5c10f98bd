"""The four-definition list from registry data: case workers see children (audited),
policy users only suppressed aggregates."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from freezegun import freeze_time
from pypdf import PdfReader

from leerrecht.accounts.tests.factories import UserFactory
from leerrecht.monitoring import selectors
from leerrecht.monitoring.figures.definitions import (
    BREED_CASUS1,
    BREED_CASUS2,
    INSPECTIE,
    ONDERZOEK,
)
from leerrecht.privacy.models import AuditEvent
from leerrecht.registry.tests.factories import (
    EnrolmentFactory,
    ExemptionFactory,
    MunicipalityFactory,
    OrganisationFactory,
    ResidentRegisterEntryFactory,
    StudentFactory,
    SuspensionFactory,
    valid_bsn,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today():
    with freeze_time("2026-11-23"):
        yield


ON = dt.date(2026, 11, 23)


@pytest.fixture
def region():
    town = MunicipalityFactory(den_haag=True)
    school = OrganisationFactory(school=True, school_type="vo", municipality=town)
    # a) left school in the summer, not enrolled anywhere: absoluut verzuim.
    left = StudentFactory(
        bsn=valid_bsn(7000), residence_municipality=town, given_names="Daan", surname="Absent"
    )
    EnrolmentFactory(
        student=left, school=school, start=dt.date(2024, 8, 19), end=dt.date(2026, 7, 17)
    )
    # b) exempt under art. 5a, not enrolled.
    exempt = StudentFactory(
        bsn=valid_bsn(7100), residence_municipality=town, given_names="Noor", surname="Vrij"
    )
    ExemptionFactory(student=exempt, start=dt.date(2026, 9, 1), end=dt.date(2027, 7, 31))
    # c) vo pupil suspended pending removal.
    suspended = StudentFactory(
        bsn=valid_bsn(7200), residence_municipality=town, vo_age=True, surname="Geschorst"
    )
    EnrolmentFactory(student=suspended, school=school, start=dt.date(2024, 8, 19))
    SuspensionFactory(student=suspended, school=school, start=dt.date(2026, 11, 2))
    # d) an ordinary pupil.
    EnrolmentFactory(
        student=StudentFactory(bsn=valid_bsn(7300), residence_municipality=town, surname="Gewoon"),
        school=school,
        start=dt.date(2024, 8, 19),
    )
    # e) in the population register only, never enrolled here.
    ResidentRegisterEntryFactory(
        municipality=town,
        given_names="Lina",
        surname="Bouzid",
        date_of_birth=dt.date(2013, 1, 9),
        settled_on=dt.date(2026, 2, 1),
    )
    leerplicht = OrganisationFactory(leerplicht=True, served_municipalities=[town])
    return {"town": town, "school": school, "leerplicht": leerplicht}


def test_counts_per_definition_for_the_municipality(region):
    scope = selectors.Scope("gemeente", region["town"].pk, region["town"].name)
    stock = selectors.thuiszitter_stock(user=None, on=ON, scope=scope)
    assert stock.comparison.counts == {INSPECTIE: 2, ONDERZOEK: 2, BREED_CASUS1: 4, BREED_CASUS2: 3}
    met = {r.name: set(r.met) for r in stock.rows}
    assert met["Lina Bouzid"] == {INSPECTIE, ONDERZOEK, BREED_CASUS1, BREED_CASUS2}
    assert met["Noor Vrij"] == {BREED_CASUS1, BREED_CASUS2}
    assert "Gewoon" not in " ".join(met)


def test_leerplicht_officer_sees_children_and_the_read_is_audited(region, login):
    officer = UserFactory(leerplicht=True, organisation=region["leerplicht"])
    client = login(officer)
    response = client.get(
        reverse("monitoring:thuiszitters"),
        {"scope": f"gemeente:{region['town'].pk}", "date": "2026-11-23"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Daan Absent" in html and "Noor Vrij" in html
    events = AuditEvent.objects.filter(user=officer, processing_activity="monitoring")
    assert events.count() == 1


def test_policy_user_gets_suppressed_aggregates_without_names(region, login):
    client = login(UserFactory(policy=True))
    url = reverse("monitoring:thuiszitters")
    response = client.get(url, {"scope": f"gemeente:{region['town'].pk}"})
    html = response.content.decode()
    assert "Daan Absent" not in html and "Lina" not in html
    assert "&lt;5" in html
    pdf = client.get(url, {"scope": f"gemeente:{region['town'].pk}", "format": "pdf"})
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "<5" in text and "Daan" not in text
    # Each request leaves its one entry (docs/adr/0103), naming no child.
    events = AuditEvent.objects.filter(processing_activity="monitoring")
    assert events.count() == 2
    assert all(e.subject_student_id is None and not e.shown_student_ids for e in events)


def test_unknown_scope_is_404(login):
    client = login(UserFactory(policy=True))
    assert (
        client.get(reverse("monitoring:thuiszitters"), {"scope": "gemeente:999"}).status_code == 404
    )


def test_policy_dashboard_is_reachable(region, login):
    response = login(UserFactory(policy=True)).get(reverse("monitoring:dashboard"))
    assert response.status_code == 200
    assert 'role="img"' in response.content.decode()
