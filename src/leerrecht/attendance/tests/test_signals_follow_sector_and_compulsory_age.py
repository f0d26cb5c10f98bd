"""Stored signals follow the region's sector mapping (ADR 0110) and compulsory school age
(Leerplichtwet art. 3: a child is leerplichtig from the month after the 5th birthday)."""

from __future__ import annotations

import datetime as dt

import pytest

from leerrecht.accounts.tests.factories import UserFactory
from leerrecht.attendance.models import AttendanceSummary, SignalHit
from leerrecht.attendance.services import attendance_import_create
from leerrecht.attendance.tests.helpers import (
    HEADER,
    SEVENTEEN_HOURS,
    school_days,
    student_rows,
    write_csv,
)
from leerrecht.registry.tests.factories import EnrolmentFactory, OrganisationFactory, StudentFactory

pytestmark = pytest.mark.django_db


def _sick_rows(source_id: str, *, sick_days: range) -> list[str]:
    return [
        f"{source_id},{day.isoformat()},6,0,{6 if i in sick_days else 0},0\n"
        for i, day in enumerate(school_days(20))
    ]


def test_a_child_under_compulsory_school_age_gets_no_signal_but_keeps_its_attendance(
    tmp_path, coordinator, enrolled
):
    # Born 21-11-2021: leerplichtig from 1-12-2026, so not in November 2026.
    toddler = enrolled("S-4", date_of_birth=dt.date(2021, 11, 21))
    pupil = enrolled("S-8")
    path = write_csv(
        tmp_path / "v.csv",
        student_rows("S-4", unauthorised=SEVENTEEN_HOURS),
        student_rows("S-8", unauthorised=SEVENTEEN_HOURS),
    )

    attendance_import_create(user=coordinator, file=path, original_name="v.csv")

    assert set(SignalHit.objects.values_list("student_id", flat=True)) == {pupil.pk}
    summary = AttendanceSummary.objects.get(student=toddler)
    assert float(summary.unauthorised_hours) == 17


def test_a_secondary_school_follows_the_secondary_preset(tmp_path, enrolled, coordinator):
    vo = OrganisationFactory(school=True, school_type="vo", name="Lyceum Haaglanden")
    vo_user = UserFactory(school_coordinator=True, organisation=vo)
    student = StudentFactory(source_id="V-1", without_bsn=True, vo_age=True)
    EnrolmentFactory(student=student, school=vo)
    path = write_csv(tmp_path / "vo.csv", student_rows("V-1", unauthorised=SEVENTEEN_HOURS))

    imp = attendance_import_create(user=vo_user, file=path, original_name="vo.csv")

    assert imp.protocol == "haaglanden-vo"
    hit = SignalHit.objects.get(student=student)
    assert (hit.signal, hit.protocol) == ("unauthorised_16h_4w", "haaglanden-vo")


def test_a_region_wide_import_applies_each_pupils_sector_preset(tmp_path, school):
    vo = OrganisationFactory(school=True, school_type="vo", name="College Rijswijk")
    po_pupil = StudentFactory(source_id="P-1", without_bsn=True)
    EnrolmentFactory(student=po_pupil, school=school)
    vo_pupil = StudentFactory(source_id="V-1", without_bsn=True, vo_age=True)
    EnrolmentFactory(student=vo_pupil, school=vo)
    path = tmp_path / "regio.csv"
    path.write_text(
        HEADER
        + "".join(_sick_rows("P-1", sick_days=range(2, 10)))
        + "".join(_sick_rows("V-1", sick_days=range(2, 10))),
        "utf-8",
    )

    attendance_import_create(user=None, file=path, original_name="regio.csv", run_inline=True)

    protocols = dict(
        SignalHit.objects.filter(signal="sick_spell_7th_day").values_list("student_id", "protocol")
    )
    assert protocols == {po_pupil.pk: "haaglanden-po", vo_pupil.pk: "haaglanden-vo"}
    # The Haaglanden sick-absence route (seed 004, 1): a long sick spell goes to JGZ.
    assert all(h.leads_to == ["jgz"] for h in SignalHit.objects.filter(signal="sick_spell_7th_day"))


def test_a_file_may_name_pupils_by_bsn_instead_of_the_leerlingnummer(tmp_path, coordinator, school):
    pupil = StudentFactory(source_id="LL-1", bsn="111222333")
    EnrolmentFactory(student=pupil, school=school)
    path = write_csv(tmp_path / "bsn.csv", student_rows("111222333", unauthorised=SEVENTEEN_HOURS))

    imp = attendance_import_create(user=coordinator, file=path, original_name="bsn.csv")

    assert imp.result["unknown_students"] == 0
    assert SignalHit.objects.filter(student=pupil, signal="unauthorised_16h_4w").exists()
