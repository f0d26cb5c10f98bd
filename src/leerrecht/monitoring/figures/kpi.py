"""Quarterly KPIs of casus 2 (seed 000, casus 2 "Borging van de aanpak").

Every KPI is "share of thuiszitters/AV cases where event X happened within a deadline
counted from the case start". A case belongs to the quarter in which it started (cohort).
A case whose deadline has not yet passed and whose event has not happened is *pending*:
it is left out of the denominator until it can be judged.

Targets and deadlines come from the protocol preset table ``[kpi.<id>]``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from leerrecht.monitoring.figures.periods import Quarter, add_months

FIRST_CONTACT = "first_contact_week"
GOALS = "goals_first_month"
PASSEND_AANBOD = "passend_aanbod_3m"
FIRST_CONVERSATION = "first_conversation_14d"

KPI_IDS = (FIRST_CONTACT, GOALS, PASSEND_AANBOD, FIRST_CONVERSATION)

# Which date of a case each KPI looks at.
_EVENT = {
    FIRST_CONTACT: "first_contact",
    GOALS: "goals_set",
    PASSEND_AANBOD: "passend_aanbod",
    FIRST_CONVERSATION: "first_conversation",
}

#: Defaults = seed 000, casus 2, borging (the preset may override).
DEFAULT_KPIS = {
    FIRST_CONTACT: {"target_pct": 80, "within_days": 7},
    GOALS: {"target_pct": 90, "within_months": 1},
    PASSEND_AANBOD: {"target_pct": 80, "within_months": 3},
    FIRST_CONVERSATION: {"target_pct": 100, "within_days": 14},
}


@dataclass(frozen=True, slots=True)
class KpiSpec:
    id: str
    target_pct: float
    within_days: int = 0
    within_months: int = 0

    def deadline(self, start: dt.date) -> dt.date:
        return add_months(start, self.within_months) + dt.timedelta(days=self.within_days)


def kpi_specs(config: Mapping | None = None) -> tuple[KpiSpec, ...]:
    """KPI specs from a preset's ``[kpi]`` table (missing keys take the seed defaults)."""
    config = config or {}
    specs = []
    for kpi_id in KPI_IDS:
        given = config.get(kpi_id, {})
        if not isinstance(given, Mapping):
            raise ValueError(f"kpi.{kpi_id}: must be a table")
        unknown = set(given) - {"target_pct", "within_days", "within_months", "note"}
        if unknown:
            raise ValueError(f"kpi.{kpi_id}: unknown key(s) {', '.join(sorted(unknown))}")
        merged = {**DEFAULT_KPIS[kpi_id], **given}
        if not 0 <= merged["target_pct"] <= 100:
            raise ValueError(f"kpi.{kpi_id}.target_pct: must be between 0 and 100")
        if "within_days" in given and "within_months" not in given:
            merged["within_months"] = 0
        if "within_months" in given and "within_days" not in given:
            merged["within_days"] = 0
        specs.append(
            KpiSpec(
                kpi_id,
                float(merged["target_pct"]),
                int(merged.get("within_days", 0)),
                int(merged.get("within_months", 0)),
            )
        )
    return tuple(specs)


@dataclass(frozen=True, slots=True)
class CaseDates:
    """The dates of one thuiszitter/AV case that the KPIs use."""

    key: str  # case reference shown in "missed" lists (no name, no BSN)
    start: dt.date  # the case became known (melding / registration)
    first_contact: dt.date | None = None
    goals_set: dt.date | None = None
    passend_aanbod: dt.date | None = None  # a suitable offer of education and/or care
    first_conversation: dt.date | None = None
    closed: dt.date | None = None  # back at school: also ends "at home without offer"
    # First day at home (worrying absence); the three months of PASSEND_AANBOD run from
    # here when known (seed 003 1.1: "binnen drie maanden"), otherwise from `start`.
    absent_since: dt.date | None = None


@dataclass(frozen=True, slots=True)
class Miss:
    key: str
    start: dt.date
    deadline: dt.date
    event_date: dt.date | None  # None = never happened


@dataclass(frozen=True, slots=True)
class KpiResult:
    spec: KpiSpec
    quarter: Quarter
    achieved: int
    evaluated: int
    pending: int
    missed: tuple[Miss, ...]

    @property
    def pct(self) -> float | None:
        return None if self.evaluated == 0 else 100.0 * self.achieved / self.evaluated

    @property
    def on_target(self) -> bool | None:
        return None if self.pct is None else self.pct >= self.spec.target_pct


def _event_date(case: CaseDates, spec: KpiSpec) -> dt.date | None:
    event = getattr(case, _EVENT[spec.id])
    if spec.id == PASSEND_AANBOD and case.closed is not None:
        # A child back at school is no longer at home without an offer.
        event = min(d for d in (event, case.closed) if d is not None)
    return event


def kpi_evaluate(
    *, spec: KpiSpec, cases: Iterable[CaseDates], quarter: Quarter, as_of: dt.date
) -> KpiResult:
    achieved = evaluated = pending = 0
    missed: list[Miss] = []
    for case in cases:
        if not (quarter.start <= case.start <= quarter.end) or case.start > as_of:
            continue
        counted_from = case.start
        if spec.id == PASSEND_AANBOD and case.absent_since is not None:
            counted_from = min(case.absent_since, case.start)
        deadline = spec.deadline(counted_from)
        event = _event_date(case, spec)
        if event is not None and event > as_of:
            event = None  # not yet known on the reference date
        if event is not None and event <= deadline:
            achieved += 1
            evaluated += 1
        elif event is None and deadline >= as_of:
            pending += 1
        else:
            evaluated += 1
            missed.append(Miss(case.key, counted_from, deadline, event))
    missed.sort(key=lambda m: (m.start, m.key))
    return KpiResult(spec, quarter, achieved, evaluated, pending, tuple(missed))


def kpi_dashboard(
    *,
    specs: Iterable[KpiSpec],
    cases: Iterable[CaseDates],
    quarters: Iterable[Quarter],
    as_of: dt.date,
) -> dict[str, list[KpiResult]]:
    """Per KPI the results for each quarter (oldest first)."""
    cases = list(cases)
    quarters = sorted(quarters)
    return {
        spec.id: [kpi_evaluate(spec=spec, cases=cases, quarter=q, as_of=as_of) for q in quarters]
        for spec in specs
    }
