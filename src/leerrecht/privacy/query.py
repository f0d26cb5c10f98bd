"""The one place that decides which children a user may see (issue 5).

Every selector, view, export, search, API endpoint and background job that returns
personal data starts from `students_for_user`. Domains add their own rules on top in
their `query.py` (e.g. consent for authorised absence in leerrecht.cases.query), but
never widen this scope.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet
from django.utils import timezone

from leerrecht.accounts.models import Role
from leerrecht.registry.models import Organisation, OrganisationKind, Student


def _current_enrolment_at(schools: QuerySet[Organisation] | list, *, on: dt.date) -> Q:
    return Q(enrolments__school__in=schools, enrolments__start__lte=on) & (
        Q(enrolments__end__isnull=True) | Q(enrolments__end__gte=on)
    )


def students_for_user(user, *, on: dt.date | None = None) -> QuerySet[Student]:
    """Students `user` may see personal data of, per role and organisation."""
    on = on or timezone.localdate()
    none = Student.objects.none()
    if user is None or not user.is_authenticated or not user.is_active:
        return none
    organisation = user.organisation
    if organisation is None or user.role in (Role.POLICY, Role.OPERATOR, Role.PRIVACY_OFFICER):
        return none
    kind = organisation.kind
    if kind == OrganisationKind.SCHOOL:
        condition = _current_enrolment_at([organisation], on=on)
    elif kind == OrganisationKind.SWV:
        condition = _current_enrolment_at(organisation.member_schools.all(), on=on)
    elif kind == OrganisationKind.LEERPLICHT:
        condition = Q(residence_municipality__in=organisation.served_municipalities.all())
    elif kind == OrganisationKind.JGZ:
        condition = _current_enrolment_at(organisation.served_schools.all(), on=on)
    elif kind == OrganisationKind.CARE:
        # Care workers see only the children of cases they were invited to.
        condition = Q(cases__participants__user=user, cases__participants__active=True)
    else:
        return none
    return Student.objects.filter(condition).distinct()


def user_reads_medical_details(user) -> bool:
    """Medical details stay with JGZ (seed 000, casus 2 "jeugdarts": medical secrecy)."""
    return (
        user is not None
        and user.is_authenticated
        and user.role == Role.YOUTH_DOCTOR
        and user.organisation is not None
        and user.organisation.kind == OrganisationKind.JGZ
    )
