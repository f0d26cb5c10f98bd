"""Uploading attendance on the web: signals stored, re-upload unchanged, errors per line."""

from __future__ import annotations

import duckdb
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from leerrecht.accounts.tests.factories import UserFactory
from leerrecht.attendance.models import AttendanceImport, AttendanceSummary, SignalHit
from leerrecht.attendance.tests.helpers import (
    HEADER,
    SEVENTEEN_HOURS,
    SEVENTEEN_HOURS_FIRST_DATE,
    student_rows,
)
from leerrecht.privacy.models import AuditEvent
from leerrecht.registry.tests.factories import EnrolmentFactory, StudentFactory

pytestmark = pytest.mark.django_db


def _upload(client, content: str, name: str = "verzuim.csv"):
    return client.post(
        reverse("attendance:upload"),
        {"file": SimpleUploadedFile(name, content.encode(), content_type="text/csv")},
        follow=True,
    )


def test_uploading_a_valid_file_stores_signals_and_shows_the_result(login, coordinator, enrolled):
    truant = enrolled("S-1")
    client = login(coordinator)

    response = _upload(client, HEADER + "".join(student_rows("S-1", unauthorised=SEVENTEEN_HOURS)))

    assert response.status_code == 200
    assert SignalHit.objects.filter(
        student=truant, signal="unauthorised_16h_4w", first_date=SEVENTEEN_HOURS_FIRST_DATE
    ).exists()
    imp = AttendanceImport.objects.get()
    assert imp.status == "done" and imp.uploaded_by == coordinator
    assert imp.organisation == coordinator.organisation
    body = response.content.decode()
    assert "Nieuwe signalen opgeslagen" in body
    assert response.redirect_chain[-1][0] == reverse("attendance:import_detail", args=[imp.pk])


def test_uploading_the_same_file_again_changes_nothing_and_says_so(login, coordinator, enrolled):
    enrolled("S-1")
    client = login(coordinator)
    content = HEADER + "".join(student_rows("S-1", unauthorised=SEVENTEEN_HOURS))
    _upload(client, content)
    before = (
        list(
            SignalHit.objects.values_list("pk", "student_id", "signal", "first_date", "created_at")
        ),
        list(AttendanceSummary.objects.values_list("pk", "updated_at")),
        list(AttendanceImport.objects.values_list("pk", "status", "result")),
    )

    response = _upload(client, content, name="zelfde-bestand-andere-naam.csv")

    after = (
        list(
            SignalHit.objects.values_list("pk", "student_id", "signal", "first_date", "created_at")
        ),
        list(AttendanceSummary.objects.values_list("pk", "updated_at")),
        list(AttendanceImport.objects.values_list("pk", "status", "result")),
    )
    assert after == before
    assert "al eerder ingelezen" in response.content.decode()
    assert not [p for p in _attendance_files() if p.startswith("staging/")]  # no stray copies


def _attendance_files() -> list[str]:
    from django.conf import settings

    root = settings.DATA_DIR / "attendance"
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def test_an_invalid_file_lists_line_and_column_and_stores_nothing(login, coordinator, enrolled):
    enrolled("S-1")
    client = login(coordinator)
    rows = student_rows("S-1", unauthorised=SEVENTEEN_HOURS)
    rows[2] = "S-1,2026-10-28,6,zes,0,0\n"  # line 4 of the file (header = line 1)
    rows[5] = "S-1,2026-11-02,6,3,4,0\n"  # line 7: 7 absent hours of 6 scheduled

    response = _upload(client, HEADER + "".join(rows), name="fout.csv")

    assert response.status_code == 400
    body = response.content.decode()
    assert "fout.csv" in body
    assert "regel 4" in body and "unauthorised_hours" in body and "geen getal: zes" in body
    assert "regel 7" in body and "scheduled_hours" in body
    assert "Er is niets opgeslagen" in body
    assert not AttendanceImport.objects.exists()
    assert not SignalHit.objects.exists()
    assert not AttendanceSummary.objects.exists()
    assert not [p for p in _attendance_files() if p.endswith((".csv", ".parquet"))]
    assert (
        AuditEvent.objects.filter(user=coordinator, outcome="error", action="import").count() == 1
    )


