"""Matching on each kind of noise of issue 7 (pure core, no database)."""

from __future__ import annotations

import datetime as dt

import pytest

from leerrecht.reconciliation.matching import Person, config_load, decision_key, fingerprint, link

CFG = config_load().matching
DOB = dt.date(2014, 3, 7)


def _one(a: Person, b: Person, *others: Person):
    """Link [a] against [b, *others]; return the match of a (or None)."""
    result = link([a], [b, *others], config=CFG)
    return next((m for m in result.matches if m.a == 0), None), result


def test_equal_bsn_with_agreeing_name_and_date_is_certain():
    m, _ = _one(
        Person("1", "Sanne", "", "Jansen", DOB, bsn="111222333"),
        Person("2", "S.", "", "Janssen", dt.date(2014, 7, 3), bsn="111222333"),
    )
    assert m.method == "bsn" and not m.review
    assert "BSN gelijk" in m.reasons and m.against == []


def test_exact_education_number():
    m, _ = _one(
        Person("1", "Sanne", "", "Jansen", DOB, education_number="100000009"),
        Person("2", "S.", "", "Jansen", None, education_number="100000009"),
    )
    assert m.method == "education_number"


@pytest.mark.parametrize(
    ("surname_b", "reason"),
    [
        ("Janssen", "achternaam lijkt sterk"),  # extra letter
        ("Jasnen", "achternaam lijkt sterk"),  # transposition
    ],
)
def test_typo_in_surname_is_a_certain_match(surname_b, reason):
    m, _ = _one(Person("1", "Sanne", "", "Jansen", DOB), Person("2", "Sanne", "", surname_b, DOB))
    assert m is not None and not m.review
    assert any(r.startswith(reason) for r in m.reasons)


def test_typo_in_given_name():
    m, _ = _one(
        Person("1", "Fatima", "", "El Amrani", DOB), Person("2", "Fatma", "", "El Amrani", DOB)
    )
    assert m is not None and not m.review
    assert any(r.startswith("voornaam lijkt") for r in m.reasons)


@pytest.mark.parametrize(
    ("a", "b"),
    [("Chloë", "Chloe"), ("Noelle", "Noëlle")],  # missing and extra diacritics
)
def test_diacritics_missing_or_extra(a, b):
    m, _ = _one(Person("1", a, "", "Şahin", DOB), Person("2", b, "", "Sahin", DOB))
    assert m is not None and not m.review and m.score == 1.0
    assert "voornaam gelijk op accenten/hoofdletters na" in m.reasons


@pytest.mark.parametrize(
    ("surname_b", "tv_b", "reason"),
    [
        (
            "Vries, van der",
            "",
            "achternaam gelijk, tussenvoegsel anders geschreven of op een andere plek",
        ),  # behind
        (
            "Vries van der",
            "",
            "achternaam gelijk, tussenvoegsel anders geschreven of op een andere plek",
        ),
        (
            "van der Vries",
            "",
            "achternaam gelijk, tussenvoegsel anders geschreven of op een andere plek",
        ),
        (
            "v.d. Vries",
            "",
            "achternaam gelijk, tussenvoegsel anders geschreven of op een andere plek",
        ),
        (
            "Vries",
            "v/d",
            "achternaam gelijk, tussenvoegsel anders geschreven of op een andere plek",
        ),
        (
            "vd Vries",
            "",
            "achternaam gelijk, tussenvoegsel anders geschreven of op een andere plek",
        ),
        ("Vries", "", "achternaam gelijk, tussenvoegsel ontbreekt in één lijst"),  # missing
    ],
)
def test_tussenvoegsel_in_front_behind_or_missing(surname_b, tv_b, reason):
    m, _ = _one(
        Person("1", "Daan", "van der", "Vries", DOB), Person("2", "Daan", tv_b, surname_b, DOB)
    )
    assert m is not None and not m.review
    assert reason in m.reasons


