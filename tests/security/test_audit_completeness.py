"""ASVS V7.1.3/V7.2.x from the outside: a subject-access search by child finds every read
of that child, and denied requests are logged (issue 14, finding 6).

The declared audit (docs/adr/0103) writes one entry per request, including denied 404s
and list/search reads, which record the children shown."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from tests.security.probes import World, factory_for, list_endpoints, object_endpoints
from tests.security.test_cross_scope_probe_matrix import _verify_second_factor
from tests.security.world import region, user_for

from leerrecht.accounts.models import Role
from leerrecht.api.services import api_token_create
from leerrecht.privacy.models import AuditEvent
from leerrecht.privacy.query import NO_PERSON_ROLES
from leerrecht.privacy.selectors import subject_access_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return region("A", surname="Janssen"), region("B", surname="Bakker")


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    _verify_second_factor(client, user)
    return client


def _log_of(student) -> list[AuditEvent]:
    return subject_access_report(student=student).access_log


def test_a_page_read_of_the_child_is_in_its_subject_access_log(world):
    a, _b = world
    officer = user_for(a, Role.LEERPLICHT_OFFICER)
    assert (
        _client(officer).get(reverse("web:student_detail", args=[a.student.pk])).status_code == 200
    )
    assert any(e.user_id == officer.pk and e.action == "read" for e in _log_of(a.student))


def test_a_denied_request_for_another_regions_child_is_logged(world):
    a, b = world
    officer = user_for(a, Role.LEERPLICHT_OFFICER)
    response = _client(officer).get(reverse("web:student_detail", args=[b.student.pk]))
    assert response.status_code == 404
    assert AuditEvent.objects.filter(user=officer, outcome=AuditEvent.Outcome.DENIED).exists()


def test_a_search_that_shows_the_child_is_in_its_subject_access_log(world):
    a, _b = world
    officer = user_for(a, Role.LEERPLICHT_OFFICER)
    page = _client(officer).get(reverse("web:student_search"), {"q": a.student.surname})
    assert a.student.given_names in page.content.decode()
    assert any(e.user_id == officer.pk for e in _log_of(a.student))
    # A parent reading the subject-access report sees it was a list, not a file opened.
    readable = subject_access_report(student=a.student).readable_log()
    assert any("in een lijst of zoekresultaat" in row["handeling"] for row in readable)


def test_an_api_list_read_that_returns_the_child_is_in_its_subject_access_log(world):
    a, _b = world
    token, plaintext = api_token_create(
        organisation=a.school, name="LAS", role=Role.SCHOOL_COORDINATOR, scopes=["students:read"]
    )
    response = Client().get("/api/v1/students", HTTP_AUTHORIZATION=f"Bearer {plaintext}")
    assert response.status_code == 200 and str(a.student.pk) in response.content.decode()
    assert any(e.user_id == token.account_id for e in _log_of(a.student))


def test_every_page_that_shows_the_child_is_in_its_subject_access_log(capsys):
    """Generated over every web endpoint (lists, searches, dashboards, exports and object
    pages) and every role: when the answer shows the child's name, the request's audit
    entry names the child, as subject or among the children shown (docs/adr/0103)."""
    world = World(target="a")
    child = world.a.student
    _ = world.case, world.melding, world.signal_hit, world.list_import
    objects = {
        e: {k: factory_for(e, k)(world) for k in e.kwargs}
        for e in object_endpoints()
        if not e.is_api
    }
    urls = [(e.url({}), {"q": child.surname}) for e in list_endpoints() if not e.is_api]
    urls += [(e.url(kwargs), {}) for e, kwargs in objects.items()]
    failures, shown = [], 0
    # Roles without a person scope show no child (test_roles_without_person_scope.py).
    for role in sorted(set(Role.values) - set(NO_PERSON_ROLES)):
        client = _client(user_for(world.a, role))
        for url, query in urls:
            before = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
            response = client.get(url, query)
            if child.full_name not in response.content.decode("utf-8", "replace"):
                continue
            shown += 1
            found = AuditEvent.objects.filter(id__gt=before).about_children([child.pk])
            if not found.exists():
                failures.append(f"{role:22} GET {url}: shows the child, entry does not name it")
    with capsys.disabled():
        print(f"\nsubject access completeness: {shown} responses showed the child")
    assert shown > 20
    assert not failures, "\n".join(failures)


def test_the_privacy_officers_audit_search_by_child_finds_the_list_read(world):
    a, _b = world
    officer = user_for(a, Role.LEERPLICHT_OFFICER)
    _client(officer).get(reverse("web:student_search"), {"q": a.student.surname})
    fg = _client(user_for(a, Role.PRIVACY_OFFICER))
    page = fg.get(reverse("privacy:audit_search"), {"child": a.student.bsn}).content.decode()
    assert officer.username in page
    assert "1 leerling in de lijst" in page
