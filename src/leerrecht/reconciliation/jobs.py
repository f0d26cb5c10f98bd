"""Background jobs of reconciliation (registered in ReconciliationConfig.ready())."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from leerrecht.jobs.services import UserFacingError, job_handler
from leerrecht.privacy.models import AuditEvent
from leerrecht.privacy.query import students_for_user
from leerrecht.privacy.services import audit_record
from leerrecht.reconciliation.matching import Person, link
from leerrecht.reconciliation.matching.absolute import RegisterPerson, Span, evaluate
from leerrecht.reconciliation.matching.config import school_day_test
from leerrecht.reconciliation.models import (
    AbsoluteVerzuimCandidate,
    AbsoluteVerzuimRun,
    MatchDecision,
    MatchProposal,
    Reconciliation,
    ReconciliationTask,
)
from leerrecht.reconciliation.services import ACTIVITY, _summary_refresh, config, record_person
from leerrecht.registry.models import Enrolment, Exemption


@job_handler("reconciliation.link")
def reconciliation_run(job, progress) -> dict:
    rec = Reconciliation.objects.select_related("list_a", "list_b", "organisation").get(
        pk=job.payload["reconciliation_id"]
    )
    cfg = config()
    records_a = list(rec.list_a.records.order_by("line"))
    records_b = list(rec.list_b.records.order_by("line"))
    people_a = [record_person(r) for r in records_a]
    people_b = [record_person(r) for r in records_b]
    decisions = {
        (d.fingerprint_low, d.fingerprint_high): d.confirmed
        for d in MatchDecision.objects.filter(organisation=rec.organisation)
    }
    result = link(people_a, people_b, config=cfg.matching, decisions=decisions, progress=progress)
    with transaction.atomic():
        MatchProposal.objects.bulk_create(
            [
                MatchProposal(
                    reconciliation=rec,
                    record_a=records_a[m.a],
                    record_b=records_b[m.b],
                    score=m.score,
                    method=m.method,
                    review=MatchProposal.Review.PENDING if m.review else MatchProposal.Review.AUTO,
                    reasons=m.reasons,
                    against=m.against,
                    status_a=m.status_a,
                    status_b=m.status_b,
                    status_conflict=m.status_conflict,
                )
                for m in result.matches
            ],
            batch_size=2000,
        )
        rec.summary = result.summary() | {
            "duplicate_records_a": [
                [records_a[i].pk, records_a[k].pk] for i, k in result.duplicates_a
            ],
            "duplicate_records_b": [
                [records_b[j].pk, records_b[k].pk] for j, k in result.duplicates_b
            ],
        }
        _summary_refresh(rec)
        tasks = _missing_from_registration(rec, result, records_a, records_b, job.created_by, cfg)
        rec.summary = {**rec.summary, "tasks": tasks}
        rec.save(update_fields=["summary"])
        audit_record(
            actor=job.created_by,
            action=AuditEvent.Action.CREATE,
            activity=ACTIVITY,
            obj=rec,
            detail=f"{len(result.matches)} koppelingen, {tasks} taken",
        )
    return {"url": reverse("reconciliation:result", args=[rec.pk]), **rec.summary}


def _missing_from_registration(rec, result, records_a, records_b, user, cfg) -> int:
    """Each child on the lists that is not in the organisation's own registration -> a task."""
    children = []  # one record per child (duplicate rows are the same child)
    paired_b = {j for j, _k in result.duplicates_b}
    for m in result.matches:
        children.append(records_a[m.a])
        paired_b.add(m.b)
    paired_a = {m.a for m in result.matches} | {i for i, _k in result.duplicates_a}
    children += [r for i, r in enumerate(records_a) if i not in paired_a]
    children += [r for j, r in enumerate(records_b) if j not in paired_b]
    own = list(students_for_user(user)) if user is not None else []
    own_people = [
        Person(
            ref=str(s.pk),
            given_names=s.given_names,
            tussenvoegsel=s.tussenvoegsel,
            surname=s.surname,
            date_of_birth=s.date_of_birth,
            bsn=s.bsn,
            education_number=s.education_number,
        )
        for s in own
    ]
    found = link(
        [record_person(r) for r in children], own_people, config=cfg.matching, explain=False
    )
    known = {m.a for m in found.matches}
    due = timezone.localdate() + dt.timedelta(days=cfg.tasks.missing_registration_due_days)
    tasks = [
        ReconciliationTask(
            organisation=rec.organisation,
            kind=ReconciliationTask.Kind.MISSING_REGISTRATION,
            title=f"{r.name} ({r.date_of_birth:%d-%m-%Y}) staat op '{r.list_import.source_name}' maar niet in de eigen registratie"
            if r.date_of_birth
            else f"{r.name} staat op '{r.list_import.source_name}' maar niet in de eigen registratie",
            record=r,
            reconciliation=rec,
            due_date=due,
            assignee=user,
        )
        for i, r in enumerate(children)
        if i not in known
    ]
    ReconciliationTask.objects.bulk_create(tasks, batch_size=2000)
    return len(tasks)


