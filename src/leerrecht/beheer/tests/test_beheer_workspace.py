"""The functional administrator's workspace (docs/adr/0130): only for that role, protocols
readable with cited sources and a deadline preview, retention only after a dry run, API
tokens created and revoked without the Django admin."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from freezegun import freeze_time

from leerrecht.accounts.models import Role
from leerrecht.accounts.tests.factories import UserFactory
from leerrecht.api.models import ApiToken
from leerrecht.privacy.models import AuditEvent
from leerrecht.registry.models import Student
from leerrecht.registry.tests.factories import (
    EnrolmentFactory,
    OrganisationFactory,
    StudentFactory,
)

pytestmark = pytest.mark.django_db

PAGES = [
    ("beheer:index", {}),
    ("beheer:users", {}),
    ("beheer:organisations", {}),
    ("beheer:jobs", {}),
    ("beheer:retention", {}),
    ("beheer:api_tokens", {}),
    ("beheer:protocols", {}),
    ("beheer:protocol_detail", {"name": "haaglanden-po"}),
]


@pytest.fixture
def beheerder():
    return UserFactory(
        role=Role.OPERATOR, organisation=OrganisationFactory(operator=True), username="fb"
    )


def test_every_page_is_there_for_the_functional_administrator_only(login, beheerder):
    lpa = UserFactory(leerplicht=True)
    for name, kwargs in PAGES:
        assert login(lpa).get(reverse(name, kwargs=kwargs)).status_code == 404, name
    client = login(beheerder)
    for name, kwargs in PAGES:
        response = client.get(reverse(name, kwargs=kwargs))
        assert response.status_code == 200, name
        assert "seed" not in response.content.decode(), name


def test_the_functional_administrator_lands_in_the_workspace_not_the_django_admin(login, beheerder):
    response = login(beheerder).get("/")
    assert response.status_code == 302 and response["Location"] == reverse("beheer:index")


def test_a_protocol_shows_labels_cited_sources_and_a_deadline_preview(login, beheerder):
    with freeze_time("2026-12-03 10:00:00"):
        html = (
            login(beheerder)
            .get(reverse("beheer:protocol_detail", kwargs={"name": "haaglanden-po"}))
            .content.decode()
        )
    assert "4 schoolweken aaneengesloten niet op school" in html  # a signal's Dutch label
    assert "Routeboek Haaglanden po 2025, fase 2.1" in html
    assert "Stap 3 - Adviestafel" in html
    # The preview: the conversation with parents within 2 weeks of 3 December 2026.
    assert "17-12-2026" in html
    assert "peer_consultation" not in html and "with_enrolment" not in html


def test_retention_removes_only_after_a_confirmed_dry_run(login, beheerder):
    with freeze_time("2018-09-01 09:00:00"):
        gone = StudentFactory(surname="Oud")
    EnrolmentFactory(student=gone, start=dt.date(2018, 9, 1), end=dt.date(2020, 7, 17))
    client = login(beheerder)
    url = reverse("beheer:retention")
    page = client.get(url)
    assert Student.objects.filter(pk=gone.pk).exists()  # the dry run removes nothing
    digest = page.context["form"].initial["plan"]
    stale = client.post(url, {"plan": "0" * 64}, follow=True)
    assert "Er is iets veranderd" in stale.content.decode()
    assert Student.objects.filter(pk=gone.pk).exists()
    client.post(url, {"plan": digest})
    assert not Student.objects.filter(pk=gone.pk).exists()
    assert AuditEvent.objects.filter(
        processing_activity="bewaartermijn", action=AuditEvent.Action.DELETE, username="fb"
    ).exists()


def test_api_tokens_are_created_once_visible_and_revoked(login, beheerder):
    school = OrganisationFactory(school=True, name="Basisschool De Linde")
    client = login(beheerder)
    response = client.post(
        reverse("beheer:api_tokens"),
        {
            "name": "LAS-koppeling",
            "organisation": school.pk,
            "role": Role.SCHOOL_COORDINATOR,
            "scopes": ["attendance:write"],
        },
    )
    token = ApiToken.objects.get(name="LAS-koppeling")
    assert response.context["new_value"].startswith("lr_")  # shown once, on this page
    assert "verzuimbestanden aanleveren" in response.content.decode()
    client.post(reverse("beheer:api_token_revoke", kwargs={"pk": token.pk}))
    token.refresh_from_db()
    assert token.revoked_at is not None
    # A combination the access model refuses is answered in Dutch, nothing is created.
    refused = client.post(
        reverse("beheer:api_tokens"),
        {
            "name": "te veel",
            "organisation": school.pk,
            "role": Role.POLICY,
            "scopes": ["students:read"],
        },
    )
    assert "kan niet worden gemaakt" in refused.content.decode()
    assert not ApiToken.objects.filter(name="te veel").exists()


def test_a_role_change_goes_through_the_accounts_service_with_before_and_after(login, beheerder):
    school = OrganisationFactory(school=True, name="Basisschool De Linde")
    mentor = UserFactory(role=Role.MENTOR, organisation=school, username="docent1")
    client = login(beheerder)
    url = reverse("beheer:user_edit", kwargs={"pk": mentor.pk})
    assert client.get(url).status_code == 200
    client.post(
        url,
        {"role": Role.SCHOOL_COORDINATOR, "organisation": school.pk, "reason": "nieuwe IB-er"},
    )
    mentor.refresh_from_db()
    assert mentor.role == Role.SCHOOL_COORDINATOR
    change = AuditEvent.objects.filter(username="fb", action=AuditEvent.Action.UPDATE).get()
    assert "mentor" in change.detail and "school_coordinator" in change.detail
    assert "nieuwe IB-er" in change.detail
    # One's own account is refused by the service, in Dutch, and nothing changes.
    own = client.post(
        reverse("beheer:user_edit", kwargs={"pk": beheerder.pk}),
        {"role": Role.POLICY, "organisation": "", "reason": "probeer"},
    )
    assert "eigen rol" in own.content.decode()
    beheerder.refresh_from_db()
    assert beheerder.role == Role.OPERATOR
