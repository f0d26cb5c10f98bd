"""Door (b): the sickness intake form of seed 000, Afbeelding 1, field for field; its
medical question 3 is stored apart and only the JGZ youth doctor reads it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from leerrecht.cases.models import MedicalNote, Melding
from leerrecht.cases.query import medical_notes_for_user
from leerrecht.cases.services import CaseError, melding_create_sickness

pytestmark = pytest.mark.django_db


def _post(client, student, **extra):
    data = {
        "student": student.pk,
        "reported_on": "2026-11-23",
        "school_group": "6b",
        "teacher": "juf Karin / IB Ingrid",
        "reasons": ["1", "4"],
        "discussed_with_parents": "on",
        "q1_earlier_reports": "Vaak op maandag",
        "q2_parents_reason": "Buikpijn",
        "under_care": "true",
        "care_provider": "huisarts Dijkstra",
        "diagnosis_known": "true",
        "diagnosis": "migraine",
        "q4_worries": "Spanningen thuis",
        "q5_neighbourhood_team": "false",
        "q6_other_absence": "te laat",
        "q6_leerplicht_involved": "false",
        "acties-TOTAL_FORMS": "3",
        "acties-INITIAL_FORMS": "0",
        "acties-0-taken_on": "2026-11-09",
        "acties-0-action": "Mentor belt ouders",
        "acties-0-result": "Afspraak gemaakt",
        "acties-1-taken_on": "2026-11-16",
        "acties-1-action": "Gesprek IB",
        "acties-1-result": "",
    }
    data.update(extra)
    return client.post(reverse("cases:melding_sickness_new"), data)


def test_every_field_of_the_intake_form_is_stored(student, coordinator, login):
    response = _post(login(coordinator), student)
    melding = Melding.objects.get()
    assert response.status_code == 302
    assert melding.kind == "sickness" and melding.authorised_absence
    assert melding.sickness_reasons == ["1", "4"]
    assert (melding.q1_earlier_reports, melding.q2_parents_reason, melding.q4_worries) == (
        "Vaak op maandag",
        "Buikpijn",
        "Spanningen thuis",
    )
    assert melding.q5_neighbourhood_team is False and melding.q6_leerplicht_involved is False
    assert melding.school_group == "6b" and melding.discussed_with_parents
    assert list(melding.school_actions.values_list("taken_on", "action", "result")) == [
        (dt.date(2026, 11, 9), "Mentor belt ouders", "Afspraak gemaakt"),
        (dt.date(2026, 11, 16), "Gesprek IB", ""),
    ]
    note = MedicalNote.objects.get()
    assert (note.under_care, note.care_provider, note.diagnosis) == (
        True,
        "huisarts Dijkstra",
        "migraine",
    )
    assert not hasattr(melding, "diagnosis")


def test_diagnosis_is_shown_to_the_youth_doctor_only(student, coordinator, jgz_doctor, login):
    _post(login(coordinator), student)
    melding = Melding.objects.get()
    school_view = (
        login(coordinator).get(reverse("cases:melding_detail", args=[melding.pk])).content.decode()
    )
    assert "migraine" not in school_view
    assert "alleen zichtbaar voor de jeugdarts" in school_view
    assert list(medical_notes_for_user(coordinator, melding=melding)) == []
    doctor_view = (
        login(jgz_doctor).get(reverse("cases:melding_detail", args=[melding.pk])).content.decode()
    )
    assert "migraine" in doctor_view


def test_a_reason_must_be_ticked_and_the_checkbox_group_has_a_legend(student, coordinator, login):
    response = _post(login(coordinator), student, reasons=[])
    body = response.content.decode()
    assert response.status_code == 200 and not Melding.objects.exists()
    assert "<legend" in body and "Reden van aanmelding" in body
    assert 'id="id_reasons-error"' in body
    with pytest.raises(CaseError):
        melding_create_sickness(
            user=coordinator, student=student, reported_on=dt.date(2026, 11, 23), reasons=[]
        )


def test_action_without_date_is_refused(student, coordinator, login):
    response = _post(login(coordinator), student, **{"acties-0-taken_on": ""})
    assert response.status_code == 200
    assert "Vul de datum van deze actie in." in response.content.decode()
    assert not Melding.objects.exists()
