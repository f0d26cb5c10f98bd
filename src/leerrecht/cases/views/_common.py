"""What every case view shares: the processing activities, the person-scope gate, the
breadcrumbs, and THE mapping of domain errors to HTTP status codes (by error type)."""

from __future__ import annotations

from django.http import Http404, HttpRequest

from leerrecht.cases.workflow import CaseConflictError, CaseError

CASES = "casusbehandeling"
MELDINGEN = "verzuimmelding"


def is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def require_personal_data(user) -> None:
    # Roles without a person scope get the same 404 as an out-of-scope id (issue 5).
    if not user.sees_personal_data:
        raise Http404


def crumbs(*items):
    return [{"label": label, "url": url} for label, url in items]


def domain_error_status(exc: Exception | None) -> int:
    """HTTP status of a failed write: 409 when someone else changed the object first
    (`CaseConflictError`), 400 for every other problem the user can fix."""
    return 409 if isinstance(exc, CaseConflictError) else 400


def form_write(form, write) -> int | None:
    """Validate `form` and run `write(cleaned_data)` (one service call). Returns None when
    it succeeded, else the HTTP status to answer with; a domain error's Dutch text is shown
    on the form."""
    if not form.is_valid():
        return 400
    try:
        write(form.cleaned_data)
    except CaseError as exc:
        form.add_error(None, str(exc))
        return domain_error_status(exc)
    return None
