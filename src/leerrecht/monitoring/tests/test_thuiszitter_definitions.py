"""The four thuiszitter definitions of DOMAIN.md on hand-made children with known answers."""

from __future__ import annotations

from leerrecht.monitoring.figures.definitions import (
    BREED_CASUS1,
    BREED_CASUS2,
    INSPECTIE,
    ONDERZOEK,
    R_ABSOLUTE,
    R_AUTHORISED,
    R_EXEMPTION_5A,
    R_LRV_IN_PROGRAMME,
    R_LRV_UNAUTHORISED,
    R_SUSPENDED,
    ChildFacts,
    DefinitionParams,
    definitions_compare,
    definitions_evaluate,
)

ALL = {INSPECTIE, ONDERZOEK, BREED_CASUS1, BREED_CASUS2}


def met(**kwargs) -> set[str]:
    kwargs.setdefault("key", "x")
    kwargs.setdefault("age", 12)
    kwargs.setdefault("enrolled", True)
    return set(definitions_evaluate(ChildFacts(**kwargs)).met)


def test_absolute_verzuim_is_a_thuiszitter_under_every_definition():
    # seed 001 1.3 (a) "niet is ingeschreven"; seed 003 1.3 "absoluut verzuim";
    # seed 000 ch. 2 and note 9 "niet op een school staan ingeschreven".
    assert met(enrolled=False) == ALL


def test_long_unauthorised_absence_counts_everywhere():
    # 25 school days (> 4 weeks), all unauthorised: seed 001 1.3 (b), seed 003 1.3 LRV.
    assert met(consecutive_days_without_education=25, unauthorised_hours=120) == ALL


def test_exactly_four_weeks_is_not_more_than_four_weeks():
    assert met(consecutive_days_without_education=20, unauthorised_hours=100) == set()


def test_long_sickness_only_counts_in_the_broad_definitions():
    # "zonder geldige reden zoals ziekte" (seed 001 1.3) and seed 003 2.2: authorised
    # absence is formally outside; casus 1 adds "geoorloofd geen onderwijs", note 9 any
    # absence > 4 weeks.
    facts = ChildFacts("s", 14, True, consecutive_days_without_education=30, sick_hours=150)
    result = definitions_evaluate(facts)
    assert set(result.met) == {BREED_CASUS1, BREED_CASUS2}
    assert result.reasons[BREED_CASUS1] == R_AUTHORISED


def test_exemption_5a_only_in_the_broad_definitions():
    # seed 003 1.3: 5a excluded; seed 000 ch. 2 and note 9: included.
    facts = ChildFacts("v", 9, False, exemption_articles=frozenset({"5a"}))
    result = definitions_evaluate(facts)
    assert set(result.met) == {BREED_CASUS1, BREED_CASUS2}
    assert result.reasons[BREED_CASUS2] == R_EXEMPTION_5A


def test_other_exemptions_are_not_thuiszitters():
    # 5b (objection to the direction of schools) is not absolute verzuim.
    assert met(enrolled=False, exemption_articles=frozenset({"5b"})) == set()


def test_vo_suspension_pending_removal_only_in_casus1():
    # seed 000 ch. 2: "alle vo-leerlingen die zijn geschorst in afwachting van verwijdering".
    facts = ChildFacts("g", 15, True, sector="vo", suspended_pending_removal=True)
    result = definitions_evaluate(facts)
    assert set(result.met) == {BREED_CASUS1}
    assert result.reasons[BREED_CASUS1] == R_SUSPENDED
    assert met(age=10, sector="po", suspended_pending_removal=True) == set()


def test_help_leading_back_to_education_is_not_an_inspectie_thuiszitter():
    # seed 001 1.3 (b): "... of een naar onderwijs terugleidende vorm van hulp".
    facts = ChildFacts(
        "h",
        13,
        True,
        consecutive_days_without_education=40,
        unauthorised_hours=200,
        in_return_programme=True,
    )
    result = definitions_evaluate(facts)
    assert set(result.met) == {ONDERZOEK, BREED_CASUS2}
    assert result.reasons[ONDERZOEK] == R_LRV_IN_PROGRAMME


def test_outside_compulsory_age_or_with_starting_qualification_counts_nowhere():
    assert met(age=4, enrolled=False) == set()
    assert met(age=18, enrolled=False) == set()
    assert met(age=17, enrolled=False, has_starting_qualification=True) == set()
    assert met(age=5, enrolled=False) == ALL
    assert met(age=17, enrolled=False) == ALL


def test_mixed_reasons_use_the_unauthorised_majority():
    # 60 of 100 hours unauthorised -> without valid reason; 40 of 100 -> with.
    assert INSPECTIE in met(
        consecutive_days_without_education=25, unauthorised_hours=60, sick_hours=40
    )
    assert INSPECTIE not in met(
        consecutive_days_without_education=25, unauthorised_hours=40, sick_hours=60
    )


def test_thresholds_come_from_the_params():
    params = DefinitionParams(more_than_school_days=10)
    facts = ChildFacts("p", 12, True, consecutive_days_without_education=15, unauthorised_hours=50)
    assert INSPECTIE in definitions_evaluate(facts, params).met
    assert INSPECTIE not in definitions_evaluate(facts).met


def test_comparison_counts_and_what_each_broader_definition_adds():
    children = [
        ChildFacts("av", 10, False),  # all four
        ChildFacts("lrv", 14, True, consecutive_days_without_education=30, unauthorised_hours=100),
        ChildFacts("ziek1", 11, True, consecutive_days_without_education=25, sick_hours=100),
        ChildFacts("ziek2", 15, True, consecutive_days_without_education=22, authorised_hours=80),
        ChildFacts("5a", 8, False, exemption_articles=frozenset({"5a"})),
        ChildFacts("schors", 14, True, sector="vo", suspended_pending_removal=True),
        ChildFacts(
            "hulp",
            13,
            True,
            consecutive_days_without_education=30,
            unauthorised_hours=90,
            in_return_programme=True,
        ),
        ChildFacts("ok", 12, True, consecutive_days_without_education=3, sick_hours=15),
    ]
    comparison = definitions_compare(children)
    assert comparison.counts == {INSPECTIE: 2, ONDERZOEK: 3, BREED_CASUS1: 6, BREED_CASUS2: 6}
    assert comparison.added[ONDERZOEK] == {R_LRV_IN_PROGRAMME: 1}
    assert comparison.added[BREED_CASUS1] == {R_AUTHORISED: 2, R_EXEMPTION_5A: 1, R_SUSPENDED: 1}
    assert comparison.added[BREED_CASUS2] == {
        R_AUTHORISED: 2,
        R_EXEMPTION_5A: 1,
        R_LRV_IN_PROGRAMME: 1,
    }
    assert comparison.dropped == {ONDERZOEK: 0, BREED_CASUS1: 0, BREED_CASUS2: 0}
    by_key = {r.key: r for r in comparison.results}
    assert by_key["av"].reasons[INSPECTIE] == R_ABSOLUTE
    assert by_key["lrv"].reasons[BREED_CASUS2] == R_LRV_UNAUTHORISED
    assert by_key["ok"].met == frozenset()
