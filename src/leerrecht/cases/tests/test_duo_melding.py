"""Door (c): statutory unauthorised-absence report with DUO's verzuimsoort and statuses."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from leerrecht.cases.models import DuoAbsenceKind, DuoStatus, Melding
from leerrecht.cases.services import CaseError, melding_create_duo, melding_duo_update
from leerrecht.registry.tests.factories import ExemptionFactory

pytestmark = pytest.mark.django_db


def test_duo_vocabulary_is_complete():
    assert set(DuoAbsenceKind.labels) == {
        "16 uur in 4 weken",
        "langdurig relatief verzuim",
        "luxeverzuim",
        "RMC / 18+",
        "overig verzuim",
    }
    assert set(DuoStatus.labels) == {
        "Geregistreerd",
        "In behandeling",
        "Afgesloten",
        "Ingetrokken",
        "Ter kennisgeving aangenomen",
    }


def test_report_through_the_form_is_registered_and_unauthorised(student, coordinator, login):
    response = login(coordinator).post(
        reverse("cases:melding_duo_new"),
        {
            "student": student.pk,
            "duo_kind": "luxe",
            "reported_on": "2026-11-23",
            "period_start": "2026-11-16",
            "period_end": "2026-11-20",
            "hours": "25",
            "absence_continues": "",
        },
    )
    melding = Melding.objects.get()
    assert response.status_code == 302
    assert (melding.duo_kind, melding.duo_status, melding.authorised_absence) == (
        "luxe",
        "geregistreerd",
        False,
    )
    assert melding.absence_continues is False


def test_report_overlapping_an_exemption_is_withdrawn(student, coordinator):
    ExemptionFactory(student=student, start=dt.date(2026, 9, 1), end=dt.date(2027, 7, 31))
    melding = melding_create_duo(
        user=coordinator,
        student=student,
        duo_kind="lrv",
        reported_on=dt.date(2026, 11, 23),
        period_start=dt.date(2026, 10, 1),
    )
    assert melding.duo_status == DuoStatus.WITHDRAWN
    assert not melding.absence_continues


def test_lrv_report_needs_an_end_date_to_be_closed(student, coordinator):
    melding = melding_create_duo(
        user=coordinator,
        student=student,
        duo_kind="lrv",
        reported_on=dt.date(2026, 11, 23),
        period_start=dt.date(2026, 10, 1),
    )
    with pytest.raises(CaseError, match="einddatum"):
        melding_duo_update(
            user=coordinator,
            melding_id=melding.pk,
            expected_version=1,
            duo_status="afgesloten",
            absence_continues=False,
        )
    melding = melding_duo_update(
        user=coordinator,
        melding_id=melding.pk,
        expected_version=1,
        duo_status="afgesloten",
        absence_continues=False,
        period_end=dt.date(2026, 11, 20),
    )
    assert melding.duo_status == "afgesloten" and melding.version == 2


def test_form_refuses_implausible_reports_with_a_dutch_message(student, coordinator, login):
    future = (dt.date.today() + dt.timedelta(days=400)).isoformat()
    response = login(coordinator).post(
        reverse("cases:melding_duo_new"),
        {
            "student": student.pk,
            "duo_kind": "16_uur",
            "reported_on": "2026-11-23",
            "period_start": future,
            "hours": "2",
            "note": "x" * 60_000,
        },
    )
    page = response.content.decode()
    assert response.status_code == 200 and not Melding.objects.exists()
    assert "Het verzuim kan niet in de toekomst beginnen." in page
    assert "meer dan 16" in page
    assert "4000" in page  # the length limit, in the field's message
