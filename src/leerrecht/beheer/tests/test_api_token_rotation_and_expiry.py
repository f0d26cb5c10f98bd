"""API tokens in the beheer workspace (ADR 0134): when each one expires (and whether that is
soon or past), when it was last used, and rotation - a new value with the same rights, the
old one refused at once; every change in the audit log."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from leerrecht.accounts.models import Role
from leerrecht.accounts.tests.factories import UserFactory
from leerrecht.api.models import ApiToken
from leerrecht.api.services import api_token_authenticate, api_token_create
from leerrecht.beheer.views import TOKEN_EXPIRY_WARNING_DAYS
from leerrecht.privacy.models import AuditEvent
from leerrecht.registry.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def beheerder():
    return UserFactory(role=Role.OPERATOR, organisation=OrganisationFactory(operator=True))


@pytest.fixture
def school():
    return OrganisationFactory(school=True, name="Basisschool De Linde")


def _token(school, name):
    return api_token_create(
        organisation=school,
        name=name,
        role=Role.SCHOOL_COORDINATOR,
        scopes=["attendance:write"],
    )


def test_the_token_page_says_when_tokens_expire_and_were_last_used(login, beheerder, school):
    _fresh, fresh_value = _token(school, "LAS-vers")
    soon, _v = _token(school, "LAS-bijna")
    gone, _v = _token(school, "LAS-oud")
    now = timezone.now()
    ApiToken.objects.filter(pk=soon.pk).update(
        expires_at=now + dt.timedelta(days=TOKEN_EXPIRY_WARNING_DAYS - 1)
    )
    ApiToken.objects.filter(pk=gone.pk).update(expires_at=now - dt.timedelta(days=1))
    assert api_token_authenticate(raw=fresh_value) is not None  # marks it used

    page = login(beheerder).get(reverse("beheer:api_tokens"))
    rows = {r["token"].name: r for r in page.context["tokens"]}
    assert (rows["LAS-vers"]["expired"], rows["LAS-vers"]["expires_soon"]) == (False, False)
    assert rows["LAS-bijna"]["expires_soon"] and not rows["LAS-bijna"]["expired"]
    assert rows["LAS-oud"]["expired"]
    html = page.content.decode()
    assert "verloopt binnenkort" in html and "verlopen" in html
    assert timezone.localtime(rows["LAS-vers"]["token"].last_used_at).strftime("%d-%m-%Y %H:") in (
        html
    )
    assert "nog nooit" in html  # the other two were never used


def test_rotation_gives_a_new_value_with_the_same_rights_and_stops_the_old(
    login, beheerder, school
):
    old, old_value = _token(school, "LAS-koppeling")
    client = login(beheerder)
    response = client.post(reverse("beheer:api_token_rotate", kwargs={"pk": old.pk}))
    assert response.status_code == 200
    new_value = response.context["new_value"]
    assert new_value.startswith("lr_") and new_value in response.content.decode()
    assert api_token_authenticate(raw=old_value) is None
    new = api_token_authenticate(raw=new_value)
    assert (new.name, new.organisation, new.role, new.scopes) == (
        old.name,
        old.organisation,
        old.role,
        old.scopes,
    )
    assert new.expires_at > timezone.now() + dt.timedelta(days=TOKEN_EXPIRY_WARNING_DAYS)
    entry = AuditEvent.objects.filter(
        username=beheerder.username, detail__startswith="API-token vernieuwd"
    ).get()
    assert entry.object_id == str(new.pk) and old.prefix in entry.detail
    assert new_value not in entry.detail and old_value not in entry.detail

    # A revoked token cannot be rotated back to life.
    again = client.post(reverse("beheer:api_token_rotate", kwargs={"pk": old.pk}), follow=True)
    assert "kan niet worden vernieuwd" in again.content.decode()
    assert ApiToken.objects.filter(name="LAS-koppeling", revoked_at__isnull=True).count() == 1


def test_creating_and_revoking_a_token_are_audited(login, beheerder, school):
    client = login(beheerder)
    client.post(
        reverse("beheer:api_tokens"),
        {
            "name": "LAS",
            "organisation": school.pk,
            "role": Role.SCHOOL_COORDINATOR,
            "scopes": ["attendance:write"],
        },
    )
    token = ApiToken.objects.get(name="LAS")
    client.post(reverse("beheer:api_token_revoke", kwargs={"pk": token.pk}))
    details = list(
        AuditEvent.objects.filter(username=beheerder.username, object_id=str(token.pk))
        .order_by("pk")
        .values_list("action", "detail")
    )
    assert [a for a, _d in details] == [AuditEvent.Action.CREATE, AuditEvent.Action.UPDATE]
    assert details[0][1].startswith("API-token aangemaakt: LAS (Basisschool De Linde")
    assert details[1][1].startswith("API-token ingetrokken: LAS")
