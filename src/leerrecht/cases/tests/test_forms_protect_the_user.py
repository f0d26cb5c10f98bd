"""Forms that protect the user (issue 13, "Forms that protect the user"): a resubmitted form
creates nothing twice, owner lists hold only people who can hold the case, the consent form
fits the family, and no empty records are saved."""

from __future__ import annotations

import pytest
from django.urls import reverse

from leerrecht.accounts.models import Role
from leerrecht.accounts.tests.factories import UserFactory
from leerrecht.cases import forms as f
from leerrecht.cases.deadlines import protocol_load
from leerrecht.cases.models import Contact, Melding
from leerrecht.registry.tests.factories import (
    GuardianFactory,
    MunicipalityFactory,
    OrganisationFactory,
)

pytestmark = pytest.mark.django_db

DUO_POST = {
    "duo_kind": "luxe",
    "reported_on": "2026-11-23",
    "period_start": "2026-11-16",
    "period_end": "2026-11-20",
    "hours": "25",
    "note": "Vakantie verlengd.",
}


def test_duo_form_carries_a_one_time_token(student, coordinator, login):
    page = login(coordinator).get(reverse("cases:melding_duo_new")).content.decode()
    assert 'name="form_token"' in page


def test_resubmitting_a_form_creates_no_second_melding(student, coordinator, login):
    client = login(coordinator)
    data = {**DUO_POST, "student": student.pk, "form_token": "d2b6c0f4a1e34b0c9f7a5e3d1c2b4a6f"}
    first = client.post(reverse("cases:melding_duo_new"), data)
    again = client.post(reverse("cases:melding_duo_new"), data, follow=True)
    melding = Melding.objects.get()
    assert first.status_code == 302
    # The second submit lands on what the first one made, with a Dutch explanation.
    assert again.redirect_chain[-1][0] == reverse("cases:melding_detail", args=[melding.pk])
    assert "Dit formulier was al verstuurd" in again.content.decode()


def test_a_refused_form_keeps_its_token_usable_for_the_corrected_submit(
    student, coordinator, login
):
    client = login(coordinator)
    token = "0f1e2d3c4b5a69788796a5b4c3d2e1f0"
    data = {**DUO_POST, "student": student.pk, "form_token": token}
    refused = client.post(reverse("cases:melding_duo_new"), {**data, "period_start": ""})
    accepted = client.post(reverse("cases:melding_duo_new"), data)
    assert (refused.status_code, accepted.status_code) == (200, 302)
    assert Melding.objects.count() == 1


def test_a_blank_contact_is_refused_with_a_field_message(open_case, lpa, login):
    response = login(lpa).post(
        reverse("cases:case_item_add", args=[open_case.pk, "contact"]),
        {"contact-kind": "phone", "contact-occurred_on": "2026-11-20"},
    )
    assert response.status_code == 400
    assert "Vul in wat er besproken of afgesproken is" in response.content.decode()
    assert not Contact.objects.filter(case=open_case).exists()


def test_a_contact_with_a_summary_is_saved(open_case, lpa, login):
    login(lpa).post(
        reverse("cases:case_item_add", args=[open_case.pk, "contact"]),
        {
            "contact-kind": "phone",
            "contact-occurred_on": "2026-11-20",
            "contact-summary": "Moeder gebeld.",
        },
    )
    assert Contact.objects.filter(case=open_case, summary="Moeder gebeld.").exists()


def test_owner_list_holds_only_people_who_can_hold_this_case(
    student, lpa, coordinator, jgz_doctor, leerplicht_org, school
):
    """Casusverantwoordelijke and procesregisseur (DOMAIN.md "Who uses it"): case workers of
    an organisation that has a role for this child; JGZ only on the sick-absence route
    (seed 004, 1 routeboek ziekteverzuim); never policy, privacy officer or beheer."""
    elsewhere = OrganisationFactory(leerplicht=True, served_municipalities=[MunicipalityFactory()])
    outsiders = [
        UserFactory(role=Role.POLICY, organisation=leerplicht_org),
        UserFactory(role=Role.PRIVACY_OFFICER, organisation=leerplicht_org),
        UserFactory(role=Role.OPERATOR, organisation=OrganisationFactory(operator=True)),
        UserFactory(role=Role.MENTOR, organisation=school),
        UserFactory(role=Role.LEERPLICHT_OFFICER, organisation=elsewhere),
    ]
    protocol = protocol_load("haaglanden-po")
    form = f.CaseOpenForm(protocol=protocol, student=student)
    offered = set(form.fields["casusverantwoordelijke"].queryset)
    assert {lpa, coordinator, jgz_doctor} <= offered
    assert not offered & set(outsiders)

    school_case = f.CaseOpenForm(
        {
            "route": "with_enrolment",
            "anchor_date": "2026-11-02",
            "regiehouder": leerplicht_org.pk,
            "casusverantwoordelijke": jgz_doctor.pk,
        },
        protocol=protocol,
        student=student,
    )
    assert not school_case.is_valid()
    assert "casusverantwoordelijke" in school_case.errors


def test_consent_form_preselects_the_only_guardian(student):
    form = f.ConsentForm(student=student)
    assert form.initial.get("guardian") == student.guardians.get()


def test_consent_form_with_two_guardians_lets_the_user_choose(student):
    GuardianFactory(student=student, name="P. Jansen", relation="vader")
    form = f.ConsentForm(student=student)
    assert form.initial.get("guardian") is None
