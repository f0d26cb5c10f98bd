"""Done-criterion of issue 4: a leerplicht user goes from a signal to an open case with
consent, a plan with two actions and a logged conversation, sees the next deadline and
the escalation step it leads to, and closes the case - through the web pages."""

from __future__ import annotations

import pytest
from django.urls import reverse
from freezegun import freeze_time

from leerrecht.cases.models import Case, CaseEvent, Melding
from leerrecht.privacy.models import AuditEvent

pytestmark = pytest.mark.django_db


@freeze_time("2026-11-23 10:00")
def test_signal_to_closed_case(student, lpa, leerplicht_org, login):
    client = login(lpa)
    # (a) one click from the signal: the form is pre-filled with signal and window.
    url = reverse("cases:melding_from_signal")
    params = {
        "leerling": student.pk,
        "signaal": "absent_4w_consecutive",
        "datum": "2026-10-05",
        "w_schooldagen": "20",
        "w_ziek_uren": "96",
    }
    page = client.get(url, params)
    assert page.status_code == 200
    assert 'value="absent_4w_consecutive"' in page.content.decode()
    assert "96" in page.content.decode()
    response = client.post(
        url, {**params, "signal_id": "absent_4w_consecutive", "first_date": "2026-10-05"}
    )
    melding = Melding.objects.get()
    assert response.url == reverse("cases:melding_detail", args=[melding.pk])
    assert melding.window_summary == {"schooldagen": "20", "ziek_uren": "96"}
    assert melding.authorised_absence  # 4 weeks away: mainly sickness -> consent needed

    # Consent of the mother, for sharing with leerplicht.
    guardian = student.guardians.get()
    client.post(
        reverse("cases:melding_consent", args=[melding.pk]),
        {
            "status": "given",
            "asked_on": "2026-11-23",
            "guardian": guardian.pk,
            "purposes": ["leerplicht", "mdo"],
        },
    )
    assert melding.consent.status == "given"

    # Open the case.
    response = client.post(
        reverse("cases:case_open", args=[melding.pk]),
        {
            "route": "with_enrolment",
            "anchor_date": "2026-10-05",
            "regiehouder": leerplicht_org.pk,
            "casusverantwoordelijke": lpa.pk,
        },
    )
    case = Case.objects.get()
    assert response.url == reverse("cases:case_detail", args=[case.pk])

    # A plan with two actions (one via htmx) and a logged conversation.
    add = lambda kind: reverse("cases:case_item_add", args=[case.pk, kind])  # noqa: E731
    client.post(
        add("actie"),
        {"actie-who": "mentor", "actie-what": "Dagelijks bellen", "actie-due_on": "2026-11-27"},
    )
    htmx = client.post(
        add("actie"),
        {"actie-who": "jeugdarts", "actie-what": "Consult plannen", "actie-due_on": "2026-12-04"},
        HTTP_HX_REQUEST="true",
    )
    assert htmx.status_code == 200 and 'id="plan"' in htmx.content.decode()
    client.post(
        add("contact"),
        {
            "contact-kind": "conversation",
            "contact-occurred_on": "2026-11-23",
            "contact-with_student": "on",
            "contact-with_parents": "on",
            "contact-participants": "Sanne, moeder, LPA",
            "contact-outcome": "Opbouwrooster",
        },
    )
    assert case.plan_actions.count() == 2 and case.contacts.count() == 1

    # Next deadline and the escalation step it leads to (Den Haag ladder from 5 Oct).
    body = client.get(reverse("cases:case_detail", args=[case.pk])).content.decode()
    assert "Volgende termijn" in body
    assert "Leidt tot opschalingsstap" in body
    assert "Stap 1 - Intercollegiale afstemming" in body
    assert "30-11-2026" in body  # 4 + 4 weeks: peer consultation at the latest 8 weeks

    # Close the case.
    case.refresh_from_db()
    response = client.post(
        reverse("cases:case_transition", args=[case.pk]),
        {
            "status-version": case.version,
            "status-to_status": "closed",
            "status-on": "2026-11-23",
            "status-reason": "back_at_school",
        },
    )
    case.refresh_from_db()
    assert case.status == "closed" and case.closure_reason == "back_at_school"
    assert CaseEvent.objects.filter(case=case, kind="status").exists()
    # Every page view and write was audited.
    assert AuditEvent.objects.filter(processing_activity="casusbehandeling", user=lpa).count() >= 6


def test_a_form_without_javascript_shows_errors_linked_to_the_field(open_case, lpa, login):
    client = login(lpa)
    response = client.post(
        reverse("cases:case_item_add", args=[open_case.pk, "actie"]), {"actie-who": "mentor"}
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert 'aria-describedby="id_actie-what-error"' in body
    assert 'id="id_actie-what-error"' in body


def test_someone_outside_the_scope_gets_404(open_case, login):
    from leerrecht.accounts.tests.factories import UserFactory

    stranger = UserFactory(leerplicht=True)
    response = login(stranger).get(reverse("cases:case_detail", args=[open_case.pk]))
    assert response.status_code == 404
