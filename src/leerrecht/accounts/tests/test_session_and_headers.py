"""Session expiry after inactivity, security headers, CSRF (issue 5, point 4)."""

from __future__ import annotations

import pytest
from django.test import Client
from freezegun import freeze_time

from leerrecht.accounts.tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def test_passwords_are_hashed_with_argon2():
    user = UserFactory()
    assert user.password.startswith("argon2$argon2id$")


def test_session_expires_after_the_idle_period(settings):
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST is True
    user = UserFactory(policy=True)
    client = Client()
    with freeze_time("2026-11-23 09:00:00") as frozen:
        client.post("/account/inloggen/", {"username": user.username, "password": TEST_PASSWORD})
        assert client.session.get("_auth_user_id") == str(user.pk)
        # Activity within the window keeps the session alive (sliding expiry).
        frozen.move_to("2026-11-23 09:25:00")
        assert "_auth_user_id" in client.session
        client.get("/account/inloggen/")
        frozen.move_to("2026-11-23 09:50:00")
        assert client.session.get("_auth_user_id") == str(user.pk)
        # 31 minutes without a request: signed out.
        frozen.move_to("2026-11-23 10:21:00")
        response = client.get("/")
    assert response.status_code == 302
    assert response.url.startswith("/account/inloggen/")


def test_security_headers_on_every_page(client):
    response = client.get("/account/inloggen/")
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp


def test_signed_in_pages_are_not_cached(login):
    client = login(UserFactory(policy=True))
    response = client.get("/account/inloggen/")
    assert "no-store" in response["Cache-Control"]


def test_hsts_and_secure_cookies_behind_tls(settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SESSION_COOKIE_SECURE = True
    settings.CSRF_COOKIE_SECURE = True
    user = UserFactory(policy=True)
    client = Client()
    response = client.post(
        "/account/inloggen/",
        {"username": user.username, "password": TEST_PASSWORD},
        secure=True,
    )
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")
    session_cookie = response.cookies["sessionid"]
    assert session_cookie["secure"] is True
    assert session_cookie["httponly"] is True
    assert session_cookie["samesite"] == "Lax"


def test_login_without_csrf_token_is_refused():
    UserFactory(username="zonder.token")
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        "/account/inloggen/", {"username": "zonder.token", "password": TEST_PASSWORD}
    )
    assert response.status_code == 403
    assert "_auth_user_id" not in client.session


def test_login_with_csrf_token_is_accepted():
    UserFactory(username="met.token")
    client = Client(enforce_csrf_checks=True)
    client.get("/account/inloggen/")
    token = client.cookies["csrftoken"].value
    response = client.post(
        "/account/inloggen/",
        {"username": "met.token", "password": TEST_PASSWORD, "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 302


def test_logout_without_csrf_token_is_refused(login):
    user = UserFactory(policy=True)
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    response = client.post("/account/uitloggen/")
    assert response.status_code == 403
    assert client.session.get("_auth_user_id") == str(user.pk)
