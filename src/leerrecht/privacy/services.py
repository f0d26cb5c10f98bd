"""Write-side of privacy: the functions that write the audit log (Logboek dataverwerkingen).

- `audit_record(...)`: the one function that writes an audit row.
- `audit_view(request, ...)`: what a view calls to log its one processing of personal data;
  a second call in the same request is a programming error (issue 5: "every personal-data
  view writes exactly one audit entry").
- `@audited(activity=...)`: decorator for views; makes sure exactly one entry exists when
  the view succeeded, and logs refused probes (404) with outcome "geweigerd".
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable

from django.db import models
from django.http import Http404, HttpRequest, HttpResponse

from leerrecht.privacy.context import current_trace_id
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

_REQUEST_MARK = "_leerrecht_audit_event"


class AuditAlreadyRecorded(RuntimeError):
    """A view tried to write a second audit entry for one request."""


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
) -> AuditEvent:
    """Record one processing of personal data.

    `activity` names the processing activity (see ACTIVITIES and docs/privacy.md), e.g.
    "casusbehandeling", "signalering", "verzuimregistratie", "monitoring",
    "afstemming-lijsten", "inzageverzoek". `username` is only for events without an actor
    account (a failed login with an unknown name).
    """
    organisation = getattr(actor, "organisation", None)
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
    return AuditEvent.objects.create(
        trace_id=current_trace_id.get(),
        user=actor if getattr(actor, "pk", None) else None,
        username=(getattr(actor, "username", "") or username or "")[:150],
        organisation_name=getattr(organisation, "name", "") if organisation else "",
        role=getattr(actor, "role", "") or "",
        action=action,
        processing_activity=activity,
        subject_student_id=subject_student_id,
        object_type=object_type,
        object_id=str(object_id)[:64],
        fields=list(fields),
        outcome=outcome,
        detail=detail[:500],
    )


def _subject_id(subject) -> int | None:
    if subject is None:
        return None
    if isinstance(subject, int):
        return subject
    if subject._meta.label_lower == "registry.student":
        return subject.pk
    student_id = getattr(subject, "student_id", None)
    return student_id


def audit_view(
    request: HttpRequest,
    *,
    activity: str,
    action: str = AuditEvent.Action.READ,
    subject=None,
    obj: models.Model | None = None,
    fields: Iterable[str] = (),
    outcome: str = AuditEvent.Outcome.OK,
    detail: str = "",
) -> AuditEvent:
    """Log the one processing of personal data this request does.

    `subject` is the child (a Student, its id, or any object with `student_id`); when left
    out, it is taken from `obj`. Calling this twice for one request raises
    AuditAlreadyRecorded: a view that shows several children logs a SEARCH/EXPORT with the
    ids in `detail` or uses `audit_record` per child in a background job instead.
    """
    if getattr(request, _REQUEST_MARK, None) is not None:
        raise AuditAlreadyRecorded(f"{request.path} already wrote its audit entry")
    subject_id = _subject_id(subject if subject is not None else obj)
    event = audit_record(
        actor=request.user,
        action=action,
        activity=activity,
        subject_student_id=subject_id,
        obj=obj,
        fields=fields,
        outcome=outcome,
        detail=detail,
    )
    setattr(request, _REQUEST_MARK, event)
    return event


def audit_recorded_for(request: HttpRequest) -> AuditEvent | None:
    return getattr(request, _REQUEST_MARK, None)


def audited(
    *, activity: str, action: str = AuditEvent.Action.READ
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Decorator for a view that processes personal data.

    - The view may call `audit_view(request, subject=..., obj=..., fields=...)` itself to
      name the child and fields; otherwise a successful response (status < 400) gets one
      entry naming the URL's object id.
    - An Http404 (out of scope or absent) is logged with outcome "geweigerd" and re-raised,
      so the privacy officer sees id probing.
    """
    if activity not in ACTIVITIES:
        raise ValueError(f"unknown processing activity {activity!r}; add it to ACTIVITIES")

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            object_ref = ",".join(f"{k}={v}" for k, v in sorted(kwargs.items()))
            try:
                response = view(request, *args, **kwargs)
            except Http404:
                if audit_recorded_for(request) is None:
                    audit_view(
                        request,
                        activity=activity,
                        action=action,
                        outcome=AuditEvent.Outcome.DENIED,
                        detail=f"{request.path} ({object_ref})" if object_ref else request.path,
                    )
                raise
            if response.status_code < 400 and audit_recorded_for(request) is None:
                audit_view(request, activity=activity, action=action, detail=request.path)
            return response

        wrapper.leerrecht_audited = activity  # introspected by tests/security
        return wrapper

    return decorate
