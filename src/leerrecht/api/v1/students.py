"""/api/v1/students: the children a token may see (privacy.query.students_for_user)."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Path, Query, Router, Schema

from leerrecht.api.core import (
    IsoDate,
    PageQuery,
    QueryParams,
    auth,
    check_query,
    page_of,
    paginate,
)
from leerrecht.privacy.audit import audit_note, processing
from leerrecht.privacy.models import AuditEvent
from leerrecht.privacy.query import students_for_user
from leerrecht.registry.models import Student

router = Router(tags=["students"])

MAX_ID = 9_223_372_036_854_775_807
STUDENT_FIELDS = (
    "source_id",
    "bsn",
    "education_number",
    "given_names",
    "tussenvoegsel",
    "surname",
    "date_of_birth",
    "residence_municipality",
)


class StudentOut(Schema):
    id: int
    source_id: str = Field(description="student_id in attendance files (SIGNALS.md).")
    bsn: str
    education_number: str
    given_names: str
    tussenvoegsel: str
    surname: str
    date_of_birth: dt.date
    residence_municipality: str = Field(description="CBS code of the municipality, GMxxxx.")


StudentPage = page_of(StudentOut, "StudentPage")


class StudentFilters(QueryParams):
    source_id: str | None = Field(None, pattern=r"^[A-Za-z0-9._-]{1,64}$")
    bsn: str | None = Field(None, pattern=r"^[0-9]{9}$")
    date_of_birth: IsoDate | None = None
    residence_municipality: str | None = Field(
        None, pattern=r"^GM[0-9]{4}$", description="CBS code, e.g. GM0518."
    )


def student_out(student: Student) -> dict:
    return {
        "id": student.pk,
        "source_id": student.source_id,
        "bsn": student.bsn,
        "education_number": student.education_number,
        "given_names": student.given_names,
        "tussenvoegsel": student.tussenvoegsel,
        "surname": student.surname,
        "date_of_birth": student.date_of_birth,
        "residence_municipality": student.residence_municipality.cbs_code,
    }


@router.get(
    "/students",
    response={200: StudentPage},
    auth=auth("students:read"),
    summary="List students",
    description="Scope `students:read`. Only the children the token's organisation and role "
    "may see; a policy token sees none.",
)
@processing("leerlingregistratie", kind="registry.student", read=AuditEvent.Action.SEARCH)
def list_students(request: HttpRequest, filters: Query[StudentFilters], page: Query[PageQuery]):
    check_query(request, StudentFilters, PageQuery)
    students = students_for_user(request.user).select_related("residence_municipality")
    if filters.source_id:
        students = students.filter(source_id=filters.source_id)
    if filters.bsn:
        students = students.filter(bsn=filters.bsn)
    if filters.date_of_birth:
        students = students.filter(date_of_birth=filters.date_of_birth)
    if filters.residence_municipality:
        students = students.filter(residence_municipality__cbs_code=filters.residence_municipality)
    body, objects = paginate(
        request, students.order_by("surname", "given_names", "id"), page=page, serialize=student_out
    )
    audit_note(
        request,
        action=AuditEvent.Action.SEARCH,
        fields=STUDENT_FIELDS,
        children=[s.pk for s in objects],
    )
    return body


@router.get(
    "/students/{student_id}",
    response={200: StudentOut},
    auth=auth("students:read"),
    summary="Read one student",
    description="Scope `students:read`. 404 when the student is outside the token's scope.",
)
@processing("leerlingregistratie", kind="registry.student")
def get_student(request: HttpRequest, student_id: int = Path(..., ge=1, le=MAX_ID)):
    check_query(request)
    student = get_object_or_404(
        students_for_user(request.user).select_related("residence_municipality"), pk=student_id
    )
    audit_note(request, subject=student, obj=student, fields=STUDENT_FIELDS)
    return student_out(student)
