"""/api/v1/signals: attendance signals (SIGNALS.md) of the students a token may see."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from leerrecht.api.core import (
    IsoDate,
    PageQuery,
    QueryParams,
    auth,
    check_query,
    page_of,
    paginate,
)
from leerrecht.attendance.models import SignalHit
from leerrecht.attendance.selectors import signal_hit_list
from leerrecht.privacy.audit import audit_note, processing
from leerrecht.privacy.models import AuditEvent

router = Router(tags=["signals"])


class SignalOut(Schema):
    id: int
    student_id: int = Field(description="Id of the student (/api/v1/students/{id}).")
    student_source_id: str = Field(description="student_id in the attendance file.")
    signal: str = Field(description="Signal id of SIGNALS.md, e.g. unauthorised_16h_4w.")
    first_date: dt.date
    protocol: str
    leads_to: list[str] = Field(description="What the protocol says follows.")
    details: dict


SignalPage = page_of(SignalOut, "SignalPage")


class SignalFilters(QueryParams):
    signal: str | None = Field(None, pattern=r"^[a-z0-9_]{1,60}$")
    student_id: int | None = Field(None, ge=1, le=9_223_372_036_854_775_807)
    first_date_from: IsoDate | None = None
    first_date_to: IsoDate | None = None


def signal_out(hit: SignalHit) -> dict:
    return {
        "id": hit.pk,
        "student_id": hit.student_id,
        "student_source_id": hit.student.source_id,
        "signal": hit.signal,
        "first_date": hit.first_date,
        "protocol": hit.protocol,
        "leads_to": list(hit.leads_to or []),
        "details": hit.details or {},
    }


@router.get(
    "/signals",
    response={200: SignalPage},
    auth=auth("signals:read"),
    summary="List signals",
    description="Scope `signals:read`. Newest first; only students in the token's scope.",
)
@processing("signalering", kind="attendance.signalhit", read=AuditEvent.Action.SEARCH)
def list_signals(request: HttpRequest, filters: Query[SignalFilters], page: Query[PageQuery]):
    check_query(request, SignalFilters, PageQuery)
    hits = signal_hit_list(
        user=request.user,
        signal=filters.signal or "",
        date_from=filters.first_date_from,
        date_to=filters.first_date_to,
    )
    if filters.student_id:
        hits = hits.filter(student_id=filters.student_id)
    body, objects = paginate(request, hits, page=page, serialize=signal_out)
    audit_note(
        request,
        action=AuditEvent.Action.SEARCH,
        fields=("signal", "first_date", "details"),
        children=[h.student_id for h in objects],
    )
    return body
