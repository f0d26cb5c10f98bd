"""Pure deadline calculator and protocol reader for the case workflow (no Django imports).

Everything about *when* something must happen in a case lives here, driven by protocol
presets (TOML). Routes, norms and the escalation ladder are data in the preset files
(``leerrecht/engine/presets/<name>.toml``, tables ``[case_settings]``, ``[norms.*]``,
``[routes.*]``, ``[escalation]``, ``[closure]``); this module turns them into dated
milestones for one case.

Units of a duration ("5 working_days", "2 weeks", "3 months"):

* ``days`` / ``calendar_days``: plain calendar days;
* ``working_days``: Monday-Friday, excluding Dutch public holidays;
* ``school_days``: working days that are also not in a school holiday of the calendar;
* ``weeks``: 7 calendar days each; ``months``: calendar months (day clamped to month end).
"""

from __future__ import annotations

import calendar as _calendar
import datetime as dt
import functools
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = [
    "Calendar",
    "Duration",
    "EscalationStep",
    "Milestone",
    "Norm",
    "Protocol",
    "ProtocolError",
    "Route",
    "RouteStep",
    "add_duration",
    "duration_parse",
    "dutch_public_holidays",
    "easter_sunday",
    "is_school_day",
    "is_working_day",
    "milestone_next",
    "protocol_current",
    "protocol_load",
    "report_again_due",
    "schedule_compute",
]

UNITS = ("days", "calendar_days", "working_days", "school_days", "weeks", "months")
ANCHORS = ("anchor", "opened", "phase_start")
# What fact of a case meets a norm (see services: first contact, conversation, plan, offer).
MET_BY = ("contact", "conversation", "plan", "offer", "phase_end")


class ProtocolError(ValueError):
    """A protocol preset's case tables are malformed; the message names file and key."""


# --------------------------------------------------------------------------- calendar


