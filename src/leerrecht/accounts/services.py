"""Write-side services for users and their second factor."""

from __future__ import annotations

import ipaddress
from datetime import timedelta

import segno
from django.conf import settings
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from leerrecht.accounts.models import LoginFailure


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