def test_swapped_day_and_month():
    m, _ = _one(
        Person("1", "Noor", "", "Bakker", DOB),
        Person("2", "Noor", "", "Bakker", dt.date(2014, 7, 3)),
    )
    assert m is not None and not m.review
    assert "geboortedatum met dag en maand verwisseld" in m.reasons


@pytest.mark.parametrize("initials", ["J.W.", "JW", "J. W."])
def test_initials_instead_of_given_names(initials):
    m, _ = _one(
        Person("1", "Jan Willem", "", "Bakker", DOB), Person("2", initials, "", "Bakker", DOB)
    )
    assert m is not None and not m.review
    assert "initialen komen overeen met de voornamen" in m.reasons


def test_all_noise_at_once_still_proposed_with_reasons():
    m, _ = _one(
        Person("1", "Jan Willem", "van der", "Berg", DOB),
        Person("2", "J.W.", "", "Bergh, van der", dt.date(2014, 7, 3)),
    )
    assert m is not None
    assert len(m.reasons) == 3 and 0.75 <= m.score <= 1.0


def test_twin_with_other_given_name_is_not_taken_for_the_sibling():
    sanne = Person("1", "Sanne", "", "de Vries", DOB)
    m, result = _one(
        sanne, Person("2", "Daan", "", "de Vries", DOB), Person("3", "Sanne", "", "Vries, de", DOB)
    )
    assert m.b == 1 and not m.review  # list B is [Daan, Sanne]: index 1 is Sanne
    assert result.only_b == [0]


def test_different_children_are_not_matched():
    m, result = _one(
        Person("1", "Sanne", "", "Jansen", DOB), Person("2", "Milan", "", "Yilmaz", DOB)
    )
    assert m is None
    assert result.only_a == [0] and result.only_b == [0]


def test_uncertain_match_goes_to_review_with_score_and_reasons():
    # Same name, birth day differs (a typo): proposed, but a person must look.
    m, result = _one(
        Person("1", "Daan", "", "Visser", dt.date(2014, 6, 6)),
        Person("2", "Daan", "", "Visser", dt.date(2014, 6, 9)),
    )
    assert m is not None and m.review
    assert CFG.review_from <= m.score < CFG.auto_match_from
    assert "geboortedatum wijkt af (06-06-2014 / 09-06-2014)" in m.against
    assert m.reasons == ["achternaam gelijk", "voornaam gelijk"]
    assert result.summary()["review"] == 1 and result.summary()["matched"] == 0


def test_remembered_rejection_and_confirmation_override_the_score():
    a = Person("1", "Daan", "", "Visser", dt.date(2014, 6, 6))
    b = Person("2", "Daan", "", "Visser", dt.date(2014, 6, 9))
    key = decision_key(fingerprint(a), fingerprint(b))
    confirmed = link([a], [b], config=CFG, decisions={key: True})
    assert confirmed.matches[0].method == "remembered" and not confirmed.matches[0].review
    rejected = link([a], [b], config=CFG, decisions={key: False})
    assert rejected.matches == [] and rejected.only_a == [0]
    # Symmetric: the same decision holds with the lists swapped.
    swapped = link([b], [a], config=CFG, decisions={key: True})
    assert swapped.matches[0].method == "remembered"


def test_conflicting_status_and_coverage():
    a = [
        Person("1", "Noor", "", "Jansen", DOB, status="Thuiszitter"),
        Person("2", "Emma", "", "Smit", DOB),
    ]
    b = [Person("x", "Noor", "", "Jansen", DOB, status="terug op school")]
    result = link(a, b, config=CFG)
    assert len(result.conflicts) == 1
    assert (
        result.conflicts[0].status_a == "thuiszitter"
        and result.conflicts[0].status_b == "op_school"
    )
    assert result.summary()["coverage_a"] == 50.0 and result.summary()["coverage_b"] == 100.0


def test_record_without_birth_date_is_matched_on_names():
    m, _ = _one(Person("1", "Ayoub", "", "Bouzid", None), Person("2", "Ayoub", "", "Bouzid", DOB))
    assert m is not None and m.review  # missing birth date: a person confirms
    assert "geboortedatum ontbreekt in één lijst" in m.against