def easter_sunday(year: int) -> dt.date:
    """Gregorian Easter Sunday (anonymous Gregorian algorithm)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    ell = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * ell) // 451
    month, day = divmod(h + ell - 7 * m + 114, 31)
    return dt.date(year, month, day + 1)


@functools.cache
def dutch_public_holidays(year: int, *, liberation_day_every_year: bool = False) -> frozenset:
    """Official Dutch public holidays (algemeen erkende feestdagen) in `year`.

    Bevrijdingsdag (5 May) is a day off in lustrum years (year divisible by 5) by most
    collective agreements; `liberation_day_every_year` makes it a holiday every year.
    """
    easter = easter_sunday(year)
    kings_day = dt.date(year, 4, 27)
    if kings_day.weekday() == 6:  # on a Sunday it moves to Saturday 26 April
        kings_day = dt.date(year, 4, 26)
    days = {
        dt.date(year, 1, 1),
        easter - dt.timedelta(days=2),  # Goede Vrijdag
        easter,
        easter + dt.timedelta(days=1),
        kings_day,
        easter + dt.timedelta(days=39),  # Hemelvaartsdag
        easter + dt.timedelta(days=49),
        easter + dt.timedelta(days=50),  # Pinksteren
        dt.date(year, 12, 25),
        dt.date(year, 12, 26),
    }
    if liberation_day_every_year or year % 5 == 0:
        days.add(dt.date(year, 5, 5))
    return frozenset(days)


@dataclass(frozen=True, slots=True)
class Calendar:
    """School holidays (inclusive date ranges) and extra closed days of one school/region."""

    school_holidays: tuple[tuple[dt.date, dt.date], ...] = ()
    closed_days: frozenset = frozenset()

    def in_school_holiday(self, day: dt.date) -> bool:
        return day in self.closed_days or any(a <= day <= b for a, b in self.school_holidays)


def is_working_day(day: dt.date) -> bool:
    return day.weekday() < 5 and day not in dutch_public_holidays(day.year)


def is_school_day(day: dt.date, calendar: Calendar) -> bool:
    return is_working_day(day) and not calendar.in_school_holiday(day)


# --------------------------------------------------------------------------- durations


@dataclass(frozen=True, slots=True)
class Duration:
    amount: int
    unit: str

    def __str__(self) -> str:
        return f"{self.amount} {self.unit}"


def duration_parse(text: str, *, where: str = "duration") -> Duration:
    """Parse "5 working_days" / "2 weeks" / "3 months"; ValueError names `where`."""
    parts = str(text).split()
    if len(parts) != 2 or not parts[0].isdigit():
        raise ValueError(f"{where} = {text!r}: expected '<whole number> <unit>', e.g. '2 weeks'")
    unit = parts[1]
    if unit == "day":
        unit = "days"
    if unit not in UNITS and unit + "s" in UNITS:
        unit += "s"
    if unit not in UNITS:
        raise ValueError(
            f"{where} = {text!r}: unknown unit {parts[1]!r} (known: {', '.join(UNITS)})"
        )
    return Duration(int(parts[0]), unit)


def _add_months(start: dt.date, months: int) -> dt.date:
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    day = min(start.day, _calendar.monthrange(year, month)[1])
    return dt.date(year, month, day)


def add_duration(start: dt.date, duration: Duration, calendar: Calendar | None = None) -> dt.date:
    """The date `duration` after `start`. Counting working/school days skips `start` itself:
    "within 5 working days" of a letter on Friday ends on the next Friday."""
    calendar = calendar or Calendar()
    n, unit = duration.amount, duration.unit
    if unit in ("days", "calendar_days"):
        return start + dt.timedelta(days=n)
    if unit == "weeks":
        return start + dt.timedelta(weeks=n)
    if unit == "months":
        return _add_months(start, n)
    counts = is_working_day if unit == "working_days" else (lambda d: is_school_day(d, calendar))
    day = start
    while n > 0:
        day += dt.timedelta(days=1)
        if counts(day):
            n -= 1
    return day


# --------------------------------------------------------------------------- protocol


@dataclass(frozen=True, slots=True)
class Norm:
    key: str
    label: str
    due: Duration
    anchor: str
    met_by: str
    target: float | None
    source: str


@dataclass(frozen=True, slots=True)
class RouteStep:
    key: str
    label: str
    due: Duration | None
    anchor: str
    source: str
    note: str = ""


@dataclass(frozen=True, slots=True)
class Route:
    key: str
    title: str
    source: str
    steps: tuple[RouteStep, ...]
    escalation: bool

    def step(self, key: str) -> RouteStep | None:
        return next((s for s in self.steps if s.key == key), None)

    def step_after(self, key: str) -> RouteStep | None:
        keys = [s.key for s in self.steps]
        if key not in keys or keys.index(key) + 1 >= len(keys):
            return None
        return self.steps[keys.index(key) + 1]


@dataclass(frozen=True, slots=True)
class EscalationStep:
    key: str
    number: int
    label: str
    earliest: Duration | None
    due: Duration
    purpose: str
    registered_by: str = ""
    participants: str = ""


@dataclass(frozen=True)
class Protocol:
    name: str
    path: str
    default_route: str
    stagnation_days: int
    report_again: Duration | None
    calendar: Calendar
    norms: tuple[Norm, ...]
    routes: dict[str, Route]
    escalation_source: str = ""
    escalation_steps: tuple[EscalationStep, ...] = ()
    # CBS code -> (step keys in order, {step: registered_by}, {step: participants})
    escalation_by_municipality: dict[str, tuple] = field(default_factory=dict)
    close_when_share_above: float | None = None
    closure_source: str = ""

    def route(self, key: str) -> Route:
        try:
            return self.routes[key]
        except KeyError:
            raise ProtocolError(
                f"{self.path}: routes.{key}: unknown route (known: {', '.join(self.routes)})"
            ) from None

    def ladder_for(self, cbs_code: str | None) -> list[EscalationStep]:
        """The escalation ladder for a municipality (seed 004, Bijlage 1): its own step
        list with its registrars/participants, or every step when it has none."""
        if cbs_code not in self.escalation_by_municipality:
            return list(self.escalation_steps)
        keys, registered_by, participants = self.escalation_by_municipality[cbs_code]
        by_key = {s.key: s for s in self.escalation_steps}
        ladder = []
        for key in keys:
            step = by_key[key]
            ladder.append(
                EscalationStep(
                    step.key,
                    step.number,
                    step.label,
                    step.earliest,
                    step.due,
                    step.purpose,
                    registered_by.get(key, step.registered_by),
                    participants.get(key, step.participants),
                )
            )
        return ladder


def _preset_dir() -> Path:
    # The protocol preset files are shared with the signal engine (engine/presets/).
    return Path(__file__).resolve().parent.parent / "engine" / "presets"


def _date(value: Any, where: str, file: str) -> dt.date:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise ProtocolError(f"{file}: {where} = {value!r}: not a date (YYYY-MM-DD)") from None


def _text(body: dict, key: str, where: str, file: str, *, required: bool = False) -> str:
    if required and key not in body:
        raise ProtocolError(f"{file}: {where}.{key}: missing")
    value = body.get(key, "")
    if not isinstance(value, str):
        raise ProtocolError(f"{file}: {where}.{key} = {value!r}: must be a string")
    return value


def _dur(body: dict, key: str, where: str, file: str, *, required: bool) -> Duration | None:
    value = body.get(key, "")
    if value in ("", None):
        if required:
            raise ProtocolError(f"{file}: {where}.{key}: missing")
        return None
    try:
        return duration_parse(value, where=f"{where}.{key}")
    except ValueError as exc:
        raise ProtocolError(f"{file}: {exc}") from None


def _anchor(body: dict, where: str, file: str, default: str) -> str:
    anchor = body.get("from", default)
    if anchor not in ANCHORS:
        raise ProtocolError(
            f"{file}: {where}.from = {anchor!r}: unknown (allowed: {', '.join(ANCHORS)})"
        )
    return anchor


def protocol_parse(data: dict, *, name: str, file: str) -> Protocol:
    """Build a Protocol from a preset's parsed TOML (only the case tables are read)."""
    settings = data.get("case_settings", {})
    if not isinstance(settings, dict):
        raise ProtocolError(f"{file}: case_settings: must be a table")
    stagnation = settings.get("stagnation_days", 21)
    if not isinstance(stagnation, int) or stagnation < 1:
        raise ProtocolError(
            f"{file}: case_settings.stagnation_days = {stagnation!r}: a whole number >= 1"
        )
    report_again = _dur(settings, "report_again", "case_settings", file, required=False)
    holidays = []
    for i, pair in enumerate(settings.get("school_holidays", [])):
        where = f"case_settings.school_holidays[{i}]"
        if not isinstance(pair, list) or len(pair) != 2:
            raise ProtocolError(f"{file}: {where}: expected [first_day, last_day]")
        first, last = _date(pair[0], where, file), _date(pair[1], where, file)
        if last < first:
            raise ProtocolError(f"{file}: {where}: last day before first day")
        holidays.append((first, last))
    norms = []
    for key, body in data.get("norms", {}).items():
        where = f"norms.{key}"
        if not isinstance(body, dict):
            raise ProtocolError(f"{file}: {where}: must be a table")
        met_by = body.get("met_by", "")
        if met_by not in MET_BY:
            raise ProtocolError(
                f"{file}: {where}.met_by = {met_by!r}: unknown (allowed: {', '.join(MET_BY)})"
            )
        target = body.get("target")
        if target is not None and not (isinstance(target, int | float) and 0 < target <= 1):
            raise ProtocolError(f"{file}: {where}.target = {target!r}: a share > 0 and <= 1")
        norms.append(
            Norm(
                key,
                _text(body, "label", where, file, required=True),
                _dur(body, "due", where, file, required=True),
                _anchor(body, where, file, "opened"),
                met_by,
                target,
                _text(body, "source", where, file),
            )
        )
    routes = {}
    for key, body in data.get("routes", {}).items():
        where = f"routes.{key}"
        if not isinstance(body, dict):
            raise ProtocolError(f"{file}: {where}: must be a table")
        steps = []
        raw_steps = body.get("steps", [])
        if not isinstance(raw_steps, list) or not raw_steps:
            raise ProtocolError(f"{file}: {where}.steps: at least one [[{where}.steps]] needed")
        for i, step in enumerate(raw_steps):
            swhere = f"{where}.steps[{i}]"
            steps.append(
                RouteStep(
                    _text(step, "key", swhere, file, required=True),
                    _text(step, "label", swhere, file, required=True),
                    _dur(step, "due", swhere, file, required=False),
                    _anchor(step, swhere, file, "phase_start"),
                    _text(step, "source", swhere, file),
                    _text(step, "note", swhere, file),
                )
            )
        if len({s.key for s in steps}) != len(steps):
            raise ProtocolError(f"{file}: {where}.steps: step keys must be unique")
        routes[key] = Route(
            key,
            _text(body, "title", where, file, required=True),
            _text(body, "source", where, file),
            tuple(steps),
            bool(body.get("escalation", False)),
        )
    default_route = settings.get("default_route", next(iter(routes), ""))
    if routes and default_route not in routes:
        raise ProtocolError(
            f"{file}: case_settings.default_route = {default_route!r}: no such [routes.*] table"
        )
    escalation = data.get("escalation", {})
    esc_steps = []
    for i, step in enumerate(escalation.get("steps", [])):
        where = f"escalation.steps[{i}]"
        esc_steps.append(
            EscalationStep(
                _text(step, "key", where, file, required=True),
                int(step.get("number", i + 1)),
                _text(step, "label", where, file, required=True),
                _dur(step, "earliest", where, file, required=False),
                _dur(step, "due", where, file, required=True),
                _text(step, "purpose", where, file),
            )
        )
    known = {s.key for s in esc_steps}
    by_muni = {}
    for code, body in escalation.get("municipalities", {}).items():
        where = f"escalation.municipalities.{code}"
        keys = body.get("steps", [])
        unknown = [k for k in keys if k not in known]
        if unknown or not keys:
            raise ProtocolError(
                f"{file}: {where}.steps: unknown or no steps {unknown} (known: {', '.join(sorted(known))})"
            )
        by_muni[code] = (
            tuple(keys),
            dict(body.get("registered_by", {})),
            dict(body.get("participants", {})),
        )
    closure = data.get("closure", {})
    share = closure.get("close_when_share_above")
    if share is not None and not (isinstance(share, int | float) and 0 <= share < 1):
        raise ProtocolError(f"{file}: closure.close_when_share_above = {share!r}: a share 0-1")
    return Protocol(
        name=name,
        path=file,
        default_route=default_route,
        stagnation_days=stagnation,
        report_again=report_again,
        calendar=Calendar(tuple(holidays)),
        norms=tuple(norms),
        routes=routes,
        escalation_source=_text(escalation, "source", "escalation", file),
        escalation_steps=tuple(esc_steps),
        escalation_by_municipality=by_muni,
        close_when_share_above=share,
        closure_source=_text(closure, "source", "closure", file),
    )


