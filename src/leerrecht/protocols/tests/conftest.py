"""A region with stored attendance: 24 pupils at two schools in two municipalities, the
attendance of 4 school weeks imported (canonical Parquet of a finished import)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.conf import settings

from leerrecht.accounts.models import Role
from leerrecht.accounts.tests.factories import UserFactory
from leerrecht.attendance.models import AttendanceImport
from leerrecht.engine.attendance import attendance_to_parquet
from leerrecht.engine.tests.conftest import ladder_attendance_csv
from leerrecht.registry.tests.factories import (
    EnrolmentFactory,
    MunicipalityFactory,
    OrganisationFactory,
    StudentFactory,
)


@pytest.fixture
def operator(db):
    return UserFactory(role=Role.OPERATOR, organisation=None, first_name="Bea")


@pytest.fixture
def region_attendance(db, tmp_path):
    return region_with_attendance(tmp_path)


def region_with_attendance(tmp_path: Path) -> AttendanceImport:
    """Pupils S01-S40 (odd at De Linde in Den Haag, even at Het Baken in Rijswijk); more
    than 16 hours: 12 pupils at each school, more than 10 hours: 15 at each."""
    den_haag = MunicipalityFactory(den_haag=True)
    rijswijk = MunicipalityFactory(rijswijk=True)
    linde = OrganisationFactory(school=True, municipality=den_haag, name="De Linde")
    baken = OrganisationFactory(school=True, municipality=rijswijk, name="Het Baken")
    for i in range(1, 41):
        home, school = (den_haag, linde) if i % 2 else (rijswijk, baken)
        student = StudentFactory(
            source_id=f"S{i:02d}", surname=f"Kind{i:02d}", residence_municipality=home
        )
        EnrolmentFactory(student=student, school=school, start=dt.date(2022, 8, 22))
    csv = tmp_path / "attendance.csv"
    ladder_attendance_csv(csv, pupils=40)
    folder = Path(settings.DATA_DIR) / "attendance"
    folder.mkdir(parents=True, exist_ok=True)
    attendance_to_parquet(attendance=csv, output=folder / "1.parquet")
    return AttendanceImport.objects.create(
        original_name="verzuim.csv",
        sha256="0" * 64,
        parquet_path="attendance/1.parquet",
        protocol="haaglanden-po",
        status=AttendanceImport.Status.DONE,
    )
