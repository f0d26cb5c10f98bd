"""Every correction rule of absolute verzuim (seed 004 route 2; leerplichttelling corrections).

Reference date 2026-11-23 (outside the first weeks of the school year) unless stated."""

from __future__ import annotations

import datetime as dt

import pytest

from leerrecht.cases.deadlines import Calendar, is_school_day
from leerrecht.reconciliation.matching import config_load
from leerrecht.reconciliation.matching.absolute import (
    RegisterPerson,
    Span,
    compulsory_period,
    evaluate,
    leerplicht_start,
)

CFG = config_load()
ON = dt.date(2026, 11, 23)


def _person(**kw) -> RegisterPerson:
    base = {
        "bsn": "111222333",
        "surname": "Bouzid",
        "date_of_birth": dt.date(2015, 4, 10),
        "municipality": "GM0518",
        "settled_on": dt.date(2015, 4, 10),
    }
    return RegisterPerson(**(base | kw))


def _verdict(person, *, on=ON, enrolments=(), exemptions=(), municipalities=None):
    (v,) = evaluate(
        [person],
        enrolments=enrolments,
        exemptions=exemptions,
        on=on,
        leerplicht=CFG.leerplicht,
        rules=CFG.absolute_verzuim,
        municipalities=municipalities,
    )
    return v


def test_compulsory_period_from_the_month_after_the_5th_birthday_to_end_of_school_year_16():
    start, end, qual_end = compulsory_period(dt.date(2010, 10, 14), CFG.leerplicht)
    assert start == dt.date(2015, 11, 2)  # 1 November 2015 was a Sunday: first school day
    assert end == dt.date(2027, 8, 1)  # turns 16 on 14-10-2026: school year 2026/27 ends 31-07-2027
    assert qual_end == dt.date(2028, 10, 14)


def test_child_without_school_is_kept_with_reason():
    v = _verdict(_person())
    assert v.kept and v.code == "kept_leerplicht"
    assert v.reason == "leerplichtig, niet ingeschreven, geen vrijstelling"


def test_enrolled_child_is_dropped():
    v = _verdict(_person(), enrolments=[Span("111222333", dt.date(2019, 8, 19))])
    assert not v.kept and v.code == "enrolled"


@pytest.mark.parametrize("article", ["5a", "5b", "5c", "3a", "3b", "15"])
def test_valid_exemption_drops(article):
    v = _verdict(
        _person(),
        exemptions=[Span("111222333", dt.date(2026, 9, 1), dt.date(2027, 7, 31), article)],
    )
    assert not v.kept and v.code == "exemption" and article in v.reason


def test_expired_exemption_or_leave_article_11_does_not_drop():
    expired = Span("111222333", dt.date(2025, 9, 1), dt.date(2026, 7, 31), "5a")
    leave = Span("111222333", dt.date(2026, 11, 1), dt.date(2026, 12, 1), "11")
    assert _verdict(_person(), exemptions=[expired, leave]).kept


def test_starting_qualification_drops_a_qualification_obliged_youth():
    youth = _person(date_of_birth=dt.date(2009, 5, 1))  # 17: past leerplicht, before 18
    assert _verdict(youth).code == "kept_kwalificatieplicht"
    assert (
        _verdict(_person(date_of_birth=dt.date(2009, 5, 1), starting_qualification=True)).code
        == "starting_qualification"
    )


@pytest.mark.parametrize(
    ("reason", "code"),
    [
        ("overleden", "deceased"),
        ("emigratie", "emigrated"),
        ("verhuizing", "moved_out"),
        ("", "moved_out"),
    ],
)
def test_deceased_emigrated_or_moved_out_drop(reason, code):
    v = _verdict(_person(departed_on=dt.date(2026, 10, 1), departure_reason=reason))
    assert not v.kept and v.code == code and "01-10-2026" in v.reason


def test_departure_after_the_reference_date_does_not_drop():
    assert _verdict(_person(departed_on=dt.date(2026, 12, 1), departure_reason="verhuizing")).kept


def test_other_municipality_and_not_yet_settled_drop():
    assert (
        _verdict(_person(municipality="GM0363"), municipalities={"GM0518"}).code
        == "other_municipality"
    )
    assert _verdict(_person(settled_on=dt.date(2026, 12, 1))).code == "not_yet_settled"


def test_too_young_and_too_old_drop():
    assert (
        _verdict(_person(date_of_birth=dt.date(2021, 11, 1))).code == "too_young"
    )  # 5 on 01-11-2026: from 01-12
    assert _verdict(_person(date_of_birth=dt.date(2008, 1, 1))).code == "too_old"


def test_first_weeks_of_school_year_with_recent_enrolment_end_drop_as_transfer():
    left = [Span("111222333", dt.date(2019, 8, 19), dt.date(2026, 7, 17))]
    early = _verdict(_person(), on=dt.date(2026, 9, 7), enrolments=left)
    assert not early.kept and early.code == "transfer_start_of_year"
    # After the grace weeks (6 in the preset) the same child is a candidate.
    assert _verdict(_person(), on=dt.date(2026, 10, 5), enrolments=left).kept
    # Without a recent enrolment the grace period does not apply.
    assert _verdict(_person(), on=dt.date(2026, 9, 7)).kept


def test_leerplicht_starts_on_the_first_school_day_after_the_summer_holiday():
    # Fifth birthday in July: leerplicht from the first school day of August, which in the
    # school calendar follows the summer holiday - weeks after 1 August.
    summer = Calendar(school_holidays=((dt.date(2026, 7, 11), dt.date(2026, 8, 23)),))
    dob = dt.date(2021, 7, 15)
    start = leerplicht_start(dob, CFG.leerplicht, lambda d: is_school_day(d, summer))
    assert start == dt.date(2026, 8, 24)
    child = _person(date_of_birth=dob)
    (early,) = evaluate(
        [child],
        enrolments=[],
        exemptions=[],
        on=dt.date(2026, 8, 10),
        leerplicht=CFG.leerplicht,
        rules=CFG.absolute_verzuim,
        is_school_day=lambda d: is_school_day(d, summer),
    )
    assert early.code == "too_young" and "24-08-2026" in early.reason


@pytest.mark.parametrize(
    "wording", ["5 onder a", "art. 5a", "Artikel 5 onder a", "5A", "art. 5, onder a Leerplichtwet"]
)
def test_exemption_in_any_common_wording_drops(wording):
    x = Span("111222333", dt.date(2026, 9, 1), None, wording)
    v = _verdict(_person(), exemptions=[x])
    assert v.code == "exemption" and v.reason == "geldige vrijstelling art. 5a"


def test_register_person_without_valid_bsn_is_kept_for_a_manual_check():
    v = _verdict(_person(bsn=""))
    assert v.kept and v.code == "kept_no_bsn"
