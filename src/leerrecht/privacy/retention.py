"""Retention: what `leerrecht purge` removes (issue 5, point 5; docs/adr/0033).

- Closed cases whose closing date lies more than LEERRECHT_CASE_RETENTION_YEARS (default 5)
  before today are deleted with their whole file: everything that points at the case
  (meldingen, consents, contacts, plan, history, medical notes ...), found generically
  through Django's relations, so parts added later are included.
- A student is deleted when nothing keeps them: no case or other protected record left, no
  enrolment or exemption running within the retention period, no current population
  register entry, and known to the system for longer than the retention period.
- Audit entries older than LEERRECHT_AUDIT_RETENTION_YEARS go through the privileged purge
  window (privacy.db), the only path the database triggers let through.
- Failed sign-in records older than a day and expired sessions are removed.

The case part is written against `cases.Case` discovered at runtime (status "closed" and a
`closed_on`/`closed_at` date); without that model it is skipped with a note.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.apps import apps
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone

from leerrecht.accounts.models import LoginFailure
from leerrecht.privacy.db import MINIMUM_AUDIT_RETENTION_DAYS, audit_delete_older_than
from leerrecht.privacy.models import AuditEvent
from leerrecht.privacy.services import audit_record
from leerrecht.registry.models import ResidentRegisterEntry, Student

_PROTECTING = (models.PROTECT, models.RESTRICT)


def years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


@dataclass(frozen=True)
class PurgeItem:
    kind: str  # "casus", "leerling", "auditlog", "inlogpogingen", "sessies"
    ident: str
    description: str
    reason: str


@dataclass
class PurgePlan:
    today: dt.date
    case_cutoff: dt.date
    audit_cutoff: dt.date
    items: list[PurgeItem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    case_ids: list[int] = field(default_factory=list)
    student_ids: list[int] = field(default_factory=list)
    audit_count: int = 0
    login_failure_count: int = 0
    session_count: int = 0

    def count(self, kind: str) -> int:
        return sum(1 for i in self.items if i.kind == kind)


# --- cases ------------------------------------------------------------------------------


def _case_model():
    try:
        return apps.get_model("cases", "Case")
    except LookupError:
        return None


def _closed_date_field(model) -> str | None:
    names = {f.name for f in model._meta.get_fields()}
    return next((n for n in ("closed_on", "closed_at") if n in names), None)


def closed_cases_due(*, cutoff: dt.date):
    """Closed cases closed before `cutoff`; None when the cases app has no such model."""
    Case = _case_model()
    if Case is None:
        return None
    date_field = _closed_date_field(Case)
    if date_field is None or "status" not in {f.name for f in Case._meta.get_fields()}:
        return None
    lookup = f"{date_field}__lt" if date_field == "closed_on" else f"{date_field}__date__lt"
    return Case._base_manager.filter(status="closed", **{lookup: cutoff}).order_by("pk")


def _reverse_relations(model):
    """Every reverse one-to-many/one-to-one relation, hidden ones ("+") included."""
    return [
        f
        for f in model._meta.get_fields(include_hidden=True)
        if f.auto_created and not f.concrete and (f.one_to_many or f.one_to_one)
    ]


def delete_with_dependents(queryset, *, _depth: int = 0) -> None:
    """Delete `queryset` and every row that points at it, whatever its on_delete.

    Rows pointing at a purged record are part of that record's file (e.g. meldingen with
    SET_NULL to their case, the append-only case history with PROTECT). The base
    QuerySet.delete is used on purpose: it bypasses the application's append-only guards
    (overridden delete()), which is what makes this the retention path and no other.
    """
    if _depth > 6:
        raise RuntimeError(f"relations too deep while purging {queryset.model._meta.label}")
    for rel in _reverse_relations(queryset.model):
        related_model = rel.related_model
        if related_model._meta.label_lower in {"privacy.auditevent"}:
            continue
        dependents = related_model._base_manager.filter(**{f"{rel.field.name}__in": queryset})
        if dependents.exists():
            delete_with_dependents(dependents, _depth=_depth + 1)
    models.QuerySet.delete(queryset._chain())


# --- students ---------------------------------------------------------------------------


def _protected_elsewhere(student_ids: list[int]) -> set[int]:
    """Students that a PROTECT/RESTRICT relation still points to (cases, meldingen ...)."""
    kept: set[int] = set()
    for rel in _reverse_relations(Student):
        if rel.on_delete in _PROTECTING:
            kept.update(
                rel.related_model._base_manager.filter(
                    **{f"{rel.field.name}__in": student_ids}
                ).values_list(rel.field.attname, flat=True)
            )
    return kept


def students_due(*, cutoff: dt.date) -> list[Student]:
    active_after_cutoff = (
        Q(enrolments__end__isnull=True)
        | Q(enrolments__end__gte=cutoff)
        | Q(exemptions__end__isnull=True, exemptions__start__isnull=False)
        | Q(exemptions__end__gte=cutoff)
    )
    created_before = timezone.make_aware(dt.datetime.combine(cutoff, dt.time.min))
    candidates = list(
        Student.objects.filter(created_at__lt=created_before)
        .exclude(pk__in=Student.objects.filter(active_after_cutoff).values("pk"))
        .order_by("pk")
    )
    if not candidates:
        return []
    protected = _protected_elsewhere([s.pk for s in candidates])
    registered = set(
        ResidentRegisterEntry.objects.filter(
            Q(departed_on__isnull=True) | Q(departed_on__gte=cutoff),
            bsn__in=[s.bsn for s in candidates if s.bsn],
        ).values_list("bsn", flat=True)
    )
    return [s for s in candidates if s.pk not in protected and s.bsn not in registered]


# --- plan and purge ---------------------------------------------------------------------


def retention_plan(*, today: dt.date | None = None) -> PurgePlan:
    """What `leerrecht purge` would remove on `today` (nothing is changed)."""
    today = today or timezone.localdate()
    case_years = settings.LEERRECHT_CASE_RETENTION_YEARS
    audit_years = settings.LEERRECHT_AUDIT_RETENTION_YEARS
    # The database refuses to delete audit rows younger than a year of real time, whatever
    # date the run acts on (privacy.db hard floor): the plan says so instead of crashing.
    floor = (timezone.now() - dt.timedelta(days=MINIMUM_AUDIT_RETENTION_DAYS + 1)).date()
    audit_cutoff = years_before(today, audit_years)
    plan = PurgePlan(
        today=today,
        case_cutoff=years_before(today, case_years),
        audit_cutoff=min(audit_cutoff, floor),
    )
    if plan.audit_cutoff < audit_cutoff:
        plan.notes.append(
            f"auditregels van na {plan.audit_cutoff:%d-%m-%Y} blijven bewaard: de database "
            f"verwijdert nooit regels die jonger zijn dan {MINIMUM_AUDIT_RETENTION_DAYS} dagen."
        )
    cases = closed_cases_due(cutoff=plan.case_cutoff)
    if cases is None:
        plan.notes.append(
            "Geen casussen-model (cases.Case met status en sluitdatum): overgeslagen."
        )
        case_student_ids: set[int] = set()
    else:
        date_field = _closed_date_field(cases.model)
        case_student_ids = set()
        for case in cases:
            closed = getattr(case, date_field)
            plan.case_ids.append(case.pk)
            case_student_ids.add(case.student_id)
            plan.items.append(
                PurgeItem(
                    "casus",
                    str(case.pk),
                    f"casus {case.pk}, leerling-id {case.student_id}",
                    f"afgesloten op {closed:%d-%m-%Y}, langer dan {case_years} jaar geleden",
                )
            )
    # Students that only the due cases were keeping are due as well.
    for student in _students_due_after_cases(plan, case_student_ids):
        plan.student_ids.append(student.pk)
        plan.items.append(
            PurgeItem(
                "leerling",
                str(student.pk),
                f"leerling-id {student.pk}",
                f"geen inschrijving, vrijstelling, casus of BRP-inschrijving meer sinds "
                f"{plan.case_cutoff:%d-%m-%Y}",
            )
        )
    audit_before = timezone.make_aware(dt.datetime.combine(plan.audit_cutoff, dt.time.min))
    plan.audit_count = AuditEvent.objects.filter(occurred_at__lt=audit_before).count()
    if plan.audit_count:
        plan.items.append(
            PurgeItem(
                "auditlog",
                "-",
                f"{plan.audit_count} auditregels",
                f"ouder dan {audit_years} jaar (voor {plan.audit_cutoff:%d-%m-%Y})",
            )
        )
    plan.login_failure_count = LoginFailure.objects.filter(
        occurred_at__lt=timezone.now() - dt.timedelta(days=1)
    ).count()
    if plan.login_failure_count:
        plan.items.append(
            PurgeItem(
                "inlogpogingen",
                "-",
                f"{plan.login_failure_count} mislukte inlogpogingen",
                "ouder dan 1 dag",
            )
        )
    plan.session_count = Session.objects.filter(expire_date__lt=timezone.now()).count()
    if plan.session_count:
        plan.items.append(
            PurgeItem("sessies", "-", f"{plan.session_count} verlopen sessies", "verlopen")
        )
    return plan


def _students_due_after_cases(plan: PurgePlan, case_student_ids: set[int]) -> list[Student]:
    """Students due once the due cases are gone. The case deletion is simulated inside a
    savepoint that is always rolled back, so the answer uses the same generic relation
    rules as the real purge."""
    Case = _case_model()
    if not plan.case_ids or Case is None:
        return students_due(cutoff=plan.case_cutoff)
    with transaction.atomic():
        savepoint = transaction.savepoint()
        try:
            delete_with_dependents(Case._base_manager.filter(pk__in=plan.case_ids))
            return students_due(cutoff=plan.case_cutoff)
        finally:
            transaction.savepoint_rollback(savepoint)


def retention_purge(*, today: dt.date | None = None, dry_run: bool = False) -> PurgePlan:
    """Carry out the plan (unless `dry_run`), in one transaction, and audit each removal."""
    plan = retention_plan(today=today)
    if dry_run:
        return plan
    with transaction.atomic():
        Case = _case_model()
        if plan.case_ids and Case is not None:
            students_of_cases = dict(
                Case._base_manager.filter(pk__in=plan.case_ids).values_list("pk", "student_id")
            )
            delete_with_dependents(Case._base_manager.filter(pk__in=plan.case_ids))
            for case_id in plan.case_ids:
                audit_record(
                    actor=None,
                    username="leerrecht purge",
                    action=AuditEvent.Action.DELETE,
                    activity="bewaartermijn",
                    subject_student_id=students_of_cases.get(case_id),
                    object_type="cases.case",
                    object_id=str(case_id),
                    detail=f"casus verwijderd: afgesloten voor {plan.case_cutoff:%d-%m-%Y}",
                )
        # Same question again now the cases are gone (equals the plan unless data changed).
        plan.student_ids = [s.pk for s in students_due(cutoff=plan.case_cutoff)]
        if plan.student_ids:
            delete_with_dependents(Student._base_manager.filter(pk__in=plan.student_ids))
            for student_id in plan.student_ids:
                audit_record(
                    actor=None,
                    username="leerrecht purge",
                    action=AuditEvent.Action.DELETE,
                    activity="bewaartermijn",
                    subject_student_id=student_id,
                    object_type="registry.student",
                    object_id=str(student_id),
                    detail="leerling verwijderd na de bewaartermijn",
                )
        if plan.audit_count:
            audit_delete_older_than(
                cutoff=timezone.make_aware(dt.datetime.combine(plan.audit_cutoff, dt.time.min))
            )
        LoginFailure.objects.filter(occurred_at__lt=timezone.now() - dt.timedelta(days=1)).delete()
        Session.objects.filter(expire_date__lt=timezone.now()).delete()
    return plan
