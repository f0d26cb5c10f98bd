"""THE cross-scope probe matrix (issue 5, "Tests that must exist").

For every role, every URL and API endpoint with an object id (found by walking the URL
configuration, so a new endpoint is probed automatically), and an object that belongs to
another school / municipality / organisation: the answer is 404 and the body holds no
personal data of the other region's child. Endpoints answering 405 to GET are probed with
POST. An unknown kwarg name fails the test: add a factory in tests/security/probes.py.
"""

from __future__ import annotations

import pytest
from django.test import Client
from tests.security.probes import (
    NON_ID_KWARGS,
    NON_PERSONAL,
    REVIEWED_ACCESS,
    REVIEWED_STATUS,
    World,
    all_endpoints,
    audit_entries_expected,
    factory_for,
    list_endpoints,
    non_personal_reason,
    object_endpoints,
)
from tests.security.world import user_for

from leerrecht.accounts.models import Role
from leerrecht.privacy.models import AuditEvent
from leerrecht.privacy.query import NO_PERSON_ROLES

ROLES = list(Role.values)
NONEXISTENT_ID = 987654321


def test_every_object_endpoint_has_a_factory_or_a_reviewed_reason():
    missing = [
        f"add a factory for kwarg {kwarg!r} of {e.ident} ({e.route}) in tests/security/probes.py"
        for e in object_endpoints()
        for kwarg in e.kwargs
        if factory_for(e, kwarg) is None
    ]
    assert not missing, "\n".join(missing)


def test_excluded_endpoints_are_only_the_reviewed_ones():
    excluded = {non_personal_reason(e) for e in all_endpoints() if e.kwargs} - {None}
    assert excluded <= set(NON_PERSONAL.values()), excluded


# Audit findings of every probe: each request must write exactly the entries its
# declaration promises (docs/adr/0103), a refused one with outcome "geweigerd".
AUDIT_FINDINGS: list[str] = []
AUDITED_REQUESTS: list[int] = [0]  # requests that had to write one entry (not vacuous)


def _audited(send, url: str):
    before = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
    response = send()
    written = list(AuditEvent.objects.filter(id__gt=before))
    expected = audit_entries_expected(url, response.status_code)
    AUDITED_REQUESTS[0] += expected
    if len(written) != expected:
        AUDIT_FINDINGS.append(
            f"{url} -> {response.status_code}: {len(written)} audit entries, expected {expected}"
        )
    elif response.status_code == 404 and written and written[0].outcome != "denied":
        AUDIT_FINDINGS.append(f"{url} -> 404 logged as {written[0].outcome!r}, not denied")
    return response


def _probe(client: Client, url: str, **extra):
    response = _audited(lambda: client.get(url, **extra), url)
    method = "GET"
    if response.status_code == 405:
        response = _audited(lambda: client.post(url, {}, **extra), url)
        method = "POST"
    return method, response


def _take_audit_findings() -> list[str]:
    found = list(AUDIT_FINDINGS)
    if AUDITED_REQUESTS[0] < 20:
        found.append(f"only {AUDITED_REQUESTS[0]} requests had to write an entry: vacuous")
    AUDIT_FINDINGS.clear()
    AUDITED_REQUESTS[0] = 0
    return found


def _leaks(world: World, response, *, sent: tuple[str, ...] = ()) -> list[str]:
    """The other region's child's identifiers found in the body; text the probe sent
    itself (a search box echoing the query) does not count."""
    body = response.content.decode("utf-8", "replace")
    return [s for s in world.secrets() if s and s in body and not any(s in x for x in sent)]


