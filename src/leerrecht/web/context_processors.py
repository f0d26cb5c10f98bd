"""Navigation items per role (issue 9: the worklist for case workers, dashboard for policy)."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from leerrecht.accounts.models import Role

# (url name, label, roles that see it; None = every signed-in user)
NAV_ITEMS = [
    (
        "cases:worklist",
        _("Mijn werkvoorraad"),
        {
            Role.MENTOR,
            Role.SCHOOL_COORDINATOR,
            Role.LEERPLICHT_OFFICER,
            Role.LEERRECHT_CONSULTANT,
            Role.SWV_CONSULTANT,
            Role.YOUTH_DOCTOR,
            Role.CARE_WORKER,
            Role.PROCESS_DIRECTOR,
        },
    ),
    (
        "attendance:signals",
        _("Signalen"),
        {
            Role.MENTOR,
            Role.SCHOOL_COORDINATOR,
            Role.LEERPLICHT_OFFICER,
            Role.LEERRECHT_CONSULTANT,
            Role.SWV_CONSULTANT,
            Role.YOUTH_DOCTOR,
            Role.PROCESS_DIRECTOR,
        },
    ),
    (
        "attendance:upload",
        _("Verzuim inlezen"),
        {
            Role.SCHOOL_COORDINATOR,
            Role.LEERPLICHT_OFFICER,
            Role.LEERRECHT_CONSULTANT,
            Role.SWV_CONSULTANT,
            Role.OPERATOR,
        },
    ),
    (
        "web:student_search",
        _("Leerling zoeken"),
        {
            Role.MENTOR,
            Role.SCHOOL_COORDINATOR,
            Role.LEERPLICHT_OFFICER,
            Role.LEERRECHT_CONSULTANT,
            Role.SWV_CONSULTANT,
            Role.YOUTH_DOCTOR,
            Role.PROCESS_DIRECTOR,
        },
    ),
    # Not for the privacy officer and the operator: figures are no part of their task
    # (monitoring refuses them).
    (
        "monitoring:dashboard",
        _("Cijfers"),
        {r for r in Role if r not in (Role.PRIVACY_OFFICER, Role.OPERATOR)},
    ),
    (
        "reconciliation:home",
        _("Lijsten vergelijken"),
        {
            Role.LEERPLICHT_OFFICER,
            Role.LEERRECHT_CONSULTANT,
            Role.SWV_CONSULTANT,
            Role.SCHOOL_COORDINATOR,
            Role.PROCESS_DIRECTOR,
        },
    ),
    (
        "protocols:compare",
        _("Protocollen vergelijken"),
        {Role.POLICY, Role.LEERPLICHT_OFFICER, Role.LEERRECHT_CONSULTANT},
    ),
    ("privacy:audit_search", _("Auditlog"), {Role.PRIVACY_OFFICER}),
    ("beheer:index", _("Beheer"), {Role.OPERATOR}),
]


def navigation(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    items = []
    for url_name, label, roles in NAV_ITEMS:
        if roles is not None and user.role not in roles:
            continue
        try:
            url = reverse(url_name)
        except NoReverseMatch:
            continue  # the feature is not installed in this build
        items.append({"url": url, "label": label, "active": request.path.startswith(url)})
    return {"nav_items": items}
