"""Register extract against enrolments/exemptions in the database; confirm starts the route."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from freezegun import freeze_time

from leerrecht.accounts.tests.factories import UserFactory
from leerrecht.reconciliation import services
from leerrecht.reconciliation.models import AbsoluteVerzuimCandidate, ReconciliationTask
from leerrecht.reconciliation.tests.conftest import csv_bytes
from leerrecht.registry.tests.factories import (
    EnrolmentFactory,
    ExemptionFactory,
    MunicipalityFactory,
    StudentFactory,
    valid_bsn,
)

ENROLLED, EXEMPT, MISSING, DEAD = (valid_bsn(900_000 + n) for n in (1, 2, 3, 4))


@pytest.mark.django_db
@freeze_time("2026-11-23 10:00")
def test_register_run_keeps_only_the_child_without_school_and_confirm_starts_route(login):
    den_haag = MunicipalityFactory(den_haag=True)
    officer = UserFactory(leerplicht=True)
    officer.organisation.served_municipalities.set([den_haag])
    EnrolmentFactory(student=StudentFactory(bsn=ENROLLED, residence_municipality=den_haag))
    ExemptionFactory(
        student=StudentFactory(bsn=EXEMPT, residence_municipality=den_haag),
        start=dt.date(2026, 9, 1),
        end=dt.date(2027, 7, 31),
        declaration_date=dt.date(2026, 8, 15),
    )
    register = csv_bytes(
        "BSN;Voornamen;Achternaam;Geboortedatum;Adres;Gemeente;Datum vestiging;Datum vertrek;Reden vertrek",
        f"{ENROLLED};Sanne;Jansen;01-02-2015;Laan 1;GM0518;01-02-2015;;",
        f"{EXEMPT};Daan;Bakker;01-03-2015;Laan 2;GM0518;01-03-2015;;",
        f"{MISSING};Lina;Bouzid;09-01-2013;Laan 3;GM0518;09-01-2013;;",
        f"{DEAD};Milan;Smit;09-01-2013;Laan 4;GM0518;09-01-2013;01-06-2026;overleden",
        "123456789;Noor;Kok;09-01-2013;Laan 5;GM0518;09-01-2013;;",  # BSN fails the 11-check
    )
    li = services.list_upload(
        user=officer,
        source_name="BRP Den Haag",
        source_kind="brp",
        kind="register",
        filename="brp.csv",
        content=register,
    )
    from leerrecht.reconciliation.selectors import mapping_for_import

    _t, mapping, _r = mapping_for_import(list_import=li)
    assert services.list_import_apply(user=officer, list_import=li, mapping=mapping).errors == []

    client = login(officer)
    response = client.post(
        reverse("reconciliation:av_start"), {"register": li.pk, "reference_date": "2026-11-23"}
    )
    assert response.status_code == 302
    run_url = response["Location"]
    by_bsn = {c.record.bsn: c for c in AbsoluteVerzuimCandidate.objects.select_related("record")}
    assert {b: (c.kept, c.code) for b, c in by_bsn.items()} == {
        ENROLLED: (False, "enrolled"),
        EXEMPT: (False, "exemption"),
        MISSING: (True, "kept_leerplicht"),
        DEAD: (False, "deceased"),
        "": (True, "kept_no_bsn"),  # the bad row took part without its BSN
    }
    page = client.get(run_url).content.decode()
    assert "geldige vrijstelling art. 5a" in page and "overleden (01-06-2026)" in page
    assert "Problemen in de bestanden" in page and "elfproef mislukt" in page
    assert "BSN ontbreekt of is ongeldig" in page

    client.post(run_url, {"candidate": by_bsn[MISSING].pk, "decision": "confirm"})
    confirmed = AbsoluteVerzuimCandidate.objects.get(pk=by_bsn[MISSING].pk)
    assert confirmed.state == "confirmed"
    # seed 004 route 2: a case on the route without enrolment, first step the letter.
    case = confirmed.case
    assert case is not None and case.route == "without_enrolment" and case.phase == "letter"
    assert case.student.bsn == MISSING and case.student.residence_municipality == den_haag
    assert case.casusverantwoordelijke == officer
    assert not ReconciliationTask.objects.filter(kind="route_without_enrolment").exists()
    # A dropped candidate cannot be confirmed.
    client.post(run_url, {"candidate": by_bsn[ENROLLED].pk, "decision": "confirm"})
    assert AbsoluteVerzuimCandidate.objects.get(pk=by_bsn[ENROLLED].pk).state == "open"


@pytest.mark.django_db
@freeze_time("2026-11-23 10:00")
def test_confirm_without_known_municipality_falls_back_to_a_worklist_task(login):
    officer = UserFactory(leerplicht=True)
    register = csv_bytes(
        "BSN;Voornamen;Achternaam;Geboortedatum;Gemeente",
        f"{MISSING};Lina;Bouzid;09-01-2013;Nergenshuizen",
    )
    li = services.list_upload(
        user=officer,
        source_name="BRP",
        source_kind="brp",
        kind="register",
        filename="brp.csv",
        content=register,
    )
    from leerrecht.reconciliation.selectors import mapping_for_import, reconciliation_tasks_for_user

    _t, mapping, _r = mapping_for_import(list_import=li)
    services.list_import_apply(user=officer, list_import=li, mapping=mapping)
    run = services.absolute_verzuim_start(user=officer, register=li, on=dt.date(2026, 11, 23))
    candidate = run.candidates.get()
    services.av_candidate_decide(user=officer, candidate=candidate, confirm=True)
    task = reconciliation_tasks_for_user(officer).get()
    # Letter asking enrolment within 5 working days (Mon 23-11 -> Mon 30-11).
    assert task.kind == "route_without_enrolment" and task.due_date == dt.date(2026, 11, 30)
