"""One-time form tokens (docs/adr/0114): every form carries a fresh token; the first POST
with it is processed, a second one (double click, back + resubmit) is not: the user lands on
what the first submit made, with a Dutch message, and nothing is created twice.

A token is kept once the submit succeeded (a redirect, or an htmx swap); a refused form
(re-rendered with its errors, or an error) frees it so the corrected form can be sent."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

from django.contrib import messages
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

FORM_TOKEN_FIELD = "form_token"  # noqa: S105 - a field name, not a secret
_TOKEN = re.compile(r"^[0-9a-f]{32}$")
#: Tokens older than this are forgotten (a form left open longer is simply processed).
TOKEN_LIFETIME = dt.timedelta(days=1)


def _posted_token(request: HttpRequest) -> str | None:
    if request.method != "POST" or not getattr(request, "user", None):
        return None
    if not request.user.is_authenticated:
        return None
    token = request.POST.get(FORM_TOKEN_FIELD, "")
    return token if _TOKEN.match(token) else None


def _claim(user, token: str):
    from leerrecht.web.models import FormSubmission

    FormSubmission.objects.filter(
        user=user, created_at__lt=timezone.now() - TOKEN_LIFETIME
    ).delete()
    try:
        with transaction.atomic():
            return FormSubmission.objects.create(user=user, token=token)
    except IntegrityError:
        return None


def _already_sent(request: HttpRequest, token: str) -> HttpResponse:
    from leerrecht.web.models import FormSubmission

    first = FormSubmission.objects.filter(user=request.user, token=token).first()
    target = first.result_url if first is not None and first.result_url else ""
    if not target:
        referer = request.headers.get("Referer", "")
        safe = url_has_allowed_host_and_scheme(referer, allowed_hosts={request.get_host()})
        target = referer if safe and referer else "/"
    messages.warning(request, _("Dit formulier was al verstuurd; er is niets dubbel opgeslagen."))
    return HttpResponseRedirect(target)


def _succeeded(request: HttpRequest, response: HttpResponse) -> bool:
    if 300 <= response.status_code < 400:
        return True
    return request.headers.get("HX-Request") == "true" and response.status_code < 300


class OneTimeFormMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _posted_token(request)
        if token is None:
            return self.get_response(request)
        claim = _claim(request.user, token)
        if claim is None:
            return _already_sent(request, token)
        try:
            response = self.get_response(request)
        except Exception:
            claim.delete()
            raise
        if not _succeeded(request, response):
            claim.delete()
        elif response.has_header("Location"):
            claim.result_url = response["Location"][:500]
            claim.save(update_fields=["result_url"])
        return response
