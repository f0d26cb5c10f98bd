"""Write-side of privacy: the one function that writes the audit log."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import models

from leerrecht.privacy.context import current_trace_id
from leerrecht.privacy.models import AuditEvent


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
) -> AuditEvent:
    """Record one processing of personal data.

    `activity` names the processing activity (see docs/privacy.md), e.g. "casusbehandeling",
    "signalering", "verzuimmelding", "monitoring", "afstemming-lijsten", "inzageverzoek".
    """
    organisation = getattr(actor, "organisation", None)
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
    return AuditEvent.objects.create(
        trace_id=current_trace_id.get(),
        user=actor if getattr(actor, "pk", None) else None,
        username=getattr(actor, "username", "") or "",
        organisation_name=getattr(organisation, "name", "") if organisation else "",
        role=getattr(actor, "role", "") or "",
        action=action,
        processing_activity=activity,
        subject_student_id=subject_student_id,
        object_type=object_type,
        object_id=object_id,
        fields=list(fields),
        outcome=outcome,
        detail=detail[:500],
    )
