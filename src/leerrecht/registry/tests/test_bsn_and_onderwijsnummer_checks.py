"""The BSN 11-check and the onderwijsnummer (remainder 5) rule."""

from __future__ import annotations

import pytest

from leerrecht.registry.validators import (
    bsn_problem,
    education_number_problem,
    identifier_digits,
)


@pytest.mark.parametrize("bsn", ["111222333", "123456782", "010000008", "10000008"])
def test_known_valid_bsns_pass(bsn):
    # 111222333: 9+8+7+12+10+8+9+6-3 = 66 = 6*11; 123456782: 154 = 14*11
    assert bsn_problem(bsn) is None


@pytest.mark.parametrize(
    ("bsn", "reason"),
    [
        ("123456789", "elfproef"),
        ("111222334", "elfproef"),
        ("000000000", "elfproef"),
        ("12345678a", "9 cijfers"),
        ("1234567", "9 cijfers"),
        ("1234567890", "9 cijfers"),
        ("", "9 cijfers"),
    ],
)
def test_invalid_bsns_are_rejected_with_the_reason(bsn, reason):
    problem = bsn_problem(bsn)
    assert problem is not None and reason in problem


def test_an_eight_digit_bsn_gets_its_leading_zero_back():
    assert identifier_digits("10000008") == "010000008"
    assert identifier_digits(" 111222333 ") == "111222333"
    assert identifier_digits("1112.22.333") == "111222333"
    assert identifier_digits("10000008.0") == "010000008"


def test_an_onderwijsnummer_leaves_remainder_five():
    # 100000004: 9*1 - 4 = 5 -> remainder 5 after division by 11.
    assert education_number_problem("100000004") is None


@pytest.mark.parametrize("number", ["111222333", "100000009", "10000000", "abcdefghi"])
def test_a_valid_bsn_or_a_malformed_number_is_no_onderwijsnummer(number):
    assert education_number_problem(number) is not None


def test_the_factory_bsn_sequence_gives_distinct_valid_numbers():
    from leerrecht.registry.tests.factories import valid_bsn

    numbers = [valid_bsn(n) for n in range(5000)]
    assert len(set(numbers)) == len(numbers)
    assert [b for b in numbers if bsn_problem(b)] == []
