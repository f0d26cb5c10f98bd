"""Data of the school consultation page (seed 000, casus 1: leerplicht, SWV adviser and the
school discuss risk students at least every two months)."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from django.db.models import Q
from django.utils.translation import gettext as _

from leerrecht.attendance.signal_labels import tier_label
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
    summaries = {}
    signals = []
    try:
        from leerrecht.attendance.models import AttendanceSummary, SignalHit
        from leerrecht.attendance.signal_labels import signal_label
    except ImportError:  # attendance app not installed
        AttendanceSummary = SignalHit = None
    if AttendanceSummary is not None:
        summaries = {s.student_id: s for s in AttendanceSummary.objects.filter(student_id__in=ids)}
        since = add_months(on, -SIGNAL_LOOKBACK_MONTHS)
        for hit in SignalHit.objects.filter(
            student_id__in=ids, first_date__gt=since, first_date__lte=on
        ).order_by("-first_date", "student_id", "signal"):
            signals.append(
                (students[hit.student_id].full_name, str(signal_label(hit.signal)), hit.first_date)
            )
    risk = []
    for sid, student in students.items():
        s = summaries.get(sid)
        flagged = (s is not None and (s.tier >= 2 or s.absent_streak_days > 0)) or met.get(sid)
        if not flagged:
            continue
        labels = ", ".join(str(i + 1) for i, k in enumerate(DEFINITIONS) if k in met.get(sid, ()))
        risk.append(
            (
                student.full_name,
                group_of.get(sid, ""),
                tier_label(s.tier) if s else None,
                s.absent_streak_days if s else None,
                float(s.last20_percent_attended)
                if s and s.last20_percent_attended is not None
                else None,
                labels,
            )
        )
    risk.sort(key=lambda r: (-(r[3] or 0), r[0]))
    cases = []
    try:
        from leerrecht.cases.models import Case, CaseStatus, PlanAction
    except ImportError:
        Case = None
    open_count = 0
    if Case is not None:
        for case in (
            Case.objects.filter(student_id__in=ids)
            .exclude(status=CaseStatus.CLOSED)
            .select_related("student", "regiehouder")
            .order_by("opened_on", "pk")
        ):
            open_count += 1
            action = (
                PlanAction.objects.filter(case=case, status=PlanAction.Status.OPEN)
                .order_by("due_on", "pk")
                .first()
            )
            cases.append(
                (
                    f"C-{case.pk}",
                    case.student.full_name,
                    case_phase_label(case),
                    case.regiehouder.name,
                    action.what if action else "",
                    action.due_on if action else None,
                )
            )
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
