"""Every role that can see personal data must pass a TOTP second factor (issue 5, point 4)."""

from __future__ import annotations

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from leerrecht.accounts.models import SECOND_FACTOR_ROLES, Role
from leerrecht.accounts.tests.factories import TEST_PASSWORD, UserFactory
from leerrecht.privacy.models import AuditEvent

pytestmark = pytest.mark.django_db

OTP_URL = "/account/tweede-factor/"


@pytest.fixture(autouse=True)
def _cheap_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _password_login(client, user):
    response = client.post(
        "/account/inloggen/", {"username": user.username, "password": TEST_PASSWORD}
    )
    assert response.status_code == 302
    return response


def _current_code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


@pytest.mark.parametrize("role", sorted(SECOND_FACTOR_ROLES))
def test_personal_data_roles_are_sent_to_the_second_factor(client, role):
    user = UserFactory(role=role)
    _password_login(client, user)
    for path in ("/", "/privacy/audit/", "/casussen/", "/cijfers/"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response.url.startswith(OTP_URL), path


def test_policy_role_does_not_need_a_second_factor(client):
    assert Role.POLICY not in SECOND_FACTOR_ROLES
    user = UserFactory(policy=True)
    _password_login(client, user)
    response = client.get("/")
    assert not response.url.startswith(OTP_URL)


def test_wrong_code_is_refused_and_audited(client):
    user = UserFactory(mentor=True)
    _password_login(client, user)
    response = client.post(OTP_URL, {"token": "000000"})
    assert response.status_code == 200
    assert "Deze code klopt niet" in response.content.decode()
    assert client.get("/").url.startswith(OTP_URL)
    assert AuditEvent.objects.filter(
        user=user, action="login", outcome="denied", detail="tweede factor onjuist"
    ).exists()


def test_right_code_verifies_the_session(client):
    user = UserFactory(mentor=True)
    device = TOTPDevice.objects.get(user=user)
    _password_login(client, user)
    response = client.post(OTP_URL, {"token": _current_code(device)})
    assert response.status_code == 302
    assert not client.get("/").url.startswith(OTP_URL)
    assert AuditEvent.objects.filter(user=user, detail="tweede factor juist").exists()


def test_next_parameter_cannot_redirect_off_site(client):
    user = UserFactory(mentor=True)
    device = TOTPDevice.objects.get(user=user)
    _password_login(client, user)
    response = client.post(
        f"{OTP_URL}?next=https://evil.example/", {"token": _current_code(device)}
    )
    assert response.status_code == 302
    assert "evil.example" not in response.url


def test_first_sign_in_enrols_a_device_with_a_qr_code(client):
    user = UserFactory(mentor=True)
    TOTPDevice.objects.filter(user=user).delete()
    _password_login(client, user)
    response = client.get(OTP_URL)
    assert response.status_code == 200
    assert b"data:image/svg+xml" in response.content
    device = TOTPDevice.objects.get(user=user)
    assert device.confirmed is False
    client.post(OTP_URL, {"token": _current_code(device)})
    device.refresh_from_db()
    assert device.confirmed is True
