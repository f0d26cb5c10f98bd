"""/api/v1/meldingen: read meldingen and create statutory DUO absence reports.

Creating is idempotent twice over: an `Idempotency-Key` header replays the first outcome,
and without it the natural key (organisation, student, verzuimsoort, start of the
absence) returns the existing melding instead of a duplicate (docs/adr/0072).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Literal

from django.http import HttpRequest, HttpResponse
from ninja import Field, Header, Path, Query, Router, Schema, Status
from pydantic import Strict, StrictBool, StrictInt, StrictStr

from leerrecht.api.core import (
    IsoDate,
    PageQuery,
    QueryParams,
    auth,
    check_query,
    page_of,
    paginate,
)
from leerrecht.api.problems import ApiProblem, Problem
from leerrecht.api.services import IdempotencyConflict, api_idempotent_write, request_fingerprint
from leerrecht.cases.models import DuoAbsenceKind, DuoStatus, Melding, MeldingKind
from leerrecht.cases.query import melding_get_for_user, melding_redact, meldingen_for_user
from leerrecht.cases.services import CaseError, melding_create_duo
from leerrecht.privacy.audit import audit_note, processing
from leerrecht.privacy.models import AuditEvent
from leerrecht.privacy.query import students_for_user

router = Router(tags=["meldingen"])

MAX_ID = 9_223_372_036_854_775_807
DuoKind = Literal[tuple(DuoAbsenceKind.values)]  # type: ignore[valid-type]
DuoStatusValue = Literal[tuple(DuoStatus.values)]  # type: ignore[valid-type]
KindValue = Literal[tuple(MeldingKind.values)]  # type: ignore[valid-type]
MELDING_FIELDS = (
    "kind", "reported_on", "duo_kind", "duo_status", "period_start", "period_end", "hours",
    "absence_continues", "note",
)  # fmt: skip


class MeldingLinks(Schema):
    self: str
    student: str


class MeldingOut(Schema):
    id: int
    kind: str = Field(description="signal, sickness or duo.")
    student_id: int
    reported_on: dt.date
    organisation: str = Field(description="Name of the reporting organisation.")
    redacted: bool = Field(
        description="True: authorised absence without the parents' consent to share with "
        "leerplicht; only that the melding exists is shown (the fields below are null)."
    )
    authorised_absence: bool | None
    duo_kind: str | None = Field(description="DUO verzuimsoort: 16_uur, lrv, luxe, overig.")
    duo_status: str | None = Field(
        description="DUO status: geregistreerd, in_behandeling, afgesloten, ingetrokken, "
        "ter_kennisgeving."
    )
    period_start: dt.date | None
    period_end: dt.date | None
    hours: float | None
    absence_continues: bool | None
    signal_id: str | None
    note: str | None
    case_id: int | None
    links: MeldingLinks


MeldingPage = page_of(MeldingOut, "MeldingPage")


class MeldingIn(Schema):
    kind: Literal["duo"] = Field(
        "duo", description="Only statutory DUO reports are created through the API."
    )
    student_id: StrictInt = Field(..., ge=1, le=MAX_ID)
    duo_kind: DuoKind
    reported_on: IsoDate
    period_start: IsoDate
    period_end: IsoDate | None = None
    hours: Annotated[float, Strict()] | None = Field(None, ge=0, le=9999)
    absence_continues: StrictBool = True
    note: StrictStr = Field("", max_length=2000)


class MeldingFilters(QueryParams):
    kind: KindValue | None = None
    duo_status: DuoStatusValue | None = None
    student_id: int | None = Field(None, ge=1, le=MAX_ID)
    reported_from: IsoDate | None = None
    reported_to: IsoDate | None = None


def melding_out(user, melding: Melding) -> dict:
    shown = melding_redact(user, melding)
    base = {
        "id": melding.pk,
        "kind": melding.kind,
        "student_id": melding.student_id,
        "reported_on": melding.reported_on,
        "organisation": melding.organisation.name if melding.organisation else "",
        "links": {
            "self": f"/api/v1/meldingen/{melding.pk}",
            "student": f"/api/v1/students/{melding.student_id}",
        },
    }
    if shown is not melding:
        return {
            **base,
            "redacted": True,
            **dict.fromkeys(
                (
                    "authorised_absence", "duo_kind", "duo_status", "period_start", "period_end",
                    "hours", "absence_continues", "signal_id", "note", "case_id",
                )
            ),
        }  # fmt: skip
    return {
        **base,
        "redacted": False,
        "authorised_absence": melding.authorised_absence,
        "duo_kind": melding.duo_kind or None,
        "duo_status": melding.duo_status or None,
        "period_start": melding.period_start,
        "period_end": melding.period_end,
        "hours": float(melding.hours) if melding.hours is not None else None,
        "absence_continues": melding.absence_continues,
        "signal_id": melding.signal_id or None,
        "note": melding.note,
        "case_id": melding.case_id,
    }


@router.get(
    "/meldingen",
    response={200: MeldingPage},
    auth=auth("meldingen:read"),
    summary="List meldingen",
    description="Scope `meldingen:read`. Newest first; only students in the token's scope.",
)
@processing("verzuimregistratie", kind="cases.melding", read=AuditEvent.Action.SEARCH)
def list_meldingen(request: HttpRequest, filters: Query[MeldingFilters], page: Query[PageQuery]):
    check_query(request, MeldingFilters, PageQuery)
    meldingen = meldingen_for_user(request.user)
    if filters.kind:
        meldingen = meldingen.filter(kind=filters.kind)
    if filters.duo_status:
        meldingen = meldingen.filter(duo_status=filters.duo_status)
    if filters.student_id:
        meldingen = meldingen.filter(student_id=filters.student_id)
    if filters.reported_from:
        meldingen = meldingen.filter(reported_on__gte=filters.reported_from)
    if filters.reported_to:
        meldingen = meldingen.filter(reported_on__lte=filters.reported_to)
    body, objects = paginate(
        request,
        meldingen.order_by("-reported_on", "-id"),
        page=page,
        serialize=lambda m: melding_out(request.user, m),
    )
    audit_note(
        request,
        action=AuditEvent.Action.SEARCH,
        fields=MELDING_FIELDS,
        children=[m.student_id for m in objects],
    )
    return body


@router.get(
    "/meldingen/{melding_id}",
    response={200: MeldingOut},
    auth=auth("meldingen:read"),
    summary="Read one melding",
    description="Scope `meldingen:read`. 404 when outside the token's scope.",
)
@processing("verzuimregistratie", kind="cases.melding")
def get_melding(request: HttpRequest, melding_id: int = Path(..., ge=1, le=MAX_ID)):
    check_query(request)
    shown = melding_get_for_user(request.user, melding_id)
    melding = meldingen_for_user(request.user).get(pk=shown.pk)
    audit_note(request, subject=melding, obj=melding, fields=MELDING_FIELDS)
    return melding_out(request.user, melding)


@router.post(
    "/meldingen",
    response={200: MeldingOut, 201: MeldingOut, 404: Problem, 409: Problem},
    auth=auth("meldingen:write"),
    summary="Create a DUO melding",
    description=(
        "Scope `meldingen:write`. Creates a statutory absence report with DUO's verzuimsoort "
        "(201). Idempotent: send an `Idempotency-Key` header to have a retry replay the first "
        "answer (header `Idempotency-Replayed: true`); the same key with a different body is "
        "409. Without a key, a melding with the same student, verzuimsoort and start date "
        "from the same organisation is returned (200) instead of creating a duplicate. A "
        "report overlapping an exemption gets status `ingetrokken`."
    ),
)
@processing("verzuimregistratie", kind="cases.melding", write=AuditEvent.Action.CREATE)
def create_melding(
    request: HttpRequest,
    response: HttpResponse,
    payload: MeldingIn,
    idempotency_key: str | None = Header(
        None,
        alias="Idempotency-Key",
        min_length=1,
        max_length=255,
        pattern=r"^[A-Za-z0-9._:-]+$",
        description="A client-chosen unique key per melding (e.g. a UUID).",
    ),
):
    check_query(request)
    user = request.user
    token = request.api_token
    student = students_for_user(user).filter(pk=payload.student_id).first()
    if student is None:
        # Same answer as reading the student: outside the scope it does not exist.
        raise ApiProblem(
            404,
            "Deze leerling bestaat niet of valt buiten de scope van dit token.",
            invalid_params=[{"name": "student_id", "reason": "onbekende leerling"}],
        )

    def perform() -> tuple[int, dict]:
        existing = (
            Melding.objects.filter(
                kind=MeldingKind.DUO,
                organisation=token.organisation,
                student=student,
                duo_kind=payload.duo_kind,
                period_start=payload.period_start,
            )
            .order_by("id")
            .first()
        )
        if existing is not None:
            return 200, melding_out(user, existing)
        try:
            melding = melding_create_duo(
                user=user,
                student=student,
                duo_kind=payload.duo_kind,
                reported_on=payload.reported_on,
                period_start=payload.period_start,
                period_end=payload.period_end,
                hours=None if payload.hours is None else Decimal(str(round(payload.hours, 1))),
                absence_continues=payload.absence_continues,
                note=payload.note,
            )
        except CaseError as exc:
            raise ApiProblem(400, str(exc)) from None
        return 201, melding_out(user, melding)

    replayed = False
    if idempotency_key:
        fingerprint = request_fingerprint(
            method="POST", path=request.path, body=payload.model_dump(mode="json")
        )
        try:
            status, body, replayed = api_idempotent_write(
                organisation=token.organisation,
                key=idempotency_key,
                method="POST",
                path=request.path,
                fingerprint=fingerprint,
                perform=perform,
            )
        except IdempotencyConflict as exc:
            raise ApiProblem(409, str(exc)) from None
    else:
        status, body = perform()
    if replayed:
        response["Idempotency-Replayed"] = "true"
    if status == 201:
        response["Location"] = body["links"]["self"]
    audit_note(
        request,
        action=AuditEvent.Action.CREATE
        if status == 201 and not replayed
        else AuditEvent.Action.READ,
        subject=student,
        obj=Melding.objects.get(pk=body["id"]),
        fields=MELDING_FIELDS,
        detail=f"API POST /api/v1/meldingen -> {status} melding {body['id']}"
        + (" (replayed)" if replayed else ""),
    )
    return Status(status, body)
