"""Authorised absence reaches leerplicht only with the parents' consent (seed 000,
casus 1 "toestemming ouders": "als ouders niet akkoord gaan, doet de leerrechtorganisatie
niets"). Without it leerplicht sees that a report exists, not its content."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from leerrecht.cases.models import Case, ConsentStatus
from leerrecht.cases.query import RedactedMelding, melding_get_for_user, meldingen_for_user
from leerrecht.cases.services import (
    ConsentRequiredError,
    case_open,
    consent_record,
    melding_create_sickness,
)

pytestmark = pytest.mark.django_db
SECRET = "Ouders zeggen: buikpijn op maandag"


@pytest.fixture
def sickness(student, coordinator):
    return melding_create_sickness(
        user=coordinator,
        student=student,
        reported_on=dt.date(2026, 11, 16),
        reasons=["1", "3"],
        q2_parents_reason=SECRET,
        discussed_with_parents=True,
    )


def _consent(melding, user, status):
    return consent_record(
        user=user,
        melding=melding,
        status=status,
        asked_on=dt.date(2026, 11, 16),
        purposes=["leerplicht", "mdo"],
        parent_name="M. Jansen",
    )


def test_refused_consent_leaves_leerplicht_only_the_existence_of_the_report(
    sickness, coordinator, lpa
):
    _consent(sickness, coordinator, ConsentStatus.REFUSED)
    seen = melding_get_for_user(lpa, sickness.pk)
    assert isinstance(seen, RedactedMelding)
    assert seen.reported_on == dt.date(2026, 11, 16)
    assert not hasattr(seen, "q2_parents_reason")
    assert meldingen_for_user(lpa).filter(pk=sickness.pk).exists()


def test_refused_consent_starts_nothing(sickness, coordinator, lpa, leerplicht_org, student):
    _consent(sickness, coordinator, ConsentStatus.REFUSED)
    with pytest.raises(ConsentRequiredError):
        case_open(
            user=lpa,
            student=student,
            melding=sickness,
            anchor_date=dt.date(2026, 10, 19),
            regiehouder=leerplicht_org,
            casusverantwoordelijke=lpa,
        )
    assert not Case.objects.exists()


def test_pending_consent_is_not_consent(sickness, coordinator, lpa):
    consent_record(
        user=coordinator,
        melding=sickness,
        status="pending",
        asked_on=dt.date(2026, 11, 16),
        purposes=["leerplicht"],
    )
    assert isinstance(melding_get_for_user(lpa, sickness.pk), RedactedMelding)


def test_consent_for_other_sharing_only_does_not_open_it_to_leerplicht(sickness, coordinator, lpa):
    consent_record(
        user=coordinator,
        melding=sickness,
        status="given",
        asked_on=dt.date(2026, 11, 16),
        purposes=["jgz"],
        parent_name="M. Jansen",
    )
    assert isinstance(melding_get_for_user(lpa, sickness.pk), RedactedMelding)


def test_given_consent_shares_the_content_and_allows_a_case(
    sickness, coordinator, lpa, leerplicht_org, student
):
    _consent(sickness, coordinator, ConsentStatus.GIVEN)
    seen = melding_get_for_user(lpa, sickness.pk)
    assert seen.q2_parents_reason == SECRET
    case, created = case_open(
        user=lpa,
        student=student,
        melding=sickness,
        anchor_date=dt.date(2026, 10, 19),
        regiehouder=leerplicht_org,
        casusverantwoordelijke=lpa,
    )
    assert created and case.authorised_absence


def test_the_school_that_reported_always_sees_its_own_report(sickness, coordinator):
    _consent(sickness, coordinator, ConsentStatus.REFUSED)
    assert melding_get_for_user(coordinator, sickness.pk).q2_parents_reason == SECRET


def test_leerplicht_page_shows_that_a_report_exists_but_not_what_it_says(
    sickness, coordinator, lpa, login
):
    _consent(sickness, coordinator, ConsentStatus.REFUSED)
    client = login(lpa)
    response = client.get(reverse("cases:melding_detail", args=[sickness.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "afgeschermd" in body
    assert SECRET not in body
    listing = client.get(reverse("cases:melding_list")).content.decode()
    assert "Sanne Jansen" in listing and SECRET not in listing


def test_leerplicht_cannot_record_or_open_on_a_redacted_report(
    sickness, coordinator, lpa, login, leerplicht_org
):
    _consent(sickness, coordinator, ConsentStatus.REFUSED)
    client = login(lpa)
    response = client.post(
        reverse("cases:case_open", args=[sickness.pk]),
        {
            "route": "with_enrolment",
            "anchor_date": "2026-10-19",
            "regiehouder": leerplicht_org.pk,
            "casusverantwoordelijke": lpa.pk,
        },
    )
    assert response.status_code == 403
    assert not Case.objects.exists()


def test_refused_consent_reason_is_recorded_with_parent_and_purpose(sickness, coordinator):
    consent = _consent(sickness, coordinator, ConsentStatus.REFUSED)
    assert consent.asked_by == coordinator
    assert consent.parent_name == "M. Jansen"
    assert consent.purposes == ["leerplicht", "mdo"]
    assert consent.decided_on == dt.date(2026, 11, 16)
