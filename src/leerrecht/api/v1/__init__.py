"""Version 1 of the Leerrecht REST API (/api/v1)."""

from __future__ import annotations

from leerrecht.api.core import (
    API_VERSION,
    LeerrechtAPI,
    accept_deprecated_query_names,
    declared_processing,
    install_error_handlers,
)
from leerrecht.api.v1 import attendance, cases, duo, figures, meldingen, signals, students

DESCRIPTION = """\
REST API of Leerrecht for schools, samenwerkingsverbanden, leerplicht and municipalities.
Authentication: `Authorization: Bearer <token>`; every token carries scopes and the data
scope of its organisation and role. Errors are `application/problem+json`. See docs/api.md.
"""

api = LeerrechtAPI(
    title="Leerrecht API",
    version=API_VERSION,
    description=DESCRIPTION,
    urls_namespace="api:v1",
    openapi_url="/openapi.json",
    docs_url=None,
)
install_error_handlers(api)
# First: the declaration is known before authentication, so refusals are logged under it.
api.add_decorator(declared_processing, mode="view")
api.add_decorator(accept_deprecated_query_names, mode="view")
api.add_router("", students.router)
api.add_router("", attendance.router)
api.add_router("", signals.router)
api.add_router("", meldingen.router)
api.add_router("", duo.router)
api.add_router("", cases.router)
api.add_router("", figures.router)
