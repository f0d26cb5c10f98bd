"""Invariants that hold across features (JOURNEYS.md, "Invariants across journeys"):

- the same selection (scope, definition, peildatum) gives every role the same number;
  only suppression differs;
- no signal, list entry or count for a child outside compulsory school age;
- every open melding is on at least one worklist;
- a closed case has no open deadline and leaves every worklist.

One small region (tests/journeys/world.py) with the nine demo roles; attendance goes in
through the real import, meldingen and cases through the services.
"""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from leerrecht.attendance.models import AttendanceSummary, SignalHit
from leerrecht.attendance.services import attendance_import_create
from leerrecht.cases.models import (
    CaseStatus,
    ClosureReason,
    ConsentPurpose,
    ConsentStatus,
    DuoAbsenceKind,
    DuoStatus,
    Melding,
)
from leerrecht.cases.selectors import case_schedule, milestone_next, worklist_for_user
from leerrecht.cases.services import (
    case_open,
    case_transition,
    consent_record,
    melding_create_duo,
    melding_create_sickness,
)
from leerrecht.monitoring import reports, selectors
from leerrecht.monitoring.figures.definitions import DEFINITIONS
from leerrecht.registry.models import ResidentRegisterEntry

from .world import world_build

pytestmark = pytest.mark.django_db

ON = dt.date(2026, 11, 20)  # the last school day in the attendance file
FIRST = dt.date(2026, 10, 19)  # 25 school days up to ON


def _days() -> list[dt.date]:
    days, d = [], FIRST
    while d <= ON:
        if d.weekday() < 5:
            days.append(d)
        d += dt.timedelta(days=1)
    return days


def _rows(source_id: str, *, away_from: int = 99, sick: range = range(0)) -> str:
    """6 lesson hours a day; absent without reason from school day `away_from` on."""
    out = []
    for i, day in enumerate(_days()):
        unauthorised = 6 if i >= away_from else 0
        ill = 6 if i in sick and not unauthorised else 0
        out.append(f"{source_id},{day.isoformat()},6,{unauthorised},{ill},0\n")
    return "".join(out)


@pytest.fixture
def world(tmp_path, settings):
    settings.LEERRECHT_PROTOCOL = "haaglanden-po"
    w = world_build()
    w.home = w.pupil(given_names="Daan", surname="Vermeulen")  # home for all 25 school days
    w.home_rijswijk = w.pupil(school=w.po_school_rijswijk, surname="Anker")
    w.home_vo = w.pupil(school=w.vo_school, born=dt.date(2011, 2, 2), surname="Collegi")
    w.sick = w.pupil(given_names="Sara", surname="Ziek")  # 8 sick days, then 18 h truant
    # Born 21-11-2021: leerplichtig only from 1 December 2026 (Leerplichtwet art. 3).
    w.toddler = w.pupil(born=dt.date(2021, 11, 21), given_names="Mila", surname="Klein")
    w.present = w.pupil(surname="Aanwezig")
    path = tmp_path / "verzuim.csv"
    path.write_text(
        "student_id,date,scheduled_hours,unauthorised_hours,sick_hours,authorised_hours\n"
        + _rows(w.home.source_id, away_from=0)
        + _rows(w.home_rijswijk.source_id, away_from=0)
        + _rows(w.home_vo.source_id, away_from=0)
        + _rows(w.sick.source_id, away_from=22, sick=range(2, 10))
        + _rows(w.toddler.source_id, away_from=0)
        + _rows(w.present.source_id),
        "utf-8",
    )
    attendance_import_create(user=None, file=path, original_name="verzuim.csv", run_inline=True)
    # A 3-year-old and an 18-year-old in the population register, never enrolled.
    for bsn, born in (("123456782", dt.date(2023, 5, 1)), ("111222333", dt.date(2008, 1, 9))):
        ResidentRegisterEntry.objects.create(
            bsn=bsn,
            surname="Register",
            given_names="Kim",
            date_of_birth=born,
            municipality=w.den_haag,
            settled_on=dt.date(2020, 1, 1),
        )
    return w


