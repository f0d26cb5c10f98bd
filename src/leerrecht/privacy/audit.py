"""Declared audit (docs/adr/0103): every endpoint declares its processing activity once,
and the request middleware (`privacy/middleware.py`) writes exactly one audit entry per request to a declared endpoint.

- `@processing("casusbehandeling", kind="cases.case")` on a web view or an API operation
  is the declaration: the processing activity (see `ACTIVITIES`) and the kind of object the
  URL's id names. It is the only audit code an endpoint needs.
- While the request runs, the view (or a service it calls, through `audit_record`) may add
  detail with `audit_note(request, ...)`: the child, the object, the fields, and for
  list/search reads the ids of every child shown (`children=`). Nothing is written then.
- When the response is known, `privacy.middleware.RequestContextMiddleware` writes the one entry; its outcome follows the
  status: a 404 (absent or out of scope) and a 401/403/429 are "geweigerd", other 4xx/5xx
  "fout". An out-of-scope 404 therefore leaves a trace like any read.
- `EXEMPT` lists, with a reason, the URL patterns that declare nothing (health check,
  login pages, the OpenAPI document, the platform operators' Django admin).
  `tests/architecture/test_every_endpoint_declares_its_processing.py` fails on any other
  undeclared pattern.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.http import HttpRequest

from leerrecht.privacy.context import RequestAudit, current_request_audit
from leerrecht.privacy.models import AuditEvent
from leerrecht.privacy.services import ACTIVITIES, write_audit_event

Action = AuditEvent.Action
Outcome = AuditEvent.Outcome


@dataclass(frozen=True)
class Processing:
    """What an endpoint declares: its processing activity and the kind of object its URL
    id names; `read`/`write` are the actions of safe and unsafe methods. A `quiet`
    endpoint (progress polling, no child's data) is logged only when it refuses."""

    activity: str
    kind: str = ""
    read: str = Action.READ
    write: str = Action.UPDATE
    quiet: bool = False


def processing(
    activity: str,
    *,
    kind: str = "",
    read: str = Action.READ,
    write: str = Action.UPDATE,
    quiet: bool = False,
) -> Callable[[Callable], Callable]:
    """Declare the processing activity of a view or API operation (once, at the top)."""
    if activity not in ACTIVITIES:
        raise ValueError(f"unknown processing activity {activity!r}; add it to ACTIVITIES")
    declaration = Processing(activity=activity, kind=kind, read=read, write=write, quiet=quiet)

    def mark(view: Callable) -> Callable:
        view.leerrecht_processing = declaration
        return view

    return mark


def processing_of(view: Callable | None) -> Processing | None:
    return getattr(view, "leerrecht_processing", None)


# URL patterns that declare no processing, each with the reviewed reason. Keys are routes
# as the URL configuration spells them; a key ending in "*" covers every route below it.
EXEMPT: dict[str, str] = {
    "beheer/*": "Django admin for platform operators only (docs/adr/0120); role and "
    "organisation changes are audited by accounts.services.user_change_role",
    "account/inloggen/": "login page: no personal data; attempts are audited as "
    "authentication events by accounts.views",
    "account/tweede-factor/": "second-factor page: no personal data; wrong codes are "
    "audited as authentication events by accounts.views",
    "account/uitloggen/": "logout: no personal data",
    "": "start page: only redirects to the start page of the user's role; no data",
    "gezondheid/": "health check for the load balancer: no personal data",
    "favicon.ico": "the site icon (a redirect to a static file): no data",
    "api/v1/": "API root: links only",
    "api/v1/openapi.json": "OpenAPI document: no data",
    "api/^(?P<rest>.*)$": "problem+json 404 for unknown API paths: no endpoint, no data",
}


def exempt_reason(route: str) -> str | None:
    for key, reason in EXEMPT.items():
        if route == key or (key.endswith("*") and route.startswith(key[:-1])):
            return reason
    return None


# --- the one entry of a request -------------------------------------------------------


def audit_note(request: HttpRequest, **note) -> None:
    """Add detail to the request's one audit entry (written when the response is known).

    Keywords: action, activity, subject (Student/id/object with student_id),
    subject_student_id, obj, object_type, object_id, fields, children (ids of every child a
    list or search showed), outcome, detail."""
    collector: RequestAudit | None = getattr(request, "leerrecht_audit", None)
    if collector is None or collector.declaration is None:
        raise RuntimeError(
            f"{request.path}: audit_note on an endpoint without @processing (docs/adr/0103)"
        )
    collector.add(**note)


def audit_declare(request: HttpRequest, declaration: Processing | None) -> None:
    """Used by the API's operation wrapper: the operation's declaration for this request."""
    collector: RequestAudit | None = getattr(request, "leerrecht_audit", None)
    if collector is not None and declaration is not None:
        collector.declaration = declaration
        current_request_audit.set(collector)


@contextlib.contextmanager
def audit_outside_request() -> Iterator[None]:
    """Run work that audits itself (a background job run eagerly) outside the request's
    one entry."""
    token = current_request_audit.set(None)
    try:
        yield
    finally:
        current_request_audit.reset(token)


def _outcome_for(status: int) -> str:
    if status < 400:
        return Outcome.OK
    if status in (401, 403, 404, 429):
        return Outcome.DENIED
    return Outcome.ERROR


def _object_id_from_url(kwargs: dict) -> str:
    for name in ("pk", *sorted(k for k in kwargs if k.endswith("_id"))):
        if name in kwargs:
            return str(kwargs[name])
    return ""


def _is_db_id(text: str) -> bool:
    """An id the database can store (a probe may send any number of digits)."""
    return text.isdigit() and len(text) < 19


def audit_finish(request: HttpRequest, collector: RequestAudit, status: int) -> None:
    """Write the request's one entry (called by the middleware)."""
    declaration = collector.declaration
    if declaration is None:
        return
    user = getattr(request, "user", None)
    path = request.get_full_path()[:300]
    if not getattr(user, "is_authenticated", False):
        if request.path.startswith("/api/"):
            # No (valid) token: an authentication attempt, attributed to the token prefix.
            prefix = getattr(request, "api_presented_prefix", "")
            attempt = RequestAudit()
            attempt.add(
                action=Action.LOGIN,
                activity="authenticatie",
                outcome=Outcome.DENIED,
                detail=f"API {request.method} {path} -> {status}",
            )
            write_audit_event(actor=None, note=attempt, username=f"api-token:{prefix or '?'}")
        # A web request without a session is redirected to the login page: no actor and
        # nothing processed.
        return
    refused = status >= 400
    if declaration.quiet and not refused:
        return
    note = collector
    if refused and note.outcome in ("", Outcome.OK):
        note.outcome = _outcome_for(status)
    safe = request.method in ("GET", "HEAD", "OPTIONS")
    note.action = note.action or (declaration.read if safe else declaration.write)
    note.activity = note.activity or declaration.activity
    note.object_type = note.object_type or declaration.kind
    note.object_id = note.object_id or _object_id_from_url(note.url_kwargs)
    if (
        note.subject_student_id is None
        and declaration.kind == "registry.student"
        and _is_db_id(note.object_id)
    ):
        note.subject_student_id = int(note.object_id)
    if status == 404:
        note.details.insert(0, "niet gevonden of buiten het werkgebied")
    note.details.append(f"{request.method} {path} -> {status}")
    write_audit_event(actor=user, note=note)


def audit_view_declared(request: HttpRequest, view_func: Callable, view_kwargs: dict) -> None:
    """The middleware's `process_view`: the view's declaration and URL kwargs."""
    collector: RequestAudit = request.leerrecht_audit
    collector.url_kwargs = dict(view_kwargs)
    declaration = processing_of(view_func)
    if declaration is not None:
        collector.declaration = declaration
        current_request_audit.set(collector)
