"""Fixtures shared by every app's tests."""

from __future__ import annotations

# pyarrow imports pandas lazily the first time it converts Python objects; when that first
# import happens inside a freezegun-frozen test, pandas' C extensions meet freezegun's fake
# datetime classes and the interpreter crashes (segmentation fault), depending on test order.
# Importing it before any test runs makes the suite independent of order.
import pandas  # noqa: F401
import pytest
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice
from hypothesis import settings as hypothesis_settings

# Speed is measured by benchmarks, not tests: no per-example time limit, which on two shared
# cores only makes property tests fail at random.
hypothesis_settings.register_profile("leerrecht", deadline=None)
hypothesis_settings.load_profile("leerrecht")


@pytest.fixture(autouse=True)
def _isolated_data_dir(settings, tmp_path):
    """Each test writes files (imports, exports) into its own directory."""
    settings.DATA_DIR = tmp_path / "var"
    settings.MEDIA_ROOT = tmp_path / "var" / "media"
    settings.LEERRECHT_JOBS_EAGER = True
    # Figures are computed on every request in tests (one test switches the cache on).
    settings.LEERRECHT_FIGURES_CACHE_SECONDS = 0


@pytest.fixture
def login(client):
    """Sign `user` in with a verified second factor; returns the client."""

    def _login(user, *, verified: bool = True):
        client.force_login(user)
        if verified:
            device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
            if device is None:
                device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)
            session = client.session
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
            session.save()
        return client

    return _login
