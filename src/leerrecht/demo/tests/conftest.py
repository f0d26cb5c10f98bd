"""A small demo region, generated once per test session (the generator is pure)."""

from __future__ import annotations

import pytest

from leerrecht.demo import demo_generate

SMALL_STUDENTS = 1000
SMALL_WITHOUT_ENROLMENT = 37


@pytest.fixture(scope="session")
def small_demo(tmp_path_factory):
    out = tmp_path_factory.mktemp("demo-small")
    return demo_generate(
        students=SMALL_STUDENTS, seed=1, out_dir=out, without_enrolment=SMALL_WITHOUT_ENROLMENT
    )
