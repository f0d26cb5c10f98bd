"""Data of the school consultation page (seed 000, casus 1: leerplicht, SWV adviser and the
school discuss risk students at least every two months)."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from django.db.models import Q
from django.utils.translation import gettext as _

from leerrecht.attendance.models import AttendanceSummary, SignalHit
from leerrecht.attendance.signal_labels import signal_label, tier_label
from leerrecht.cases.selectors import case_phase_label
from leerrecht.monitoring import selectors
from leerrecht.monitoring.figures.definitions import DEFINITIONS
from leerrecht.monitoring.figures.periods import add_months
from leerrecht.privacy.query import students_for_user
from leerrecht.registry.models import Enrolment

#: Look-back for "new signals": the casus 1 meeting cadence (seed 000, ch. 2).
SIGNAL_LOOKBACK_MONTHS = 2


def school_consultation_data(*, user, school, on: dt.date) -> dict:
    enrolments = (
        Enrolment.objects.filter(school=school, start__lte=on)
        .filter(Q(end__isnull=True) | Q(end__gte=on))
        .filter(student__in=students_for_user(user, on=on))
        .select_related("student")
    )
    group_of = {e.student_id: e.group for e in enrolments}
    students = {e.student_id: e.student for e in enrolments}
    ids = list(students)
    stock = selectors.thuiszitter_stock(
        user=user, on=on, scope=selectors.Scope("school", school.pk, school.name)
    )
    met = {r.student_id: r.met for r in stock.rows if r.student_id}
    signals = []
    signal_hits = []
    summaries = {s.student_id: s for s in AttendanceSummary.objects.filter(student_id__in=ids)}
    since = add_months(on, -SIGNAL_LOOKBACK_MONTHS)
    for hit in SignalHit.objects.filter(
        student_id__in=ids, first_date__gt=since, first_date__lte=on
    ).order_by("-first_date", "student_id", "signal"):
        signal_hits.append(hit)
        signals.append(
            (students[hit.student_id].full_name, str(signal_label(hit.signal)), hit.first_date)
        )
    cases, open_meldingen = _open_work(ids, on=on)
    hits_of: dict[int, list] = {}
    for hit in signal_hits:
        hits_of.setdefault(hit.student_id, []).append(hit)
    risk = []
    for sid, student in students.items():
        case = cases.get(sid)
        meldingen = open_meldingen.get(sid, [])
        hits = hits_of.get(sid, [])
        if case is None and not meldingen and not hits:
            continue  # nothing to discuss: no signal, open melding or case
        s = summaries.get(sid)
        action, due = _next_action(case=case, meldingen=meldingen, hits=hits, on=on)
        risk.append(
            (
                student.full_name,
                group_of.get(sid, ""),
                tier_label(s.tier) if s else None,
                float(s.last20_percent_attended)
                if s and s.last20_percent_attended is not None
                else None,
                _reason(case=case, meldingen=meldingen, hits=hits, met=met.get(sid, ())),
                action,
                due,
            )
        )
    risk.sort(key=lambda r: (r[-1] or dt.date.max, r[0]))
    case_rows = []
    for case in sorted(cases.values(), key=lambda c: (c.opened_on, c.pk)):
        action, due = _case_next_action(case)
        case_rows.append(
            (
                f"C-{case.pk}",
                case.student.full_name,
                case_phase_label(case),
                case.regiehouder.name,
                action,
                due,
            )
        )
    open_count = len(cases)
    cases = case_rows
    tiers = Counter(s.tier for s in summaries.values())
    figures = [
        (_("ingeschreven leerlingen"), len(ids)),
        *((tier_label(t), tiers.get(t, 0)) for t in (1, 2, 3)),
        (_("open casussen"), open_count),
        (
            _("thuiszitters (breed, casus 2)"),
            sum(1 for r in stock.rows if r.met and "breed_casus2" in r.met),
        ),
        (_("nieuwe signalen"), len(signals)),
    ]
    return {
        "risk": risk,
        "signals": signals,
        "cases": cases,
        "figures": figures,
        "student_ids": ids,
    }


def _open_work(ids: list[int], *, on: dt.date) -> tuple[dict, dict]:
    """Open cases (one per pupil) and open meldingen without a case, by pupil."""
    from leerrecht.cases.models import Case, CaseStatus, DuoStatus, Melding

    cases = {
        c.student_id: c
        for c in Case.objects.filter(student_id__in=ids, opened_on__lte=on)
        .exclude(status=CaseStatus.CLOSED)
        .select_related("student", "regiehouder")
    }
    meldingen: dict[int, list] = {}
    for m in (
        Melding.objects.filter(student_id__in=ids, case__isnull=True, reported_on__lte=on)
        .exclude(duo_status__in=(DuoStatus.WITHDRAWN, DuoStatus.CLOSED, DuoStatus.NOTED))
        .order_by("reported_on", "pk")
    ):
        meldingen.setdefault(m.student_id, []).append(m)
    return cases, meldingen


def _reason(*, case, meldingen, hits, met) -> str:
    parts = []
    if case is not None:
        parts.append(_("open casus C-%(pk)s") % {"pk": case.pk})
    for m in meldingen:
        parts.append(
            _("open melding %(kind)s van %(date)s")
            % {"kind": m.get_kind_display(), "date": f"{m.reported_on:%d-%m-%Y}"}
        )
    for hit in hits:
        parts.append(
            _("signaal: %(label)s (%(date)s)")
            % {"label": signal_label(hit.signal), "date": f"{hit.first_date:%d-%m-%Y}"}
        )
    labels = ", ".join(str(i + 1) for i, k in enumerate(DEFINITIONS) if k in met)
    if labels:
        parts.append(_("thuiszitter volgens definitie %(labels)s") % {"labels": labels})
    return "; ".join(parts)


def _case_next_action(case) -> tuple[str, dt.date | None]:
    """The earliest of the case's open plan action and its next deadline (route step,
    norm or ladder step of the case's protocol)."""
    from leerrecht.cases.models import PlanAction
    from leerrecht.cases.selectors import case_schedule
    from leerrecht.engine.protocol import milestone_next

    options = []
    action = (
        PlanAction.objects.filter(case=case, status=PlanAction.Status.OPEN)
        .order_by("due_on", "pk")
        .first()
    )
    if action is not None:
        options.append((action.due_on, action.what))
    milestone = milestone_next(case_schedule(case))
    if milestone is not None:
        options.append((milestone.due, milestone.label))
    if not options:
        return _("casus bespreken: geen termijn meer open"), None
    due, label = min(options, key=lambda o: o[0])
    return label, due


