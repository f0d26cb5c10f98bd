"""CSRF protection on every form (issue 5, point 4): no view opts out, except the token
API, which authenticates with a bearer header that a browser never sends by itself."""

from __future__ import annotations

import pytest
from django.test import Client
from tests.security.probes import all_endpoints
from tests.security.world import region, user_for

from leerrecht.accounts.models import Role


def _callback(endpoint):
    from django.urls import resolve

    url = endpoint.url({k: 1 for k in endpoint.kwargs})
    try:
        return resolve(url).func
    except Exception:  # a converter refusing 1 (slug etc.)
        return resolve(endpoint.url({k: "x" for k in endpoint.kwargs})).func


def test_no_view_outside_the_token_api_is_csrf_exempt():
    exempt = [
        e.route
        for e in all_endpoints()
        if not e.route.startswith("api/") and getattr(_callback(e), "csrf_exempt", False)
    ]
    assert not exempt, exempt


@pytest.mark.django_db
def test_a_signed_in_post_without_token_is_refused():
    settings_region = region("A", surname="Aalbers")
    user = user_for(settings_region, Role.SCHOOL_COORDINATOR)
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    response = client.post("/account/uitloggen/")
    assert response.status_code == 403
