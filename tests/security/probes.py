"""The URL configuration as a list of endpoints, and the factories for their object ids.

Used by test_cross_scope_probe_matrix.py. An endpoint with an object-id kwarg must either
have a factory here (so it is probed for every role) or be in NON_PERSONAL with a reason.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

from django.urls import URLPattern, URLResolver, get_resolver
from tests.security.autofill import autofill
from tests.security.world import Region, case_for, region, user_for

from leerrecht.accounts.models import Role


@dataclass(frozen=True)
class Endpoint:
    ident: str  # "namespace:name", or the route when unnamed
    route: str  # e.g. "casussen/<int:pk>/toevoegen/<slug:kind>/"
    kwargs: tuple[str, ...]

    @property
    def is_api(self) -> bool:
        return self.route.startswith("api/")

    def url(self, values: dict) -> str:
        def substitute(match: re.Match) -> str:
            return str(values[match.group("name")])

        return "/" + re.sub(r"<(?:\w+:)?(?P<name>\w+)>", substitute, self.route)


def _kwarg_names(pattern) -> tuple[str, ...]:
    converters = getattr(pattern.pattern, "converters", None)
    if converters is not None and "<" in str(pattern.pattern):
        return tuple(re.findall(r"<(?:\w+:)?(\w+)>", str(pattern.pattern)))
    regex = getattr(pattern.pattern, "regex", None)
    return tuple(regex.groupindex) if regex is not None else ()


def all_endpoints() -> list[Endpoint]:
    """Every URL pattern of the project, walked recursively through the resolvers."""
    found: list[Endpoint] = []

    def walk(patterns, prefix: str, namespace: str, kwargs: tuple[str, ...]) -> None:
        for p in patterns:
            route = prefix + str(p.pattern)
            names = kwargs + _kwarg_names(p)
            if isinstance(p, URLResolver):
                ns = namespace
                if p.namespace:
                    ns = f"{namespace}:{p.namespace}" if namespace else p.namespace
                walk(p.url_patterns, route, ns, names)
            elif isinstance(p, URLPattern):
                ident = f"{namespace}:{p.name}" if p.name and namespace else (p.name or route)
                found.append(Endpoint(ident=ident, route=route, kwargs=names))

    walk(get_resolver().url_patterns, "", "", ())
    return found


# Endpoints with kwargs that are excluded from the probe, with the reviewed reason.
NON_PERSONAL: dict[str, str] = {
    "beheer/": "Django admin: operators only (is_staff); not a case worker surface. Its "
    "access is restricted by Django's staff check; see docs/privacy.md 'Operators'.",
    "api:<catch-all>": "problem+json 404 for unknown API paths; returns no data",
    "functioneel-beheer/": "functional administrator's workspace (API tokens, protocol "
    "presets): no child data; every page refuses other roles (404) in beheer.views",
    "protocollen/": "protocol comparison: counts of the region's attendance (suppressed for "
    "policy); names only of children in students_for_user; other roles get a 404 "
    "(protocols.views.compare_roles_only) and a result is shown only to the user whose job "
    "it was",
}


def non_personal_reason(endpoint: Endpoint) -> str | None:
    if endpoint.route.startswith("beheer/"):
        return NON_PERSONAL["beheer/"]
    if endpoint.route.startswith("functioneel-beheer/"):
        return NON_PERSONAL["functioneel-beheer/"]
    if endpoint.route.startswith("protocollen/"):
        return NON_PERSONAL["protocollen/"]
    if endpoint.is_api and endpoint.kwargs == ("rest",):
        return NON_PERSONAL["api:<catch-all>"]
    return None


# (endpoint, role) pairs that may open another region's object, reviewed. Not probed.
REVIEWED_ACCESS: dict[tuple[str, str], str] = {
    (f"privacy:{name}", Role.PRIVACY_OFFICER): "the privacy officer answers AVG art. 15 "
    "requests for every child of the region; each export is itself audited"
    for name in ("subject_access", "subject_access_json", "subject_access_pdf")
}

# (endpoint, role) pairs whose status is not asserted, but whose body is still checked
# for the other region's child.
REVIEWED_STATUS: dict[tuple[str, str], str] = {
    ("monitoring:school_consultation", role): "schools are public organisations (BRIN); "
    "leerplicht works with every school its residents attend, and the page lists only "
    "children in the user's own scope (students_for_user)"
    for role in (Role.LEERPLICHT_OFFICER, Role.LEERRECHT_CONSULTANT, Role.PROCESS_DIRECTOR)
}


def audit_entries_expected(path: str, status: int) -> int:
    """How many audit entries one request to `path` must write (docs/adr/0103): one for a
    declared endpoint, none for an exempt one, none for a quiet endpoint that answered."""
    from django.urls import Resolver404, resolve

    from leerrecht.privacy.audit import processing_of

    try:
        match = resolve(path.split("?", 1)[0])
    except Resolver404:
        return 0
    declaration = processing_of(match.func)
    if declaration is None:
        # API operations are declared on the operation (tests/architecture checks every
        # one); a method without an operation (405) reaches none.
        return 1 if path.startswith("/api/v1/") and status != 405 else 0
    if declaration.quiet and status < 400:
        return 0
    return 1


# Kwargs that are a fixed part of a route, not an object id.
NON_ID_KWARGS = frozenset({"kind"})


class World:
    """Region A (the probing users) and region B, built lazily. The probed objects belong
    to the target region: B for cross-scope probes, A for in-scope checks (medical
    secrecy, consent, one audit entry per view)."""

    def __init__(self, *, target: str = "b") -> None:
        self.a: Region = region("A", surname="Aalbers")
        self.b: Region = region("B", surname="Bosman")
        self.t: Region = self.b if target == "b" else self.a

    # users of the target region who own its objects
    @cached_property
    def b_owner(self):
        return user_for(self.t, Role.LEERPLICHT_OFFICER)

    @cached_property
    def b_school_user(self):
        return user_for(self.t, Role.SCHOOL_COORDINATOR)

    def _context(self, user) -> dict:
        return {
            "registry.student": self.t.student,
            "registry.organisation": user.organisation,
            "accounts.user": user,
        }

    @cached_property
    def case(self):
        return case_for(self.t.student, owner=self.b_owner)

    @cached_property
    def melding(self):
        return autofill(
            "cases.Melding",
            self._context(self.b_school_user),
            kind="sickness",
            case=self.case,
            note=f"melding over {self.t.student.full_name}",
        )

    @cached_property
    def duo_melding(self):
        return autofill(
            "cases.Melding",
            self._context(self.b_school_user),
            kind="duo",
            duo_kind="16_uur",
            duo_status="geregistreerd",
            period_start=self.case.opened_on,
            case=self.case,
        )

    @cached_property
    def plan_action(self):
        return autofill("cases.PlanAction", self._context(self.b_owner), case=self.case)

    @cached_property
    def attendance_import(self):
        return autofill("attendance.AttendanceImport", self._context(self.b_school_user))

    @cached_property
    def signal_hit(self):
        return autofill(
            "attendance.SignalHit",
            self._context(self.b_school_user),
            attendance_import=self.attendance_import,
        )

    @cached_property
    def list_import(self):
        imported = autofill(
            "reconciliation.ListImport",
            self._context(self.b_owner),
            source_name="Leerplicht B",
            filename="lijst-b.csv",
            content=(
                "bsn;voornamen;achternaam;geboortedatum\n"
                f"{self.t.student.bsn};{self.t.student.given_names};{self.t.student.surname};"
                "17-05-2014\n"
            ).encode(),
        )
        autofill(
            "reconciliation.ListRecord",
            list_import=imported,
            line=2,
            bsn=self.t.student.bsn,
            given_names=self.t.student.given_names,
            surname=self.t.student.surname,
        )
        return imported

    @cached_property
    def reconciliation(self):
        return autofill(
            "reconciliation.Reconciliation",
            self._context(self.b_owner),
            list_a=self.list_import,
            list_b=self.list_import,
        )

    @cached_property
    def av_run(self):
        return autofill(
            "reconciliation.AbsoluteVerzuimRun",
            self._context(self.b_owner),
            register=self.list_import,
        )

    @cached_property
    def job(self):
        return autofill(
            "jobs.Job",
            self._context(self.b_owner),
            created_by=self.b_owner,
            kind="probe",
            progress_label=f"bezig met {self.t.student.surname}",
        )

    def secrets(self) -> list[str]:
        """Text that must never appear in a response to a region-A user."""
        s = self.t.student
        return [s.bsn, s.surname, s.given_names, s.full_name]


Factory = Callable[[World], object]

# By kwarg name: unambiguous names.
KWARG_FACTORIES: dict[str, Factory] = {
    "student_id": lambda w: w.t.student.pk,
    "case_id": lambda w: w.case.pk,
    "melding_id": lambda w: w.melding.pk,
    "duo_melding_id": lambda w: w.duo_melding.pk,
    "import_id": lambda w: w.attendance_import.pk,
    "signal_id": lambda w: w.signal_hit.pk,
    "action_id": lambda w: w.plan_action.pk,
    # Not an object id: a fixed part of the route.
    "kind": lambda w: "contact",
}

# By endpoint: kwargs whose meaning depends on the view ("pk").
ENDPOINT_FACTORIES: dict[str, dict[str, Factory]] = {
    "web:student_detail": {"pk": lambda w: w.t.student.pk},
    "attendance:student_overview": {"pk": lambda w: w.t.student.pk},
    "attendance:import_detail": {"pk": lambda w: w.attendance_import.pk},
    "attendance:import_status": {"pk": lambda w: w.attendance_import.pk},
    "attendance:signal_melding": {"pk": lambda w: w.signal_hit.pk},
    **{
        f"cases:{name}": {"pk": lambda w: w.melding.pk}
        for name in ("melding_detail", "melding_consent", "case_open")
    },
    "cases:melding_duo_status": {"pk": lambda w: w.duo_melding.pk},
    **{
        f"cases:{name}": {"pk": lambda w: w.case.pk}
        for name in (
            "case_detail",
            "case_edit",
            "case_phase",
            "case_protocol_apply",
            "case_transition",
            "case_item_add",
            "plan_action_status",
        )
    },
    "monitoring:school_consultation": {"pk": lambda w: w.t.school.pk},
    "reconciliation:mapping": {"pk": lambda w: w.list_import.pk},
    "reconciliation:result": {"pk": lambda w: w.reconciliation.pk},
    "reconciliation:review": {"pk": lambda w: w.reconciliation.pk},
    "reconciliation:av_result": {"pk": lambda w: w.av_run.pk},
    "jobs:job_status": {"pk": lambda w: w.job.pk},
}


def factory_for(endpoint: Endpoint, kwarg: str) -> Factory | None:
    specific = ENDPOINT_FACTORIES.get(endpoint.ident, {})
    if kwarg in specific:
        return specific[kwarg]
    if kwarg == "pk":
        return None  # ambiguous: must be named per endpoint
    return KWARG_FACTORIES.get(kwarg)


def object_endpoints() -> list[Endpoint]:
    return [e for e in all_endpoints() if e.kwargs and non_personal_reason(e) is None]


def list_endpoints() -> list[Endpoint]:
    """GET pages without an object id (lists, searches, dashboards, exports)."""
    skip_prefixes = ("beheer/", "account/", "api/v1/openapi", "static/")
    return [
        e
        for e in all_endpoints()
        if not e.kwargs and not e.route.startswith(skip_prefixes) and e.route != "api/v1/"
    ]
