"""Read side of attendance: signal lists, per-student week overview, imports."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from leerrecht.attendance.models import AttendanceImport, AttendanceSummary, SignalHit
from leerrecht.attendance.query import signal_hits_for_user
from leerrecht.privacy.query import students_for_user
from leerrecht.registry.models import Enrolment, Organisation, OrganisationKind, Student


@dataclass(frozen=True)
class WeekRow:
    week_start: dt.date  # Monday of the ISO week
    school_days: int
    scheduled_hours: float
    attended_hours: float
    unauthorised_hours: float
    sick_hours: float
    authorised_hours: float

    @property
    def week_number(self) -> int:
        return self.week_start.isocalendar().week

    def as_dict(self) -> dict:
        return {
            "week_start": self.week_start.isoformat(),
            "week": self.week_number,
            "school_days": self.school_days,
            "scheduled_hours": self.scheduled_hours,
            "attended_hours": self.attended_hours,
            "unauthorised_hours": self.unauthorised_hours,
            "sick_hours": self.sick_hours,
            "authorised_hours": self.authorised_hours,
        }


def _current_enrolments(on: dt.date) -> Prefetch:
    return Prefetch(
        "student__enrolments",
        queryset=Enrolment.objects.filter(Q(end__isnull=True) | Q(end__gte=on), start__lte=on)
        .select_related("school")
        .order_by("-start"),
        to_attr="current_enrolments",
    )


def signal_hit_list(
    *,
    user,
    school_id: int | None = None,
    signal: str = "",
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> QuerySet[SignalHit]:
    """Signal hits the user may see, newest first, with the student's current school."""
    on = timezone.localdate()
    qs = signal_hits_for_user(user)
    if school_id:
        qs = qs.filter(
            Q(student__enrolments__end__isnull=True) | Q(student__enrolments__end__gte=on),
            student__enrolments__school_id=school_id,
            student__enrolments__start__lte=on,
        )
    if signal:
        qs = qs.filter(signal=signal)
    if date_from:
        qs = qs.filter(first_date__gte=date_from)
    if date_to:
        qs = qs.filter(first_date__lte=date_to)
    return (
        qs.distinct()
        .select_related("student")
        .prefetch_related(_current_enrolments(on))
        .order_by("-first_date", "student__surname", "student_id", "signal")
    )


def signal_filter_schools(*, user) -> QuerySet[Organisation]:
    """Schools to filter on: current schools of the students the user may see."""
    on = timezone.localdate()
    return (
        Organisation.objects.filter(
            Q(enrolments__end__isnull=True) | Q(enrolments__end__gte=on),
            kind=OrganisationKind.SCHOOL,
            enrolments__start__lte=on,
            enrolments__student__in=students_for_user(user),
        )
        .distinct()
        .order_by("name")
    )


def student_signal_hits(*, student: Student) -> QuerySet[SignalHit]:
    return SignalHit.objects.filter(student=student).order_by("-first_date", "signal")


def student_attendance_summary(*, student: Student) -> AttendanceSummary | None:
    return (
        AttendanceSummary.objects.filter(student=student)
        .select_related("attendance_import")
        .first()
    )


def student_attendance_weeks(*, student: Student, weeks: int = 8) -> list[WeekRow]:
    """The last `weeks` school weeks of the student, newest first, from the stored Parquet.

    Reads the import of the student's latest summary (the newest data about them),
    filtered to this one student.
    """
    summary = student_attendance_summary(student=student)
    if summary is None:
        return []
    path = summary.attendance_import.parquet_file
    if path is None or not path.is_file():
        return []
    con = duckdb.connect()
    try:
        rows = con.execute(
            """SELECT CAST(date_trunc('week', date) AS DATE) AS week_start, count(*),
                      sum(scheduled_hours),
                      sum(scheduled_hours - unauthorised_hours - sick_hours - authorised_hours),
                      sum(unauthorised_hours), sum(sick_hours), sum(authorised_hours)
               FROM read_parquet(?) WHERE student_id = ?
               GROUP BY 1 ORDER BY 1 DESC LIMIT ?""",
            [str(path), student.source_id, weeks],
        ).fetchall()
    finally:
        con.close()
    return [WeekRow(r[0], int(r[1]), *(round(float(v or 0), 2) for v in r[2:])) for r in rows]


def attendance_import_list(*, user, limit: int = 20) -> QuerySet[AttendanceImport]:
    if user is None or user.organisation_id is None:
        return AttendanceImport.objects.none()
    return AttendanceImport.objects.filter(organisation_id=user.organisation_id).select_related(
        "job", "uploaded_by"
    )[:limit]


@dataclass(frozen=True)
class AbsenceWindow:
    """Unauthorised absence of one student over a window of school days (DUO melding)."""

    first_day: dt.date
    last_day: dt.date
    absence_days: int  # school days with unauthorised hours
    unauthorised_hours: float
    all_lessons_missed: bool  # every such day: unauthorised = scheduled


def student_absence_window(
    *, student: Student, until: dt.date, school_days: int = 20
) -> AbsenceWindow | None:
    """The `school_days` school days of the student ending at `until`, from the stored daily
    rows of their latest import (the figures of a DUO verzuimmelding: verzuimdagen, -uren)."""
    summary = student_attendance_summary(student=student)
    path = summary.attendance_import.parquet_file if summary else None
    if path is None or not path.is_file():
        return None
    con = duckdb.connect()
    try:
        row = con.execute(
            """WITH w AS (SELECT * FROM read_parquet(?) WHERE student_id = ? AND date <= ?
                          ORDER BY date DESC LIMIT ?)
               SELECT min(date) FILTER (WHERE unauthorised_hours > 0), max(date),
                      count(*) FILTER (WHERE unauthorised_hours > 0),
                      coalesce(sum(unauthorised_hours), 0),
                      coalesce(bool_and(unauthorised_hours >= scheduled_hours)
                               FILTER (WHERE unauthorised_hours > 0), false)
               FROM w""",
            [str(path), student.source_id, until, school_days],
        ).fetchone()
    finally:
        con.close()
    if row is None or row[0] is None:
        return None
    first_absent = row[0]
    return AbsenceWindow(first_absent, row[1], int(row[2]), round(float(row[3]), 1), bool(row[4]))
