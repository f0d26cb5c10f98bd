"""Model validation of students and exemptions gives clear messages."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from leerrecht.registry.models import Exemption, Student
from leerrecht.registry.tests.factories import MunicipalityFactory, StudentFactory

pytestmark = pytest.mark.django_db


def _student(**kwargs) -> Student:
    defaults = {
        "given_names": "Noor",
        "surname": "Visser",
        "date_of_birth": dt.date(2014, 3, 1),
        "residence_municipality": MunicipalityFactory(den_haag=True),
        "source_id": "T-1",
    }
    return Student(**{**defaults, **kwargs})


def test_a_student_with_an_invalid_bsn_is_rejected_naming_the_field():
    with pytest.raises(ValidationError) as caught:
        _student(bsn="123456789").full_clean()
    assert "bsn" in caught.value.message_dict
    assert "elfproef" in caught.value.message_dict["bsn"][0]


def test_a_student_with_a_valid_bsn_passes():
    _student(bsn="111222333").full_clean()


def test_a_student_without_bsn_needs_a_valid_onderwijsnummer():
    with pytest.raises(ValidationError) as caught:
        _student(education_number="100000009").full_clean()
    assert "education_number" in caught.value.message_dict
    _student(education_number="100000004").full_clean()


def test_a_student_with_neither_bsn_nor_onderwijsnummer_is_rejected():
    with pytest.raises(ValidationError):
        _student().full_clean()


def test_the_factory_trait_without_bsn_makes_a_valid_student():
    StudentFactory(without_bsn=True).full_clean()


def _exemption(**kwargs) -> Exemption:
    defaults = {
        "student": StudentFactory(),
        "article": "5a",
        "start": dt.date(2026, 1, 5),
        "end": dt.date(2026, 7, 10),
    }
    return Exemption(**{**defaults, **kwargs})


def test_exemption_5a_without_a_declaration_is_rejected():
    # seed 001, step 5d: a designated physician or psychologist declares the child unfit.
    with pytest.raises(ValidationError, match="verklaring"):
        _exemption(declaration_date=None).full_clean()


def test_exemption_5a_with_a_declaration_older_than_three_months_is_rejected():
    with pytest.raises(ValidationError, match="3 maanden"):
        _exemption(declaration_date=dt.date(2026, 1, 5) - dt.timedelta(days=93)).full_clean()


def test_exemption_5a_with_a_declaration_of_92_days_old_is_accepted():
    _exemption(declaration_date=dt.date(2026, 1, 5) - dt.timedelta(days=92)).full_clean()


def test_exemption_5b_needs_no_declaration():
    _exemption(article="5b", declaration_date=None, end=None).full_clean()


def test_an_exemption_ending_before_it_starts_is_rejected():
    with pytest.raises(ValidationError, match="einddatum"):
        _exemption(article="5b", end=dt.date(2025, 12, 1)).full_clean()
