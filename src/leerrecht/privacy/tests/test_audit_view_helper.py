"""`audit_view` / `@audited`: exactly one audit entry per personal-data view."""

from __future__ import annotations

import pytest
from django.http import Http404, HttpResponse
from django.test import RequestFactory

from leerrecht.accounts.tests.factories import UserFactory
from leerrecht.privacy.context import current_trace_id
from leerrecht.privacy.models import AuditEvent
from leerrecht.privacy.services import AuditAlreadyRecorded, audit_view, audited
from leerrecht.registry.tests.factories import EnrolmentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def request_for():
    def make(user, path="/leerling/1/"):
        request = RequestFactory().get(path)
        request.user = user
        return request

    return make


def test_audit_view_records_who_what_why_and_trace(request_for):
    user = UserFactory(mentor=True)
    enrolment = EnrolmentFactory()
    token = current_trace_id.set("abc123")
    try:
        event = audit_view(
            request_for(user),
            activity="leerlingregistratie",
            obj=enrolment,
            fields=["start", "end"],
        )
    finally:
        current_trace_id.reset(token)
    assert event.user_id == user.pk
    assert event.username == user.username
    assert event.organisation_name == user.organisation.name
    assert event.role == "mentor"
    assert event.action == "read"
    assert event.processing_activity == "leerlingregistratie"
    assert event.subject_student_id == enrolment.student_id
    assert event.object_type == "registry.enrolment"
    assert event.object_id == str(enrolment.pk)
    assert event.fields == ["start", "end"]
    assert event.trace_id == "abc123"
    assert event.outcome == "ok"


def test_a_second_entry_for_the_same_request_is_a_programming_error(request_for):
    request = request_for(UserFactory())
    audit_view(request, activity="casusbehandeling")
    with pytest.raises(AuditAlreadyRecorded):
        audit_view(request, activity="casusbehandeling")
    assert AuditEvent.objects.count() == 1


def test_decorator_records_one_entry_when_the_view_did_not(request_for):
    @audited(activity="casusbehandeling")
    def view(request, pk):
        return HttpResponse("ok")

    view(request_for(UserFactory()), pk=3)
    assert AuditEvent.objects.count() == 1


def test_decorator_keeps_the_views_own_entry(request_for):
    student = EnrolmentFactory().student

    @audited(activity="casusbehandeling")
    def view(request, pk):
        audit_view(request, activity="casusbehandeling", subject=student)
        return HttpResponse("ok")

    view(request_for(UserFactory()), pk=student.pk)
    assert list(AuditEvent.objects.values_list("subject_student_id", flat=True)) == [student.pk]


def test_decorator_logs_a_refused_probe(request_for):
    @audited(activity="casusbehandeling")
    def view(request, pk):
        raise Http404

    with pytest.raises(Http404):
        view(request_for(UserFactory(), path="/casussen/99/"), pk=99)
    event = AuditEvent.objects.get()
    assert event.outcome == "denied"
    assert "pk=99" in event.detail


def test_decorator_refuses_unknown_activities():
    with pytest.raises(ValueError, match="unknown processing activity"):
        audited(activity="nieuwsgierigheid")
