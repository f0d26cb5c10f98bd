"""The privacy officer's audit search and the subject access export (AVG art. 15)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.urls import reverse
from freezegun import freeze_time
from tests.security.world import case_for, region, user_for

from leerrecht.accounts.models import Role
from leerrecht.accounts.tests.factories import UserFactory
from leerrecht.privacy.models import AuditEvent
from leerrecht.privacy.services import audit_record

pytestmark = pytest.mark.django_db


@pytest.fixture
def a():
    return region("A", surname="Aalbers")


@pytest.fixture
def officer(a):
    return user_for(a, Role.PRIVACY_OFFICER)


def _read(user, student, *, activity="casusbehandeling", outcome="ok"):
    return audit_record(
        actor=user,
        action="read",
        activity=activity,
        subject_student_id=student.pk,
        obj=student,
        outcome=outcome,
    )


def test_audit_search_url_name():
    assert reverse("privacy:audit_search") == "/privacy/audit/"


@pytest.mark.parametrize("role", [r for r in Role.values if r != Role.PRIVACY_OFFICER])
def test_other_roles_get_404_on_privacy_pages(login, a, role):
    client = login(user_for(a, role))
    for url in (
        reverse("privacy:audit_search"),
        reverse("privacy:subject_access_lookup"),
        reverse("privacy:subject_access", args=[a.student.pk]),
        reverse("privacy:subject_access_json", args=[a.student.pk]),
    ):
        assert client.get(url).status_code == 404, url


def test_search_filters_by_user_child_date_activity_and_outcome(login, a, officer):
    b = region("B", surname="Bosman")
    mentor = user_for(a, Role.MENTOR)
    lpa = user_for(b, Role.LEERPLICHT_OFFICER)
    with freeze_time("2026-10-01 12:00:00"):
        _read(mentor, a.student)
    with freeze_time("2026-11-02 12:00:00"):
        _read(lpa, b.student, activity="signalering")
        _read(lpa, a.student, outcome="denied")
    client = login(officer)
    url = reverse("privacy:audit_search")

    def rows(**params):
        response = client.get(url, params)
        assert response.status_code == 200
        return response.context["page"].object_list

    assert {e.username for e in rows(user=mentor.username)} == {mentor.username}
    by_bsn = rows(child=a.student.bsn)
    assert {e.subject_student_id for e in by_bsn} == {a.student.pk}
    assert len(by_bsn) == 2
    assert len(rows(child=str(b.student.pk))) == 1
    assert len(rows(date_from="2026-11-01", date_to="2026-11-30", activity="casusbehandeling")) == 1
    assert len(rows(date_to="2026-10-31", user=mentor.username)) == 1
    assert [e.outcome for e in rows(outcome="denied")] == ["denied"]
    assert rows(activity="signalering")[0].subject_student_id == b.student.pk


def test_search_is_paginated_and_is_itself_audited(login, a, officer):
    mentor = user_for(a, Role.MENTOR)
    for _ in range(55):
        _read(mentor, a.student)
    client = login(officer)
    first = client.get(reverse("privacy:audit_search"), {"user": mentor.username})
    assert len(first.context["page"].object_list) == 50
    second = client.get(reverse("privacy:audit_search"), {"user": mentor.username, "pagina": 2})
    assert len(second.context["page"].object_list) == 5
    searches = AuditEvent.objects.filter(user=officer, action="search")
    assert searches.count() == 2
    assert all(e.processing_activity == "toezicht-privacy" for e in searches)


def test_invalid_date_range_shows_an_error_not_a_crash(login, officer):
    client = login(officer)
    response = client.get(
        reverse("privacy:audit_search"), {"date_from": "2026-11-10", "date_to": "2026-11-01"}
    )
    assert response.status_code == 200
    assert "De einddatum ligt voor de begindatum" in response.content.decode()


def test_lookup_by_bsn_redirects_to_the_report(login, a, officer):
    client = login(officer)
    response = client.get(reverse("privacy:subject_access_lookup"), {"child": a.student.bsn})
    assert response.status_code == 302
    assert response.url == reverse("privacy:subject_access", args=[a.student.pk])
    unknown = client.get(reverse("privacy:subject_access_lookup"), {"child": "999999990"})
    assert "Geen leerling gevonden" in unknown.content.decode()


def test_subject_access_json_has_all_data_and_who_accessed_it(login, a, officer):
    mentor = user_for(a, Role.MENTOR)
    lpa = user_for(a, Role.LEERPLICHT_OFFICER)
    case = case_for(a.student, owner=lpa)
    _read(mentor, a.student)
    client = login(officer)
    response = client.get(reverse("privacy:subject_access_json", args=[a.student.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    data = json.loads(response.content)
    assert data["betrokkene"]["BSN"] == a.student.bsn
    assert data["betrokkene"]["achternaam"] == "Aalbers"
    sections = data["gegevens"]
    assert sections["registry.enrolment"]["regels"][0]["ingeschreven vanaf"] == "2022-08-22"
    assert sections["registry.guardian"]["regels"][0]["naam"] == "Ouder Aalbers"
    assert [r["id"] for r in sections["cases.case"]["regels"]] == [case.pk]
    who = [(e["gebruiker"], e["verwerkingsactiviteit"]) for e in data["inzage_en_verwerkingen"]]
    assert (mentor.username, "casusbehandeling") in who
    # The export itself is audited, once, as an export for this child.
    export = AuditEvent.objects.get(user=officer, action="export")
    assert export.subject_student_id == a.student.pk
    assert export.processing_activity == "inzageverzoek"


def test_subject_access_withholds_medical_content(login, a, officer):
    from django.apps import apps

    MedicalNote = apps.get_model("cases", "MedicalNote")
    doctor = user_for(a, Role.YOUTH_DOCTOR)
    MedicalNote.objects.create(
        student=a.student,
        diagnosis="GEHEIME-DIAGNOSE",
        note="GEHEIME-NOTITIE",
        written_by=doctor,
        written_on=dt.date(2026, 11, 1),
    )
    client = login(officer)
    for name in (
        "privacy:subject_access",
        "privacy:subject_access_json",
        "privacy:subject_access_pdf",
    ):
        body = client.get(reverse(name, args=[a.student.pk])).content
        assert b"GEHEIME" not in body, name
    data = client.get(reverse("privacy:subject_access_json", args=[a.student.pk])).json()
    assert data["niet_opgenomen"][0]["aantal"] == 1
    assert "JGZ" in data["niet_opgenomen"][0]["reden"]


def test_subject_access_html_and_pdf_render(login, a, officer):
    client = login(officer)
    html = client.get(reverse("privacy:subject_access", args=[a.student.pk]))
    assert html.status_code == 200
    assert "Aalbers" in html.content.decode()
    pdf = client.get(reverse("privacy:subject_access_pdf", args=[a.student.pk]))
    assert pdf.status_code == 200
    assert pdf.content.startswith(b"%PDF")
    assert AuditEvent.objects.filter(user=officer, action="export").count() == 2


def test_subject_access_for_an_unknown_id_is_404_and_logged(login, officer):
    client = login(officer)
    assert client.get(reverse("privacy:subject_access", args=[987654])).status_code == 404
    event = AuditEvent.objects.get(user=officer)
    assert event.outcome == "denied"


def test_privacy_officer_sees_no_person_pages_elsewhere(a, officer):
    from leerrecht.privacy.query import students_for_user

    assert not students_for_user(officer).exists()
    from leerrecht.privacy.query import user_sees_children

    assert not user_sees_children(officer)
    assert UserFactory(privacy_officer=True).needs_second_factor
