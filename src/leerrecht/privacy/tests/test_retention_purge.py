"""`leerrecht purge`: closed cases, students and audit entries past retention (issue 5.5)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.apps import apps
from freezegun import freeze_time
from tests.security.world import PersonFactory, case_for, region, user_for
from typer.testing import CliRunner

from leerrecht.accounts.models import LoginFailure, Role
from leerrecht.cli.main import app
from leerrecht.privacy.models import AuditEvent
from leerrecht.privacy.retention import retention_plan, retention_purge, years_before
from leerrecht.privacy.services import audit_record
from leerrecht.registry.models import Student
from leerrecht.registry.tests.factories import EnrolmentFactory, ResidentRegisterEntryFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 23)  # case cutoff (5 years): 2021-11-23; audit (7 years): 2019-11-23


def M(name):
    return apps.get_model("cases", name)


@pytest.fixture
def a():
    return region("A", surname="Aalbers")


@pytest.fixture
def lpa(a):
    return user_for(a, Role.LEERPLICHT_OFFICER)


def _old_student(a, *, left_on=dt.date(2020, 7, 17)):
    with freeze_time("2018-09-01 09:00:00"):
        student = PersonFactory(residence_municipality=a.municipality, surname="Oud")
    EnrolmentFactory(student=student, school=a.school, start=dt.date(2018, 9, 1), end=left_on)
    return student


def _full_case(student, owner, *, closed_on):
    case = case_for(student, owner=owner, closed_on=closed_on)
    melding = M("Melding").objects.create(
        kind="sickness",
        student=student,
        reported_by=owner,
        organisation=owner.organisation,
        reported_on=closed_on - dt.timedelta(days=200),
        authorised_absence=True,
        case=case,
        note="zorgen thuis",
    )
    M("Consent").objects.create(
        melding=melding, asked_by=owner, asked_on=melding.reported_on, status="given"
    )
    M("MedicalNote").objects.create(
        student=student, case=case, note="diagnose", written_by=owner, written_on=closed_on
    )
    M("CaseEvent").objects.create(case=case, actor=owner, kind="opened", summary="geopend")
    M("Contact").objects.create(
        case=case, kind="phone", occurred_on=closed_on, summary="gebeld", recorded_by=owner
    )
    return case


def test_years_before_handles_leap_days():
    assert years_before(dt.date(2028, 2, 29), 5) == dt.date(2023, 2, 28)
    assert years_before(TODAY, 5) == dt.date(2021, 11, 23)


def test_closed_case_past_retention_goes_with_its_whole_file(a, lpa):
    student = _old_student(a)
    old = _full_case(student, lpa, closed_on=dt.date(2021, 3, 1))
    recent = case_for(a.student, owner=lpa, closed_on=dt.date(2022, 1, 10))
    open_case = case_for(_old_student(a), owner=lpa)
    plan = retention_purge(today=TODAY)
    assert plan.case_ids == [old.pk]
    assert not M("Case").objects.filter(pk=old.pk).exists()
    for name in ("Melding", "Consent", "MedicalNote", "CaseEvent", "Contact"):
        assert (
            not M(name)
            .objects.filter(
                **(
                    {"case_id": old.pk}
                    if name not in ("Consent",)
                    else {"melding__student": student}
                )
            )
            .exists()
        ), name
    assert set(M("Case").objects.values_list("pk", flat=True)) == {recent.pk, open_case.pk}
    # The student had nothing else left: gone too, and both removals are audited.
    assert not Student.objects.filter(pk=student.pk).exists()
    purged = AuditEvent.objects.filter(processing_activity="bewaartermijn")
    assert {(e.object_type, e.subject_student_id) for e in purged} == {
        ("cases.case", student.pk),
        ("registry.student", student.pk),
    }


def test_students_with_something_current_are_kept(a, lpa):
    enrolled = a.student  # current enrolment
    in_register = _old_student(a)
    ResidentRegisterEntryFactory(bsn=in_register.bsn, municipality=a.municipality)
    recently_left = _old_student(a, left_on=dt.date(2023, 7, 14))
    gone = _old_student(a)
    with freeze_time("2026-10-01 09:00:00"):
        new_without_enrolment = PersonFactory(residence_municipality=a.municipality)
    retention_purge(today=TODAY)
    remaining = set(Student.objects.values_list("pk", flat=True))
    assert {enrolled.pk, in_register.pk, recently_left.pk, new_without_enrolment.pk} <= remaining
    assert gone.pk not in remaining


def test_student_with_a_kept_case_is_kept(a, lpa):
    student = _old_student(a)
    case_for(student, owner=lpa, closed_on=dt.date(2023, 5, 1))
    retention_purge(today=TODAY)
    assert Student.objects.filter(pk=student.pk).exists()


def test_audit_log_keeps_its_own_retention(a, lpa):
    with freeze_time("2019-06-01 12:00:00"):
        old = audit_record(actor=lpa, action="read", activity="casusbehandeling")
    with freeze_time("2020-06-01 12:00:00"):
        kept = audit_record(actor=lpa, action="read", activity="casusbehandeling")
    plan = retention_purge(today=TODAY)
    assert plan.audit_count == 1
    assert not AuditEvent.objects.filter(pk=old.pk).exists()
    assert AuditEvent.objects.filter(pk=kept.pk).exists()


def test_audit_retention_is_configurable(a, lpa, settings):
    settings.LEERRECHT_AUDIT_RETENTION_YEARS = 3
    with freeze_time("2022-06-01 12:00:00"):
        audit_record(actor=lpa, action="read", activity="casusbehandeling")
    assert retention_plan(today=TODAY).audit_count == 1
    settings.LEERRECHT_AUDIT_RETENTION_YEARS = 7
    assert retention_plan(today=TODAY).audit_count == 0


def test_case_retention_is_configurable(a, lpa, settings):
    case = case_for(_old_student(a), owner=lpa, closed_on=dt.date(2024, 1, 5))
    assert retention_plan(today=TODAY).case_ids == []
    settings.LEERRECHT_CASE_RETENTION_YEARS = 2
    assert retention_plan(today=TODAY).case_ids == [case.pk]


def test_dry_run_changes_nothing(a, lpa):
    student = _old_student(a)
    case = _full_case(student, lpa, closed_on=dt.date(2020, 2, 1))
    with freeze_time("2015-01-01"):
        audit_record(actor=lpa, action="read", activity="casusbehandeling")
    LoginFailure.objects.create(username="x", occurred_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    before = AuditEvent.objects.count()
    plan = retention_purge(today=TODAY, dry_run=True)
    assert plan.case_ids == [case.pk]
    assert plan.student_ids == [student.pk]
    assert plan.audit_count == 1
    assert plan.login_failure_count == 1
    assert M("Case").objects.filter(pk=case.pk).exists()
    assert Student.objects.filter(pk=student.pk).exists()
    assert M("CaseEvent").objects.filter(case=case).count() == 1
    assert AuditEvent.objects.count() == before
    assert LoginFailure.objects.count() == 1


def test_cli_dry_run_prints_a_table(a, lpa):
    case = case_for(_old_student(a), owner=lpa, closed_on=dt.date(2020, 2, 1))
    result = CliRunner().invoke(app, ["purge", "--dry-run", "--now", "2026-11-23"])
    assert result.exit_code == 0, result.output
    assert "Zou worden verwijderd op 23-11-2026" in result.output
    assert f"casus {case.pk}" in result.output
    assert "dry-run, niets gewijzigd" in result.output
    assert M("Case").objects.filter(pk=case.pk).exists()


def test_cli_purge_removes(a, lpa):
    case = case_for(_old_student(a), owner=lpa, closed_on=dt.date(2020, 2, 1))
    result = CliRunner().invoke(app, ["purge", "--now", "2026-11-23"])
    assert result.exit_code == 0, result.output
    assert "Verwijderd op 23-11-2026" in result.output
    assert not M("Case").objects.filter(pk=case.pk).exists()


def test_cli_rejects_a_bad_date_in_one_line():
    result = CliRunner().invoke(app, ["purge", "--now", "23-11-2026"])
    assert result.exit_code == 2
    assert "--now" in result.output
    assert "Traceback" not in result.output
