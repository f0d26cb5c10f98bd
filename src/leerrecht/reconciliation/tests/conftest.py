from __future__ import annotations

import pytest

from leerrecht.accounts.tests.factories import UserFactory


@pytest.fixture
def officer(db):
    return UserFactory(leerplicht=True)


def csv_bytes(*lines: str) -> bytes:
    return ("\n".join(lines) + "\n").encode("utf-8")
