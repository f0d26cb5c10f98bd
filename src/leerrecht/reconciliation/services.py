"""Write side of reconciliation: upload, map and import lists; run and review matching;
absolute verzuim; tasks. Each function audits its processing of personal data once."""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from leerrecht.jobs.services import UserFacingError, job_enqueue
from leerrecht.privacy.models import AuditEvent
from leerrecht.privacy.services import audit_record
from leerrecht.reconciliation.matching import config_load
from leerrecht.reconciliation.matching.linker import decision_key, fingerprint
from leerrecht.reconciliation.matching.listio import ListError, Validated, rows_validate, table_read
from leerrecht.reconciliation.models import (
    AbsoluteVerzuimCandidate,
    AbsoluteVerzuimRun,
    ListImport,
    ListKind,
    ListRecord,
    MatchDecision,
    MatchProposal,
    Reconciliation,
    ReconciliationTask,
    SourceMapping,
)
from leerrecht.reconciliation.query import user_may_reconcile

ACTIVITY = "afstemming-lijsten"
logger = logging.getLogger(__name__)
_RECORD_FIELDS = (
    "bsn",
    "education_number",
    "given_names",
    "tussenvoegsel",
    "surname",
    "status",
    "school",
    "external_id",
)
_ADDRESS_FIELDS = ("street", "house_number", "postcode", "woonplaats", "municipality")
_EXTRA_FIELDS = (
    *_ADDRESS_FIELDS,
    "settled_on",
    "departed_on",
    "departure_reason",
    "starting_qualification",
)


def config():
    return config_load(getattr(settings, "LEERRECHT_PROTOCOL", None))


def working_days_after(start: dt.date, days: int) -> dt.date:
    current = start
    while days > 0:
        current += dt.timedelta(days=1)
        if current.weekday() < 5:
            days -= 1
    return current


def list_upload(
    *, user, source_name: str, source_kind: str, kind: str, filename: str, content: bytes
) -> ListImport:
    """Keep an uploaded file until its columns are mapped. Raises UserFacingError if unreadable."""
    if not user_may_reconcile(user):
        raise UserFacingError("U mag geen lijsten inlezen.")
    try:
        table_read(content, filename)
    except ListError as exc:
        raise UserFacingError(str(exc)) from exc
    list_import = ListImport.objects.create(
        organisation=user.organisation,
        uploaded_by=user,
        source_name=source_name.strip()[:120],
        source_kind=source_kind,
        kind=kind,
        filename=filename[:200],
        content=content,
    )
    audit_record(
        actor=user,
        action=AuditEvent.Action.CREATE,
        activity=ACTIVITY,
        obj=list_import,
        detail=f"upload {filename}",
    )
    return list_import


def list_import_apply(*, user, list_import: ListImport, mapping: dict[str, str]) -> Validated:
    """Check every row with `mapping` and import the file in one transaction; remembers the
    mapping. A wrong mapping (file-level error) imports nothing; row-level problems (an
    invalid BSN, an unparseable date ...) are stored with the import and the rows take part
    without the bad field (ADR 0140)."""
    mapping = {f: h for f, h in mapping.items() if h}
    table = table_read(bytes(list_import.content), list_import.filename)
    result = rows_validate(table, mapping, list_import.kind)
    if result.errors:
        audit_record(
            actor=user,
            action=AuditEvent.Action.IMPORT,
            activity=ACTIVITY,
            obj=list_import,
            outcome=AuditEvent.Outcome.ERROR,
            detail=f"{len(result.errors)} fouten, niets ingelezen",
        )
        return result
    with transaction.atomic():
        locked = ListImport.objects.select_for_update().get(pk=list_import.pk)
        if locked.state != ListImport.State.UPLOADED:
            raise UserFacingError("Deze lijst is al ingelezen.")
        ListRecord.objects.bulk_create(
            [
                ListRecord(
                    list_import=locked,
                    line=rec["line"],
                    date_of_birth=rec.get("date_of_birth"),
                    **{f: str(rec.get(f) or "")[:200] for f in _RECORD_FIELDS},
                    extra={
                        f: (rec[f].isoformat() if isinstance(rec.get(f), dt.date) else rec.get(f))
                        for f in _EXTRA_FIELDS
                        if f in rec
                    },
                )
                for rec in result.records
            ],
            batch_size=2000,
        )
        locked.state = ListImport.State.IMPORTED
        locked.row_count = len(result.records)
        locked.problems = [[p.line, p.column, p.message] for p in result.problems]
        locked.content = b""
        locked.save(update_fields=["state", "row_count", "problems", "content"])
        SourceMapping.objects.update_or_create(
            organisation=locked.organisation,
            source_name=locked.source_name,
            kind=locked.kind,
            defaults={"mapping": mapping},
        )
        audit_record(
            actor=user,
            action=AuditEvent.Action.IMPORT,
            activity=ACTIVITY,
            obj=locked,
            fields=sorted(mapping),
            detail=f"{len(result.records)} regels ingelezen, {len(result.problems)} problemen",
        )
    list_import.refresh_from_db()
    return result


