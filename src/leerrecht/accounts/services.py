"""Write-side services for users and their second factor."""

from __future__ import annotations

import ipaddress
from datetime import timedelta

import segno
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from leerrecht.accounts.models import LoginFailure, Role, User
from leerrecht.privacy.models import AuditEvent
from leerrecht.privacy.services import audit_record


class AccountChangeRefused(PermissionError):
    """A role or organisation change that the rules do not allow; `str()` is Dutch."""


def user_is_platform_operator(user) -> bool:
    """May use the Django admin (/beheer/): a superuser that is not a functional
    administrator (docs/adr/0120). Functional administrators use the beheer workspace."""
    return bool(
        getattr(user, "is_active", False)
        and getattr(user, "is_superuser", False)
        and getattr(user, "role", None) != Role.OPERATOR
    )


def user_may_manage_accounts(user) -> bool:
    return bool(
        getattr(user, "is_active", False)
        and (getattr(user, "role", None) == Role.OPERATOR or user_is_platform_operator(user))
    )


def _label(organisation) -> str:
    return f"{organisation.name} (#{organisation.pk})" if organisation is not None else "geen"


def user_change_role(
    *,
    actor,
    user: User,
    role: str | None = None,
    organisation=None,
    change_organisation: bool = False,
    reason: str = "",
) -> User:
    """THE way a user's role and/or organisation changes (web beheer pages, Django admin,
    scripts). Refuses a change of one's own account and changes by anyone but an operator;
    writes one audit entry with before and after (activity "authenticatie", shown to the
    privacy officer in the audit log). Returns the user as stored.

    `organisation` is only applied when `change_organisation=True` (so None can mean
    "no organisation")."""
    refusal = None
    if not user_may_manage_accounts(actor):
        refusal = "Alleen een beheerder mag rollen en organisaties wijzigen."
    elif getattr(actor, "pk", None) == user.pk:
        refusal = "U kunt uw eigen rol of organisatie niet wijzigen; vraag een andere beheerder."
    elif role is not None and role not in Role.values:
        refusal = f"Onbekende rol: {role}."
    elif role == Role.OPERATOR and user.is_superuser:
        refusal = (
            "Een platformbeheerder kan geen functioneel beheerder worden; gebruik een apart "
            "account."
        )
    if refusal:
        audit_record(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            activity="authenticatie",
            obj=user,
            outcome=AuditEvent.Outcome.DENIED,
            detail=f"account {user.username}: rol/organisatie wijzigen geweigerd: {refusal}",
        )
        raise AccountChangeRefused(refusal)
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        before_role, before_org = locked.role, locked.organisation
        after_role = role if role is not None else before_role
        after_org = organisation if change_organisation else before_org
        changes, fields = [], []
        if after_role != before_role:
            changes.append(f"rol: {before_role} -> {after_role}")
            fields.append("role")
        if getattr(after_org, "pk", None) != getattr(before_org, "pk", None):
            changes.append(f"organisatie: {_label(before_org)} -> {_label(after_org)}")
            fields.append("organisation")
        if not changes:
            return locked
        locked.role, locked.organisation = after_role, after_org
        locked.save(update_fields=["role", "organisation"])
        audit_record(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            activity="authenticatie",
            obj=locked,
            fields=fields,
            detail=f"account {locked.username}: {'; '.join(changes)}"
            + (f" (reden: {reason})" if reason else ""),
        )
    user.role, user.organisation = after_role, after_org
    return locked


def totp_device_get_or_create(*, user) -> TOTPDevice:
    """The user's TOTP device; a new, unconfirmed one when they have none yet."""
    device = TOTPDevice.objects.filter(user=user).order_by("-confirmed", "id").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)
    return device


def totp_qr_svg(*, device: TOTPDevice) -> str:
    """An inline SVG data URI of the enrolment QR code (no external service)."""
    return segno.make(device.config_url, error="m").svg_data_uri(scale=4)


# --- Login throttling (issue 5, point 4) -------------------------------------------------


def client_address(request) -> str | None:
    """The client's IP address. Behind our TLS proxy, the last X-Forwarded-For hop (the one
    our proxy appended); otherwise REMOTE_ADDR. Anything unparsable counts as unknown."""
    raw = request.META.get("REMOTE_ADDR", "")
    if getattr(settings, "TLS", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            raw = forwarded.split(",")[-1].strip()
    try:
        return str(ipaddress.ip_address(raw))
    except ValueError:
        return None


def _window_start():
    return timezone.now() - timedelta(minutes=settings.LEERRECHT_LOGIN_LOCKOUT_MINUTES)


def login_max_failures_per_address() -> int:
    """Many people share an address (a school behind one NAT): four times the per-name limit
    unless LEERRECHT_LOGIN_MAX_FAILURES_PER_ADDRESS says otherwise (docs/adr/0032)."""
    return getattr(
        settings,
        "LEERRECHT_LOGIN_MAX_FAILURES_PER_ADDRESS",
        settings.LEERRECHT_LOGIN_MAX_FAILURES * 4,
    )


def login_is_locked(*, username: str, address: str | None) -> bool:
    """True when this name, or this address, had too many failures within the window."""
    since = _window_start()
    recent = LoginFailure.objects.filter(occurred_at__gte=since)
    if (
        recent.filter(username=username.strip().lower()).count()
        >= settings.LEERRECHT_LOGIN_MAX_FAILURES
    ):
        return True
    return (
        address is not None
        and recent.filter(client_address=address).count() >= login_max_failures_per_address()
    )


def login_failure_record(*, username: str, address: str | None) -> None:
    LoginFailure.objects.create(username=username.strip().lower()[:150], client_address=address)


def login_failures_clear(*, username: str) -> None:
    """A successful sign-in resets the count for that name (not for the address)."""
    LoginFailure.objects.filter(username=username.strip().lower()).delete()
