"""ASVS V3.2.1 (new session token on authentication), V3.5.x/V2.10 (token lifetime,
rotation, last use), V5.1.3/V5.1.4 (input refused, not sanitised): issue 14, finding 8."""

from __future__ import annotations

import datetime as dt

import pandas  # noqa: F401 - import before freezegun freezes time (pyarrow imports it lazily)
import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from freezegun import freeze_time
from tests.security.world import region, user_for

from leerrecht.accounts.models import Role
from leerrecht.api.models import ApiToken
from leerrecht.api.services import api_token_create, api_token_rotate
from leerrecht.config.env import env_int

pytestmark = pytest.mark.django_db


@pytest.fixture
def a():
    return region("A", surname="Janssen")


def _token(a):
    return api_token_create(
        organisation=a.school, name="LAS", role=Role.SCHOOL_COORDINATOR, scopes=["students:read"]
    )


def _get(plaintext: str, path: str = "/api/v1/students", **params):
    return Client().get(path, params, HTTP_AUTHORIZATION=f"Bearer {plaintext}")


def test_session_key_is_rotated_at_the_second_factor(a):
    user = user_for(a, Role.LEERPLICHT_OFFICER)
    client = Client()
    client.force_login(user)
    before = client.session.session_key
    device = TOTPDevice.objects.get(user=user)
    code = f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"
    response = client.post(reverse("accounts:otp"), {"token": code})
    assert response.status_code == 302
    after = client.session.session_key
    assert after != before
    assert client.get(reverse("cases:worklist")).status_code == 200  # still signed in


def test_api_token_expires_after_its_lifetime_and_records_last_use(a, settings):
    settings.LEERRECHT_API_TOKEN_LIFETIME_DAYS = 365
    token, plaintext = _token(a)
    assert token.expires_at.date() == (timezone.now() + dt.timedelta(days=365)).date()
    assert _get(plaintext).status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None
    with freeze_time(timezone.now() + dt.timedelta(days=366)):
        expired = _get(plaintext)
    assert expired.status_code == 401


def test_tokens_from_before_expiry_existed_expire_from_their_creation(a, settings):
    settings.LEERRECHT_API_TOKEN_LIFETIME_DAYS = 30
    token, plaintext = _token(a)
    ApiToken.objects.filter(pk=token.pk).update(expires_at=None)
    assert _get(plaintext).status_code == 200
    with freeze_time(timezone.now() + dt.timedelta(days=31)):
        assert _get(plaintext).status_code == 401


def test_rotation_gives_a_new_token_and_stops_the_old_one(a):
    token, old = _token(a)
    new_token, new = api_token_rotate(token=token)
    assert new_token.scopes == token.scopes and new_token.organisation == token.organisation
    assert _get(old).status_code == 401
    assert _get(new).status_code == 200


def test_token_lifetime_setting_is_parsed_strictly():
    assert env_int("LEERRECHT_API_TOKEN_LIFETIME_DAYS", 365, environ={}) == 365
    for bad in ("een jaar", "0", "-5", "1.5"):
        with pytest.raises(ImproperlyConfigured):
            env_int(
                "LEERRECHT_API_TOKEN_LIFETIME_DAYS",
                365,
                minimum=1,
                environ={"LEERRECHT_API_TOKEN_LIFETIME_DAYS": bad},
            )


def test_nul_in_a_search_lists_no_children(a):
    """`GET /leerlingen/?q=%00` listed 50 children where an empty query lists none."""
    client = Client()
    user = user_for(a, Role.LEERPLICHT_OFFICER)
    from tests.security.test_cross_scope_probe_matrix import _verify_second_factor

    client.force_login(user)
    _verify_second_factor(client, user)
    for raw in ("%00", "a%00", "%0d%0a", "%1b", "%7f"):
        response = client.get(f"/leerlingen/?q={raw}")
        assert response.status_code == 400, raw
        assert a.student.surname not in response.content.decode(), raw
    assert client.get("/leerlingen/?q=Janssen").status_code == 200


def test_nul_in_api_queries_and_bodies_is_a_problem(a):
    _token_obj, plaintext = _token(a)
    response = _get(plaintext, q="\x00")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/problem+json")
    assert "ongeldige tekens" in response.json()["detail"]
    body = Client().post(
        "/api/v1/meldingen",
        data='{"note": "a\\u0000b"}',
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {plaintext}",
    )
    assert body.status_code == 400


def test_rotation_from_the_command_line(a):
    from typer.testing import CliRunner

    from leerrecht.cli.main import app

    token, old = _token(a)
    result = CliRunner().invoke(app, ["api-token", "rotate", token.prefix])
    assert result.exit_code == 0, result.output
    new = result.output.strip().splitlines()[-1].strip()
    assert new.startswith("lr_") and new != old
    assert _get(old).status_code == 401 and _get(new).status_code == 200