def _selections(w) -> list[selectors.Scope]:
    return [
        selectors.Scope(),
        selectors.Scope("gemeente", w.den_haag.pk, w.den_haag.name),
        selectors.Scope("gemeente", w.rijswijk.pk, w.rijswijk.name),
        selectors.Scope("rmc", w.den_haag.rmc_region_id, "Haaglanden"),
        selectors.Scope("swv", w.swv_po.pk, w.swv_po.name),
        selectors.Scope("swv", w.swv_vo.pk, w.swv_vo.name),
        selectors.Scope("school", w.po_school.pk, w.po_school.name),
        selectors.Scope("school", w.vo_school.pk, w.vo_school.name),
    ]


FIGURE_ROLES = ("zorgcoordinator-po", "zorgcoordinator-vo", "leerplicht", "jeugdarts", "swv")


def test_every_role_gets_the_same_number_for_the_same_selection(world):
    w = world
    for scope, on in itertools.product(_selections(w), (ON, dt.date(2026, 11, 6))):
        counts = {
            name: selectors.thuiszitter_stock(
                user=w.users[name], on=on, scope=scope
            ).comparison.counts
            for name in (*FIGURE_ROLES, "beleid")
        }
        assert len({tuple(c[d] for d in DEFINITIONS) for c in counts.values()}) == 1, (
            scope,
            on,
            counts,
        )
        # Shown numbers: the same, except that aggregated views suppress counts under 5.
        for name in (*FIGURE_ROLES, "beleid"):
            user = w.users[name]
            aggregate = not selectors.scope_within_user(user, scope)
            built = reports.build_thuiszitters(user=user, on=on, scope=scope, aggregate=aggregate)
            shown = [row[1] for row in built.report.sections[0].rows]
            expected = [counts["beleid"][d] for d in DEFINITIONS]
            for value, number in zip(shown, expected, strict=True):
                # Aggregated views may suppress a count (small counts, and what would let
                # one work them out), never change it.
                assert value == number or (aggregate and isinstance(value, str)), (
                    name,
                    scope,
                    value,
                    number,
                )
                if aggregate and number >= 5 and isinstance(value, str):
                    assert not any(ch.isdigit() and ch != "5" for ch in value)
        kpi = {
            name: len(selectors.kpi_case_dates(user=w.users[name], scope=scope))
            for name in (*FIGURE_ROLES, "beleid")
        }
        assert len(set(kpi.values())) == 1, (scope, kpi)
    # The thuiszitters of the example are counted: home for 25 school days without reason.
    region = selectors.thuiszitter_stock(user=w.users["beleid"], on=ON, scope=selectors.Scope())
    assert region.comparison.counts["inspectie"] == 3


def test_a_selection_outside_the_own_work_is_labelled_not_narrowed(world, login):
    w = world
    swv = w.users["swv"]
    assert selectors.scope_default(swv) == selectors.Scope("swv", w.swv_po.pk, w.swv_po.name)
    assert selectors.scope_within_user(swv, selectors.scope_default(swv))
    assert not selectors.scope_within_user(swv, selectors.Scope())
    client = login(swv)
    own = client.get("/cijfers/thuiszitters/?date=2026-11-20").content.decode()
    assert w.swv_po.name in own and "Vermeulen" in own  # own selection: the children by name
    region = client.get("/cijfers/thuiszitters/?scope=&date=2026-11-20").content.decode()
    assert "buiten uw eigen leerlingen" in region
    assert "Vermeulen" not in region  # the region-wide selection: aggregated, no names


def test_no_signal_or_count_for_a_child_outside_compulsory_school_age(world):
    w = world
    assert not SignalHit.objects.filter(student=w.toddler).exists()
    assert SignalHit.objects.filter(student=w.home).exists()
    assert AttendanceSummary.objects.filter(student=w.toddler).exists()  # the school sees it
    stock = selectors.thuiszitter_stock(user=w.users["beleid"], on=ON, scope=selectors.Scope())
    toddler = next(r for r in stock.rows if r.student_id == w.toddler.pk)
    assert not toddler.met
    register = [r for r in stock.rows if r.key.startswith("brp-")]
    assert register and not any(r.met for r in register)  # 3 and 18 years: outside
    # On 1 December 2026 the same child is leerplichtig and counted.
    later = selectors.thuiszitter_stock(
        user=w.users["beleid"], on=dt.date(2026, 12, 1), scope=selectors.Scope()
    )
    assert next(r for r in later.rows if r.student_id == w.toddler.pk).met