def test_a_missing_column_is_reported_on_the_header_line(login, coordinator):
    client = login(coordinator)

    response = _upload(client, "leerlingnummer,datum,lesuren\nS-1,2026-11-02,6\n")

    body = response.content.decode()
    assert response.status_code == 400
    assert "regel 1" in body and "verplichte kolom ontbreekt" in body
    assert not AttendanceImport.objects.exists()


def test_unknown_students_are_reported_and_the_rest_is_imported(login, coordinator, enrolled):
    known = enrolled("S-1")
    client = login(coordinator)
    content = HEADER + "".join(
        student_rows("S-1", unauthorised=SEVENTEEN_HOURS)
        + student_rows("ONBEKEND-1", unauthorised=SEVENTEEN_HOURS)
        + student_rows("ONBEKEND-2")
    )

    response = _upload(client, content)

    imp = AttendanceImport.objects.get()
    assert imp.status == "done"
    assert imp.result["unknown_students"] == 2
    assert imp.result["unknown_sample"] == ["ONBEKEND-1", "ONBEKEND-2"]
    assert list(SignalHit.objects.values_list("student_id", flat=True)) == [known.pk]
    body = response.content.decode()
    assert "ONBEKEND-1, ONBEKEND-2" in body


def test_a_school_only_stores_signals_of_its_own_students(login, coordinator, enrolled):
    enrolled("S-1")
    elsewhere = StudentFactory(source_id="ELDERS-1", without_bsn=True)
    EnrolmentFactory(student=elsewhere)  # another school
    client = login(coordinator)
    content = HEADER + "".join(
        student_rows("S-1", unauthorised=SEVENTEEN_HOURS)
        + student_rows("ELDERS-1", unauthorised=SEVENTEEN_HOURS)
    )

    _upload(client, content)

    imp = AttendanceImport.objects.get()
    assert imp.result["out_of_scope_students"] == 1
    assert not SignalHit.objects.filter(student=elsewhere).exists()
    assert not AttendanceSummary.objects.filter(student=elsewhere).exists()
    # the stored canonical file keeps only the school's own students
    ids = duckdb.sql(
        f"SELECT DISTINCT student_id FROM read_parquet('{imp.parquet_file}')"
    ).fetchall()
    assert ids == [("S-1",)]


def test_policy_users_may_not_upload(login):
    policy = UserFactory(policy=True)

    response = login(policy).get(reverse("attendance:upload"))

    assert response.status_code == 403


def test_import_of_another_organisation_is_not_found(login, coordinator, enrolled):
    enrolled("S-1")
    _upload(login(coordinator), HEADER + "".join(student_rows("S-1")))
    imp = AttendanceImport.objects.get()
    outsider = UserFactory(school_coordinator=True)

    response = login(outsider).get(reverse("attendance:import_detail", args=[imp.pk]))

    assert response.status_code == 404


def test_signals_are_computed_in_the_background_with_visible_progress(
    login, coordinator, enrolled, settings
):
    from leerrecht.jobs.services import jobs_work

    settings.LEERRECHT_JOBS_EAGER = False
    enrolled("S-1")
    client = login(coordinator)

    response = _upload(client, HEADER + "".join(student_rows("S-1", unauthorised=SEVENTEEN_HOURS)))

    imp = AttendanceImport.objects.get()
    assert imp.status == "queued" and imp.job is not None
    body = response.content.decode()
    assert reverse("jobs:job_status", args=[imp.job.pk]) in body  # htmx polls the job
    assert not SignalHit.objects.exists()

    assert jobs_work(once=True) == 1

    imp.refresh_from_db()
    assert imp.status == "done"
    assert SignalHit.objects.count() == 1
    status = client.get(reverse("jobs:job_status", args=[imp.job.pk]), HTTP_HX_REQUEST="true")
    assert status["HX-Redirect"] == reverse("attendance:import_detail", args=[imp.pk])
    colleague = UserFactory(school_coordinator=True, organisation=coordinator.organisation)
    page = login(colleague).get(reverse("attendance:import_detail", args=[imp.pk]))
    assert "Nieuwe signalen opgeslagen" in page.content.decode()
