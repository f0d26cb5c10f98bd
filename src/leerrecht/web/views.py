"""Entry pages: the home page sends each role to where its work is."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import NoReverseMatch, reverse

from leerrecht.accounts.models import Role

_HOME_BY_ROLE = {
    Role.POLICY: "monitoring:dashboard",
    Role.PRIVACY_OFFICER: "privacy:audit_search",
    Role.OPERATOR: "admin:index",
}


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Case workers land on their worklist, policy users on the dashboard (issue 9)."""
    target = _HOME_BY_ROLE.get(request.user.role, "cases:worklist")
    try:
        return redirect(reverse(target))
    except NoReverseMatch:
        return redirect(reverse("admin:index"))


def health(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
