"""Read-side queries of the web app, always within the user's scope."""

from __future__ import annotations

import datetime as dt
import re

from django.db.models import Q, QuerySet

from leerrecht.privacy.query import students_for_user
from leerrecht.registry.models import Student
from leerrecht.registry.validators import identifier_digits

_DATE_NL = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$")


def _parse_date(text: str) -> dt.date | None:
    match = _DATE_NL.match(text)
    if match:
        day, month, year = (int(g) for g in match.groups())
    else:
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            return None
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def student_search(*, user, query: str, limit: int = 50) -> QuerySet[Student]:
    """Children in the user's scope matching a name, BSN, education number or birth date.

    A date is typed the Dutch way (17-05-2014) or as ISO; digits are a BSN or
    onderwijsnummer; anything else matches name parts (all words must match).
    """
    query = " ".join(query.split())
    scope = students_for_user(user)
    if not query:
        return scope.none()
    birth_date = _parse_date(query)
    if birth_date is not None:
        condition = Q(date_of_birth=birth_date)
    elif identifier_digits(query).isdigit():
        number = identifier_digits(query)
        condition = Q(bsn=number) | Q(education_number=number)
    else:
        condition = Q()
        for word in query.split():
            condition &= (
                Q(given_names__icontains=word)
                | Q(surname__icontains=word)
                | Q(tussenvoegsel__iexact=word)
            )
    return (
        scope.filter(condition)
        .select_related("residence_municipality")
        .order_by("surname", "given_names", "pk")[:limit]
    )
