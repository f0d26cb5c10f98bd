"""KPI figures from real cases, the Inspectie form, and `leerrecht report ...` files."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time
from pypdf import PdfReader
from typer.testing import CliRunner

from leerrecht.accounts.tests.factories import UserFactory
from leerrecht.cases.models import Case, Contact, PlanAction
from leerrecht.cli.main import app
from leerrecht.monitoring import selectors
from leerrecht.registry.tests.factories import (
    EnrolmentFactory,
    OrganisationFactory,
    StudentFactory,
    valid_bsn,
)

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture(autouse=True)
def _today():
    with freeze_time("2026-11-23"):
        yield


def _member_school(swv, **kwargs):
    # (the factory's `swv` keyword is a trait, so the FK is set afterwards)
    school = OrganisationFactory(school=True, **kwargs)
    school.swv = swv
    school.save()
    return school


def _case(student, owner, *, opened, contact=None, plan=None):
    case = Case.objects.create(
        student=student,
        protocol="haaglanden-po",
        route="with_enrolment",
        phase="signal",
        phase_since=opened,
        anchor_date=opened,
        opened_on=opened,
        regiehouder=owner.organisation,
        casusverantwoordelijke=owner,
        last_activity_at=timezone.now(),
    )
    if contact:
        Contact.objects.create(
            case=case,
            kind="conversation",
            occurred_on=contact,
            recorded_by=owner,
            with_parents=True,
        )
    if plan:
        PlanAction.objects.create(
            case=case, who="mentor", what="gesprek", due_on=plan, created_on=plan
        )
    return case


def test_kpis_from_case_dates(login):
    swv = OrganisationFactory(swv=True)
    officer = UserFactory(swv=True, organisation=swv)
    school = _member_school(swv)
    students = [StudentFactory(bsn=valid_bsn(8000 + 40 * i)) for i in range(2)]
    for s in students:
        EnrolmentFactory(student=s, school=school, start=D(2024, 8, 19))
    _case(students[0], officer, opened=D(2026, 8, 3), contact=D(2026, 8, 5), plan=D(2026, 8, 20))
    late = _case(students[1], officer, opened=D(2026, 9, 1), contact=D(2026, 9, 20))
    dates = {c.key: c for c in selectors.kpi_case_dates(user=officer, scope=selectors.Scope())}
    assert dates[f"C-{late.pk}"].first_contact == D(2026, 9, 20)
    assert dates[f"C-{late.pk}"].goals_set is None
    response = login(officer).get(reverse("monitoring:kpi"), {"date": "2026-11-23"})
    html = response.content.decode()
    # Q3 2026: contact within a week 1 of 2 (50%), goals in first month 1 of 2.
    assert "50\u00a0%" in html and f"C-{late.pk}" in html
    pdf = login(officer).get(reverse("monitoring:kpi"), {"date": "2026-11-23", "format": "pdf"})
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "50%" in text and f"C-{late.pk}" in text


def test_inspectie_form_has_pseudonyms_and_no_bsn(login):
    swv = OrganisationFactory(swv=True)
    consultant = UserFactory(swv=True, organisation=swv)
    school = _member_school(swv, school_type="vo")
    child = StudentFactory(bsn=valid_bsn(9100), given_names="Sanne Marie", surname="Jansen")
    # Suspended pending removal is not on the Inspectie form; an AV child of this school is
    # not in the SWV's scope. So: an exempt (5a) pupil who is still enrolled.
    EnrolmentFactory(student=child, school=school, start=D(2024, 8, 19))
    from leerrecht.registry.tests.factories import ExemptionFactory

    ExemptionFactory(student=child, start=D(2026, 9, 1), end=D(2027, 7, 31))
    response = login(consultant).get(reverse("monitoring:inspectie"), {"format": "csv"})
    text = response.getvalue().decode("utf-8-sig")
    assert "vrijstelling art. 5 onder a" in text and "TZ-" in text and "S.M." in text
    assert child.bsn not in text and "Jansen" not in text


def test_cli_writes_the_telling_files(tmp_path):
    result = CliRunner().invoke(
        app, ["report", "telling", "--import-bijlage6", "--national", "--out", str(tmp_path)]
    )
    assert result.exit_code == 0, result.output
    files = sorted(p.suffix for p in tmp_path.iterdir())
    assert files == [".csv", ".pdf", ".xlsx"]
    pdf = next(tmp_path.glob("*.pdf"))
    text = "".join(p.extract_text() for p in PdfReader(str(pdf)).pages)
    assert "Noordwest Veluwe 6 15 12 21 48 700% 129%" in text


def test_cli_bad_format_is_one_line_error(tmp_path):
    result = CliRunner().invoke(app, ["report", "kpi", "--format", "docx", "--out", str(tmp_path)])
    assert result.exit_code == 2
    assert "unknown docx" in result.output
