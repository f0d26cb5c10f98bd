"""Every route's deadlines from the shipped protocol presets, including the
per-municipality escalation ladder (seed 004, Bijlage 1; seed 000, casus 2; seed 001, 2.3)."""

from __future__ import annotations

import datetime as dt

import pytest

from leerrecht.cases.deadlines import ProtocolError, protocol_load, protocol_parse, schedule_compute

D = dt.date
NO_FACTS = {"contact": None, "conversation": None, "plan": None, "offer": None}


def _schedule(protocol, **kw):
    args = {
        "route_key": protocol.default_route,
        "anchor": D(2026, 9, 7),
        "opened": D(2026, 9, 7),
        "phase": "",
        "phase_since": D(2026, 9, 7),
        "facts": NO_FACTS,
        "municipality_code": "GM0518",
    }
    args.update(kw)
    return {(m.kind, m.key): m for m in schedule_compute(protocol, **args)}


def test_den_haag_ladder_has_four_steps_counted_from_first_worrying_absence():
    p = protocol_load("haaglanden-po")
    s = _schedule(p, phase="phase_3b", municipality_code="GM0518")
    # Anchor Monday 7 Sept 2026: 8, 8, 11 and at the latest 13 weeks later.
    assert s[("escalation", "peer_consultation")].earliest == D(2026, 10, 5)  # 4 weeks
    assert s[("escalation", "peer_consultation")].due == D(2026, 11, 2)  # 8 weeks
    assert s[("escalation", "management")].due == D(2026, 11, 2)
    assert s[("escalation", "advisory_table")].due == D(2026, 11, 23)
    assert s[("escalation", "directors")].due == D(2026, 12, 7)


@pytest.mark.parametrize("cbs_code", ["GM1916", "GM0603"])
def test_leidschendam_voorburg_and_rijswijk_skip_management_alignment(cbs_code):
    p = protocol_load("haaglanden-po")
    keys = [s.key for s in p.ladder_for(cbs_code)]
    assert keys == ["peer_consultation", "advisory_table", "directors"]
    s = _schedule(p, phase="phase_3b", municipality_code=cbs_code)
    assert ("escalation", "management") not in s
    assert s[("escalation", "advisory_table")].due == D(2026, 11, 23)


def test_each_municipality_names_who_registers_at_the_advisory_table():
    p = protocol_load("haaglanden-po")
    den_haag = {s.key: s for s in p.ladder_for("GM0518")}
    rijswijk = {s.key: s for s in p.ladder_for("GM0603")}
    assert "regisseur sociaal domein" in den_haag["advisory_table"].registered_by
    assert "teamleider jeugdhulp" in rijswijk["advisory_table"].registered_by


def test_taken_escalation_step_is_met_and_next_one_is_open():
    p = protocol_load("haaglanden-po")
    s = _schedule(p, phase="phase_3b", escalations_taken={"peer_consultation": D(2026, 10, 20)})
    assert s[("escalation", "peer_consultation")].status(D(2026, 11, 23)) == "met"
    assert s[("escalation", "management")].status(D(2026, 11, 23)) == "overdue"


def test_haaglanden_phases_2_and_3a_deadlines():
    p = protocol_load("haaglanden-po")
    phase2 = _schedule(p, phase="phase_2", phase_since=D(2026, 9, 14))[("route", "phase_2")]
    assert phase2.due == D(2026, 9, 28)  # looptijd 2 weken (seed 004, fase 2)
    phase3a = _schedule(p, phase="phase_3a")[("route", "phase_3a")]
    assert phase3a.due == D(2026, 11, 16)  # 10 weeks after the first date (fase 3a)
    assert [st.key for st in p.route("with_enrolment").steps] == [
        "phase_1",
        "phase_2",
        "phase_3a",
        "phase_3b",
    ]


def test_haaglanden_norms_school_conversation_two_weeks_and_offer_three_months():
    p = protocol_load("haaglanden-po")
    s = _schedule(p, phase="phase_2", anchor=D(2026, 11, 30))
    assert s[("norm", "school_conversation")].due == D(2026, 12, 14)
    assert s[("norm", "passend_aanbod")].due == D(2027, 2, 28)


