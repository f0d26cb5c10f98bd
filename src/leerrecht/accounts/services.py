"""Write-side services for users and their second factor."""

from __future__ import annotations

import segno
from django_otp.plugins.otp_totp.models import TOTPDevice


def totp_device_get_or_create(*, user) -> TOTPDevice:
    """The user's TOTP device; a new, unconfirmed one when they have none yet."""
    device = TOTPDevice.objects.filter(user=user).order_by("-confirmed", "id").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)
    return device


def totp_qr_svg(*, device: TOTPDevice) -> str:
    """An inline SVG data URI of the enrolment QR code (no external service)."""
    return segno.make(device.config_url, error="m").svg_data_uri(scale=4)
