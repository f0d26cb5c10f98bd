"""The legal DUO verzuimmelding: every annex field, pre-filled from a 16-hour signal, the
5-school-day deadline and 7-day vervolgmelding rule, the versioned export and the
idempotent import of the gemeente's answer."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest
from django.urls import reverse
from freezegun import freeze_time

from leerrecht.attendance.services import attendance_import_create
from leerrecht.cases.duo import EXPORT_FIELDS, duo_report_deadline
from leerrecht.cases.models import Melding
from leerrecht.cases.services import CaseError, melding_create_duo
from leerrecht.registry.models import Enrolment

pytestmark = pytest.mark.django_db

# 20 school days, Monday 26 October .. Friday 20 November 2026: whole days (6 h) unauthorised
# on 16, 17 and 18 November -> 18 h > 16 on 18 November (seed 001, 1.2).
DAYS = [dt.date(2026, 10, 26) + dt.timedelta(d) for d in range(26)]
DAYS = [d for d in DAYS if d.weekday() < 5]


def _signal_of(student, tmp_path):
    rows = ["student_id,date,scheduled_hours,unauthorised_hours,sick_hours,authorised_hours"]
    for d in DAYS:
        absent = 6 if dt.date(2026, 11, 16) <= d <= dt.date(2026, 11, 18) else 0
        rows.append(f"{student.source_id},{d},6,{absent},0,0")
    path = tmp_path / "verzuim.csv"
    path.write_text("\n".join(rows) + "\n", "utf-8")
    attendance_import_create(user=None, file=path, original_name="v.csv", run_inline=True)
    from leerrecht.attendance.models import SignalHit

    return SignalHit.objects.get(student=student, signal="unauthorised_16h_4w")


@freeze_time("2026-11-23 10:00")
def test_form_from_a_16_hour_signal_is_prefilled_and_saves_every_annex_field(
    student, coordinator, login, tmp_path
):
    Enrolment.objects.filter(student=student).update(start=dt.date(2020, 8, 1))
    hit = _signal_of(student, tmp_path)
    assert hit.first_date == dt.date(2026, 11, 18)
    client = login(coordinator)
    page = client.get(reverse("cases:melding_duo_new"), {"hit": hit.pk})
    form = page.context["form"]
    assert form.initial["period_start"] == dt.date(2026, 11, 16)
    assert (form.initial["hours"], form.initial["absence_days"]) == (18.0, 3)
    assert form.initial["all_lessons_missed"] is True
    assert form.initial["reporter_name"] == coordinator.get_full_name()
    assert page.context["deadline"] == dt.date(2026, 11, 25)  # 5 school days after the 18th
    assert "25-11-2026" in page.content.decode()
    data = {
        "student": student.pk,
        "duo_kind": "16_uur",
        "reported_on": "2026-11-23",
        "period_start": "2026-11-16",
        "hours": "18",
        "absence_days": "3",
        "all_lessons_missed": "true",
        "absence_continues": "on",
        "suspected_reason": "Spijbelen met vrienden",
        "school_action": "Gesprek met ouders op 19 november",
        "municipality_action_wanted": "true",
        "municipality_action_note": "Graag een gesprek met de leerplichtambtenaar",
        "lesson_location": "Hoofdgebouw",
        "reporter_name": "Ingrid de Vries",
        "reporter_function": "Zorgcoördinator",
        "reporter_phone": "070-1234567",
        "reporter_email": "ingrid@parel.example",
        "contact_phone": "06-12345678",
        "signal_first_date": "2026-11-18",
        "signal_hit_id": str(hit.pk),
        "signal_id": hit.signal,
    }
    response = client.post(reverse("cases:melding_duo_new"), data)
    melding = Melding.objects.get(kind="duo")
    assert response.url == reverse("cases:melding_detail", args=[melding.pk])
    assert melding.report_deadline == dt.date(2026, 11, 25)
    assert (melding.absence_days, melding.all_lessons_missed) == (3, True)
    assert melding.municipality_action_wanted and melding.reporter_phone == "070-1234567"

    exported = client.get(reverse("cases:duo_export"), {"melding": melding.pk})
    record = json.loads(exported.content)["meldingen"][0]
    assert list(record) == [key for key, _legal in EXPORT_FIELDS]
    assert record["bsn"] == student.bsn and record["verzuimuren"] == 18.0
    assert record["alle_lessen_gemist"] == "ja" and record["soort_verzuim"] == "16 uur in 4 weken"


@freeze_time("2026-12-14 10:00")
def test_late_report_needs_an_explanation_and_a_vervolgmelding_waits_7_days(
    student, coordinator, login
):
    client = login(coordinator)
    late = {
        "student": student.pk,
        "duo_kind": "16_uur",
        "reported_on": "2026-12-10",
        "period_start": "2026-11-16",
        "signal_first_date": "2026-11-18",
    }
    page = client.post(reverse("cases:melding_duo_new"), late)
    assert page.status_code == 200 and not Melding.objects.exists()
    assert "meldtermijn van 5 schooldagen is verstreken (uiterlijk 25-11-2026)" in (
        page.content.decode()
    )
    melding_create_duo(
        user=coordinator,
        student=student,
        duo_kind="16_uur",
        reported_on=dt.date(2026, 12, 7),
        period_start=dt.date(2026, 12, 1),
    )
    with pytest.raises(CaseError, match="vanaf 14-12-2026"):
        melding_create_duo(
            user=coordinator,
            student=student,
            duo_kind="16_uur",
            reported_on=dt.date(2026, 12, 10),
            period_start=dt.date(2026, 12, 8),
        )
    follow_up = melding_create_duo(
        user=coordinator,
        student=student,
        duo_kind="16_uur",
        reported_on=dt.date(2026, 12, 14),
        period_start=dt.date(2026, 12, 8),
    )
    assert follow_up.previous_melding.reported_on == dt.date(2026, 12, 7)
    assert duo_report_deadline(dt.date(2026, 12, 11)) == dt.date(2026, 12, 18)


def test_batch_csv_export_and_idempotent_status_feedback(duo_melding, coordinator, login):
    client = login(coordinator)
    exported = client.get(reverse("cases:duo_export"), {"formaat": "csv"})
    rows = list(csv.DictReader(io.StringIO(exported.content.decode()), delimiter=";"))
    assert [r["kenmerk"] for r in rows] == [f"LR-{duo_melding.pk}"]
    assert rows[0]["versie_layout"] == "1.0" and rows[0]["status"] == "Geregistreerd"
    assert Melding.objects.get().exported_at is not None

    answer = (
        "kenmerk;status;reden;toelichting;contact\n"
        f"LR-{duo_melding.pk};Afgesloten;Leerling gaat weer naar school;"
        "Na gesprek weer op school;J. Bakker (leerplicht)\n"
    )
    url = reverse("cases:duo_feedback")
    from django.core.files.uploadedfile import SimpleUploadedFile

    def send(text):
        return client.post(url, {"file": SimpleUploadedFile("antwoord.csv", text.encode())})

    send(answer)
    melding = Melding.objects.get()
    assert (melding.duo_status, melding.closing_reason) == (
        "afgesloten",
        "Leerling gaat weer naar school",
    )
    assert melding.municipality_contact == "J. Bakker (leerplicht)"
    version = melding.version
    again = send(answer)
    assert again.status_code == 302 and Melding.objects.get().version == version
    bad = send("kenmerk;status\nLR-999999;Afgesloten\n")
    assert bad.status_code == 400
    assert "antwoord.csv, regel 2, kolom kenmerk" in bad.content.decode()