def test_route_without_enrolment_letter_then_invitation_door_visit_application():
    p = protocol_load("haaglanden-po")
    route = p.route("without_enrolment")
    assert [st.key for st in route.steps] == ["letter", "invitation", "door_visit", "application"]
    s = _schedule(p, route_key="without_enrolment", phase="letter", phase_since=D(2026, 12, 24))
    # 5 working days after Thursday 24 Dec 2026: skip Christmas (25, 26) and weekends.
    assert s[("route", "letter")].due == D(2027, 1, 4)
    assert s[("route", "letter")].detail.startswith("Ouders uitnodigen")
    assert not route.escalation


def test_casus2_norms_contact_week_conversation_14_days_goals_month_offer_three_months():
    p = protocol_load("casus2-preventie")
    s = _schedule(p, phase="conversation", opened=D(2026, 11, 23), anchor=D(2026, 11, 2))
    assert s[("norm", "first_contact")].due == D(2026, 11, 30)
    assert s[("norm", "first_conversation")].due == D(2026, 12, 7)
    assert s[("norm", "goals_set")].due == D(2026, 12, 23)
    assert s[("norm", "passend_aanbod")].due == D(2027, 2, 2)
    assert {n.key: n.target for n in p.norms} == {
        "first_contact": 0.8,
        "first_conversation": 1.0,
        "goals_set": 0.9,
        "passend_aanbod": 0.8,
    }


def test_norm_met_late_is_distinguished_from_met_in_time():
    p = protocol_load("casus2-preventie")
    facts = dict(NO_FACTS, contact=D(2026, 12, 2), conversation=D(2026, 11, 25))
    s = _schedule(p, phase="conversation", opened=D(2026, 11, 23), facts=facts)
    assert s[("norm", "first_contact")].status(D(2026, 12, 3)) == "met_late"
    assert s[("norm", "first_conversation")].status(D(2026, 12, 3)) == "met"


def test_drechtsteden_steps_end_with_binding_advice_and_meldpunt_every_three_months():
    p = protocol_load("drechtsteden-vo")
    keys = [st.key for st in p.route("drechtsteden").steps]
    assert keys[-1] == "binding_advice"
    assert keys.index("zat") < keys.index("meldpunt") < keys.index("binding_advice")
    s = _schedule(p, phase="meldpunt", phase_since=D(2026, 11, 23))
    assert s[("route", "meldpunt")].due == D(2027, 2, 23)


def test_casus1_closes_above_half_of_education_time():
    assert protocol_load("casus1-leerrecht").close_when_share_above == 0.5


@pytest.mark.parametrize("name", ["landelijk", "mazl", "casus1-leerrecht", "drechtsteden-vo"])
def test_every_shipped_preset_has_a_usable_default_route(name):
    p = protocol_load(name)
    assert p.default_route in p.routes
    assert p.report_again is not None  # seed 001, 1.2: monthly re-report


def test_statutory_route_requires_first_conversation_within_14_days():
    p = protocol_load("landelijk")
    s = _schedule(p, phase="investigate", opened=D(2026, 11, 23))
    assert s[("route", "investigate")].due == D(2026, 12, 7)


def test_bad_protocol_tables_are_refused_naming_file_and_key():
    with pytest.raises(ProtocolError, match=r"x.toml: norms.n.due = '2 fortnights'"):
        protocol_parse(
            {"norms": {"n": {"label": "x", "due": "2 fortnights", "met_by": "offer"}}},
            name="x",
            file="x.toml",
        )
    with pytest.raises(ProtocolError, match=r"escalation.municipalities.GM0518.steps"):
        protocol_parse(
            {
                "escalation": {
                    "steps": [{"key": "a", "label": "A", "due": "1 weeks"}],
                    "municipalities": {"GM0518": {"steps": ["b"]}},
                }
            },
            name="x",
            file="x.toml",
        )


def test_steps_due_on_the_same_day_follow_the_ladder_order():
    from leerrecht.cases.deadlines import milestone_next

    p = protocol_load("haaglanden-po")
    milestones = schedule_compute(
        p,
        route_key="with_enrolment",
        anchor=D(2026, 9, 7),
        opened=D(2026, 9, 7),
        phase="phase_3b",
        phase_since=D(2026, 9, 7),
        facts=NO_FACTS,
        municipality_code="GM0518",
    )
    assert milestone_next(milestones, kind="escalation").key == "peer_consultation"
