"""Declared audit (docs/adr/0103): a view declares its processing once; the middleware
writes exactly one entry per request, refusals and list reads included."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404, HttpResponse, HttpResponseNotFound
from django.test import RequestFactory

from leerrecht.accounts.tests.factories import UserFactory
from leerrecht.privacy.audit import audit_note, processing
from leerrecht.privacy.middleware import RequestContextMiddleware
from leerrecht.privacy.models import AuditEvent
from leerrecht.privacy.services import audit_record
from leerrecht.registry.tests.factories import EnrolmentFactory, StudentFactory

pytestmark = pytest.mark.django_db


def _serve(view, *, user, path="/casussen/3/", method="get", **url_kwargs) -> HttpResponse:
    """One request through the audit middleware, as Django's handler runs it."""
    request = getattr(RequestFactory(), method)(path)
    request.user = user

    def handler(req):
        middleware.process_view(req, view, (), url_kwargs)
        try:
            return view(req, **url_kwargs)
        except Http404:
            return HttpResponseNotFound()

    middleware = RequestContextMiddleware(handler)
    return middleware(request)


def test_the_entry_records_who_what_why_and_trace():
    user = UserFactory(mentor=True)
    enrolment = EnrolmentFactory()

    @processing("leerlingregistratie", kind="registry.enrolment")
    def view(request, pk):
        audit_note(request, obj=enrolment, fields=["start", "end"])
        return HttpResponse("ok")

    response = _serve(view, user=user, pk=enrolment.pk)
    event = AuditEvent.objects.get()
    assert (event.user_id, event.username, event.role) == (user.pk, user.username, "mentor")
    assert event.organisation_name == user.organisation.name
    assert (event.action, event.processing_activity) == ("read", "leerlingregistratie")
    assert event.subject_student_id == enrolment.student_id
    assert (event.object_type, event.object_id) == ("registry.enrolment", str(enrolment.pk))
    assert event.fields == ["start", "end"]
    assert (event.trace_id, event.outcome) == (response["X-Trace-Id"], "ok")


def test_several_notes_and_a_service_record_make_one_entry():
    student = StudentFactory()

    @processing("casusbehandeling", kind="cases.case", write="update")
    def view(request, pk):
        audit_note(request, subject=student, fields=["status"])
        audit_record(
            actor=request.user, action="update", activity="casusbehandeling", fields=["fase"]
        )
        audit_note(request, detail="fase gewijzigd")
        return HttpResponse("ok")

    _serve(view, user=UserFactory(), method="post", pk=7)
    event = AuditEvent.objects.get()
    assert event.action == "update"
    assert event.fields == ["status", "fase"]
    assert event.subject_student_id == student.pk
    assert event.object_id == "7"  # from the URL
    assert "fase gewijzigd" in event.detail


def test_a_service_outside_a_request_writes_its_own_entry():
    assert audit_record(actor=None, action="delete", activity="bewaartermijn") is not None
    assert AuditEvent.objects.count() == 1


def test_a_view_without_notes_still_gets_its_one_entry():
    @processing("casusbehandeling", kind="cases.case")
    def view(request, pk):
        return HttpResponse("ok")

    _serve(view, user=UserFactory(), pk=3)
    event = AuditEvent.objects.get()
    assert (event.object_type, event.object_id, event.outcome) == ("cases.case", "3", "ok")


def test_an_out_of_scope_404_is_logged_as_denied():
    @processing("leerlingdossier", kind="registry.student")
    def view(request, pk):
        raise Http404

    _serve(view, user=UserFactory(), path="/leerlingen/99/", pk=99)
    event = AuditEvent.objects.get()
    assert event.outcome == "denied"
    assert event.subject_student_id == 99  # the child that was asked for
    assert "niet gevonden of buiten het werkgebied" in event.detail
    assert "/leerlingen/99/ -> 404" in event.detail


def test_a_list_read_records_every_child_shown_and_is_found_by_child():
    shown = [StudentFactory(), StudentFactory()]
    other = StudentFactory()

    @processing("zoeken", kind="registry.student", read="search")
    def view(request):
        audit_note(request, children=[s.pk for s in shown])
        return HttpResponse("ok")

    _serve(view, user=UserFactory(), path="/leerlingen/")
    event = AuditEvent.objects.get()
    assert event.action == "search"
    assert event.shown_student_ids == sorted(s.pk for s in shown)
    assert list(AuditEvent.objects.about_children([shown[1].pk])) == [event]
    assert not AuditEvent.objects.about_children([other.pk]).exists()


def test_a_quiet_endpoint_logs_only_refusals():
    @processing("verzuimregistratie", kind="jobs.job", quiet=True)
    def view(request, pk):
        if pk == 2:
            raise Http404
        return HttpResponse("bezig")

    _serve(view, user=UserFactory(), pk=1)
    assert not AuditEvent.objects.exists()
    _serve(view, user=UserFactory(), pk=2)
    assert AuditEvent.objects.get().outcome == "denied"


def test_an_anonymous_web_request_is_not_attributed():
    @processing("casusbehandeling", kind="cases.case")
    def view(request, pk):
        return HttpResponse(status=302)

    _serve(view, user=AnonymousUser(), pk=1)
    assert not AuditEvent.objects.exists()


def test_notes_on_an_undeclared_endpoint_are_a_programming_error():
    def view(request):
        audit_note(request, detail="x")
        return HttpResponse("ok")

    with pytest.raises(RuntimeError, match="without @processing"):
        _serve(view, user=UserFactory())


def test_unknown_activities_are_refused():
    with pytest.raises(ValueError, match="unknown processing activity"):
        processing("nieuwsgierigheid")
