"""Gives every request a trace id, used by the audit log (Logboek dataverwerkingen), and
writes the one audit entry of a request to a declared endpoint (docs/adr/0103)."""

from __future__ import annotations

import uuid
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from leerrecht.privacy.audit import audit_finish, audit_view_declared
from leerrecht.privacy.context import RequestAudit, current_request_audit, current_trace_id


class RequestContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        trace_id = uuid.uuid4().hex
        request.trace_id = trace_id
        collector = RequestAudit()
        request.leerrecht_audit = collector
        trace_token = current_trace_id.set(trace_id)
        audit_token = current_request_audit.set(None)
        try:
            response = self.get_response(request)
            current_request_audit.set(None)
            audit_finish(request, collector, response.status_code)
        finally:
            current_request_audit.reset(audit_token)
            current_trace_id.reset(trace_token)
        response.headers["X-Trace-Id"] = trace_id
        return response

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):
        audit_view_declared(request, view_func, view_kwargs)
        return None
