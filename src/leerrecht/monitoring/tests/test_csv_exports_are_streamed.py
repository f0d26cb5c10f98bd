"""A CSV export of a region's list (tens of thousands of children) is sent in chunks while
it is written, not built as one string first; the bytes are the same either way."""

from __future__ import annotations

import pytest
from django.urls import reverse

from leerrecht.accounts.tests.factories import UserFactory
from leerrecht.monitoring.exports import Report, csv_chunks, to_csv


def test_a_long_list_comes_in_chunks_that_add_up_to_the_whole_file():
    report = Report("Thuiszitters", "peildatum 23-11-2026")
    report.add("Kinderen", ["naam", "uren"], [[f"kind {n}", n] for n in range(1_200)], ["noot"])
    chunks = list(csv_chunks(report, rows_per_chunk=500))
    assert len(chunks) == 3  # 500 + 500 + the rest with the notes
    assert b"".join(chunks) == to_csv(report)
    text = to_csv(report).decode("utf-8-sig").splitlines()
    assert text[:2] == ["Thuiszitters", "peildatum 23-11-2026"]
    assert text[-2:] == ["kind 1199;1199", "noot"]


@pytest.mark.django_db
def test_the_csv_download_of_a_figures_page_is_a_stream(login):
    response = login(UserFactory(policy=True)).get(
        reverse("monitoring:thuiszitters"), {"format": "csv"}
    )
    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Disposition"].startswith('attachment; filename="')
    assert response.getvalue().decode("utf-8-sig").startswith("Thuiszitters")
