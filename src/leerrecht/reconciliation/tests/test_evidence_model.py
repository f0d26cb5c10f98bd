"""The evidence model of issue 16: BSN strong but fallible, addresses, duplicates, names."""

from __future__ import annotations

import datetime as dt

import pytest

from leerrecht.reconciliation.matching import Person, config_load, link

CFG = config_load().matching
FINN = dt.date(2019, 9, 28)


def _match(result, i):
    return next((m for m in result.matches if m.a == i), None)


@pytest.mark.parametrize(
    ("given_a", "given_b", "reason", "certain"),
    [
        # Repro: A "Jansen;Daan;01-02-2015", B "Jansen;D.J.;01-02-2015" raised AttributeError.
        ("Daan", "D.J.", "alleen de eerste initiaal komt overeen", True),
        # Multi-letter initials with dots.
        ("Theodoor Jan", "Th.J.", "initialen komen overeen met de voornamen", True),
    ],
)
def test_initials_with_dots_are_compared_and_explained(given_a, given_b, reason, certain):
    dob = dt.date(2015, 2, 1)
    result = link(
        [Person("1", given_a, "", "Jansen", dob)],
        [Person("2", given_b, "", "Jansen", dob)],
        config=CFG,
    )
    m = _match(result, 0)
    assert m is not None and reason in m.reasons
    assert m.review is not certain


def test_two_different_valid_bsns_are_never_a_certain_match():
    # Repro: 111222333 vs 123456782, both "Bos;Finn;28-09-2019", matched with score 1.000.
    result = link(
        [Person("1", "Finn", "", "Bos", FINN, bsn="111222333")],
        [Person("2", "Finn", "", "Bos", FINN, bsn="123456782")],
        config=CFG,
    )
    assert result.certain == []
    m = _match(result, 0)
    assert m.review and "BSN verschilt" in m.against


def test_different_bsns_with_other_noise_are_not_even_proposed():
    result = link(
        [Person("1", "Finn", "", "Bos", FINN, bsn="111222333")],
        [Person("2", "Fin", "", "Bos", FINN, bsn="123456782")],
        config=CFG,
    )
    assert result.matches == [] and result.only_a == [0]


def test_sibling_bsn_is_a_conflict_and_the_true_pair_is_still_found():
    # Repro: equal BSN, other first name, birth date 7 years apart was "BSN gelijk" (certain)
    # and the true pair stayed unmatched.
    finn_a = Person("1", "Finn", "", "Bos", FINN, bsn="111222333")
    emma_b = Person("2", "Emma", "", "Bos", dt.date(2012, 4, 2), bsn="111222333")
    finn_b = Person("3", "Finn", "", "Bos", FINN)
    result = link([finn_a], [emma_b, finn_b], config=CFG)
    m = _match(result, 0)
    assert (m.b, m.review) == (1, False)
    assert result.only_b == [0]


def test_equal_bsn_with_contradicting_name_or_date_goes_to_review():
    result = link(
        [Person("1", "Finn", "", "Bos", FINN, bsn="111222333")],
        [Person("2", "Emma", "", "Bos", dt.date(2012, 4, 2), bsn="111222333")],
        config=CFG,
    )
    assert result.certain == []
    m = _match(result, 0)
    assert m.review and m.method == "bsn_conflict"
    assert m.against[0].startswith("BSN gelijk, maar naam of geboortedatum verschilt")
    assert "BSN gelijk" in m.reasons and "voornaam verschilt (0% gelijk)" in m.against


@pytest.mark.parametrize(
    "spelling", ["v.d. Berg", "vd Berg", "v/d Berg", "Berg, van der", "Berg, v.d."]
)
def test_tussenvoegsel_abbreviations_link_to_the_full_form(spelling):
    # Repro: "v.d. Berg" was not linked to "Berg" + tussenvoegsel "van den", not even for review.
    dob = dt.date(2014, 3, 7)
    result = link(
        [Person("1", "Lotte", "", spelling, dob)],
        [Person("2", "Lotte", "van den", "Berg", dob)],
        config=CFG,
    )
    m = _match(result, 0)
    assert m is not None and not m.review
    assert "achternaam gelijk, tussenvoegsel anders geschreven of op een andere plek" in m.reasons


def _kid(ref, given, surname, dob, **address):
    return Person(ref, given, "", surname, dob, **address)


def test_homonyms_in_other_municipalities_are_kept_apart():
    # Repro: 20 pairs of different children with the same name and birth date living in
    # different municipalities were all matched (0 of 20 kept apart).
    dob = dt.date(2016, 5, 5)
    names = [("Emma", "de Jong"), ("Noah", "Jansen"), ("Sem", "de Vries"), ("Julia", "Bakker")]
    a = [
        _kid(f"a{k}", g, s, dob, postcode="2511 AB", house_number=str(k + 1), municipality="GM0518")
        for k, (g, s) in enumerate(names * 5)
    ]
    b = [
        _kid(f"b{k}", g, s, dob, postcode="3011AA", house_number=str(k + 1), municipality="0599")
        for k, (g, s) in enumerate(names * 5)
    ]
    result = link(a, b, config=CFG)
    assert result.certain == []
    assert all("woont in een andere gemeente" in " ".join(m.against) for m in result.review)


def test_same_address_is_evidence_for_and_woonplaats_against():
    dob, typo = dt.date(2014, 6, 6), dt.date(2014, 6, 9)
    same = link(
        [_kid("1", "Daan", "Visser", dob, postcode="2511AB", house_number="12a")],
        [_kid("2", "Daan", "Visser", typo, postcode="2511 ab", house_number="12-A")],
        config=CFG,
    )
    m = _match(same, 0)
    assert not m.review and "zelfde adres" in m.reasons  # the address lifts a date typo
    moved = link(
        [_kid("1", "Daan", "Visser", dob, woonplaats="Delft")],
        [_kid("2", "Daan", "Visser", dob, woonplaats="Zoetermeer")],
        config=CFG,
    )
    assert moved.matches[0].review
    assert "woont in een andere gemeente (Delft / Zoetermeer)" in moved.matches[0].against


def test_twins_at_the_same_address_are_kept_apart():
    dob = dt.date(2015, 1, 1)
    home = {"postcode": "2511AB", "house_number": "3"}
    a = [_kid("1", "Sanne", "Bos", dob, **home), _kid("2", "Daan", "Bos", dob, **home)]
    b = [_kid("3", "Daan", "Bos", dob, **home), _kid("4", "Sanne", "Bos", dob, **home)]
    result = link(a, b, config=CFG)
    assert sorted((m.a, m.b, m.review) for m in result.matches) == [(0, 1, False), (1, 0, False)]


def test_duplicates_inside_a_list_are_their_own_group():
    # Repro: a duplicate row in list A was reported both as matched and as only in A.
    dob = dt.date(2013, 2, 2)
    here, there = {"municipality": "GM0518"}, {"municipality": "GM0363"}
    a = [
        _kid("1", "Noor", "Kok", dob, **here),
        _kid("2", "Noor", "Kok", dob, **here),
        _kid("3", "Noor", "Kok", dob, **there),
    ]
    b = [_kid("4", "Noor", "Kok", dob, **here)]
    result = link(a, b, config=CFG)
    assert result.duplicates_a == [(1, 0)]
    assert [(m.a, m.b) for m in result.certain] == [(0, 0)]
    assert result.only_a == [2]  # another municipality: not a duplicate, not certain
    assert result.summary()["duplicates_a"] == 1 and result.summary()["coverage_a"] == 50.0
