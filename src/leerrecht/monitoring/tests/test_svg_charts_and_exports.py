"""Accessible SVG charts and CSV/XLSX/PDF exports that carry the same numbers."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET

from openpyxl import load_workbook
from pypdf import PdfReader

from leerrecht.monitoring.exports import Report, render
from leerrecht.monitoring.figures.charts import Series, bar_chart, line_chart, nl_number
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
    assert "Kop van Noord-Holland: 208\u00a0%" in desc.text
    assert "West-Friesland: -58\u00a0%" in desc.text
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
    assert "norm 80\u00a0%" in "".join(root.itertext())
    assert root.find(f"{SVG}polyline") is not None


def test_numbers_are_written_the_dutch_way():
    assert [nl_number(v) for v in (6722, -3, 0, 12.5, 6722.25, 1_234_567)] == [
        "6.722",
        "-3",
        "0",
        "12,5",
        "6.722,2",
        "1.234.567",
    ]


def test_line_chart_ticks_are_round_dutch_numbers():
    chart = line_chart(
        title="Totaal", categories=["2013-14", "2017-18"], series=[Series("aantal", [8963, 6722])]
    )
    texts = [t.text for t in ET.fromstring(chart.svg).iter(f"{SVG}text")]  # noqa: S314
    assert "2.500" in texts and "7.500" in texts
    assert not any("," in t for t in texts if t and t[0].isdigit())


def test_negative_bar_labels_stay_clear_of_the_category_names():
    chart = bar_chart(
        title="Verandering",
        categories=["Noord-Groningen-Eemsmond", "Kop van Noord-Holland"],
        series=[Series("% verandering", [-39, 208])],
        unit="%",
    )
    root = ET.fromstring(chart.svg)  # noqa: S314 - our own output
    texts = list(root.iter(f"{SVG}text"))
    name = next(t for t in texts if t.text == "Noord-Groningen-Eemsmond")
    value = next(t for t in texts if t.text == "-39\u00a0%")
    # The name ends at its x (anchor end); the value label ends at its x and starts left of it.
    value_start = float(value.get("x")) - len(value.text) * 12 * 0.58
    assert value_start > float(name.get("x"))
    assert all(float(t.get("x")) <= 600 for t in texts)


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


def test_table_cells_on_screen_are_dutch_numbers_but_years_stay_years():
    from leerrecht.monitoring.templatetags.monitoring_tags import cell

    assert cell(6722, "aantal") == "6.722"
    assert cell(2020, "geboortejaar") == "2020"
    assert cell("-3%", "verandering") == "-3\u00a0%"
    assert cell(12.5) == "12,5"
