"""Uploading attendance through the API: validated at once, signals in a background job,
the same file twice stores nothing new (natural key)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from freezegun import freeze_time

from leerrecht.accounts.models import Role
from leerrecht.attendance.models import AttendanceImport, SignalHit
from leerrecht.attendance.tests.helpers import (
    HEADER,
    SEVENTEEN_HOURS,
    SEVENTEEN_HOURS_FIRST_DATE,
    student_rows,
)
from leerrecht.privacy.models import AuditEvent

pytestmark = pytest.mark.django_db


def _csv(*blocks) -> bytes:
    return (HEADER + "".join(line for block in blocks for line in block)).encode()


@pytest.fixture(autouse=True)
def _today():
    with freeze_time("2026-11-23 10:00:00"):
        yield


@pytest.fixture
def writer(two_schools, make_token):
    return make_token(
        two_schools["school_a"],
        Role.SCHOOL_COORDINATOR,
        ["attendance:write", "signals:read"],
    )


def _upload(client, plaintext, content: bytes, name="verzuim.csv"):
    return client.post(
        "/api/v1/attendance-imports",
        {"file": SimpleUploadedFile(name, content, content_type="text/csv")},
        HTTP_AUTHORIZATION=f"Bearer {plaintext}",
    )


def test_upload_is_accepted_as_a_job_and_its_signals_are_readable(client, two_schools, writer):
    _, plaintext = writer
    content = _csv(student_rows("A-001", unauthorised=SEVENTEEN_HOURS))
    response = _upload(client, plaintext, content)
    assert response.status_code == 202
    body = response.json()
    # Tests run jobs eagerly, so the job has finished by now.
    assert body["status"] == "done"
    assert body["row_count"] == 20
    assert body["links"]["self"] == f"/api/v1/attendance-imports/{body['id']}"
    status = client.get(body["links"]["self"], HTTP_AUTHORIZATION=f"Bearer {plaintext}")
    assert status.status_code == 200
    assert status.json()["result"]["signals_new"] == 1

    signals = client.get("/api/v1/signals", HTTP_AUTHORIZATION=f"Bearer {plaintext}").json()
    assert [(s["student_source_id"], s["signal"], s["first_date"]) for s in signals["results"]] == [
        ("A-001", "unauthorised_16h_4w", SEVENTEEN_HOURS_FIRST_DATE.isoformat())
    ]


def test_the_same_file_again_returns_the_existing_import(client, two_schools, writer):
    _, plaintext = writer
    content = _csv(student_rows("A-001", unauthorised=SEVENTEEN_HOURS))
    first = _upload(client, plaintext, content)
    again = _upload(client, plaintext, content, name="opnieuw.csv")
    assert again.status_code == 200
    assert again.json()["id"] == first.json()["id"]
    assert AttendanceImport.objects.count() == 1
    assert SignalHit.objects.count() == 1


def test_invalid_file_is_refused_with_every_problem_and_nothing_stored(client, two_schools, writer):
    _, plaintext = writer
    content = (HEADER + "A-001,2026-11-02,6,8,0,0\nA-001,gisteren,6,0,0,0\n").encode()
    response = _upload(client, plaintext, content)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert problem["detail"] == "Het bestand bevat 2 fout(en); er is niets opgeslagen."
    assert [p["name"] for p in problem["invalid_params"]] == ["file", "file"]
    assert all(p["reason"].startswith("verzuim.csv, regel") for p in problem["invalid_params"])
    assert AttendanceImport.objects.count() == 0


def test_a_mentor_token_cannot_upload(client, two_schools, make_token):
    _, plaintext = make_token(two_schools["school_a"], Role.MENTOR, ["attendance:write"])
    response = _upload(client, plaintext, _csv(student_rows("A-001")))
    assert response.status_code == 403
    assert AttendanceImport.objects.count() == 0


def test_another_organisations_import_is_404(client, two_schools, writer, make_token):
    _, plaintext = writer
    created = _upload(client, plaintext, _csv(student_rows("A-001"))).json()
    _, other = make_token(two_schools["school_b"], Role.SCHOOL_COORDINATOR, ["attendance:read"])
    response = client.get(created["links"]["self"], HTTP_AUTHORIZATION=f"Bearer {other}")
    assert response.status_code == 404


def test_upload_call_is_audited_once(client, two_schools, writer):
    _, plaintext = writer
    _upload(client, plaintext, _csv(student_rows("A-001")))
    imports = AuditEvent.objects.filter(action=AuditEvent.Action.IMPORT)
    assert imports.count() == 1
    assert imports.get().username.startswith("api-token-")
