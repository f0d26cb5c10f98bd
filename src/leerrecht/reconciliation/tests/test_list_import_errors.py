"""A malformed list gives row-level errors and imports nothing; mappings are remembered."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import Workbook

from leerrecht.privacy.models import AuditEvent
from leerrecht.reconciliation import services
from leerrecht.reconciliation.matching.listio import ListError, rows_validate, table_read
from leerrecht.reconciliation.models import ListImport, ListRecord, SourceMapping
from leerrecht.reconciliation.selectors import mapping_for_import
from leerrecht.reconciliation.tests.conftest import csv_bytes

GOOD = csv_bytes(
    "Achternaam;Voornamen;Geboortedatum;BSN;Status",
    "de Vries;Sanne;07-03-2014;;thuiszitter",
    "Bakker;J.W.;2013-05-01;;",
)
BAD = csv_bytes(
    "Achternaam;Voornamen;Geboortedatum;BSN",
    "de Vries;Sanne;07-03-2014;",
    "Bakker;Jan;31-02-2013;",  # line 3: impossible date
    "Visser;Emma;01-01-2014;123456789",  # line 4: BSN fails the 11-check
    ";Noor;01-01-2014;",  # line 5: surname missing
)
MAPPING = {
    "surname": "Achternaam",
    "given_names": "Voornamen",
    "date_of_birth": "Geboortedatum",
    "bsn": "BSN",
}


def test_bad_rows_are_problems_with_file_line_and_column_and_the_rest_is_read():
    result = rows_validate(table_read(BAD, "swv.csv"), MAPPING)
    assert result.errors == []
    assert [(p.file, p.line, p.column) for p in result.problems] == [
        ("swv.csv", 3, "Geboortedatum"),
        ("swv.csv", 4, "BSN"),
        ("swv.csv", 5, "Achternaam"),
    ]
    assert "elfproef" in result.problems[1].message
    # Rows 3 and 4 take part without the bad field; row 5 has nothing to take part with.
    assert [(r["line"], r["date_of_birth"], r["bsn"]) for r in result.records][1:] == [
        (3, None, ""),
        (4, dt.date(2014, 1, 1), ""),
    ]
    assert str(result.problems[2]) == (
        "swv.csv, regel 5, kolom 'Achternaam': regel doet niet mee: verplicht veld is leeg"
    )


def test_a_wrong_mapping_reads_nothing():
    result = rows_validate(table_read(BAD, "swv.csv"), {"given_names": "Voornamen"})
    assert result.records == [] and "koppel minstens de kolommen" in result.errors[0].message


@pytest.mark.django_db
def test_list_with_bad_rows_is_imported_with_its_problems(officer):
    li = services.list_upload(
        user=officer,
        source_name="SWV",
        source_kind="swv",
        kind="list",
        filename="swv.csv",
        content=BAD,
    )
    result = services.list_import_apply(user=officer, list_import=li, mapping=MAPPING)
    assert result.errors == [] and len(result.problems) == 3
    assert ListRecord.objects.count() == 3
    li.refresh_from_db()
    assert li.state == ListImport.State.IMPORTED and li.row_count == 3
    assert [p[:2] for p in li.problems] == [[3, "Geboortedatum"], [4, "BSN"], [5, "Achternaam"]]
    assert AuditEvent.objects.filter(action="import").exclude(outcome="error").count() == 1


@pytest.mark.django_db
def test_good_list_imports_every_row_and_remembers_the_mapping(officer):
    li = services.list_upload(
        user=officer,
        source_name="SWV Haaglanden",
        source_kind="swv",
        kind="list",
        filename="a.csv",
        content=GOOD,
    )
    mapping = {
        "surname": "Achternaam",
        "given_names": "Voornamen",
        "date_of_birth": "Geboortedatum",
        "status": "Status",
    }
    result = services.list_import_apply(user=officer, list_import=li, mapping=mapping)
    assert result.errors == []
    assert list(ListRecord.objects.order_by("line").values_list("surname", "line")) == [
        ("de Vries", 2),
        ("Bakker", 3),
    ]
    assert SourceMapping.objects.get(source_name="SWV Haaglanden").mapping == mapping
    # Next upload from the same source: the remembered mapping is offered (not a guess).
    renamed = csv_bytes("Achternaam;Voornamen;Geboortedatum;Status", "Smit;Emma;01-01-2014;")
    li2 = services.list_upload(
        user=officer,
        source_name="SWV Haaglanden",
        source_kind="swv",
        kind="list",
        filename="b.csv",
        content=renamed,
    )
    _table, offered, remembered = mapping_for_import(list_import=li2)
    assert remembered and offered == mapping


def test_xlsx_is_read_with_dates():
    wb = Workbook()
    ws = wb.active
    ws.append(["Achternaam", "Voornaam", "Geboortedatum"])
    ws.append(["Jansen", "Noor", dt.datetime(2012, 1, 2)])
    buf = io.BytesIO()
    wb.save(buf)
    table = table_read(buf.getvalue(), "lijst.xlsx")
    result = rows_validate(
        table,
        {"surname": "Achternaam", "given_names": "Voornaam", "date_of_birth": "Geboortedatum"},
    )
    assert result.records[0]["date_of_birth"] == dt.date(2012, 1, 2)


def test_unreadable_file_is_refused_whole():
    with pytest.raises(ListError, match="leeg"):
        table_read(b"", "leeg.csv")
    with pytest.raises(ListError, match="CSV- of XLSX"):
        table_read(b"x", "lijst.pdf")
