"""The demo region has the organisations, identifiers and register the domain needs."""

from __future__ import annotations

import json
import re
from datetime import date

import duckdb
import pytest

from leerrecht.demo import DemoError, demo_generate
from leerrecht.demo.region import school_plan, schools_for_plan
from leerrecht.demo.tests.conftest import SMALL_STUDENTS, SMALL_WITHOUT_ENROLMENT
from leerrecht.registry.validators import bsn_problem, education_number_problem


def _rows(demo, sql: str) -> list[tuple]:
    con = duckdb.connect()
    for name in ("students", "enrolments", "register", "exemptions", "suspensions", "attendance"):
        con.execute(
            f"CREATE VIEW {name} AS SELECT * FROM read_parquet('{demo.path(name + '.parquet')}')"
        )
    return con.execute(sql).fetchall()


def test_default_size_plans_at_least_forty_schools_of_every_type():
    plan = school_plan(20_000)
    assert plan.total >= 40
    assert plan.po >= 30 and plan.vo >= 5
    assert 1 <= plan.so <= 3 and 1 <= plan.vso <= 3  # "a couple" of special schools


def test_a_tiny_region_still_has_every_school_type():
    plan = school_plan(10)
    assert (plan.po, plan.so, plan.vo, plan.vso) == (2, 1, 1, 1)


def test_brin_numbers_and_names_are_valid_and_unique_even_for_a_national_size():
    schools = schools_for_plan(school_plan(2_500_000))
    brins = [s.brin for s in schools]
    assert all(re.fullmatch(r"\d{2}[A-Z]{2}", b) for b in brins)
    assert len(set(brins)) == len(brins)
    assert len({s.name for s in schools}) == len(schools)


def test_region_file_has_haaglanden_its_municipalities_and_all_39_rmc_regions(small_demo):
    region = json.loads(small_demo.path("region.json").read_text("utf-8"))
    assert len(region["rmc_regions"]) == 39
    assert "Haaglanden" in region["rmc_regions"]
    assert {(m["cbs_code"], m["name"]) for m in region["municipalities"]} == {
        ("GM0518", "'s-Gravenhage"),
        ("GM1916", "Leidschendam-Voorburg"),
        ("GM0603", "Rijswijk"),
    }
    kinds = [o["kind"] for o in region["organisations"]]
    for kind in ("swv", "leerplicht", "jgz", "care", "municipality", "operator"):
        assert kind in kinds
    swvs = {o["name"]: o["sector"] for o in region["organisations"] if o["kind"] == "swv"}
    assert sorted(swvs.values()) == ["po", "vo"]
    for school in region["schools"]:
        sector = "po" if school["school_type"] in ("po", "so") else "vo"
        assert swvs[school["swv"]] == sector
    leerplicht = next(o for o in region["organisations"] if o["kind"] == "leerplicht")
    assert sorted(leerplicht["served_municipalities"]) == ["GM0518", "GM0603", "GM1916"]


def test_every_bsn_passes_the_eleven_check_and_is_unique(small_demo):
    bsns = [b for (b,) in _rows(small_demo, "SELECT bsn FROM students WHERE bsn <> ''")]
    register = [b for (b,) in _rows(small_demo, "SELECT bsn FROM register")]
    assert len(bsns) > SMALL_STUDENTS * 0.95
    assert [b for b in bsns + register if bsn_problem(b)] == []
    assert len(set(bsns)) == len(bsns)
    assert len(set(register)) == len(register)


def test_students_without_bsn_have_a_valid_onderwijsnummer(small_demo):
    numbers = _rows(small_demo, "SELECT education_number FROM students WHERE bsn = ''")
    assert numbers, "some students are known by onderwijsnummer only"
    assert [n for (n,) in numbers if education_number_problem(n)] == []


def test_the_number_of_register_children_without_enrolment_is_what_was_asked(small_demo):
    [(count,)] = _rows(
        small_demo,
        """SELECT count(*) FROM register r
           WHERE r.bsn NOT IN (SELECT s.bsn FROM students s JOIN enrolments e USING (source_id))""",
    )
    assert count == SMALL_WITHOUT_ENROLMENT


def test_some_children_without_enrolment_are_explained_and_some_are_not(small_demo):
    [(explained, unexplained)] = _rows(
        small_demo,
        """WITH missing AS (
             SELECT r.*, x.article FROM register r
             LEFT JOIN students s ON s.bsn = r.bsn
             LEFT JOIN exemptions x ON x.source_id = s.source_id
             WHERE r.bsn NOT IN (SELECT s.bsn FROM students s JOIN enrolments e USING (source_id)))
           SELECT count(*) FILTER (WHERE article IS NOT NULL OR departed_on IS NOT NULL
                                   OR has_starting_qualification),
                  count(*) FILTER (WHERE article IS NULL AND departed_on IS NULL
                                   AND NOT has_starting_qualification)
           FROM missing""",
    )
    assert explained > 0 and unexplained > 0
    assert explained + unexplained == SMALL_WITHOUT_ENROLMENT


def test_exemptions_5a_have_a_declaration_at_most_three_months_old(small_demo):
    # seed 001, step 5d: the declaration is at most 3 months old when the exemption starts.
    rows = _rows(small_demo, "SELECT article, start, declaration_date FROM exemptions")
    articles = {article for article, _, _ in rows}
    assert {"5a", "5b", "15"} <= articles
    for article, start, declared in rows:
        if article == "5a":
            assert declared is not None and 0 <= (start - declared).days <= 92


def test_a_vo_student_is_suspended_pending_removal_and_stays_home_authorised(small_demo):
    rows = _rows(
        small_demo,
        """SELECT s.source_id, s.start FROM suspensions s
           JOIN enrolments e ON e.source_id = s.source_id AND e.brin = s.brin
           WHERE s.pending_removal""",
    )
    assert rows
    region = json.loads(small_demo.path("region.json").read_text("utf-8"))
    vo_brins = {s["brin"] for s in region["schools"] if s["school_type"] == "vo"}
    source_id, start = rows[0]
    [(brin,)] = _rows(small_demo, f"SELECT brin FROM suspensions WHERE source_id = '{source_id}'")
    assert brin in vo_brins
    [(days, attended, authorised)] = _rows(
        small_demo,
        f"""SELECT count(*), sum(scheduled_hours - unauthorised_hours - sick_hours
                                 - authorised_hours), sum(authorised_hours = scheduled_hours)
            FROM attendance WHERE student_id = '{source_id}' AND date >= DATE '{start}'""",
    )
    assert days >= 10 and attended == 0 and authorised == days


def test_students_are_of_school_age_on_the_reference_date(small_demo):
    ref = small_demo.reference_date
    ages = [
        ref.year - born.year - ((ref.month, ref.day) < (born.month, born.day))
        for (born,) in _rows(small_demo, "SELECT date_of_birth FROM students")
    ]
    assert min(ages) >= 4 and max(ages) <= 18


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"students": 0}, "--students must be at least 1"),
        ({"students": 10, "seed": -1}, "--seed"),
        ({"students": 5_000_001}, "--students must be at most"),
        ({"students": 10, "reference_date": date(2025, 6, 1)}, "--reference-date"),
        ({"students": 10, "without_enrolment": -3}, "--without-enrolment"),
    ],
)
def test_impossible_parameters_are_refused_with_a_clear_message(tmp_path, kwargs, message):
    with pytest.raises(DemoError, match=message):
        demo_generate(out_dir=tmp_path, **kwargs)
