"""Gives every request a trace id, used by the audit log (Logboek dataverwerkingen)."""

from __future__ import annotations

import uuid
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from leerrecht.privacy.context import current_trace_id


class RequestContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        trace_id = uuid.uuid4().hex
        request.trace_id = trace_id
        token = current_trace_id.set(trace_id)
        try:
            response = self.get_response(request)
        finally:
            current_trace_id.reset(token)
        response.headers["X-Trace-Id"] = trace_id
        return response
