"""Policy users see aggregates, never persons; operators administer but do not read case
content; the privacy officer reads a child only through the audited AVG art. 15 export
(issue 5, point 1)."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.contrib import admin
from django.test import Client
from django.urls import reverse
from tests.security.probes import REVIEWED_ACCESS, World, factory_for, object_endpoints
from tests.security.test_cross_scope_probe_matrix import _verify_second_factor
from tests.security.world import platform_operator, user_for

from leerrecht.accounts.models import Role
from leerrecht.privacy.query import NO_PERSON_ROLES

pytestmark = pytest.mark.django_db

CASE_CONTENT = "CASUSINHOUD-4417"


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    _verify_second_factor(client, user)
    return client


@pytest.mark.parametrize("role", sorted(NO_PERSON_ROLES))
def test_roles_without_person_scope_get_no_person_page_of_their_own_region(role):
    world = World(target="a")  # the child is in the user's own region
    values = {
        e: {k: factory_for(e, k)(world) for k in e.kwargs}
        for e in object_endpoints()
        if not e.is_api
    }
    client = _client(user_for(world.a, role))
    failures = []
    for endpoint, kwargs in values.items():
        if (endpoint.ident, role) in REVIEWED_ACCESS:
            continue
        url = endpoint.url(kwargs)
        response = client.get(url)
        if response.status_code == 200:
            failures.append(f"{url}: 200")
        body = response.content.decode("utf-8", "replace")
        shown = [s for s in world.secrets() if s in body]
        if shown:
            failures.append(f"{url}: shows {shown}")
    assert not failures, "\n".join(failures)


def test_policy_user_is_sent_to_the_figures_not_to_persons():
    world = World(target="a")
    client = _client(user_for(world.a, Role.POLICY))
    response = client.get("/")
    assert response.status_code == 302
    assert response.url == reverse("monitoring:dashboard")
    # Searching for a child by name finds nothing (the query itself may be echoed).
    search = client.get("/leerlingen/", {"q": world.a.student.surname})
    body = search.content.decode()
    assert world.a.student.bsn not in body
    assert world.a.student.given_names not in body


def test_operator_admin_shows_no_child_data_or_case_content():
    """Every model in the Django admin, list and detail page, as a platform operator."""
    world = World(target="a")
    CaseEvent = apps.get_model("cases", "CaseEvent")
    CaseEvent.objects.create(
        case=world.case,
        actor=world.b_owner,
        actor_name=str(world.b_owner),
        kind="contact",
        summary=f"{CASE_CONTENT} gesprek met moeder over angst",
        data={"verslag": f"{CASE_CONTENT} {world.t.student.full_name}"},
    )
    operator = platform_operator(world.a)
    client = _client(operator)
    assert client.get(reverse("admin:index")).status_code == 200
    secrets = [*world.secrets(), CASE_CONTENT]
    failures = []
    for model in admin.site._registry:
        opts = model._meta
        pages = [reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")]
        pages += [
            reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[pk])
            for pk in model._default_manager.values_list("pk", flat=True)[:5]
        ]
        for url in pages:
            body = client.get(url).content.decode("utf-8", "replace")
            shown = [s for s in secrets if s in body]
            if shown:
                failures.append(f"{opts.label} {url}: shows {shown}")
    assert not failures, "\n".join(failures)
