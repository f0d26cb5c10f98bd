import pytest


@pytest.fixture(autouse=True)
def _cheap_password_hasher(settings):
    """These tests create many users; argon2 is covered by accounts' own tests."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
