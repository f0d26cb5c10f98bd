"""/api/v1/duo-verzuimmeldingen: the legal DUO verzuimmelding in the documented export
layout (docs/duo-verzuimmelding.md), and the gemeente's answers (status feedback)."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Field, Path, Router, Schema
from pydantic import StrictStr

from leerrecht.api.core import auth, check_query
from leerrecht.api.problems import ApiProblem
from leerrecht.cases.duo import (
    EXPORT_VERSION,
    FeedbackInvalid,
    duo_export_records,
    duo_feedback_import,
)
from leerrecht.cases.query import meldingen_for_user
from leerrecht.privacy.audit import audit_note, processing
from leerrecht.privacy.models import AuditEvent

router = Router(tags=["duo-verzuimmeldingen"])

MAX_ID = 9_223_372_036_854_775_807


class DuoExportOut(Schema):
    versie: str = Field(description="Version of the export layout (docs/duo-verzuimmelding.md).")
    meldingen: list[dict] = Field(description="One record per melding; keys as documented.")


class DuoAnswerIn(Schema):
    kenmerk: StrictStr = Field(..., max_length=40, description="LR-<id> of the melding.")
    status: StrictStr = Field(..., max_length=60)
    reden: StrictStr = Field("", max_length=200)
    toelichting: StrictStr = Field("", max_length=4000)
    contact: StrictStr = Field("", max_length=200)


class DuoAnswersIn(Schema):
    meldingen: list[DuoAnswerIn] = Field(..., min_length=1, max_length=1000)


class DuoAnswersOut(Schema):
    updated: list[int]
    unchanged: list[int]


def _visible_duo_meldingen(request: HttpRequest):
    """DUO meldingen the token may read (the access model of cases.query)."""
    return meldingen_for_user(request.user).filter(kind="duo")


def _school_duo_meldingen(request: HttpRequest):
    """DUO meldingen the token's own organisation made (answers are about those)."""
    return _visible_duo_meldingen(request).filter(organisation_id=request.user.organisation_id)


def _export(request: HttpRequest, meldingen) -> dict:
    meldingen = list(meldingen.select_related("student", "organisation").order_by("pk"))
    records = duo_export_records(meldingen)
    audit_note(
        request,
        action=AuditEvent.Action.EXPORT,
        subject=meldingen[0].student if len(meldingen) == 1 else None,
        fields=("verzuimmelding DUO",),
        children=[m.student_id for m in meldingen],
        detail=f"API DUO export v{EXPORT_VERSION}: " + ",".join(r["kenmerk"] for r in records),
    )
    return {"versie": EXPORT_VERSION, "meldingen": records}


@router.get(
    "/duo-verzuimmeldingen",
    response={200: DuoExportOut},
    auth=auth("meldingen:read"),
    summary="Export the school's DUO verzuimmeldingen",
    description="Scope `meldingen:read`. Every DUO melding the token may read, in the "
    "documented export layout (docs/duo-verzuimmelding.md).",
)
@processing("verzuimregistratie", kind="cases.melding", read=AuditEvent.Action.EXPORT)
def export_duo_meldingen(request: HttpRequest):
    check_query(request)
    return _export(request, _visible_duo_meldingen(request))


@router.get(
    "/duo-verzuimmeldingen/{duo_melding_id}",
    response={200: DuoExportOut},
    auth=auth("meldingen:read"),
    summary="Export one DUO verzuimmelding",
    description="Scope `meldingen:read`. 404 outside the token's scope.",
)
@processing("verzuimregistratie", kind="cases.melding", read=AuditEvent.Action.EXPORT)
def export_duo_melding(request: HttpRequest, duo_melding_id: int = Path(..., ge=1, le=MAX_ID)):
    check_query(request)
    meldingen = _visible_duo_meldingen(request).filter(pk=duo_melding_id)
    if not meldingen.exists():
        raise ApiProblem(404, "Deze resource bestaat niet of valt buiten uw scope.")
    return _export(request, meldingen)


@router.post(
    "/duo-antwoorden",
    response={200: DuoAnswersOut},
    auth=auth("meldingen:write"),
    summary="Import the gemeente's answers to DUO verzuimmeldingen",
    description="Scope `meldingen:write`. Per melding: status, reden, toelichting, contact. "
    "All or nothing (400 lists every problem); the same answers again change nothing.",
)
@processing("verzuimregistratie", kind="cases.melding", write=AuditEvent.Action.IMPORT)
def import_duo_answers(request: HttpRequest, body: DuoAnswersIn):
    check_query(request)
    import json

    text = json.dumps({"meldingen": [a.model_dump() for a in body.meldingen]})
    try:
        result = duo_feedback_import(
            meldingen=_school_duo_meldingen(request), text=text, name="body"
        )
    except FeedbackInvalid as exc:
        raise ApiProblem(
            400,
            str(exc),
            invalid_params=[{"name": "meldingen", "reason": p} for p in exc.problems],
        ) from None
    audit_note(
        request,
        action=AuditEvent.Action.UPDATE,
        fields=("status", "reden afsluiten", "toelichting", "contactpersoon gemeente"),
        detail=f"API DUO answers: updated {result.updated}, unchanged {result.unchanged}",
    )
    return {"updated": result.updated, "unchanged": result.unchanged}
