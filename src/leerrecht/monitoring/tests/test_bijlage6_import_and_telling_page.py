"""Importing seed 003 Bijlage 6 and showing it as the yearly count (table, chart, files)."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from leerrecht.accounts.tests.factories import UserFactory
from leerrecht.monitoring.models import FlowCount
from leerrecht.monitoring.services import ImportProblem, bijlage6_import
from leerrecht.registry.models import RmcRegion

pytestmark = pytest.mark.django_db


def test_import_creates_39_regions_and_195_counts_once():
    result = bijlage6_import()
    assert (result.regions, result.counts, result.mismatches) == (39, 195, [])
    assert RmcRegion.objects.count() == 39
    again = bijlage6_import()
    assert again.created_regions == []
    assert FlowCount.objects.count() == 195
    assert FlowCount.objects.get(rmc_region__name="Haaglanden", school_year="2016-17").value == 730


def test_bad_file_names_line_and_column_and_imports_nothing(tmp_path):
    bad = tmp_path / "bijlage6.csv"
    bad.write_text(
        "rmc_region,2013-14,2014-15,2015-16,2016-17,2017-18,pct_change_2013_18,pct_change_2016_18\n"
        "Twente,109,104,107,74,39,-64%,-47%\n"
        "Walcheren,21,21,twintig,21,38,81%,81%\n",
        encoding="utf-8",
    )
    with pytest.raises(ImportProblem, match=r"bijlage6.csv, line 3, column 2015-16"):
        bijlage6_import(path=bad)
    assert FlowCount.objects.count() == 0


def test_policy_user_sees_table_and_chart_with_the_printed_percentages(login):
    bijlage6_import()
    client = login(UserFactory(policy=True))
    response = client.get(reverse("monitoring:telling_national"))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'role="img"' in html and "<desc" in html
    # Kop van Noord-Holland: 42 -> 40 = -5%, 13 -> 40 = 208% (seed 003, Bijlage 6).
    assert "208\u00a0%" in html and "-5\u00a0%" in html and "-58\u00a0%" in html


def test_xlsx_and_pdf_downloads_hold_the_same_numbers(login):
    bijlage6_import()
    client = login(UserFactory(policy=True))
    url = reverse("monitoring:telling_national")
    xlsx = client.get(url, {"format": "xlsx"})
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(xlsx.content)).worksheets[0]
    rows = {r[0]: r for r in sheet.iter_rows(values_only=True) if r and r[0]}
    assert rows["Kop van Noord-Holland"][1:8] == (42, 33, 30, 13, 40, "-5%", "208%")
    assert rows["Haaglanden"][1:8] == (552, 723, 719, 730, 659, "19%", "-10%")
    pdf = client.get(url, {"format": "pdf"})
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Kop van Noord-Holland 42 33 30 13 40 -5% 208%" in text
    assert "Haaglanden 552 723 719 730 659 19% -10%" in text
    csv = client.get(url, {"format": "csv"}).getvalue().decode("utf-8-sig")
    assert "West-Friesland;93;63;62;78;33;-65%;-58%" in csv
