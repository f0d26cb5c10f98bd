"""An attendance import computes the region's preset and stores its signals."""

from __future__ import annotations

import datetime as dt

import pytest

from leerrecht.attendance.models import AttendanceImport, AttendanceSummary, SignalHit
from leerrecht.attendance.services import attendance_import_create
from leerrecht.attendance.tests.helpers import (
    SEVENTEEN_HOURS,
    SEVENTEEN_HOURS_FIRST_DATE,
    student_rows,
    write_csv,
)
from leerrecht.privacy.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_seventeen_unauthorised_hours_in_four_weeks_is_stored_as_statutory_signal(
    tmp_path, coordinator, enrolled
):
    truant = enrolled("S-1")
    enrolled("S-2")
    path = write_csv(
        tmp_path / "verzuim.csv",
        student_rows("S-1", unauthorised=SEVENTEEN_HOURS),
        student_rows("S-2", unauthorised={3: 6}),
    )

    imp = attendance_import_create(
        user=coordinator, file=path, original_name="verzuim.csv", protocol="haaglanden-po"
    )

    assert imp.status == AttendanceImport.Status.DONE
    assert imp.reused is False
    assert (imp.row_count, imp.student_count) == (40, 2)
    assert (imp.first_date, imp.last_date) == (dt.date(2026, 10, 26), dt.date(2026, 11, 20))
    hits = list(SignalHit.objects.values_list("student_id", "signal", "first_date", "protocol"))
    assert hits == [(truant.pk, "unauthorised_16h_4w", SEVENTEEN_HOURS_FIRST_DATE, "haaglanden-po")]
    hit = SignalHit.objects.get()
    assert hit.leads_to == ["report_duo", "report_leerplicht"]
    assert hit.details["value"] == 17.0
    assert imp.result["signals_new"] == 1
    assert imp.job is not None and imp.job.status == "done"


def test_import_stores_a_summary_per_student(tmp_path, coordinator, enrolled):
    truant = enrolled("S-1")
    write_csv(tmp_path / "v.csv", student_rows("S-1", unauthorised=SEVENTEEN_HOURS))

    attendance_import_create(user=coordinator, file=tmp_path / "v.csv", original_name="v.csv")

    summary = AttendanceSummary.objects.get(student=truant)
    assert summary.as_of == dt.date(2026, 11, 20)
    assert summary.school_year_start == dt.date(2026, 8, 1)
    assert summary.school_days == 20
    assert float(summary.scheduled_hours) == 120
    assert float(summary.unauthorised_hours) == 17
    assert float(summary.attended_hours) == 103
    # 17 / 120 = 14.2% absent -> tier 3 (catalogue default: >= 10%, seed 002)
    assert summary.tier == 3
    assert float(summary.last20_percent_attended) == 85.8
    assert summary.absent_streak_days == 0


def test_import_is_audited_as_signalering(tmp_path, coordinator, enrolled):
    enrolled("S-1")
    write_csv(tmp_path / "v.csv", student_rows("S-1"))

    attendance_import_create(user=coordinator, file=tmp_path / "v.csv", original_name="v.csv")

    events = AuditEvent.objects.filter(user=coordinator, processing_activity="signalering")
    assert set(events.values_list("action", flat=True)) == {"import", "create"}


def test_summary_holds_the_current_run_of_absent_days_by_reason(tmp_path, coordinator, enrolled):
    away = enrolled("S-1")
    rows = student_rows("S-1")
    # the last 6 school days (Fri 13 .. Fri 20 Nov 2026) not at school: 3 sick, 3 unauthorised
    for i in range(14, 17):
        rows[i] = rows[i].replace(",6,0,0,0\n", ",6,0,6,0\n")
    for i in range(17, 20):
        rows[i] = rows[i].replace(",6,0,0,0\n", ",6,6,0,0\n")
    write_csv(tmp_path / "v.csv", rows)

    attendance_import_create(user=coordinator, file=tmp_path / "v.csv", original_name="v.csv")

    summary = AttendanceSummary.objects.get(student=away)
    assert summary.absent_streak_days == 6
    assert summary.absent_since == dt.date(2026, 11, 13)
    assert float(summary.streak_sick_hours) == 18
    assert float(summary.streak_unauthorised_hours) == 18
    assert float(summary.streak_authorised_hours) == 0
    # 20 days x 6 h = 120 scheduled, 36 absent -> 70.0% attended over the last 20 days
    assert float(summary.last20_percent_attended) == 70.0
