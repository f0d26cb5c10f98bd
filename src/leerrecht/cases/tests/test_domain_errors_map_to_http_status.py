"""A failed write answers 409 when someone else changed the object first and 400 for any
other problem, decided by the error's TYPE, never by words in its message."""

from __future__ import annotations

import pytest
from django.urls import reverse

from leerrecht.cases.models import Melding
from leerrecht.cases.services import melding_duo_update
from leerrecht.cases.views._common import domain_error_status, form_write
from leerrecht.cases.workflow import (
    CaseConflictError,
    CaseError,
    CaseTransitionError,
    ConsentRequiredError,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("error", "status"),
    [
        (CaseConflictError("Versie verouderd."), 409),
        (CaseConflictError(), 409),
        (CaseError("Iemand heeft dit intussen gedaan."), 400),
        (CaseTransitionError("x"), 400),
        (ConsentRequiredError("x"), 400),
    ],
)
def test_status_follows_the_error_type(error, status):
    assert domain_error_status(error) == status


def test_form_write_shows_the_domain_message_on_the_form():
    from django import forms

    class Empty(forms.Form):
        pass

    form = Empty({})

    def write(_data):
        raise CaseConflictError("Zojuist gewijzigd.")

    assert form_write(form, write) == 409
    assert form.non_field_errors() == ["Zojuist gewijzigd."]
    assert form_write(Empty({}), lambda _d: None) is None


def test_stale_duo_status_update_answers_409(duo_melding, coordinator, login):
    client = login(coordinator)
    stale = duo_melding.version
    melding_duo_update(
        user=coordinator,
        melding_id=duo_melding.pk,
        expected_version=stale,
        duo_status="in_behandeling",
        absence_continues=True,
    )
    response = client.post(
        reverse("cases:melding_duo_status", args=[duo_melding.pk]),
        {"version": stale, "duo_status": "ter_kennisgeving", "absence_continues": ""},
    )
    assert response.status_code == 409
    assert Melding.objects.get(pk=duo_melding.pk).duo_status == "in_behandeling"
