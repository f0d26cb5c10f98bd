"""Write-side of privacy: the one writer of the audit log (Logboek dataverwerkingen).

- Web views and API operations do not call this module: they declare their processing
  with `@processing(...)` and add detail with `audit_note` (privacy/audit.py); the
  middleware writes the request's one entry (docs/adr/0103).
- `audit_record(...)` is for services, jobs and the command line. Inside a request to a
  declared endpoint it adds to that request's one entry instead of writing a second row;
  outside a request (a job, a command) it writes its own row.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import models

from leerrecht.privacy.context import RequestAudit, current_request_audit, current_trace_id
from leerrecht.privacy.models import AuditEvent

# Processing activities (verwerkingsactiviteiten) of the register; see docs/privacy.md.
ACTIVITIES = {
    "authenticatie": "Inloggen en beveiliging van accounts",
    "leerlingregistratie": "Registratie van leerlingen, inschrijvingen en vrijstellingen",
    "leerlingdossier": "Inzien van het overzicht van één leerling",
    "zoeken": "Zoeken naar een leerling binnen het eigen werkgebied",
    "verzuimregistratie": "Registratie en import van aanwezigheid en verzuim",
    "verzuimmelding": "Meldingen van verzuim (signaal, ziekteverzuim, DUO) en toestemming",
    "signalering": "Signaleren van zorgwekkend verzuim",
    "casusbehandeling": "Casusregie en -behandeling (brede thuiszittersaanpak)",
    "afstemming-lijsten": "Afstemming van thuiszitterslijsten tussen partners",
    "monitoring": "Geaggregeerde monitoring voor beleid",
    "toezicht-privacy": "Toezicht op de verwerking door de privacy officer (FG)",
    "inzageverzoek": "Inzageverzoek van betrokkene (AVG art. 15)",
    "bewaartermijn": "Verwijdering en anonimisering na de bewaartermijn",
    "protocolbeheer": "Beheer van het regionale verzuimprotocol (versies, simulatie)",
}


def audit_record(
    *,
    actor,
    action: str,
    activity: str,
    subject_student_id: int | None = None,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    fields: Iterable[str] = (),
    outcome: str = AuditEvent.Outcome.OK,
    detail: str = "",
    username: str = "",
) -> AuditEvent | None:
    """Record one processing of personal data by a service, job or command.

    `activity` names the processing activity (see ACTIVITIES and docs/privacy.md).
    `username` is only for events without an actor account (a failed login with an unknown
    name). Inside a declared request this becomes part of the request's one entry (and
    None is returned); otherwise the written row is returned.
    """
    collector = current_request_audit.get()
    note = collector if collector is not None else RequestAudit()
    note.add(
        action=action,
        activity=activity,
        subject_student_id=subject_student_id,
        obj=obj,
        object_type=object_type,
        object_id=object_id,
        fields=fields,
        outcome="" if outcome == AuditEvent.Outcome.OK else outcome,
        detail=detail,
    )
    if collector is not None:
        return None
    return write_audit_event(actor=actor, note=note, username=username)


def write_audit_event(*, actor, note: RequestAudit, username: str = "") -> AuditEvent:
    """Insert one row from a finished note. Called by `audit_record` and by the request
    middleware only."""
    organisation = getattr(actor, "organisation", None)
    return AuditEvent.objects.create(
        trace_id=current_trace_id.get(),
        user=actor if getattr(actor, "pk", None) else None,
        username=(getattr(actor, "username", "") or username or "")[:150],
        organisation_name=getattr(organisation, "name", "") if organisation else "",
        role=getattr(actor, "role", "") or "",
        action=note.action,
        processing_activity=note.activity,
        subject_student_id=note.subject_student_id,
        subject_student_ids=AuditEvent.ids_as_text(sorted(note.children))
        if note.children
        else None,
        object_type=note.object_type,
        object_id=note.object_id[:64],
        fields=list(note.fields),
        outcome=note.outcome or AuditEvent.Outcome.OK,
        detail="; ".join(note.details)[:500],
    )
