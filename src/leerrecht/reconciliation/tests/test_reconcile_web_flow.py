"""Upload -> map columns -> compare (job with progress) -> result -> review queue; scoping."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from freezegun import freeze_time

from leerrecht.accounts.tests.factories import UserFactory
from leerrecht.jobs.models import Job
from leerrecht.privacy.models import AuditEvent
from leerrecht.reconciliation.models import (
    ListImport,
    MatchDecision,
    MatchProposal,
    Reconciliation,
    ReconciliationTask,
)
from leerrecht.reconciliation.selectors import reconciliation_tasks_for_user
from leerrecht.reconciliation.tests.conftest import csv_bytes
from leerrecht.registry.tests.factories import MunicipalityFactory, StudentFactory

LIST_A = csv_bytes(
    "Achternaam,Voornamen,Geboortedatum,Status",
    "de Vries,Sanne,07-03-2014,thuiszitter",
    "Visser,Daan,06-06-2014,thuiszitter",
    "Yilmaz,Elif,02-02-2013,thuiszitter",
)
LIST_B = csv_bytes(
    "Naam;Roepnaam;Geb datum;Situatie",
    "Vries, de;S.;03-07-2014;terug op school",
    "Visser;Daan;09-06-2014;thuiszitter",
    "Bakker;Lotte;01-01-2015;thuiszitter",
)


def _upload(client, content, name, source):
    response = client.post(
        reverse("reconciliation:home"),
        {
            "file": SimpleUploadedFile(name, content),
            "source_name": source,
            "source_kind": "swv",
            "kind": "list",
        },
    )
    assert response.status_code == 302
    li = ListImport.objects.get(filename=name, source_name=source, state="uploaded")
    assert response["Location"] == reverse("reconciliation:mapping", args=[li.pk])
    page = client.get(response["Location"])  # the mapping is pre-filled from the headers
    assert page.status_code == 200
    return li


def _map(client, li, mapping):
    response = client.post(reverse("reconciliation:mapping", args=[li.pk]), mapping)
    assert response.status_code == 302, response.content.decode()[:2000]
    li.refresh_from_db()
    return li


MAP_A = {
    "surname": "Achternaam",
    "given_names": "Voornamen",
    "date_of_birth": "Geboortedatum",
    "status": "Status",
}
MAP_B = {
    "surname": "Naam",
    "given_names": "Roepnaam",
    "date_of_birth": "Geb datum",
    "status": "Situatie",
}


@pytest.mark.django_db
@freeze_time("2026-11-23 10:00")
def test_compare_two_lists_review_and_reuse_the_decision(login):
    municipality = MunicipalityFactory(den_haag=True)
    officer = UserFactory(leerplicht=True)
    officer.organisation.served_municipalities.set([municipality])
    # Own registration knows Sanne only.
    StudentFactory(
        given_names="Sanne",
        surname="de Vries",
        date_of_birth=dt.date(2014, 3, 7),
        residence_municipality=municipality,
    )
    client = login(officer)
    a = _map(client, _upload(client, LIST_A, "a.csv", "Leerplicht"), MAP_A)
    b = _map(client, _upload(client, LIST_B, "b.csv", "SWV"), MAP_B)
    assert (a.row_count, b.row_count) == (3, 3)

    response = client.post(reverse("reconciliation:compare"), {"list_a": a.pk, "list_b": b.pk})
    rec = Reconciliation.objects.get()
    assert response["Location"] == reverse("reconciliation:result", args=[rec.pk])
    assert rec.job.status == Job.Status.DONE  # eager in tests
    # Sanne: certain match with conflicting status; Daan: birth day differs -> review.
    assert (
        rec.summary["matched"] == 1 and rec.summary["conflicts"] == 1 and rec.summary["review"] == 1
    )
    assert rec.summary["only_a"] == 2 and rec.summary["coverage_a"] == 33.3
    page = client.get(response["Location"]).content.decode()  # first tab: conflicts
    assert "status verschilt: thuiszitter / op school" in page
    only_a = client.get(response["Location"], {"groep": "only_a"}).content.decode()
    only_b = client.get(response["Location"], {"groep": "only_b"}).content.decode()
    assert "Yilmaz" in only_a and "Bakker" not in only_a
    assert "Bakker" in only_b and "Yilmaz" not in only_b

    # Every child not in the own registration became a task: Daan (pair), Elif, Lotte.
    tasks = reconciliation_tasks_for_user(officer)
    assert sorted(t.record.surname for t in tasks) == ["Bakker", "Visser", "Yilmaz"]
    assert all(t.due_date == dt.date(2026, 12, 3) for t in tasks)

    # Review queue: confirm Daan.
    proposal = MatchProposal.objects.get(review="pending")
    review_page = client.get(reverse("reconciliation:review", args=[rec.pk]))
    assert "geboortedatum wijkt af (06-06-2014 / 09-06-2014)" in review_page.content.decode()
    client.post(
        reverse("reconciliation:review", args=[rec.pk]),
        {"proposal": proposal.pk, "decision": "confirm"},
    )
    proposal.refresh_from_db()
    rec.refresh_from_db()
    assert proposal.review == "confirmed" and rec.summary["matched"] == 2
    assert MatchDecision.objects.get().confirmed is True

    # Next import of the same lists (swapped A/B): the decision is reused, nothing to review.
    client.post(reverse("reconciliation:compare"), {"list_a": b.pk, "list_b": a.pk})
    again = Reconciliation.objects.exclude(pk=rec.pk).get()
    daan = again.proposals.get(record_a__surname="Visser")
    assert daan.method == "remembered" and daan.review == "auto"
    assert "eerder bevestigd door een medewerker" in daan.reasons
    assert again.summary["review"] == 0


@pytest.mark.django_db
def test_rejected_pair_stays_apart_on_the_next_import(login):
    officer = UserFactory(leerplicht=True)
    client = login(officer)
    a = _map(client, _upload(client, LIST_A, "a.csv", "Leerplicht"), MAP_A)
    b = _map(client, _upload(client, LIST_B, "b.csv", "SWV"), MAP_B)
    client.post(reverse("reconciliation:compare"), {"list_a": a.pk, "list_b": b.pk})
    rec = Reconciliation.objects.get()
    proposal = rec.proposals.get(review="pending")
    client.post(
        reverse("reconciliation:review", args=[rec.pk]),
        {"proposal": proposal.pk, "decision": "reject"},
    )
    client.post(reverse("reconciliation:compare"), {"list_a": a.pk, "list_b": b.pk})
    again = Reconciliation.objects.exclude(pk=rec.pk).get()
    assert not again.proposals.filter(record_a__surname="Visser").exists()
    assert again.summary["review"] == 0 and again.summary["only_a"] == 2


@pytest.mark.django_db
def test_wrong_mapping_imports_nothing(login):
    client = login(UserFactory(leerplicht=True))
    li = _upload(client, LIST_A, "a.csv", "School")
    response = client.post(reverse("reconciliation:mapping", args=[li.pk]), {"status": "Status"})
    assert response.status_code == 400
    assert "koppel minstens de kolommen" in response.content.decode()
    assert li.records.count() == 0


@pytest.mark.django_db
def test_bad_rows_and_duplicates_are_shown_with_the_result_and_do_not_stop_it(login):
    client = login(UserFactory(leerplicht=True))
    bad = csv_bytes(
        "Achternaam,Voornamen,Geboortedatum,BSN",
        "Jansen,Noor,99-99-2014,",  # line 2: date unparseable -> takes part without it
        "Visser,Daan,06-06-2014,123456789",  # line 3: BSN fails the 11-check
        "Visser,Daan,06-06-2014,",  # line 4: the same child again
    )
    mapping = {**MAP_A, "status": "", "bsn": "BSN"}
    a = _map(client, _upload(client, bad, "bad.csv", "School"), mapping)
    assert a.row_count == 3 and len(a.problems) == 2
    b = _map(client, _upload(client, LIST_B, "b.csv", "SWV"), MAP_B)
    client.post(reverse("reconciliation:compare"), {"list_a": a.pk, "list_b": b.pk})
    rec = Reconciliation.objects.get()
    # Noor (no usable date) and Daan (in review) are not certain; line 4 is no child of its own.
    assert rec.summary["duplicates_a"] == 1 and rec.summary["only_a"] == 2
    page = client.get(reverse("reconciliation:result", args=[rec.pk])).content.decode()
    assert "Problemen in de bestanden" in page and "elfproef mislukt" in page
    assert "&#x27;99-99-2014&#x27; is geen datum" in page
    assert "Dubbel in één lijst" in page
    review = client.get(reverse("reconciliation:review", args=[rec.pk])).content.decode()
    assert "Wat verschilt" in review and "geboortedatum wijkt af" in review


@pytest.mark.django_db
def test_other_organisation_and_policy_get_404(login):
    owner = UserFactory(leerplicht=True)
    client = login(owner)
    a = _map(client, _upload(client, LIST_A, "a.csv", "Leerplicht"), MAP_A)
    b = _map(client, _upload(client, LIST_B, "b.csv", "SWV"), MAP_B)
    client.post(reverse("reconciliation:compare"), {"list_a": a.pk, "list_b": b.pk})
    rec = Reconciliation.objects.get()
    job = rec.job
    assert client.get(reverse("jobs:job_status", args=[job.pk])).status_code == 200

    stranger = UserFactory(leerplicht=True)
    client.logout()
    other = login(stranger)
    for url in (
        reverse("reconciliation:result", args=[rec.pk]),
        reverse("reconciliation:review", args=[rec.pk]),
        reverse("jobs:job_status", args=[job.pk]),
    ):
        assert other.get(url).status_code == 404
    assert other.get(reverse("reconciliation:mapping", args=[a.pk])).status_code == 404
    assert not reconciliation_tasks_for_user(stranger).exists()
    assert ReconciliationTask.objects.exists()
    other.logout()
    policy = login(UserFactory(policy=True))
    assert policy.get(reverse("reconciliation:home")).status_code == 404


@pytest.mark.django_db
def test_result_page_read_is_audited_once(login):
    officer = UserFactory(leerplicht=True)
    client = login(officer)
    a = _map(client, _upload(client, LIST_A, "a.csv", "Leerplicht"), MAP_A)
    b = _map(client, _upload(client, LIST_B, "b.csv", "SWV"), MAP_B)
    client.post(reverse("reconciliation:compare"), {"list_a": a.pk, "list_b": b.pk})
    rec = Reconciliation.objects.get()
    before = AuditEvent.objects.filter(action="read").count()
    client.get(reverse("reconciliation:result", args=[rec.pk]))
    assert AuditEvent.objects.filter(action="read").count() == before + 1


@pytest.mark.django_db
def test_job_progress_partial_polls_until_done():
    owner = UserFactory(leerplicht=True)
    job = Job.objects.create(
        kind="x",
        created_by=owner,
        status=Job.Status.RUNNING,
        progress_done=3,
        progress_total=4,
        progress_label="vergelijken",
    )
    from django.test import Client

    client = Client()
    client.force_login(owner)
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    session = client.session
    session[DEVICE_ID_SESSION_KEY] = TOTPDevice.objects.get(user=owner).persistent_id
    session.save()
    html = client.get(reverse("jobs:job_status", args=[job.pk])).content.decode()
    assert 'hx-trigger="every 1s"' in html and 'value="75"' in html and "vergelijken" in html
    Job.objects.filter(pk=job.pk).update(status=Job.Status.DONE, result={"url": "/lijsten/"})
    done = client.get(reverse("jobs:job_status", args=[job.pk]), HTTP_HX_REQUEST="true")
    assert "hx-trigger" not in done.content.decode() and done["HX-Redirect"] == "/lijsten/"


@pytest.mark.django_db
def test_result_rows_come_one_group_and_one_page_at_a_time(login, settings):
    settings.LEERRECHT_PAGE_SIZE = 1
    officer = UserFactory(leerplicht=True)
    client = login(officer)
    a = _map(client, _upload(client, LIST_A, "a.csv", "Leerplicht"), MAP_A)
    b = _map(client, _upload(client, LIST_B, "b.csv", "SWV"), MAP_B)
    client.post(reverse("reconciliation:compare"), {"list_a": a.pk, "list_b": b.pk})
    rec = Reconciliation.objects.get()
    url = reverse("reconciliation:result", args=[rec.pk])
    assert rec.summary["only_a"] == 2  # Daan (in review) and Elif
    first = client.get(url, {"groep": "only_a"}).content.decode()
    assert "Alleen in lijst A (2)" in first
    assert "Pagina 1 van 2" in first
    assert "groep=only_a&amp;pagina=2" in first
    second = client.get(url, {"groep": "only_a", "pagina": "2"}).content.decode()
    assert "Pagina 2 van 2" in second
    assert ("Yilmaz" in first) != ("Yilmaz" in second)
    # each page names only the children it shows in the audit
    entries = AuditEvent.objects.filter(action="read", object_type="reconciliation.reconciliation")
    assert entries.count() == 2
    # without a (known) group: the first group that has rows (here the conflicting status)
    unknown = client.get(url, {"groep": "iets"}).content.decode()
    assert 'aria-current="page">Tegenstrijdige status (1)' in unknown
