"""Login throttling and lockout, with messages that do not reveal whether a name exists."""

from __future__ import annotations

import pytest
from django.urls import reverse
from freezegun import freeze_time

from leerrecht.accounts.models import LoginFailure
from leerrecht.accounts.tests.factories import TEST_PASSWORD, UserFactory
from leerrecht.privacy.models import AuditEvent

pytestmark = pytest.mark.django_db

LOGIN = "/account/inloggen/"
WRONG = "niet-het-wachtwoord-1"
INVALID_TEXT = "De combinatie van gebruikersnaam en wachtwoord klopt niet"
LOCKED_TEXT = "te vaak een verkeerd wachtwoord"


@pytest.fixture(autouse=True)
def _limits(settings):
    # Throttling does not depend on the hasher; MD5 keeps these tests cheap on CPU.
    # test_passwords_are_hashed_with_argon2 covers the real hasher.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.LEERRECHT_LOGIN_MAX_FAILURES = 3
    settings.LEERRECHT_LOGIN_LOCKOUT_MINUTES = 15


def _attempt(client, username, password, address="10.0.0.1"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


def test_login_url_is_the_accounts_login():
    assert reverse("accounts:login") == LOGIN


def test_correct_password_signs_in_and_is_audited(client):
    user = UserFactory(username="mentor.jansen")
    response = _attempt(client, "mentor.jansen", TEST_PASSWORD)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)
    event = AuditEvent.objects.get(action="login", outcome="ok")
    assert event.user_id == user.pk
    assert event.processing_activity == "authenticatie"


def test_wrong_password_and_unknown_name_get_the_same_message(client):
    UserFactory(username="bestaat")
    existing = _attempt(client, "bestaat", WRONG)
    unknown = _attempt(client, "bestaat-niet", WRONG)
    assert existing.status_code == unknown.status_code == 200
    assert INVALID_TEXT in existing.content.decode()
    assert INVALID_TEXT in unknown.content.decode()
    denied = AuditEvent.objects.filter(action="login", outcome="denied").order_by("id")
    assert [e.username for e in denied] == ["bestaat", "bestaat-niet"]
    assert all(e.user_id is None for e in denied)


def test_inactive_account_gets_the_same_message_as_a_wrong_password(client):
    UserFactory(username="uitdienst", is_active=False)
    response = _attempt(client, "uitdienst", TEST_PASSWORD)
    assert INVALID_TEXT in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_lockout_after_max_failures_refuses_even_the_right_password(client):
    UserFactory(username="coordinator")
    with freeze_time("2026-11-23 10:00:00"):
        for _ in range(3):
            _attempt(client, "coordinator", WRONG)
        response = _attempt(client, "coordinator", TEST_PASSWORD)
    assert LOCKED_TEXT in response.content.decode()
    assert "15 minuten" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(detail__startswith="geblokkeerd").count() == 1


def test_unknown_names_are_locked_out_the_same_way(client):
    with freeze_time("2026-11-23 10:00:00"):
        for _ in range(3):
            _attempt(client, "niemand", WRONG)
        response = _attempt(client, "niemand", WRONG)
    assert LOCKED_TEXT in response.content.decode()


def test_lockout_ends_after_the_lockout_period(client):
    user = UserFactory(username="coordinator")
    with freeze_time("2026-11-23 10:00:00"):
        for _ in range(3):
            _attempt(client, "coordinator", WRONG)
    with freeze_time("2026-11-23 10:14:00"):
        assert LOCKED_TEXT in _attempt(client, "coordinator", TEST_PASSWORD).content.decode()
    with freeze_time("2026-11-23 10:16:00"):
        response = _attempt(client, "coordinator", TEST_PASSWORD)
        # Read the session while time is still frozen: it expires 30 idle minutes later.
        assert response.status_code == 302
        assert client.session["_auth_user_id"] == str(user.pk)
    # A successful sign-in resets the count for that name.
    assert not LoginFailure.objects.filter(username="coordinator").exists()


def test_locked_attempts_do_not_extend_the_lockout(client):
    UserFactory(username="coordinator")
    with freeze_time("2026-11-23 10:00:00"):
        for _ in range(3):
            _attempt(client, "coordinator", WRONG)
    with freeze_time("2026-11-23 10:10:00"):
        _attempt(client, "coordinator", WRONG)
    assert LoginFailure.objects.filter(username="coordinator").count() == 3


def test_username_is_counted_case_insensitively(client):
    with freeze_time("2026-11-23 10:00:00"):
        for name in ("Coordinator", "COORDINATOR", "coordinator"):
            _attempt(client, name, WRONG)
        response = _attempt(client, "coordinator", WRONG)
    assert LOCKED_TEXT in response.content.decode()


def test_one_address_trying_many_names_is_locked_out(client, settings):
    settings.LEERRECHT_LOGIN_MAX_FAILURES_PER_ADDRESS = 4
    UserFactory(username="slachtoffer")
    with freeze_time("2026-11-23 10:00:00"):
        for n in range(4):
            _attempt(client, f"naam{n}", WRONG, address="192.0.2.7")
        from_attacker = _attempt(client, "slachtoffer", TEST_PASSWORD, address="192.0.2.7")
        assert LOCKED_TEXT in from_attacker.content.decode()
        # The same account from another address is not affected by that address's lock.
        elsewhere = _attempt(client, "slachtoffer", TEST_PASSWORD, address="198.51.100.1")
    assert elsewhere.status_code == 302