def reconciliation_start(*, user, list_a: ListImport, list_b: ListImport) -> Reconciliation:
    if list_a.pk == list_b.pk:
        raise UserFacingError("Kies twee verschillende lijsten.")
    for li in (list_a, list_b):
        if li.state != ListImport.State.IMPORTED or li.kind != ListKind.LIST:
            raise UserFacingError(f"Lijst {li} is nog niet ingelezen.")
    rec = Reconciliation.objects.create(
        organisation=user.organisation, created_by=user, list_a=list_a, list_b=list_b
    )
    audit_record(actor=user, action=AuditEvent.Action.CREATE, activity=ACTIVITY, obj=rec)
    job = job_enqueue(kind="reconciliation.link", payload={"reconciliation_id": rec.pk}, user=user)
    Reconciliation.objects.filter(pk=rec.pk).update(job=job)
    rec.refresh_from_db()
    return rec


def _summary_refresh(rec: Reconciliation) -> None:
    proposals = list(rec.proposals.all())
    matched = [p for p in proposals if p.is_match]
    # Duplicate rows inside a list are one child: not counted as rows of their own.
    n_a = rec.list_a.row_count - len(rec.summary.get("duplicate_records_a", []))
    n_b = rec.list_b.row_count - len(rec.summary.get("duplicate_records_b", []))
    rec.summary = {
        **rec.summary,
        "rows_a": rec.list_a.row_count,
        "rows_b": rec.list_b.row_count,
        "matched": len(matched),
        "conflicts": sum(1 for p in matched if p.status_conflict),
        "review": sum(1 for p in proposals if p.review == MatchProposal.Review.PENDING),
        "only_a": n_a - len(matched),
        "only_b": n_b - len(matched),
        "coverage_a": round(100 * len(matched) / n_a, 1) if n_a else 0.0,
        "coverage_b": round(100 * len(matched) / n_b, 1) if n_b else 0.0,
    }
    rec.save(update_fields=["summary"])


def proposal_decide(*, user, proposal: MatchProposal, confirm: bool) -> MatchProposal:
    """A person confirms or rejects a proposed pair; the decision is reused next time."""
    with transaction.atomic():
        p = (
            MatchProposal.objects.select_for_update()
            .select_related("record_a", "record_b", "reconciliation")
            .get(pk=proposal.pk)
        )
        if p.review not in (
            MatchProposal.Review.PENDING,
            MatchProposal.Review.CONFIRMED,
            MatchProposal.Review.REJECTED,
        ):
            raise UserFacingError("Alleen voorgestelde koppelingen kunnen worden beoordeeld.")
        p.review = MatchProposal.Review.CONFIRMED if confirm else MatchProposal.Review.REJECTED
        p.decided_by, p.decided_at = user, timezone.now()
        p.save(update_fields=["review", "decided_by", "decided_at"])
        low, high = decision_key(
            fingerprint(record_person(p.record_a)), fingerprint(record_person(p.record_b))
        )
        MatchDecision.objects.update_or_create(
            organisation=p.reconciliation.organisation,
            fingerprint_low=low,
            fingerprint_high=high,
            defaults={"confirmed": confirm, "decided_by": user},
        )
        _summary_refresh(p.reconciliation)
        audit_record(
            actor=user,
            action=AuditEvent.Action.UPDATE,
            activity=ACTIVITY,
            obj=p,
            fields=["review"],
            detail="bevestigd" if confirm else "afgewezen",
        )
    return p


def record_person(record: ListRecord):
    from leerrecht.reconciliation.matching import Person

    return Person(
        ref=str(record.pk),
        given_names=record.given_names,
        tussenvoegsel=record.tussenvoegsel,
        surname=record.surname,
        date_of_birth=record.date_of_birth,
        bsn=record.bsn,
        education_number=record.education_number,
        status=record.status,
        **{f: str(record.extra.get(f) or "") for f in _ADDRESS_FIELDS},
    )


