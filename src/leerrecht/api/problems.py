"""Errors as application/problem+json (RFC 9457; NL API Design Rules, error handling).

Every error the API returns has this shape; nothing else (no HTML, no stack trace)."""

from __future__ import annotations

import json

from django.http import HttpRequest, HttpResponse
from ninja import Schema

PROBLEM_CONTENT_TYPE = "application/problem+json"

TITLES = {
    400: "Ongeldig verzoek",
    401: "Niet geauthenticeerd",
    403: "Geen toegang",
    404: "Niet gevonden",
    405: "Methode niet toegestaan",
    409: "Conflict",
    413: "Bestand te groot",
    415: "Mediatype niet ondersteund",
    422: "Verzoek niet verwerkbaar",
    429: "Te veel verzoeken",
    500: "Interne fout",
}


class InvalidParam(Schema):
    name: str
    reason: str


class Problem(Schema):
    type: str = "about:blank"
    title: str
    status: int
    detail: str
    instance: str
    invalid_params: list[InvalidParam] | None = None


class ApiProblem(Exception):
    """Raise from an endpoint to answer with a problem."""

    def __init__(
        self,
        status: int,
        detail: str,
        *,
        invalid_params: list[dict] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.invalid_params = invalid_params
        self.headers = headers or {}


def problem_response(
    request: HttpRequest,
    status: int,
    detail: str,
    *,
    invalid_params: list[dict] | None = None,
    headers: dict[str, str] | None = None,
) -> HttpResponse:
    body = {
        "type": "about:blank",
        "title": TITLES.get(status, "Fout"),
        "status": status,
        "detail": detail,
        "instance": request.path,
    }
    if invalid_params:
        body["invalid_params"] = invalid_params
    response = HttpResponse(
        json.dumps(body, ensure_ascii=False),
        status=status,
        content_type=PROBLEM_CONTENT_TYPE,
    )
    for name, value in (headers or {}).items():
        response[name] = value
    return response
