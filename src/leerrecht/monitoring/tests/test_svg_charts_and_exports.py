"""Accessible SVG charts and CSV/XLSX/PDF exports that carry the same numbers."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET

from openpyxl import load_workbook
from pypdf import PdfReader

from leerrecht.monitoring.exports import Report, render
from leerrecht.monitoring.figures.charts import Series, bar_chart, line_chart
from leerrecht.monitoring.figures.suppression import suppress_count

SVG = "{http://www.w3.org/2000/svg}"


def test_bar_chart_has_title_desc_and_table():
    chart = bar_chart(
        title="Verandering 2016-18",
        categories=["Kop van Noord-Holland", "West-Friesland"],
        series=[Series("% verandering", [208, -58])],
        unit="%",
        category_label="RMC-regio",
    )
    root = ET.fromstring(chart.svg)  # noqa: S314 - our own output
    assert root.get("role") == "img"
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert title.text == "Verandering 2016-18"
    assert "Kop van Noord-Holland: 208%" in desc.text and "West-Friesland: -58%" in desc.text
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    assert chart.columns == ("RMC-regio", "% verandering")
    assert chart.rows == (("Kop van Noord-Holland", 208), ("West-Friesland", -58))
    assert len(root.findall(f"{SVG}rect")) == 2


def test_line_chart_escapes_text_and_marks_target():
    chart = line_chart(
        title="Eerste contact <1 week>",
        categories=["2026-Q2", "2026-Q3"],
        series=[Series("behaald", [75.0, 90.0])],
        unit="%",
        target=80,
        target_label="norm",
    )
    root = ET.fromstring(chart.svg)  # noqa: S314 - our own output  # well-formed despite the "<" in the title
    assert root.find(f"{SVG}title").text == "Eerste contact <1 week>"
    assert "norm 80%" in "".join(root.itertext())
    assert root.find(f"{SVG}polyline") is not None


def test_small_counts_are_suppressed():
    assert [suppress_count(v) for v in (0, 1, 4, 5, 12, None, "208%")] == [
        "<5",
        "<5",
        "<5",
        5,
        12,
        None,
        "208%",
    ]


def _report():
    report = Report("Jaartelling thuiszitters", "Bron: DUO")
    report.add(
        "RMC-regio's",
        ["RMC-regio", "2016-17", "2017-18", "% 2016-18"],
        [["Kop van Noord-Holland", 13, 40, "208%"], ["’s-Gravenhage ë", 730, 659, "-10%"]],
        ["Aantallen onder 5 zijn weergegeven als <5."],
    )
    return report


def test_pdf_shows_the_same_numbers():
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(render(_report(), "pdf"))).pages)
    for expected in (
        "Kop van Noord-Holland",
        "13",
        "40",
        "208%",
        "730",
        "659",
        "-10%",
        "’s-Gravenhage ë",
        "<5",
    ):
        assert expected in text


def test_xlsx_keeps_numbers_as_numbers():
    sheet = load_workbook(io.BytesIO(render(_report(), "xlsx"))).worksheets[0]
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert ["RMC-regio", "2016-17", "2017-18", "% 2016-18"] in rows
    assert ["Kop van Noord-Holland", 13, 40, "208%"] in rows


def test_csv_is_semicolon_separated_utf8():
    data = render(_report(), "csv").decode("utf-8-sig").splitlines()
    assert "Kop van Noord-Holland;13;40;208%" in data