@functools.lru_cache(maxsize=16)
def protocol_load(name_or_path: str) -> Protocol:
    """THE loader of case tables from a protocol preset (by shipped name or by path)."""
    path = Path(name_or_path)
    if not str(name_or_path).endswith(".toml"):
        path = _preset_dir() / f"{name_or_path}.toml"
    file = str(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ProtocolError(f"{file}: protocol preset not found") from None
    except tomllib.TOMLDecodeError as exc:
        raise ProtocolError(f"{file}: not valid TOML: {exc}") from None
    return protocol_parse(data, name=str(data.get("name", path.stem)), file=file)


def protocol_current() -> Protocol:
    """The protocol of this installation (setting LEERRECHT_PROTOCOL)."""
    from django.conf import settings  # the one setting read here; the rest is pure

    return protocol_load(settings.LEERRECHT_PROTOCOL)


def report_again_due(*, reported_on: dt.date, protocol: Protocol) -> dt.date | None:
    """When the school must report again while the absence continues (seeds/001, 1.2)."""
    if protocol.report_again is None:
        return None
    return add_duration(reported_on, protocol.report_again, protocol.calendar)


# --------------------------------------------------------------------------- schedule


@dataclass(frozen=True, slots=True)
class Milestone:
    """One dated thing a case must do: a norm, the current route step, or a ladder step."""

    kind: str  # "norm" | "route" | "escalation"
    key: str
    label: str
    due: dt.date
    earliest: dt.date | None = None
    met_on: dt.date | None = None
    source: str = ""
    detail: str = ""
    order: int = 0  # ladder step number: ties on the same date follow the ladder

    def status(self, today: dt.date) -> str:
        if self.met_on is not None:
            return "met_late" if self.met_on > self.due else "met"
        if today > self.due:
            return "overdue"
        if today == self.due:
            return "due_today"
        return "open"

    def days_overdue(self, today: dt.date) -> int:
        return (today - self.due).days if self.met_on is None else 0


def schedule_compute(
    protocol: Protocol,
    *,
    route_key: str,
    anchor: dt.date,
    opened: dt.date,
    phase: str,
    phase_since: dt.date,
    facts: dict[str, dt.date | None],
    municipality_code: str | None,
    escalations_taken: dict[str, dt.date] | None = None,
) -> list[Milestone]:
    """Every milestone of one case, sorted by due date.

    `anchor` = first date of worrying absence (seed 004, Bijlage 1 counts from it);
    `facts` maps met_by names ("contact", "conversation", "plan", "offer") to the first
    date they happened (or None); `escalations_taken` maps ladder step keys to dates.
    """
    cal = protocol.calendar
    bases = {"anchor": anchor, "opened": opened, "phase_start": phase_since}
    out: list[Milestone] = []
    for norm in protocol.norms:
        out.append(
            Milestone(
                "norm",
                norm.key,
                norm.label,
                add_duration(bases[norm.anchor], norm.due, cal),
                met_on=facts.get(norm.met_by),
                source=norm.source,
            )
        )
    route = protocol.route(route_key)
    step = route.step(phase)
    if step is not None and step.due is not None:
        nxt = route.step_after(phase)
        out.append(
            Milestone(
                "route",
                step.key,
                step.label,
                add_duration(bases[step.anchor], step.due, cal),
                source=step.source or route.source,
                detail=(nxt.label if nxt else ""),
            )
        )
    if route.escalation:
        taken = escalations_taken or {}
        for esc in protocol.ladder_for(municipality_code):
            out.append(
                Milestone(
                    "escalation",
                    esc.key,
                    esc.label,
                    add_duration(anchor, esc.due, cal),
                    earliest=add_duration(anchor, esc.earliest, cal) if esc.earliest else None,
                    met_on=taken.get(esc.key),
                    source=protocol.escalation_source,
                    detail=esc.participants,
                    order=esc.number,
                )
            )
    out.sort(key=lambda m: (m.due, m.kind, m.order, m.key))
    return out


def milestone_next(milestones: list[Milestone], *, kind: str | None = None) -> Milestone | None:
    """The earliest milestone not yet met (optionally of one kind)."""
    for m in milestones:
        if m.met_on is None and (kind is None or m.kind == kind):
            return m
    return None
