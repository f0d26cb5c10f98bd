"""Same (students, seed, reference date) -> byte-identical files; another seed differs."""

from __future__ import annotations

import hashlib

from leerrecht.demo import demo_generate
from leerrecht.demo.tests.conftest import SMALL_STUDENTS, SMALL_WITHOUT_ENROLMENT


def _digests(directory) -> dict[str, str]:
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(directory.iterdir())
        if p.is_file()
    }


def test_two_runs_with_the_same_seed_write_identical_files(small_demo, tmp_path):
    again = demo_generate(
        students=SMALL_STUDENTS,
        seed=1,
        out_dir=tmp_path / "again",
        without_enrolment=SMALL_WITHOUT_ENROLMENT,
    )
    first, second = _digests(small_demo.out_dir), _digests(again.out_dir)
    assert set(first) == {
        "region.json",
        "students.parquet",
        "enrolments.parquet",
        "register.parquet",
        "exemptions.parquet",
        "suspensions.parquet",
        "attendance.parquet",
        "calendar.csv",
        "manifest.json",
    }
    assert first == second
    assert again.fingerprint == small_demo.fingerprint


def test_another_seed_gives_other_students_and_attendance(small_demo, tmp_path):
    other = demo_generate(
        students=SMALL_STUDENTS,
        seed=2,
        out_dir=tmp_path / "other",
        without_enrolment=SMALL_WITHOUT_ENROLMENT,
    )
    first, second = _digests(small_demo.out_dir), _digests(other.out_dir)
    assert first["students.parquet"] != second["students.parquet"]
    assert first["attendance.parquet"] != second["attendance.parquet"]
    # The calendar does not depend on the seed.
    assert first["calendar.csv"] == second["calendar.csv"]
    assert other.fingerprint != small_demo.fingerprint
