"""Who may import attendance and see imports, signals and summaries (built on privacy.query)."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet

from leerrecht.accounts.models import Role
from leerrecht.attendance.models import AttendanceImport, AttendanceSummary, SignalHit
from leerrecht.privacy.query import students_for_user
from leerrecht.registry.models import Student

# Roles that upload attendance files for their organisation. The operator uploads
# region-wide (system scope, docs/adr/0052).
IMPORT_ROLES = frozenset(
    {
        Role.SCHOOL_COORDINATOR,
        Role.LEERPLICHT_OFFICER,
        Role.LEERRECHT_CONSULTANT,
        Role.SWV_CONSULTANT,
        Role.OPERATOR,
    }
)


def user_may_import_attendance(user) -> bool:
    return (
        user is not None
        and user.is_authenticated
        and user.is_active
        and user.role in IMPORT_ROLES
        and user.organisation_id is not None
    )


def user_imports_system_wide(user) -> bool:
    """Operators import for the whole region: every student known in the registry."""
    return user is None or user.role == Role.OPERATOR


def import_scope_students(user, *, on: dt.date | None = None) -> QuerySet[Student]:
    """Students an import by `user` may store signals for (None = system import)."""
    if user_imports_system_wide(user):
        return Student.objects.all()
    return students_for_user(user, on=on)


def attendance_imports_for_user(user) -> QuerySet[AttendanceImport]:
    """Imports a user may look at: those of their own organisation."""
    if user is None or not user.is_authenticated or user.organisation_id is None:
        return AttendanceImport.objects.none()
    return AttendanceImport.objects.filter(organisation_id=user.organisation_id)


def signal_hits_for_user(user) -> QuerySet[SignalHit]:
    return SignalHit.objects.filter(student__in=students_for_user(user))


def attendance_summaries_for_user(user) -> QuerySet[AttendanceSummary]:
    return AttendanceSummary.objects.filter(student__in=students_for_user(user))