@job_handler("reconciliation.absolute_verzuim")
def absolute_verzuim_run(job, progress) -> dict:
    run = AbsoluteVerzuimRun.objects.select_related("register", "organisation").get(
        pk=job.payload["run_id"]
    )
    cfg = config()
    records = list(run.register.records.order_by("line"))
    people = []
    for r in records:
        x = r.extra
        people.append(
            RegisterPerson(
                bsn=r.bsn,
                surname=r.surname,
                given_names=r.given_names,
                tussenvoegsel=r.tussenvoegsel,
                date_of_birth=r.date_of_birth,
                municipality=str(x.get("municipality") or x.get("woonplaats") or ""),
                address=" ".join(
                    str(x.get(f) or "") for f in ("street", "house_number") if x.get(f)
                )
                or str(x.get("address") or ""),
                settled_on=_date(x.get("settled_on")),
                departed_on=_date(x.get("departed_on")),
                departure_reason=str(x.get("departure_reason") or ""),
                starting_qualification=bool(x.get("starting_qualification")),
                line=r.line,
            )
        )
    if not people:
        raise UserFacingError("Het uittreksel bevat geen regels.")
    bsns = {p.bsn for p in people}
    progress(1, 3, "inschrijvingen en vrijstellingen ophalen")
    enrolments = [
        Span(bsn, start, end)
        for bsn, start, end in Enrolment.objects.filter(student__bsn__in=bsns).values_list(
            "student__bsn", "start", "end"
        )
    ]
    exemptions = [
        Span(bsn, start, end, article)
        for bsn, start, end, article in Exemption.objects.filter(student__bsn__in=bsns).values_list(
            "student__bsn", "start", "end", "article"
        )
    ]
    municipalities = None
    org = run.organisation
    served = list(org.served_municipalities.values_list("cbs_code", "name"))
    if served:
        municipalities = {v for pair in served for v in pair}
    verdicts = evaluate(
        people,
        enrolments=enrolments,
        exemptions=exemptions,
        on=run.reference_date,
        leerplicht=cfg.leerplicht,
        rules=cfg.absolute_verzuim,
        municipalities=municipalities,
        is_school_day=school_day_test(getattr(settings, "LEERRECHT_PROTOCOL", None)),
    )
    progress(2, 3, "resultaat opslaan")
    by_line = {r.line: r for r in records}
    with transaction.atomic():
        AbsoluteVerzuimCandidate.objects.bulk_create(
            [
                AbsoluteVerzuimCandidate(
                    run=run,
                    record=by_line[v.person.line],
                    kept=v.kept,
                    code=v.code,
                    reason=v.reason,
                )
                for v in verdicts
            ],
            batch_size=2000,
        )
        counts: dict[str, int] = {}
        for v in verdicts:
            counts[v.code] = counts.get(v.code, 0) + 1
        run.summary = {
            "rows": len(verdicts),
            "kept": sum(1 for v in verdicts if v.kept),
            "by_code": counts,
        }
        run.save(update_fields=["summary"])
        audit_record(
            actor=job.created_by, action=AuditEvent.Action.CREATE, activity=ACTIVITY, obj=run
        )
    return {"url": reverse("reconciliation:av_result", args=[run.pk]), **run.summary}


def _date(value):
    if not value:
        return None
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))
