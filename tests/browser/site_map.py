"""Every page a user can reach, derived from the URL configuration (ADR 0131).

PAGES lists, per demo role, the pages the language/overflow/console scan opens, by URL
name with the demo objects their ids come from. EXEMPT lists every other route with the
reason it is not a page (POST-only actions, downloads, JSON, fragments). A route in the
URL configuration that is in neither fails tests/architecture/test_every_page_scanned.py,
so a new page cannot slip past the scan.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse

Kwargs = Callable[[Any], dict]


@dataclass(frozen=True)
class Page:
    name: str  # "namespace:name"
    kwargs: Kwargs = field(default=lambda d: {})
    query: str = ""

    def url(self, demo) -> str:
        return reverse(self.name, kwargs=self.kwargs(demo)) + self.query.format(d=demo)


def _pk(attr: str, kwarg: str = "pk") -> Kwargs:
    return lambda d: {kwarg: getattr(d, attr).pk}


HAAGLANDEN: Kwargs = lambda d: {"name": "haaglanden-po"}  # noqa: E731 - a table entry

CASE_ITEM_KINDS = ("actie", "contact", "stem", "aanbod", "handhaving", "opschaling")

# The sign-in pages (accounts:login, accounts:otp) are scanned while the first role signs in.
SIGN_IN = ("accounts:login", "accounts:otp")
# Pages only a form leads to: the scan submits the form on the first page and scans where
# it lands (the second), as the role given.
FORM_RESULTS = {
    "beheer:protocol_simulation": ("beheer", Page("beheer:protocol_simulate", HAAGLANDEN)),
    "protocols:comparison": ("beleid", Page("protocols:compare")),
}

PAGES: dict[str, list[Page]] = {
    "leerplicht": [
        Page("web:home"),
        Page("cases:worklist"),
        Page("cases:melding_list"),
        Page("cases:case_list"),
        Page("cases:case_list", query="?pagina=2"),
        Page("cases:case_detail", _pk("case")),
        Page("cases:case_edit", _pk("case")),
        *[
            Page("cases:case_item_add", lambda d, k=kind: {"pk": d.case.pk, "kind": k})
            for kind in CASE_ITEM_KINDS
        ],
        Page("cases:melding_detail", _pk("melding")),
        Page("cases:melding_from_signal", query="?hit={d.hit.pk}"),
        Page("attendance:signals"),
        Page("attendance:student_overview", _pk("student")),
        Page("web:student_search", query="?q=a"),
        Page("web:student_detail", _pk("student")),
        Page("reconciliation:home"),
        Page("reconciliation:mapping", _pk("list_uploaded")),
        Page("reconciliation:result", _pk("reconciliation")),
        Page("reconciliation:review", _pk("reconciliation")),
        Page("reconciliation:av_result", _pk("av_run")),
        Page("reconciliation:tasks"),
        Page("monitoring:thuiszitters"),
    ],
    "zorgcoordinator-po": [
        Page("cases:worklist"),
        Page("attendance:signals"),
        Page("attendance:upload"),
        Page("attendance:import_detail", _pk("attendance_import")),
        Page("attendance:absence_upload"),
        Page("attendance:absence_codes"),
        Page("cases:melding_sickness_new"),
        Page("cases:melding_duo_new"),
        Page("cases:duo_feedback"),
        Page("cases:melding_detail", _pk("school_melding")),
        Page("monitoring:school_list"),
        Page("monitoring:school_consultation", _pk("school")),
        Page("web:student_detail", _pk("school_student")),
    ],
    "zorgcoordinator-vo": [
        Page("cases:worklist"),
        Page("attendance:signals"),
        Page("cases:melding_list"),
    ],
    "swv": [
        Page("cases:worklist"),
        Page("monitoring:thuiszitters"),
        Page("monitoring:inspectie"),
        Page("attendance:signals"),
        Page("cases:melding_list"),
    ],
    "jeugdarts": [Page("cases:worklist"), Page("attendance:signals")],
    "jeugdteam": [Page("cases:worklist")],
    "beleid": [
        Page("monitoring:dashboard"),
        Page("monitoring:thuiszitters"),
        Page("monitoring:kpi"),
        Page("monitoring:telling"),
        Page("monitoring:telling_national"),
    ],
    "privacy": [
        Page("privacy:audit_search"),
        Page("privacy:subject_access_lookup"),
        Page("privacy:subject_access", _pk("student", "student_id")),
    ],
    "beheer": [
        Page("beheer:index"),
        Page("beheer:users"),
        Page("beheer:user_edit", _pk("mentor_user")),
        Page("beheer:organisations"),
        Page("beheer:jobs"),
        Page("beheer:retention"),
        Page("beheer:api_tokens"),
        Page("beheer:protocols"),
        Page("beheer:protocol_detail", lambda d: {"name": "haaglanden-po"}),
        Page("beheer:protocol_detail", lambda d: {"name": "drechtsteden-vo"}),
        Page("beheer:protocol_versions", HAAGLANDEN),
        Page("beheer:protocol_draft", HAAGLANDEN),
        Page("beheer:protocol_simulate", HAAGLANDEN),
    ],
}

POST_ONLY = "an action (POST only, answers GET with 405); its form sits on a scanned page"
# Routes that are not pages, with the reason. POST_ONLY ones are checked to answer GET
# with 405 by the scan itself, so the reason cannot go stale.
EXEMPT: dict[str, str] = {
    "accounts:logout": POST_ONLY,
    "cases:digest_settings": POST_ONLY,
    "cases:melding_consent": POST_ONLY,
    "cases:melding_duo_status": POST_ONLY,
    "cases:case_open": POST_ONLY,
    "cases:case_phase": POST_ONLY,
    "cases:case_transition": POST_ONLY,
    "cases:plan_action_status": POST_ONLY,
    "reconciliation:compare": POST_ONLY,
    "reconciliation:av_start": POST_ONLY,
    "beheer:api_token_revoke": POST_ONLY,
    "beheer:api_token_rotate": POST_ONLY,
    "beheer:protocol_draft_create": POST_ONLY,
    "beheer:protocol_publish": POST_ONLY,
    "beheer:protocol_import": POST_ONLY,
    "cases:case_protocol_apply": POST_ONLY,
    "beheer:protocol_export": "a protocol file (TOML) download, no page",
    "cases:duo_export": "a JSON/CSV download for DUO, no page",
    "privacy:subject_access_json": "the JSON copy of the subject access page (scanned)",
    "privacy:subject_access_pdf": "the PDF copy of the subject access page (scanned)",
    "attendance:import_status": "htmx fragment shown inside the import page (scanned)",
    "jobs:job_status": "htmx fragment shown inside the pages that start a job (scanned)",
    "web:health": "JSON health check for the platform's monitoring",
    "favicon.ico": "redirect to the favicon",
}
# Whole prefixes that are no product pages.
EXEMPT_PREFIXES: dict[str, str] = {
    "beheer/": "the Django admin, for platform operators only (ADR 0130), not a product page",
    "api/": "the JSON API (OpenAPI), no HTML; tested in leerrecht/api/tests",
}


def exemption(ident: str, route: str) -> str | None:
    if ident in EXEMPT:
        return EXEMPT[ident]
    return next((why for prefix, why in EXEMPT_PREFIXES.items() if route.startswith(prefix)), None)


def scanned_names() -> set[str]:
    forms = {
        name for target, (_role, start) in FORM_RESULTS.items() for name in (target, start.name)
    }
    return set(SIGN_IN) | forms | {p.name for pages in PAGES.values() for p in pages}
