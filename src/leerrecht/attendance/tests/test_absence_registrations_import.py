"""Absence registrations (Magister, SOMtoday, EduArte samples of docs/samples/) imported from
the web, the CLI and the API give the signals of the same data given as daily rows."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from typer.testing import CliRunner

from leerrecht.api.services import api_token_create
from leerrecht.attendance.absences import absence_codes_replace
from leerrecht.attendance.models import (
    AbsenceCode,
    AttendanceImport,
    AttendanceSummary,
    SignalHit,
)
from leerrecht.attendance.services import attendance_import_create
from leerrecht.cli.main import app

pytestmark = pytest.mark.django_db

SAMPLES = Path(__file__).resolve().parents[4] / "docs" / "samples"
LAYOUTS = ["absences-magister.csv", "absences-somtoday.json", "absences-eduarte.csv"]
CODES = SAMPLES / "absence-codes.csv"
TIMETABLE = SAMPLES / "timetable-vo.toml"
CALENDAR = SAMPLES / "school-calendar.csv"


def stored_signals() -> list[tuple]:
    return sorted(SignalHit.objects.values_list("student__source_id", "signal", "first_date"))


def signals_of_the_daily_rows() -> list[tuple]:
    """Forget what was imported, then import docs/samples/absences-as-daily-rows.csv."""
    SignalHit.objects.all().delete()
    AttendanceSummary.objects.all().delete()
    AttendanceImport.objects.all().delete()
    attendance_import_create(
        user=None,
        file=SAMPLES / "absences-as-daily-rows.csv",
        original_name="daily.csv",
        run_inline=True,
    )
    return stored_signals()


def upload(name: str, path: Path) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, path.read_bytes())


@pytest.fixture
def school_with_codes(school, enrolled):
    enrolled("L0000501")
    enrolled("L0000502")
    absence_codes_replace(organisation=school, file=CODES, name=CODES.name)
    return school


@pytest.mark.parametrize("sample", LAYOUTS)
def test_web_upload_of_each_layout_gives_the_signals_of_the_daily_rows(
    sample, login, coordinator, school_with_codes
):
    client = login(coordinator)
    response = client.post(
        reverse("attendance:absence_upload"),
        {
            "file": upload(sample, SAMPLES / sample),
            "timetable": upload("rooster.toml", TIMETABLE),
            "calendar": upload("kalender.csv", CALENDAR),
        },
        follow=True,
    )
    body = response.content.decode()
    assert response.status_code == 200, body[body.find("<main") :][:3000]
    assert "registraties van 2 leerlingen omgezet" in response.content.decode()
    from_events = stored_signals()
    assert ("L0000501", "unauthorised_16h_4w") in {s[:2] for s in from_events}
    assert from_events == signals_of_the_daily_rows()


@pytest.mark.parametrize("sample", LAYOUTS)
def test_cli_import_of_each_layout_gives_the_signals_of_the_daily_rows(
    sample, coordinator, school_with_codes
):
    result = CliRunner().invoke(
        app,
        [
            "import-absences",
            str(SAMPLES / sample),
            "--codes",
            str(CODES),
            "--timetable",
            str(TIMETABLE),
            "--calendar",
            str(CALENDAR),
            "--as-user",
            coordinator.username,
        ],
    )
    assert result.exit_code == 0, result.output
    assert "Signalen nieuw opgeslagen" in result.output
    from_events = stored_signals()
    assert from_events and from_events == signals_of_the_daily_rows()


@pytest.mark.parametrize("sample", LAYOUTS)
def test_api_import_of_each_layout_gives_the_signals_of_the_daily_rows(
    sample, client, school_with_codes
):
    _token, plaintext = api_token_create(
        organisation=school_with_codes,
        name="LAS",
        role="school_coordinator",
        scopes=["attendance:write"],
    )
    response = client.post(
        "/api/v1/absence-imports",
        {
            "file": upload(sample, SAMPLES / sample),
            "timetable": upload("rooster.toml", TIMETABLE),
            "calendar": upload("kalender.csv", CALENDAR),
        },
        headers={"Authorization": f"Bearer {plaintext}"},
    )
    assert response.status_code == 202, response.content
    assert response.json()["row_count"] == 20
    from_events = stored_signals()
    assert from_events and from_events == signals_of_the_daily_rows()


def test_unknown_codes_stop_the_web_import_and_are_listed(login, coordinator, school_with_codes):
    AbsenceCode.objects.filter(code__in=["T", "L"]).delete()
    client = login(coordinator)
    response = client.post(
        reverse("attendance:absence_upload"),
        {"file": upload("m.csv", SAMPLES / "absences-magister.csv")},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "onbekende verzuimcode(s), niet in de codetabel: L, T" in body
    assert not AttendanceImport.objects.exists() and not SignalHit.objects.exists()


def test_coordinator_edits_the_code_table_and_previews_a_file(login, coordinator, school):
    client = login(coordinator)
    url = reverse("attendance:absence_codes")
    form = {
        "action": "save",
        "codes-TOTAL_FORMS": "3",
        "codes-INITIAL_FORMS": "0",
        "codes-MIN_NUM_FORMS": "0",
        "codes-MAX_NUM_FORMS": "1000",
        "codes-0-code": "a",
        "codes-0-description": "Afwezig",
        "codes-0-category": "ongeoorloofd",
        "codes-1-code": "Z",
        "codes-1-description": "Ziek",
        "codes-1-category": "ziek",
    }
    assert client.post(url, form).status_code == 302
    assert sorted(AbsenceCode.objects.values_list("code", "category")) == [
        ("A", "ongeoorloofd"),
        ("Z", "ziek"),
    ]
    response = client.post(
        url,
        {"action": "preview", "registrations": upload("e.csv", SAMPLES / "absences-eduarte.csv")},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "6 registraties van 2 leerlingen" in body
    assert "Nog niet in de codetabel: L, T" in body
    assert not AttendanceImport.objects.exists()