def _melding_next_action(melding, *, on: dt.date) -> tuple[str, dt.date | None]:
    from leerrecht.cases.models import ConsentStatus, MeldingKind
    from leerrecht.cases.selectors import melding_report_again_on, protocol_current

    again = melding_report_again_on(melding, protocol_current())
    if melding.kind == MeldingKind.DUO and again is not None and again <= on:
        return _("opnieuw melden bij DUO (verzuim houdt aan)"), again
    consent = melding.consent
    if melding.kind == MeldingKind.SICKNESS and (
        consent is None or consent.status == ConsentStatus.PENDING
    ):
        return _("toestemming van ouders vragen en vastleggen"), None
    if melding.kind == MeldingKind.SICKNESS:
        return _("jeugdarts nodigt leerling en ouders uit"), None
    return _("leerplicht beoordeelt de melding en opent zo nodig een casus"), again


def _next_action(*, case, meldingen, hits, on: dt.date) -> tuple[str, dt.date | None]:
    if case is not None:
        return _case_next_action(case)
    if meldingen:
        return _melding_next_action(meldingen[-1], on=on)
    from leerrecht.attendance.signal_labels import leads_to_label
    from leerrecht.cases.duo import duo_report_deadline

    hit = hits[0]  # the newest signal
    if "report_duo" in hit.leads_to:
        return leads_to_label("report_duo"), duo_report_deadline(hit.first_date)
    todo = ", ".join(leads_to_label(x) for x in hit.leads_to)
    return todo or _("signaal bespreken met ouders"), None
