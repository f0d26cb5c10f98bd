"""Every URL pattern (web and API) declares its processing activity with @processing, or
is listed in privacy.audit.EXEMPT with a reason (docs/adr/0103). A new view without a
declaration fails here; the audit middleware then writes its one entry per request."""

from __future__ import annotations

import ast
from pathlib import Path

from django.urls import URLPattern, URLResolver, get_resolver

from leerrecht.api.v1 import api
from leerrecht.privacy.audit import EXEMPT, exempt_reason, processing_of

SRC = Path(__file__).resolve().parents[2] / "src" / "leerrecht"


def _patterns():
    """(route, callback) of every URL pattern, walked through every resolver."""
    found = []

    def walk(patterns, prefix):
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(p.url_patterns, prefix + str(p.pattern))
            elif isinstance(p, URLPattern):
                found.append((prefix + str(p.pattern), p.callback))

    walk(get_resolver().url_patterns, "")
    return found


def _api_operations():
    """(route, method, view function) of every operation of the API."""
    for _prefix, router in api._routers:
        for path, path_view in router.path_operations.items():
            for operation in path_view.operations:
                for method in operation.methods:
                    yield path, method, operation.view_func


def _is_api_operation(callback) -> bool:
    return getattr(callback, "__name__", "") in ("sync_view_wrapper", "async_view_wrapper")


def test_every_web_view_declares_its_processing_or_is_exempt():
    patterns = _patterns()
    missing = [
        route
        for route, callback in patterns
        if not _is_api_operation(callback)
        and processing_of(callback) is None
        and exempt_reason(route) is None
    ]
    assert len(patterns) > 50  # the walk sees the whole URL configuration
    assert not missing, "declare @processing(...) on the view of: " + ", ".join(missing)


def test_every_api_operation_declares_its_processing():
    operations = list(_api_operations())
    missing = [f"{m} {path}" for path, m, func in operations if processing_of(func) is None]
    assert len(operations) > 10
    assert not missing, "declare @processing(...) on the operation: " + ", ".join(missing)


def test_every_exemption_names_an_existing_route_and_a_reason():
    routes = [route for route, _callback in _patterns()]
    for key, reason in EXEMPT.items():
        assert len(reason) > 15, key
        prefix = key.removesuffix("*")
        assert any(r == key or (key.endswith("*") and r.startswith(prefix)) for r in routes), key


def test_views_and_operations_do_not_write_audit_rows_themselves():
    """One style: endpoints note detail with audit_note; audit_record is for services,
    jobs and commands (and the login pages, which are exempt)."""
    allowed = {"accounts/views.py", "accounts/admin.py"}
    offenders = []
    for path in SRC.rglob("*.py"):
        rel = path.relative_to(SRC).as_posix()
        is_endpoint_module = "/views" in f"/{rel}" or rel.startswith("api/v1/")
        if not is_endpoint_module or rel in allowed or "/tests/" in rel:
            continue
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module == "leerrecht.privacy.services":
                names = {a.name for a in node.names} & {"audit_record", "write_audit_event"}
                if names:
                    offenders.append(f"{rel}: imports {sorted(names)}")
    assert not offenders, offenders
