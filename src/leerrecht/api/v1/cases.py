"""/api/v1/cases: cases and their deadlines (cases.query.cases_for_user scope)."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Path, Query, Router, Schema

from leerrecht.api.core import (
    PageQuery,
    QueryParams,
    auth,
    check_query,
    page_of,
    paginate,
)
from leerrecht.cases.models import Case, CaseStatus
from leerrecht.cases.query import case_get_for_user, case_redact, cases_for_user
from leerrecht.cases.selectors import case_schedule
from leerrecht.privacy.audit import audit_note, processing
from leerrecht.privacy.models import AuditEvent

router = Router(tags=["cases"])

MAX_ID = 9_223_372_036_854_775_807
StatusValue = Literal[tuple(CaseStatus.values)]  # type: ignore[valid-type]
CASE_FIELDS = (
    "status", "protocol", "route", "phase", "anchor_date", "opened_on", "closed_on",
    "regiehouder", "cause", "daytime_activity",
)  # fmt: skip


class DeadlineOut(Schema):
    kind: str = Field(description="norm, route or escalation.")
    key: str
    label: str
    due: dt.date
    earliest: dt.date | None
    met_on: dt.date | None
    status: str = Field(description="open, due_today, overdue, met or met_late (today).")
    source: str


class CaseLinks(Schema):
    self: str
    student: str


class CaseOut(Schema):
    id: int
    student_id: int
    status: str = Field(description="open, escalated, on_hold or closed.")
    opened_on: dt.date
    redacted: bool = Field(
        description="True: authorised absence without consent to share with leerplicht; "
        "the content fields are null."
    )
    regiehouder: str | None
    protocol: str | None
    route: str | None
    phase: str | None
    phase_since: dt.date | None
    anchor_date: dt.date | None = Field(description="First date of worrying absence.")
    closed_on: dt.date | None
    closure_reason: str | None
    cause: str | None
    daytime_activity: str | None
    deadlines: list[DeadlineOut] | None = Field(
        description="Every deadline of the case (norms, route step, escalation ladder), "
        "sorted by due date; only on /cases/{id}."
    )
    links: CaseLinks


CasePage = page_of(CaseOut, "CasePage")


class CaseFilters(QueryParams):
    status: StatusValue | None = None
    student_id: int | None = Field(None, ge=1, le=MAX_ID)


def _deadlines(case: Case) -> list[dict]:
    today = timezone.localdate()
    return [
        {
            "kind": m.kind,
            "key": m.key,
            "label": str(m.label),
            "due": m.due,
            "earliest": m.earliest,
            "met_on": m.met_on,
            "status": m.status(today),
            "source": m.source,
        }
        for m in case_schedule(case)
    ]


def case_out(user, case: Case, *, with_deadlines: bool) -> dict:
    base = {
        "id": case.pk,
        "student_id": case.student_id,
        "status": case.status,
        "opened_on": case.opened_on,
        "regiehouder": case.regiehouder.name if case.regiehouder_id else None,
        "links": {
            "self": f"/api/v1/cases/{case.pk}",
            "student": f"/api/v1/students/{case.student_id}",
        },
    }
    content = (
        "protocol", "route", "phase", "phase_since", "anchor_date", "closed_on",
        "closure_reason", "cause", "daytime_activity",
    )  # fmt: skip
    if case_redact(user, case) is not case:
        return {**base, "redacted": True, **dict.fromkeys(content), "deadlines": None}
    return {
        **base,
        "redacted": False,
        **{name: (getattr(case, name) or None) for name in content},
        "deadlines": _deadlines(case) if with_deadlines else None,
    }


@router.get(
    "/cases",
    response={200: CasePage},
    auth=auth("cases:read"),
    summary="List cases",
    description="Scope `cases:read`. Only cases of students in the token's scope.",
)
@processing("casusbehandeling", kind="cases.case", read=AuditEvent.Action.SEARCH)
def list_cases(request: HttpRequest, filters: Query[CaseFilters], page: Query[PageQuery]):
    check_query(request, CaseFilters, PageQuery)
    cases = cases_for_user(request.user)
    if filters.status:
        cases = cases.filter(status=filters.status)
    if filters.student_id:
        cases = cases.filter(student_id=filters.student_id)
    body, objects = paginate(
        request,
        cases.order_by("-opened_on", "-id"),
        page=page,
        serialize=lambda c: case_out(request.user, c, with_deadlines=False),
    )
    audit_note(
        request,
        action=AuditEvent.Action.SEARCH,
        fields=CASE_FIELDS,
        children=[c.student_id for c in objects],
    )
    return body


@router.get(
    "/cases/{case_id}",
    response={200: CaseOut},
    auth=auth("cases:read"),
    summary="Read one case with its deadlines",
    description="Scope `cases:read`. 404 when outside the token's scope.",
)
@processing("casusbehandeling", kind="cases.case")
def get_case(request: HttpRequest, case_id: int = Path(..., ge=1, le=MAX_ID)):
    check_query(request)
    shown = case_get_for_user(request.user, case_id)
    case = cases_for_user(request.user).get(pk=shown.pk)
    audit_note(request, subject=case, obj=case, fields=(*CASE_FIELDS, "deadlines"))
    return case_out(request.user, case, with_deadlines=True)
