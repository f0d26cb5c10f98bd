"""Data rules checked on every endpoint of the URL configuration (issue 5, points 2 and 3).

- Medical details (JGZ) are invisible to every role but the youth doctor, in pages,
  exports, search and the API.
- Authorised-absence details are invisible to leerplicht without recorded consent (seed
  000, casus 1 "toestemming ouders"), and visible once consent is given.
- Every personal-data view writes exactly one audit entry.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.apps import apps
from django.test import Client
from tests.security.probes import (
    World,
    audit_entries_expected,
    factory_for,
    list_endpoints,
    object_endpoints,
)
from tests.security.test_cross_scope_probe_matrix import _api_tokens, _verify_second_factor
from tests.security.world import user_for

from leerrecht.accounts.models import Role
from leerrecht.privacy.models import AuditEvent

pytestmark = pytest.mark.django_db

MEDICAL = "MEDISCH-GEHEIM-7781"
AUTHORISED = "GEOORLOOFD-INHOUD-5523"
LEERPLICHT_ROLES = (Role.LEERPLICHT_OFFICER, Role.LEERRECHT_CONSULTANT, Role.PROCESS_DIRECTOR)
EXPORT_VARIANTS = ({}, {"format": "csv"}, {"format": "json"})


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    _verify_second_factor(client, user)
    return client


def _bodies(world: World, client: Client, *, web_object_values: dict):
    """(url, response) for every object page of the target region and every list page,
    lists also as csv/json export and searched for the child."""
    for endpoint, kwargs in web_object_values.items():
        url = endpoint.url(kwargs)
        response = client.get(url)
        if response.status_code == 405:
            continue
        yield url, response
    for endpoint in list_endpoints():
        if endpoint.is_api:
            continue
        for variant in EXPORT_VARIANTS:
            params = {"q": world.t.student.surname, **variant}
            yield endpoint.url({}), client.get(endpoint.url({}), params)


def _object_values(world: World, *, api: bool) -> dict:
    return {
        e: {k: factory_for(e, k)(world) for k in e.kwargs}
        for e in object_endpoints()
        if e.is_api == api
    }


def _medical_note(world: World):
    MedicalNote = apps.get_model("cases", "MedicalNote")
    doctor = user_for(world.t, Role.YOUTH_DOCTOR)
    return MedicalNote.objects.create(
        student=world.t.student,
        case=world.case,
        melding=world.melding,
        under_care=True,
        care_provider=f"{MEDICAL} kinderarts",
        diagnosis_known=True,
        diagnosis=f"{MEDICAL} diagnose",
        note=f"{MEDICAL} notitie",
        written_by=doctor,
        written_on=dt.date(2026, 11, 2),
    )


def test_medical_details_are_invisible_to_every_role_but_the_youth_doctor(capsys):
    world = World(target="a")
    _medical_note(world)
    web = _object_values(world, api=False)
    failures = []
    checked = 0
    for role in Role.values:
        if role == Role.YOUTH_DOCTOR:
            continue
        client = _client(user_for(world.a, role))
        for url, response in _bodies(world, client, web_object_values=web):
            checked += 1
            if MEDICAL.encode() in response.getvalue():
                failures.append(f"{role}: {url} shows medical details")
    api = _object_values(world, api=True)
    for label, _aggregate, plaintext in _api_tokens(world):
        if "youth_doctor" in label:
            continue
        client = Client()
        for endpoint, kwargs in api.items():
            checked += 1
            response = client.get(endpoint.url(kwargs), HTTP_AUTHORIZATION=f"Bearer {plaintext}")
            if MEDICAL.encode() in response.getvalue():
                failures.append(f"{label}: {endpoint.url(kwargs)} shows medical details")
        for endpoint in (e for e in list_endpoints() if e.is_api):
            checked += 1
            response = client.get(endpoint.url({}), HTTP_AUTHORIZATION=f"Bearer {plaintext}")
            if MEDICAL.encode() in response.getvalue():
                failures.append(f"{label}: {endpoint.url({})} shows medical details")
    with capsys.disabled():
        print(f"\nmedical secrecy: {checked} responses checked")
    assert checked > 0
    assert not failures, "\n".join(failures)


def _authorised_absence_file(world: World, *, consent: str):
    Case = apps.get_model("cases", "Case")
    Melding = apps.get_model("cases", "Melding")
    Consent = apps.get_model("cases", "Consent")
    Case.objects.filter(pk=world.case.pk).update(
        authorised_absence=True, cause_note=f"{AUTHORISED} oorzaak"
    )
    Melding.objects.filter(pk=world.melding.pk).update(
        authorised_absence=True,
        q2_parents_reason=f"{AUTHORISED} reden ouders",
        note=f"{AUTHORISED} toelichting",
    )
    Consent.objects.create(
        melding=world.melding,
        asked_by=world.b_school_user,
        asked_on=dt.date(2026, 11, 2),
        status=consent,
        purposes=["leerplicht"] if consent == "given" else [],
        decided_on=dt.date(2026, 11, 3),
    )


def _who_sees(world: World, roles) -> dict[str, list[str]]:
    web = _object_values(world, api=False)
    seen: dict[str, list[str]] = {}
    for role in roles:
        client = _client(user_for(world.a, role))
        for url, response in _bodies(world, client, web_object_values=web):
            if AUTHORISED.encode() in response.getvalue():
                seen.setdefault(role, []).append(url)
    return seen


def test_authorised_absence_details_stay_hidden_from_leerplicht_without_consent():
    world = World(target="a")
    _authorised_absence_file(world, consent="refused")
    seen = _who_sees(world, (*LEERPLICHT_ROLES, Role.SCHOOL_COORDINATOR))
    leaked = {role: urls for role, urls in seen.items() if role in LEERPLICHT_ROLES}
    assert not leaked, leaked
    # Positive control: the reporting school does see its own report.
    assert Role.SCHOOL_COORDINATOR in seen


def test_authorised_absence_details_reach_leerplicht_with_consent():
    world = World(target="a")
    _authorised_absence_file(world, consent="given")
    seen = _who_sees(world, (Role.LEERPLICHT_OFFICER,))
    assert Role.LEERPLICHT_OFFICER in seen


def test_every_personal_data_view_writes_exactly_one_audit_entry(capsys):
    """In-scope objects, every role: one entry per request whatever the answer (200, a
    refusal, 405 for a POST-only view); quiet progress endpoints only when they refuse."""
    world = World(target="a")
    web = _object_values(world, api=False)
    failures = []
    checked = 0
    for role in Role.values:
        client = _client(user_for(world.a, role))
        for endpoint, kwargs in web.items():
            url = endpoint.url(kwargs)
            before = AuditEvent.objects.count()
            response = client.get(url)
            expected = audit_entries_expected(url, response.status_code)
            checked += response.status_code == 200
            written = AuditEvent.objects.count() - before
            if written != expected:
                failures.append(
                    f"{role:22} GET {url} -> {response.status_code}: {written} audit entries, "
                    f"expected {expected}"
                )
    api = _object_values(world, api=True)
    for label, _aggregate, plaintext in _api_tokens(world):
        client = Client()
        for endpoint, kwargs in api.items():
            url = endpoint.url(kwargs)
            before = AuditEvent.objects.count()
            response = client.get(url, HTTP_AUTHORIZATION=f"Bearer {plaintext}")
            if response.status_code != 200:
                continue
            checked += 1
            written = AuditEvent.objects.count() - before
            if written != 1:
                failures.append(f"{label:40} GET {url}: {written} audit entries")
    with capsys.disabled():
        print(f"\naudit: {checked} successful personal-data reads checked")
    assert checked > 20  # the matrix is not vacuous
    assert not failures, "\n".join(failures)
