"""Quarterly KPIs of casus 2 (seed 000, casus 2 "Borging van de aanpak").

Every KPI is "share of thuiszitters/AV cases where event X happened within a deadline
counted from the case start". A case belongs to the quarter in which it started (cohort).
A case whose deadline has not yet passed and whose event has not happened is *pending*:
it is left out of the denominator until it can be judged.

A KPI is a norm of the protocol preset with a ``target`` (``[norms.<key>]``): the case
page shows the norm as a deadline and the quarterly figure counts the cases that met that
same deadline (`KpiSpec.deadline` calls the deadline calculator of the case workflow).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from leerrecht.engine.protocol import Calendar, Duration, Protocol, add_duration
from leerrecht.monitoring.figures.periods import Quarter

# Norm keys of the shipped presets whose norms carry a target (seed 000, casus 2 borging).
FIRST_CONTACT = "first_contact"
GOALS = "goals_set"
PASSEND_AANBOD = "passend_aanbod"
FIRST_CONVERSATION = "first_conversation"

# Which date of a case meets a norm (engine.protocol.MET_BY) -> CaseDates field.
EVENT_BY_MET_BY = {
    "contact": "first_contact",
    "conversation": "first_conversation",
    "plan": "goals_set",
    "offer": "passend_aanbod",
}


@dataclass(frozen=True, slots=True)
class KpiSpec:
    """A norm with a target: the case deadline and the quarterly KPI are one rule."""

    id: str  # the norm key
    label: str
    target_pct: float
    event: str  # CaseDates field that meets it
    due: Duration
    from_anchor: bool  # counted from the first day of worrying absence, else from opening
    calendar: Calendar | None = None

    def deadline(self, start: dt.date) -> dt.date:
        """The same date `engine.protocol.schedule_compute` gives the case."""
        return add_duration(start, self.due, self.calendar)


def kpi_specs(protocol: Protocol) -> tuple[KpiSpec, ...]:
    """The KPIs of a protocol: its norms that have a target (a share of cases)."""
    return tuple(
        KpiSpec(
            norm.key,
            norm.label,
            round(norm.target * 100, 6),
            EVENT_BY_MET_BY[norm.met_by],
            norm.due,
            norm.anchor == "anchor",
            protocol.calendar,
        )
        for norm in protocol.norms
        if norm.target is not None
    )


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
    event = getattr(case, spec.event)
    if spec.event == "passend_aanbod" and case.closed is not None:
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
        if spec.from_anchor and case.absent_since is not None:
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
