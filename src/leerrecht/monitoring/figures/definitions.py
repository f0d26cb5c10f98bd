"""The four definitions of "thuiszitter" (DOMAIN.md), evaluated side by side per child.

Pure function over per-child facts at one date (a stock figure, seed 003 2.1). The selector
(leerrecht.monitoring.selectors) derives the facts from the registry, attendance and cases.

1. ``inspectie``  - seed 001, 1.3 (and seed 000 note 7): a leer- or kwalificatieplichtig
   child of 5-18 that (a) is not enrolled at a school, or (b) for a consecutive period of
   more than four weeks, without valid reason such as illness, takes part in no education
   nor in help that leads back to education.
2. ``onderzoek``  - seed 003, 1.3: langdurig relatief verzuim (more than four weeks not at
   school) plus absoluut verzuim; art. 5a exemptions are not thuiszitters, and authorised
   (sickness) absence formally falls outside (seed 003, 2.2).
3. ``breed_casus1`` - seed 000, ch. 2 "Doelgroep": definition 1 plus pupils who follow no
   education with permission, art. 5a exemptions and vo pupils suspended pending removal.
4. ``breed_casus2`` - seed 000, note 9: absent for more than four weeks (any reason) or not
   enrolled at a school, including art. 5a exemptions.

Thresholds come from :class:`DefinitionParams` (protocol preset table
``[thuiszitter_definitions]``); the defaults are the values of the seeds.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields

INSPECTIE = "inspectie"
ONDERZOEK = "onderzoek"
BREED_CASUS1 = "breed_casus1"
BREED_CASUS2 = "breed_casus2"

#: Narrowest first; the comparison measures what each broader one adds to the first.
DEFINITIONS = (INSPECTIE, ONDERZOEK, BREED_CASUS1, BREED_CASUS2)

SOURCES = {
    INSPECTIE: "seed 001, 1.3; seed 000 note 7",
    ONDERZOEK: "seed 003, 1.3",
    BREED_CASUS1: "seed 000, ch. 2 (doelgroep)",
    BREED_CASUS2: "seed 000, note 9",
}

# Reason codes (labels in leerrecht.monitoring.labels).
R_ABSOLUTE = "absoluut_verzuim"  # not enrolled, no exemption
R_LRV_UNAUTHORISED = "lrv_ongeoorloofd"  # > 4 weeks absent, mostly without valid reason
R_LRV_IN_PROGRAMME = "lrv_in_terugleidende_hulp"  # as above, but in help leading back
R_AUTHORISED = "geoorloofd_geen_onderwijs"  # > 4 weeks no education, with valid reason
R_EXEMPTION_5A = "vrijstelling_5a"
R_SUSPENDED = "geschorst_afwachting_verwijdering"


@dataclass(frozen=True, slots=True)
class DefinitionParams:
    """Thresholds of the definitions (defaults: the seeds quoted above)."""

    min_age: int = 5  # seed 001, 1.3: "tussen de 5 en 18 jaar"
    max_age_exclusive: int = 18
    # "more than four weeks" consecutive: more than 20 school days (SIGNALS.md).
    more_than_school_days: int = 20
    # "without valid reason": unauthorised hours > this share of all absence hours
    # with a reason (SIGNALS.md thuiszitter_inspectie).
    unauthorised_share_above: float = 0.5

    @classmethod
    def from_mapping(cls, data: Mapping | None) -> DefinitionParams:
        if not data:
            return cls()
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise ValueError(
                f"thuiszitter_definitions: unknown key(s) {', '.join(unknown)} "
                f"(known: {', '.join(sorted(known))})"
            )
        return cls(**{k: data[k] for k in known if k in data})


@dataclass(frozen=True, slots=True)
class ChildFacts:
    """What is known about one child at the reference date."""

    key: str
    age: int
    enrolled: bool
    exemption_articles: frozenset[str] = frozenset()
    has_starting_qualification: bool = False
    sector: str = ""  # "po" / "vo" of the current school
    # School days, ending at the date, on which the child followed no education at all.
    consecutive_days_without_education: int = 0
    # Absence hours by reason over that period.
    unauthorised_hours: float = 0.0
    authorised_hours: float = 0.0
    sick_hours: float = 0.0
    # Takes part in "een naar onderwijs terugleidende vorm van hulp of begeleiding".
    in_return_programme: bool = False
    suspended_pending_removal: bool = False
    # Leer- or kwalificatieplichtig at the date (leerrecht.engine.compulsory, the one rule
    # of Leerplichtwet art. 3, 4, 4a); None: fall back on the age band of the params.
    compulsory: bool | None = None


@dataclass(frozen=True, slots=True)
class DefinitionResult:
    key: str
    met: frozenset[str]
    reasons: Mapping[str, str] = field(default_factory=dict)  # definition -> reason code

    def meets(self, definition: str) -> bool:
        return definition in self.met


def _compulsory(f: ChildFacts, p: DefinitionParams) -> bool:
    if f.compulsory is not None:
        return f.compulsory
    return p.min_age <= f.age < p.max_age_exclusive and not f.has_starting_qualification


def _long_absent(f: ChildFacts, p: DefinitionParams) -> bool:
    return f.enrolled and f.consecutive_days_without_education > p.more_than_school_days


def _without_valid_reason(f: ChildFacts, p: DefinitionParams) -> bool:
    reasoned = f.unauthorised_hours + f.authorised_hours + f.sick_hours
    return reasoned > 0 and f.unauthorised_hours > p.unauthorised_share_above * reasoned


def definitions_evaluate(
    facts: ChildFacts, params: DefinitionParams | None = None
) -> DefinitionResult:
    """Which of the four definitions the child meets, each with the reason code."""
    p = params or DefinitionParams()
    f = facts
    reasons: dict[str, str] = {}
    if not _compulsory(f, p):
        return DefinitionResult(f.key, frozenset(), reasons)
    exempt_5a = "5a" in f.exemption_articles
    absolute = not f.enrolled and not f.exemption_articles
    long_absent = _long_absent(f, p)
    unauthorised = long_absent and _without_valid_reason(f, p)
    suspended = f.suspended_pending_removal and f.sector == "vo"

    # 1. Inspectie: not enrolled, or > 4 weeks no education without valid reason and
    # not in help leading back to education (seed 001, 1.3).
    if absolute:
        reasons[INSPECTIE] = R_ABSOLUTE
    elif unauthorised and not f.in_return_programme:
        reasons[INSPECTIE] = R_LRV_UNAUTHORISED

    # 2. Research: LRV (> 4 weeks not at school) + AV; 5a excluded (seed 003, 1.3);
    # authorised absence formally outside (seed 003, 2.2).
    if absolute:
        reasons[ONDERZOEK] = R_ABSOLUTE
    elif unauthorised and not exempt_5a:
        reasons[ONDERZOEK] = R_LRV_IN_PROGRAMME if f.in_return_programme else R_LRV_UNAUTHORISED

    # 3. Broad, casus 1: 1 + authorised no education + 5a + vo suspended pending removal.
    if INSPECTIE in reasons:
        reasons[BREED_CASUS1] = reasons[INSPECTIE]
    elif exempt_5a:
        reasons[BREED_CASUS1] = R_EXEMPTION_5A
    elif suspended:
        reasons[BREED_CASUS1] = R_SUSPENDED
    elif long_absent and not f.in_return_programme:
        reasons[BREED_CASUS1] = R_AUTHORISED

    # 4. Broad, casus 2: > 4 weeks absent (any reason) or not enrolled, 5a included.
    if absolute:
        reasons[BREED_CASUS2] = R_ABSOLUTE
    elif exempt_5a and not f.enrolled:
        reasons[BREED_CASUS2] = R_EXEMPTION_5A
    elif long_absent:
        if unauthorised:
            reasons[BREED_CASUS2] = (
                R_LRV_IN_PROGRAMME if f.in_return_programme else R_LRV_UNAUTHORISED
            )
        else:
            reasons[BREED_CASUS2] = R_AUTHORISED
    return DefinitionResult(f.key, frozenset(reasons), reasons)


@dataclass(frozen=True, slots=True)
class DefinitionComparison:
    results: tuple[DefinitionResult, ...]
    counts: Mapping[str, int]
    # definition -> reason code -> number of children it adds compared with INSPECTIE
    added: Mapping[str, Mapping[str, int]]
    # definition -> number of INSPECTIE children it does NOT count
    dropped: Mapping[str, int]


def definitions_compare(
    facts: Iterable[ChildFacts], params: DefinitionParams | None = None
) -> DefinitionComparison:
    """Evaluate every child and count each definition; show what each broader one adds."""
    results = tuple(definitions_evaluate(f, params) for f in facts)
    counts = {d: sum(1 for r in results if r.meets(d)) for d in DEFINITIONS}
    added: dict[str, dict[str, int]] = {}
    dropped: dict[str, int] = {}
    for d in DEFINITIONS[1:]:
        per_reason: dict[str, int] = {}
        for r in results:
            if r.meets(d) and not r.meets(INSPECTIE):
                per_reason[r.reasons[d]] = per_reason.get(r.reasons[d], 0) + 1
        added[d] = dict(sorted(per_reason.items()))
        dropped[d] = sum(1 for r in results if r.meets(INSPECTIE) and not r.meets(d))
    return DefinitionComparison(results, counts, added, dropped)