def _meldingen(w):
    school = w.users["zorgcoordinator-po"]
    duo = melding_create_duo(
        user=school,
        student=w.home,
        duo_kind=DuoAbsenceKind.H16_4W,
        reported_on=ON,
        period_start=FIRST,
        hours=24,
    )
    sick = melding_create_sickness(
        user=school,
        student=w.sick,
        reported_on=ON,
        reasons=["2"],
        discussed_with_parents=True,
    )
    consent_record(
        user=school,
        melding=sick,
        status=ConsentStatus.GIVEN,
        asked_on=ON,
        purposes=[ConsentPurpose.JGZ, ConsentPurpose.LEERPLICHT],
        parent_name="M. Ziek",
    )
    vo = melding_create_duo(
        user=w.users["zorgcoordinator-vo"],
        student=w.home_vo,
        duo_kind=DuoAbsenceKind.H16_4W,
        reported_on=ON,
        period_start=FIRST,
        hours=30,
    )
    return duo, sick, vo


def _on_a_worklist(w, melding, today) -> list[str]:
    found = []
    for name, user in w.users.items():
        for row in worklist_for_user(user, today=today):
            if (row.melding is not None and row.melding.pk == melding.pk) or (
                row.case is not None and row.case.pk == melding.case_id
            ):
                found.append(name)
    return found


def _open(w, melding, *, regiehouder, on):
    lpa = w.users["leerplicht"]
    case, _created = case_open(
        user=lpa,
        student=melding.student,
        melding=melding,
        anchor_date=FIRST,
        regiehouder=regiehouder,
        casusverantwoordelijke=lpa,
        opened_on=on,
    )
    return case


def test_every_open_melding_is_on_some_worklist(world):
    w = world
    duo, sick, _vo = _meldingen(w)
    today = ON + dt.timedelta(days=3)
    open_meldingen = Melding.objects.exclude(
        duo_status__in=(DuoStatus.CLOSED, DuoStatus.WITHDRAWN, DuoStatus.NOTED)
    )
    assert open_meldingen.count() == 3
    for melding in open_meldingen:
        assert _on_a_worklist(w, melding, today), melding
    assert "leerplicht" in _on_a_worklist(w, duo, today)
    assert "jeugdarts" in _on_a_worklist(w, sick, today)
    # Once a case is opened with the SWV as regiehouder, the SWV has it on its worklist too.
    _open(w, duo, regiehouder=w.swv_po, on=today)
    duo.refresh_from_db()
    assert {"leerplicht", "swv"} <= set(_on_a_worklist(w, duo, today))


def test_a_closed_case_has_no_open_deadline_and_leaves_the_worklists(world):
    w = world
    duo, _sick, _vo = _meldingen(w)
    lpa = w.users["leerplicht"]
    today = ON + dt.timedelta(days=3)
    case = _open(w, duo, regiehouder=w.leerplicht, on=today)
    assert milestone_next(case_schedule(case)) is not None
    case = case_transition(
        user=lpa,
        case_id=case.pk,
        expected_version=case.version,
        to_status=CaseStatus.CLOSED,
        on=today,
        reason=ClosureReason.BACK_AT_SCHOOL,
    )
    assert milestone_next(case_schedule(case)) is None
    assert all(m.met_on is not None for m in case_schedule(case))
    later = today + dt.timedelta(days=60)
    for user in w.users.values():
        rows = worklist_for_user(user, today=later)
        assert all(row.case is None for row in rows)
        # Nor a reminder to report the case's DUO melding again (docs/adr/0115).
        assert all(row.melding is None or row.melding.case_id != case.pk for row in rows), user
