"""Roles that see personal data must pass a second factor (TOTP) before anything else."""

from __future__ import annotations

import re
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect
from django.utils.translation import gettext as _

# Paths a signed-in user may reach before the second factor is verified.
_OPEN_PREFIXES = ("/account/", "/static/", "/api/")


class SecondFactorRequiredMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            settings.LEERRECHT_REQUIRE_2FA
            and user is not None
            and user.is_authenticated
            and user.sees_personal_data
            and not user.is_verified()
            and not request.path.startswith(_OPEN_PREFIXES)
        ):
            return redirect("accounts:otp")
        return self.get_response(request)


# C0 control characters and DEL: never part of a search term, a filter or an id.
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
# In form and JSON bodies text areas may hold tab and line breaks; NUL never.
_NUL_IN_BODY = {
    "application/x-www-form-urlencoded": (b"\x00", b"%00"),
    "application/json": (b"\x00", b"\\u0000"),
}


class ControlCharactersRefusedMiddleware:
    """Refuse requests whose query string has control characters (NUL, ...) or whose
    body has a NUL: `GET /leerlingen/?q=%00` must not search (ASVS 5.1.3/5.1.4). The API
    answers problem+json, pages a plain Dutch 400."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        bad = any(
            _CONTROL.search(key) or any(_CONTROL.search(v) for v in values)
            for key, values in request.GET.lists()
        )
        if not bad and request.method in ("POST", "PUT", "PATCH"):
            content_type = request.META.get("CONTENT_TYPE", "").split(";")[0].strip()
            # Uploads (multipart) are checked per file by their importers.
            markers = _NUL_IN_BODY.get(content_type, ())
            bad = bool(markers) and any(marker in request.body for marker in markers)
        if not bad:
            return self.get_response(request)
        message = _("De invoer bevat ongeldige tekens (zoals een nul- of stuurteken).")
        if request.path.startswith("/api/"):
            from leerrecht.api.problems import problem_response

            return problem_response(request, 400, str(message))
        return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
