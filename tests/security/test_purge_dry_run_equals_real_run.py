"""ASVS V8.3.8 (retention) / V7.4.1 (no stack traces): `leerrecht purge --now 2099-01-01`
never crashes and the dry run promises exactly what the real run does (issue 14,
finding 9: the dry run promised 489 audit rows, the real run exited 1 with a traceback
because the database keeps audit rows younger than a year whatever date the run acts on)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from freezegun import freeze_time
from tests.security.world import PersonFactory, case_for, region, user_for
from typer.testing import CliRunner

from leerrecht.accounts.models import Role
from leerrecht.cli.main import app
from leerrecht.privacy.models import AuditEvent
from leerrecht.privacy.services import audit_record
from leerrecht.registry.models import Student
from leerrecht.registry.tests.factories import EnrolmentFactory

pytestmark = pytest.mark.django_db
SUMMARY = re.compile(
    r"casussen: (\d+), leerlingen: (\d+), auditregels: (\d+), inlogpogingen: (\d+), "
    r"sessies: (\d+)"
)


def _summary(output: str) -> tuple[int, ...]:
    match = SUMMARY.search(" ".join(output.split()))
    assert match, output
    return tuple(int(x) for x in match.groups())


@pytest.mark.parametrize("now", ["2099-01-01", "2026-11-23"])
def test_far_future_purge_never_crashes_and_dry_run_equals_real_run(now):
    a = region("A", surname="Aalbers")
    officer = user_for(a, Role.LEERPLICHT_OFFICER)
    with freeze_time("2018-09-01 09:00:00"):
        old = PersonFactory(residence_municipality=a.municipality, surname="Oud")
        audit_record(actor=officer, action="read", activity="casusbehandeling")
    EnrolmentFactory(
        student=old, school=a.school, start=dt.date(2018, 9, 1), end=dt.date(2020, 7, 1)
    )
    case_for(old, owner=officer, closed_on=dt.date(2020, 8, 1))
    for _ in range(5):  # rows of today: the database never deletes these
        audit_record(actor=officer, action="read", activity="leerlingdossier")
    runner = CliRunner()
    dry = runner.invoke(app, ["purge", "--dry-run", "--now", now])
    assert dry.exit_code == 0, dry.output
    promised = _summary(dry.output)
    audit_before = AuditEvent.objects.count()
    real = runner.invoke(app, ["purge", "--now", now])
    assert real.exit_code == 0, real.output
    assert "Traceback" not in real.output
    assert _summary(real.output) == promised
    cases, students, audit_rows = promised[:3]
    assert students >= 1
    assert cases == 1 and audit_rows == 1
    assert not Student.objects.filter(pk=old.pk).exists()
    removed = (
        audit_before
        - AuditEvent.objects.filter(
            processing_activity__in=["casusbehandeling", "leerlingdossier"]
        ).count()
    )
    assert removed >= audit_rows
