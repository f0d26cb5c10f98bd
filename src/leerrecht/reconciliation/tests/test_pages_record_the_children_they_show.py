"""List rows name children by BSN; a page showing them records those children in its
audit entry, so a subject-access search by child finds it (docs/adr/0103)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from leerrecht.reconciliation.selectors import student_ids_of_records
from leerrecht.registry.tests.factories import StudentFactory

pytestmark = pytest.mark.django_db


def test_rows_with_a_known_bsn_name_their_child_and_others_name_nobody():
    known = StudentFactory()
    StudentFactory()  # not on the list
    rows = [
        SimpleNamespace(bsn=known.bsn),
        SimpleNamespace(bsn=""),  # a row without BSN
        SimpleNamespace(bsn="000000012"),  # a BSN of nobody in the registry
        None,  # a pair with one side missing
    ]
    assert student_ids_of_records(records=rows) == [known.pk]
    assert student_ids_of_records(records=[]) == []