def absolute_verzuim_start(*, user, register: ListImport, on: dt.date) -> AbsoluteVerzuimRun:
    if register.kind != ListKind.REGISTER or register.state != ListImport.State.IMPORTED:
        raise UserFacingError("Kies een ingelezen uittreksel van het bevolkingsregister.")
    run = AbsoluteVerzuimRun.objects.create(
        organisation=user.organisation, created_by=user, register=register, reference_date=on
    )
    audit_record(actor=user, action=AuditEvent.Action.CREATE, activity=ACTIVITY, obj=run)
    job = job_enqueue(kind="reconciliation.absolute_verzuim", payload={"run_id": run.pk}, user=user)
    AbsoluteVerzuimRun.objects.filter(pk=run.pk).update(job=job)
    run.refresh_from_db()
    return run


def av_candidate_decide(
    *, user, candidate: AbsoluteVerzuimCandidate, confirm: bool
) -> AbsoluteVerzuimCandidate:
    """Confirm (start the route without enrolment, seed 004 route 2) or dismiss a candidate."""
    cfg = config().absolute_verzuim
    with transaction.atomic():
        c = (
            AbsoluteVerzuimCandidate.objects.select_for_update()
            .select_related("record", "run")
            .get(pk=candidate.pk)
        )
        if not c.kept or c.state != AbsoluteVerzuimCandidate.State.OPEN:
            raise UserFacingError("Deze kandidaat is al beoordeeld.")
        c.state = (
            AbsoluteVerzuimCandidate.State.CONFIRMED
            if confirm
            else AbsoluteVerzuimCandidate.State.DISMISSED
        )
        c.decided_by, c.decided_at = user, timezone.now()
        c.save(update_fields=["state", "decided_by", "decided_at"])
        if confirm:
            route_without_enrolment_start(
                user=user, candidate=c, letter_days=cfg.route_letter_working_days
            )
        audit_record(
            actor=user,
            action=AuditEvent.Action.UPDATE,
            activity=ACTIVITY,
            obj=c,
            fields=["state"],
            detail=c.state,
        )
    return c


def route_without_enrolment_start(
    *, user, candidate: AbsoluteVerzuimCandidate, letter_days: int
) -> ReconciliationTask | None:
    """Seed 004, route 2 "zonder schoolinschrijving": open a case on the protocol's
    ``without_enrolment`` route (its first step: letter asking enrolment within 5 working days).
    When no case can be opened (no such route in the preset, or the municipality is unknown),
    a ReconciliationTask with the letter deadline goes to the worklist instead."""
    case = _case_open_without_enrolment(user=user, candidate=candidate)
    if case is not None:
        candidate.case = case
        candidate.save(update_fields=["case"])
        return None
    today = timezone.localdate()
    return ReconciliationTask.objects.create(
        organisation=candidate.run.organisation,
        kind=ReconciliationTask.Kind.ROUTE_WITHOUT_ENROLMENT,
        title=f"Absoluut verzuim: {candidate.record.name} - brief verzoek tot inschrijving",
        record=candidate.record,
        candidate=candidate,
        due_date=working_days_after(today, letter_days),
        assignee=user,
    )


def _case_open_without_enrolment(*, user, candidate: AbsoluteVerzuimCandidate):
    try:
        from leerrecht.cases import services as case_services
    except ImportError:  # pragma: no cover - the cases app is not installed
        return None
    from django.db.models import Q

    from leerrecht.registry.models import Municipality, Student

    record = candidate.record
    student = Student.objects.filter(bsn=record.bsn).first() if record.bsn else None
    if student is None:
        place = str(record.extra.get("municipality") or "").strip()
        municipality = Municipality.objects.filter(
            Q(cbs_code__iexact=place) | Q(name__iexact=place)
        ).first()
        if municipality is None or not record.date_of_birth or not record.bsn:
            return None
        student = Student.objects.create(
            bsn=record.bsn,
            given_names=record.given_names or "-",
            tussenvoegsel=record.tussenvoegsel,
            surname=record.surname,
            date_of_birth=record.date_of_birth,
            residence_municipality=municipality,
            source_id=f"brp-{record.bsn}",
        )
        audit_record(
            actor=user,
            action=AuditEvent.Action.CREATE,
            activity=ACTIVITY,
            obj=student,
            subject_student_id=student.pk,
            detail="leerling uit BRP-uittreksel (absoluut verzuim)",
        )
    try:
        with transaction.atomic():
            case, _created = case_services.case_open(
                user=user,
                student=student,
                anchor_date=candidate.run.reference_date,
                regiehouder=user.organisation,
                casusverantwoordelijke=user,
                route="without_enrolment",
            )
    except Exception:  # the preset has no such route, or the case cannot be opened
        logger.warning(
            "no case opened for absolute-verzuim candidate %s", candidate.pk, exc_info=True
        )
        return None
    return case
