"""ASVS V4.1.x/V4.3.x (administrative interfaces), V2.2.1 (anti-automation), V7.1/V7.2
(security logging): operators cannot become anyone, and the Django admin is one more door
of the same house (issue 14, findings 2 and 3; docs/adr/0120)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice
from tests.security.test_cross_scope_probe_matrix import _verify_second_factor
from tests.security.world import platform_operator, region, user_for

from leerrecht.accounts.models import Role, User
from leerrecht.accounts.services import AccountChangeRefused, user_change_role
from leerrecht.privacy.models import AuditEvent

pytestmark = pytest.mark.django_db
PASSWORD = "een-lang-wachtwoord-77"


def _client(user, *, verified: bool = True) -> Client:
    client = Client()
    client.force_login(user)
    if verified:
        _verify_second_factor(client, user)
    return client


def _move(actor, user, role, organisation):
    return user_change_role(
        actor=actor, user=user, role=role, organisation=organisation, change_organisation=True
    )


@pytest.fixture
def a():
    return region("A", surname="Janssen")


def test_functional_administrator_never_reaches_the_django_admin(a):
    operator = user_for(a, Role.OPERATOR)
    client = _client(operator)
    index = client.get("/beheer/")
    assert index.status_code == 302 and index.url.startswith("/beheer/login/")
    assert client.get(index.url).status_code == 404
    assert client.get(reverse("admin:accounts_user_changelist")).status_code != 200
    # Not even when someone made that account a superuser.
    User.objects.filter(pk=operator.pk).update(is_staff=True, is_superuser=True)
    assert _client(User.objects.get(pk=operator.pk)).get("/beheer/").status_code == 302


def test_platform_operator_needs_the_second_factor_for_the_admin(a):
    operator = platform_operator(a)
    unverified = _client(operator, verified=False)
    first = unverified.get("/beheer/")
    assert first.status_code == 302
    assert unverified.get(first.url).url.startswith(reverse("accounts:otp"))
    assert _client(operator).get("/beheer/").status_code == 200


def test_no_one_changes_their_own_role_or_organisation_in_the_admin(a):
    operator = platform_operator(a)
    client = _client(operator)
    url = reverse("admin:accounts_user_change", args=[operator.pk])
    page = client.get(url).content.decode()
    assert 'name="role"' not in page and 'name="is_superuser"' not in page
    client.post(
        url,
        {
            "username": operator.username,
            "role": Role.YOUTH_DOCTOR,
            "organisation": a.jgz.pk,
            "is_superuser": "on",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "10:00",
        },
    )
    operator.refresh_from_db()
    assert operator.role == Role.POLICY and operator.organisation is None


def test_the_issue_payload_functional_admin_becomes_youth_doctor_is_refused(a):
    """Finding 2: the functional administrator sets their own role to youth doctor and
    organisation to JGZ."""
    operator = user_for(a, Role.OPERATOR)
    with pytest.raises(AccountChangeRefused):
        _move(operator, operator, Role.YOUTH_DOCTOR, a.jgz)
    operator.refresh_from_db()
    assert operator.role == Role.OPERATOR
    denied = AuditEvent.objects.get(user=operator, outcome=AuditEvent.Outcome.DENIED)
    assert "geweigerd" in denied.detail


def test_only_operators_change_roles(a):
    doctor = user_for(a, Role.YOUTH_DOCTOR)
    mentor = user_for(a, Role.MENTOR)
    with pytest.raises(AccountChangeRefused):
        user_change_role(actor=mentor, user=doctor, role=Role.MENTOR)


def test_role_change_is_audited_with_before_and_after_and_shown_to_the_privacy_officer(a):
    operator = user_for(a, Role.OPERATOR)
    mentor = user_for(a, Role.MENTOR)
    _move(operator, mentor, Role.SCHOOL_COORDINATOR, a.swv)
    mentor.refresh_from_db()
    assert mentor.role == Role.SCHOOL_COORDINATOR and mentor.organisation == a.swv
    event = AuditEvent.objects.get(object_type="accounts.user", object_id=str(mentor.pk))
    assert event.user == operator and event.action == AuditEvent.Action.UPDATE
    assert "mentor -> school_coordinator" in event.detail
    assert f"{a.school.name}" in event.detail and f"{a.swv.name}" in event.detail
    fg = _client(user_for(a, Role.PRIVACY_OFFICER))
    found = fg.get(reverse("privacy:audit_search"), {"user": operator.username})
    assert found.status_code == 200
    # Shown with the roles' names (the audit log speaks Dutch, never identifiers).
    page = found.content.decode()
    assert "mentor / docent -&gt; zorgcoördinator / intern begeleider" in page
    assert "school_coordinator" not in page


def test_role_change_in_the_admin_goes_through_the_audited_service(a):
    operator = platform_operator(a)
    mentor = user_for(a, Role.MENTOR)
    client = _client(operator)
    url = reverse("admin:accounts_user_change", args=[mentor.pk])
    form = client.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and k != "password"}
    data.update(
        role=Role.YOUTH_DOCTOR,
        organisation=a.jgz.pk,
        date_joined_0=mentor.date_joined.strftime("%Y-%m-%d"),
        date_joined_1=mentor.date_joined.strftime("%H:%M:%S"),
    )
    data.pop("date_joined", None)
    data.pop("last_login", None)
    data.pop("groups", None)
    data.pop("user_permissions", None)
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    mentor.refresh_from_db()
    assert mentor.role == Role.YOUTH_DOCTOR
    event = AuditEvent.objects.get(object_type="accounts.user", object_id=str(mentor.pk))
    assert "mentor -> youth_doctor" in event.detail and event.user == operator


def test_totp_secrets_are_never_shown_in_the_admin(a):
    doctor = user_for(a, Role.YOUTH_DOCTOR)
    device = TOTPDevice.objects.get(user=doctor)
    client = _client(platform_operator(a))
    pages = [
        reverse("admin:otp_totp_totpdevice_changelist"),
        reverse("admin:otp_totp_totpdevice_change", args=[device.pk]),
    ]
    secret_b32 = device.config_url.split("secret=")[1].split("&")[0]
    for url in pages:
        body = client.get(url).content.decode()
        assert device.key not in body and secret_b32 not in body, url
        assert "otpauth://" not in body and "qrcode" not in body.lower(), url
    assert client.get(reverse("admin:otp_totp_totpdevice_add")).status_code == 403


def _wrong_passwords(client: Client, username: str, n: int, path: str) -> None:
    for _ in range(n):
        client.post(path, {"username": username, "password": "fout-wachtwoord-123"})


def test_admin_login_is_the_one_throttled_and_audited_login(a, settings):
    """Finding 3: after `beheer` is locked on the normal login, the correct password still
    worked on the admin login, and wrong admin passwords left no trace."""
    operator = platform_operator(a)
    operator.set_password(PASSWORD)
    operator.save()
    client = Client()
    admin_login = client.get("/beheer/login/?next=/beheer/")
    assert admin_login.status_code == 302
    assert admin_login.url.startswith(reverse("accounts:login"))
    # Wrong passwords sent to the admin address never reach a password check.
    _wrong_passwords(client, operator.username, 2, "/beheer/login/")
    assert "_auth_user_id" not in client.session
    login = reverse("accounts:login")
    _wrong_passwords(client, operator.username, settings.LEERRECHT_LOGIN_MAX_FAILURES, login)
    assert (
        AuditEvent.objects.filter(
            username=operator.username, outcome=AuditEvent.Outcome.DENIED
        ).count()
        >= settings.LEERRECHT_LOGIN_MAX_FAILURES
    )
    for path in ("/beheer/login/", login):
        client.post(path, {"username": operator.username, "password": PASSWORD})
        assert "_auth_user_id" not in client.session, path
    assert client.get("/beheer/").status_code == 302