@pytest.mark.django_db
def test_cross_scope_probe_matrix(capsys):
    world = World()
    endpoints = [e for e in object_endpoints() if not e.is_api]
    values = {
        e: {k: factory_for(e, k)(world) for k in e.kwargs}
        for e in endpoints
        if all(factory_for(e, k) for k in e.kwargs)
    }
    failures: list[str] = []
    role_level_403: list[str] = []
    probes = reviewed = 0
    for role in ROLES:
        user = user_for(world.a, role)
        client = Client()
        client.force_login(user)
        _verify_second_factor(client, user)
        for endpoint, kwargs in values.items():
            if (endpoint.ident, role) in REVIEWED_ACCESS:
                reviewed += 1
                continue
            url = endpoint.url(kwargs)
            probes += 1
            try:
                method, response = _probe(client, url)
            except Exception as exc:  # a crash is a finding too, not a stop
                failures.append(f"{role:22} {url}: raised {type(exc).__name__}: {exc}")
                continue
            if (endpoint.ident, role) in REVIEWED_STATUS:
                pass
            elif response.status_code == 403 and role in NO_PERSON_ROLES:
                # A role without any person scope may be refused for the whole page, as
                # long as the refusal does not depend on the object (no probing oracle):
                # a nonexistent id must get the very same answer (docs/adr/0034).
                ghost = endpoint.url(
                    {k: (v if k in NON_ID_KWARGS else NONEXISTENT_ID) for k, v in kwargs.items()}
                )
                _, ghost_response = _probe(client, ghost)
                if ghost_response.status_code != 403:
                    failures.append(
                        f"{role:22} {method} {url}: 403, but {ghost_response.status_code} for a "
                        "nonexistent id (existence can be probed)"
                    )
                else:
                    role_level_403.append(f"{endpoint.ident} ({role})")
            elif response.status_code != 404:
                failures.append(f"{role:22} {method} {url}: {response.status_code}, expected 404")
            leaked = _leaks(world, response)
            if leaked:
                failures.append(f"{role:22} {method} {url}: body contains {leaked}")
    failures += _take_audit_findings()
    with capsys.disabled():
        print(
            f"\ncross-scope probe matrix (web): {len(ROLES)} roles x {len(values)} endpoints "
            f"= {probes} probes (+{reviewed} reviewed exceptions), {len(failures)} failures "
            "(each request checked for exactly one audit entry)"
        )
        if role_level_403:
            print(
                f"  {len(role_level_403)} object-independent 403s for roles without a person "
                "scope (not 404): " + ", ".join(sorted(set(role_level_403)))
            )
    assert not failures, "\n".join(failures)


def _verify_second_factor(client: Client, user) -> None:
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


def _api_tokens(world: World, reg=None):
    """(label, aggregate_only, plaintext) of a token for every role a region-A (or `reg`)
    organisation can hold."""
    from leerrecht.api.scopes import PERSONAL_DATA_SCOPES, TOKEN_ROLES, aggregate_only
    from leerrecht.api.services import api_token_create

    reg = reg or world.a
    orgs = {
        "school": reg.school,
        "swv": reg.swv,
        "leerplicht": reg.leerplicht,
        "jgz": reg.jgz,
        "municipality": reg.municipality_org,
    }
    for kind, roles in TOKEN_ROLES.items():
        organisation = orgs.get(str(kind))
        if organisation is None:
            continue
        for role in roles:
            aggregate = aggregate_only(kind=kind, role=role)
            scopes = ["figures:read"] if aggregate else sorted(PERSONAL_DATA_SCOPES)
            _, plaintext = api_token_create(
                organisation=organisation, name=f"probe {role}", role=role, scopes=scopes
            )
            yield f"token {kind}/{role}", aggregate, plaintext


@pytest.mark.django_db
def test_cross_scope_probe_matrix_api(capsys):
    world = World()
    endpoints = [e for e in object_endpoints() if e.is_api]
    values = {
        e: {k: factory_for(e, k)(world) for k in e.kwargs}
        for e in endpoints
        if all(factory_for(e, k) for k in e.kwargs)
    }
    failures: list[str] = []
    probes = 0
    tokens = list(_api_tokens(world))
    for label, aggregate_only, plaintext in tokens:
        client = Client()
        headers = {"HTTP_AUTHORIZATION": f"Bearer {plaintext}"}
        for endpoint, kwargs in values.items():
            url = endpoint.url(kwargs)
            probes += 1
            method, response = _probe(client, url, **headers)
            # A token without a personal-data scope is refused before any lookup.
            allowed = {404, 403} if aggregate_only else {404}
            if response.status_code not in allowed:
                failures.append(f"{label:40} {method} {url}: {response.status_code}")
            leaked = _leaks(world, response)
            if leaked:
                failures.append(f"{label:40} {method} {url}: body contains {leaked}")
        # Without a token: 401, never data.
    anonymous = Client()
    for endpoint, kwargs in values.items():
        url = endpoint.url(kwargs)
        response = _audited(lambda url=url: anonymous.get(url), url)
        if response.status_code not in (401, 404) or _leaks(world, response):
            failures.append(f"no token: {endpoint.url(kwargs)} -> {response.status_code}")
    failures += _take_audit_findings()
    with capsys.disabled():
        print(
            f"\ncross-scope probe matrix (API): {len(tokens)} token roles x {len(values)} "
            f"endpoints = {probes} probes, {len(failures)} failures"
        )
    assert not failures, "\n".join(failures)


