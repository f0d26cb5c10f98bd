"""The one reader and the one identifier normaliser for every list and side file (issue 16)."""

from __future__ import annotations

import datetime as dt

import pytest

from leerrecht.reconciliation.matching.listio import ListError, file_read, table_read
from leerrecht.reconciliation.matching.normalise import article_normalise
from leerrecht.registry.validators import identifier_normalise


@pytest.mark.parametrize(
    ("kind", "raw", "value"),
    [
        ("bsn", "10000008", "010000008"),  # Excel dropped the leading zero
        ("bsn", "10000008.0", "010000008"),  # ... and wrote a float
        ("bsn", "111 222 333", "111222333"),
        ("bsn", "", ""),
        ("brin", "12ab", "12AB"),
        ("brin", "12AB00", "12AB00"),
    ],
)
def test_identifiers_are_normalised(kind, raw, value):
    assert identifier_normalise(kind, raw) == (value, None)


@pytest.mark.parametrize(
    ("kind", "raw", "reason"),
    [
        ("bsn", "123456789", "elfproef mislukt"),
        ("bsn", "1000000", "9 cijfers"),  # two lost zeros are not guessed
        ("education_number", "111222333", "rest na elfproef is niet 5"),
        ("brin", "ABCD", "geen BRIN-nummer"),
    ],
)
def test_invalid_identifiers_are_a_problem_and_no_value(kind, raw, reason):
    value, problem = identifier_normalise(kind, raw)
    assert value == "" and reason in problem


@pytest.mark.parametrize(
    ("text", "article"),
    [
        ("5a", "5a"),
        ("5 onder a", "5a"),
        ("art. 5a", "5a"),
        ("Artikel 5 onder a", "5a"),
        ("artikel 5, onder b", "5b"),
        ("5 sub c", "5c"),
        ("3a", "3a"),
        ("15", "15"),
        ("art. 15 Leerplichtwet", "15"),
        ("art. 11", "11"),
        ("vrijstelling", ""),
    ],
)
def test_exemption_articles_in_every_common_wording(text, article):
    assert article_normalise(text) == article


def test_side_file_with_blank_lines_aliases_and_problems():
    content = (
        b"\n"  # a blank line before the header
        b"BSN;Ingeschreven vanaf;Uitgeschreven per\n"
        b"10000008;21-08-2017;\n"
        b"\n"  # a blank line in the middle used to stop the run
        b"123456789;21-08-2017;\n"
        b"111222333;geen datum;\n"
    )
    result = file_read(content, "inschrijvingen.csv", "enrolments")
    assert [(r["line"], r["bsn"], r["start"]) for r in result.records] == [
        (3, "010000008", dt.date(2017, 8, 21))
    ]
    assert [(p.line, p.column) for p in result.problems] == [
        (5, "BSN"),
        (6, "Ingeschreven vanaf"),
    ]
    assert result.problems[0].message.endswith("; de regel doet niet mee")


def test_a_side_file_without_its_required_columns_is_refused_whole():
    with pytest.raises(ListError, match="koppel minstens de kolommen bsn\\+start"):
        file_read(b"Naam;Datum\nJansen;01-01-2020\n", "inschrijvingen.csv", "enrolments")


def test_utf16_without_bom_is_recognised():
    table = table_read("Achternaam;Voornamen\nŞahin;Zoë\n".encode("utf-16-le"), "a.csv")
    assert table.headers == ["Achternaam", "Voornamen"] and table.rows == [["Şahin", "Zoë"]]
