"""The demo region's attendance is imported as the system, once."""

from __future__ import annotations

import pytest
from django.conf import settings

from leerrecht.attendance.models import AttendanceImport, AttendanceSummary, SignalHit
from leerrecht.attendance.services import attendance_demo_import
from leerrecht.demo import demo_generate
from leerrecht.privacy.models import AuditEvent
from leerrecht.registry.services.demo import demo_load

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_dir():
    out = settings.DATA_DIR / "demo"
    out.mkdir(parents=True)
    demo_generate(students=150, seed=3, out_dir=out)
    demo_load(manifest_dir=out)
    return out


def test_demo_import_stores_signals_for_demo_students_and_is_idempotent(demo_dir):
    first = attendance_demo_import(data_dir=settings.DATA_DIR)
    hits = list(SignalHit.objects.order_by("pk").values_list("pk", "student_id", "signal"))

    second = attendance_demo_import(data_dir=demo_dir)

    assert first.status == "done" and first.organisation is None and first.uploaded_by is None
    assert first.result["students_matched"] == first.student_count
    assert first.result["unknown_students"] == 0
    assert AttendanceSummary.objects.count() == first.student_count
    assert second.pk == first.pk and second.reused is True
    assert list(SignalHit.objects.order_by("pk").values_list("pk", "student_id", "signal")) == hits
    assert AttendanceImport.objects.count() == 1
    assert AuditEvent.objects.filter(username="systeem", processing_activity="signalering").exists()


def test_demo_import_runs_again_after_the_demo_region_is_reloaded(demo_dir):
    first = attendance_demo_import(data_dir=demo_dir)
    signals = sorted(SignalHit.objects.values_list("student__source_id", "signal", "first_date"))
    assert signals, "the demo region has students with signals"

    demo_load(manifest_dir=demo_dir)  # recreates the demo students (their hits go with them)
    again = attendance_demo_import(data_dir=demo_dir)

    assert again.pk == first.pk and again.status == "done"
    assert (
        sorted(SignalHit.objects.values_list("student__source_id", "signal", "first_date"))
        == signals
    )