@pytest.mark.django_db
def test_lists_and_searches_do_not_show_other_regions_children(capsys):
    """Pages without an object id (lists, searches, dashboards) never show region B's
    child to region A, also when asked for it by name or id in the query string."""
    world = World()
    # Make B's child visible in every B-side list: a case, a melding, a signal.
    _ = world.case, world.melding, world.signal_hit, world.list_import
    query = {
        "q": world.b.student.surname,
        "leerling": world.b.student.pk,
        "school": world.b.school.pk,
        "swv": world.b.swv.pk,
    }
    sent = (world.b.student.surname,)
    web = [e for e in list_endpoints() if not e.is_api]
    failures: list[str] = []
    probes = 0
    for role in ROLES:
        user = user_for(world.a, role)
        client = Client()
        client.force_login(user)
        _verify_second_factor(client, user)
        for endpoint in web:
            url = endpoint.url({})
            probes += 1
            try:
                response = _audited(lambda client=client, url=url: client.get(url, query), url)
            except Exception as exc:
                failures.append(f"{role:22} {url}: raised {type(exc).__name__}: {exc}")
                continue
            leaked = _leaks(world, response, sent=sent)
            if leaked:
                failures.append(
                    f"{role:22} GET {url}?q=...: {response.status_code}, body contains {leaked}"
                )
    api = [e for e in list_endpoints() if e.is_api]
    for label, _aggregate_only, plaintext in _api_tokens(world):
        client = Client()
        for endpoint in api:
            probes += 1
            url = endpoint.url({})
            response = _audited(
                lambda client=client, url=url, token=plaintext: client.get(
                    url, query, HTTP_AUTHORIZATION=f"Bearer {token}"
                ),
                url,
            )
            leaked = _leaks(world, response, sent=sent)
            if leaked:
                failures.append(f"{label:40} GET {endpoint.url({})}: body contains {leaked}")
    failures += _take_audit_findings()
    with capsys.disabled():
        print(
            f"\nlist/search probe: {len(web)} web + {len(api)} API list endpoints, {probes} probes "
            "(each request checked for exactly one audit entry)"
        )
    assert not failures, "\n".join(failures)


@pytest.mark.django_db
def test_positive_control_the_owners_region_can_open_every_probed_object():
    """Guards against a vacuous matrix: each probed object exists and is reachable for
    someone in its own region, so the 404s above come from the scope, not from a bad
    factory."""
    world = World()
    endpoints = [e for e in object_endpoints() if not e.is_api]
    values = {e: {k: factory_for(e, k)(world) for k in e.kwargs} for e in endpoints}
    clients = []
    for role in ROLES:
        user = user_for(world.b, role)
        client = Client()
        client.force_login(user)
        _verify_second_factor(client, user)
        clients.append(client)
    unreachable = []
    for endpoint, kwargs in values.items():
        url = endpoint.url(kwargs)
        if not any(_probe(client, url)[1].status_code not in (403, 404) for client in clients):
            unreachable.append(f"{endpoint.ident} {url}")
    assert not unreachable, "nobody in region B reaches:\n" + "\n".join(unreachable)


@pytest.mark.django_db
def test_positive_control_api_objects_are_reachable_in_their_own_region():
    world = World()
    values = {
        e: {k: factory_for(e, k)(world) for k in e.kwargs} for e in object_endpoints() if e.is_api
    }
    tokens = [p for _label, _agg, p in _api_tokens(world, world.b)]
    unreachable = [
        endpoint.url(kwargs)
        for endpoint, kwargs in values.items()
        if not any(
            Client().get(endpoint.url(kwargs), HTTP_AUTHORIZATION=f"Bearer {t}").status_code == 200
            for t in tokens
        )
    ]
    assert not unreachable, unreachable
