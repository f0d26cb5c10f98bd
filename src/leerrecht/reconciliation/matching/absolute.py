"""Absolute verzuim: children of compulsory school age in the population register (BRP)
without an enrolment, after the standard corrections (pure Python).

Sources: DOMAIN.md "Absoluut verzuim" (seed 000 note 9; seed 004, route 2 "Routeboek
zonder schoolinschrijving"); the yearly leerplichttelling corrections (starting
qualification, deceased, emigrated, exemption already granted; AV inflated at the start of
a school year while transfers are registered). All ages and periods come from
``[leerplicht]`` and ``[absolute_verzuim]`` in the reconciliation config.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from leerrecht.engine.compulsory import CompulsoryAgeRule
from leerrecht.engine.compulsory import compulsory_period as engine_compulsory_period
from leerrecht.reconciliation.matching.config import AbsoluteVerzuimConfig, LeerplichtConfig
from leerrecht.reconciliation.matching.normalise import article_normalise

SchoolDayTest = Callable[[dt.date], bool]

# Outcome codes (stable; the web and the result files use them).
KEPT_LEERPLICHT = "kept_leerplicht"
KEPT_KWALIFICATIEPLICHT = "kept_kwalificatieplicht"
KEPT_NO_BSN = "kept_no_bsn"  # enrolments cannot be looked up: a person checks
DROP_DECEASED = "deceased"
DROP_EMIGRATED = "emigrated"
DROP_MOVED = "moved_out"
DROP_OTHER_MUNICIPALITY = "other_municipality"
DROP_NOT_YET_SETTLED = "not_yet_settled"
DROP_TOO_YOUNG = "too_young"
DROP_TOO_OLD = "too_old"
DROP_QUALIFICATION = "starting_qualification"
DROP_ENROLLED = "enrolled"
DROP_EXEMPTION = "exemption"
DROP_TRANSFER = "transfer_start_of_year"


@dataclass(slots=True)
class RegisterPerson:
    bsn: str
    surname: str
    date_of_birth: dt.date
    municipality: str
    given_names: str = ""
    tussenvoegsel: str = ""
    address: str = ""
    settled_on: dt.date | None = None
    departed_on: dt.date | None = None
    departure_reason: str = ""  # moved / emigrated / deceased (free text is folded)
    starting_qualification: bool = False
    line: int = 0


@dataclass(slots=True, frozen=True)
class Span:
    """An enrolment or exemption of a BSN from `start` to `end` (inclusive, None = open)."""

    bsn: str
    start: dt.date
    end: dt.date | None = None
    article: str = ""  # exemptions only

    def covers(self, on: dt.date) -> bool:
        return self.start <= on and (self.end is None or self.end >= on)


@dataclass(slots=True)
class Verdict:
    person: RegisterPerson
    kept: bool
    code: str
    reason: str


def school_year_start(on: dt.date, cfg: LeerplichtConfig) -> dt.date:
    start = dt.date(on.year, cfg.school_year_start_month, cfg.school_year_start_day)
    return start if on >= start else dt.date(on.year - 1, start.month, start.day)


def _rule(cfg: LeerplichtConfig) -> CompulsoryAgeRule:
    return CompulsoryAgeRule(
        start_age_years=cfg.start_age_years,
        end_age_years=cfg.end_age_years,
        qualification_until_age=cfg.qualification_until_age,
        school_year_start_month=cfg.school_year_start_month,
        school_year_start_day=cfg.school_year_start_day,
    )


def leerplicht_start(
    dob: dt.date, cfg: LeerplichtConfig, is_school_day: SchoolDayTest | None = None
) -> dt.date:
    """The first school day of the month after the 5th birthday (Leerplichtwet art. 3 lid 1).

    `is_school_day` comes from the school calendar of the protocol preset (holidays,
    public holidays): in August the first school day follows the summer holiday, weeks
    after the 1st. Without a calendar, the first weekday of that month.
    """
    return compulsory_period(dob, cfg, is_school_day)[0]


def compulsory_period(
    dob: dt.date, cfg: LeerplichtConfig, is_school_day: SchoolDayTest | None = None
) -> tuple[dt.date, dt.date, dt.date]:
    """(leerplicht starts, leerplicht ends, kwalificatieplicht ends) - ends are exclusive.

    The one rule of Leerplichtwet art. 3, 4 and 4a (leerrecht.engine.compulsory), with the
    ages and the school year of the reconciliation config."""
    period = engine_compulsory_period(
        date_of_birth=dob, rule=_rule(cfg), is_school_day=is_school_day
    )
    return period.leerplicht_start, period.leerplicht_end, period.kwalificatieplicht_end


def _reason_kind(text: str) -> str:
    t = (text or "").strip().lower()
    if t.startswith(("overl", "dece", "died")):
        return "deceased"
    if t.startswith(("emig", "buitenland", "vertrokken naar buitenland", "rni")):
        return "emigrated"
    return "moved"


def evaluate(
    register: Iterable[RegisterPerson],
    *,
    enrolments: Iterable[Span],
    exemptions: Iterable[Span],
    on: dt.date,
    leerplicht: LeerplichtConfig,
    rules: AbsoluteVerzuimConfig,
    municipalities: set[str] | None = None,
    is_school_day: SchoolDayTest | None = None,
) -> list[Verdict]:
    """One verdict per register person: kept as absolute-verzuim candidate, or dropped, and why.

    Exemption articles are compared in one form (``article_normalise``: "5 onder a" = "5a").
    A person without a (valid) BSN cannot be looked up in enrolments and exemptions: when
    of compulsory school age they are kept with code ``kept_no_bsn`` for a person to check.
    """
    by_bsn_enrol: dict[str, list[Span]] = defaultdict(list)
    for e in enrolments:
        by_bsn_enrol[e.bsn].append(e)
    by_bsn_exempt: dict[str, list[Span]] = defaultdict(list)
    for x in exemptions:
        by_bsn_exempt[x.bsn].append(x)
    year_start = school_year_start(on, leerplicht)
    in_grace = on < year_start + dt.timedelta(weeks=rules.transfer_grace_weeks)
    exempting = {article_normalise(a) for a in rules.exempting_articles}
    out: list[Verdict] = []
    for p in register:

        def drop(code: str, reason: str, p=p) -> None:
            out.append(Verdict(p, False, code, reason))

        if p.departed_on is not None and p.departed_on <= on:
            kind = _reason_kind(p.departure_reason)
            when = f"{p.departed_on:%d-%m-%Y}"
            if kind == "deceased":
                drop(DROP_DECEASED, f"overleden ({when})")
            elif kind == "emigrated":
                drop(DROP_EMIGRATED, f"geëmigreerd ({when})")
            else:
                drop(DROP_MOVED, f"verhuisd naar een andere gemeente ({when})")
            continue
        if municipalities is not None and p.municipality not in municipalities:
            drop(DROP_OTHER_MUNICIPALITY, f"woont niet in een bediende gemeente ({p.municipality})")
            continue
        if p.settled_on is not None and p.settled_on > on:
            drop(DROP_NOT_YET_SETTLED, f"pas gevestigd per {p.settled_on:%d-%m-%Y}")
            continue
        start, end, qualification_end = compulsory_period(
            p.date_of_birth, leerplicht, is_school_day
        )
        if on < start:
            drop(DROP_TOO_YOUNG, f"nog niet leerplichtig (vanaf {start:%d-%m-%Y})")
            continue
        if on >= qualification_end:
            drop(
                DROP_TOO_OLD, f"niet meer kwalificatieplichtig (sinds {qualification_end:%d-%m-%Y})"
            )
            continue
        leerplichtig = on < end
        if not leerplichtig and p.starting_qualification:
            drop(DROP_QUALIFICATION, "startkwalificatie behaald")
            continue
        if not p.bsn:
            out.append(
                Verdict(
                    p,
                    True,
                    KEPT_NO_BSN,
                    "leerplichtig, maar BSN ontbreekt of is ongeldig: "
                    "inschrijving en vrijstelling handmatig controleren",
                )
            )
            continue
        enrolments_p = by_bsn_enrol.get(p.bsn, [])
        current = next((e for e in enrolments_p if e.covers(on)), None)
        if current is not None:
            drop(DROP_ENROLLED, f"ingeschreven sinds {current.start:%d-%m-%Y}")
            continue
        exemption = next(
            (
                x
                for x in by_bsn_exempt.get(p.bsn, [])
                if x.covers(on) and article_normalise(x.article) in exempting
            ),
            None,
        )
        if exemption is not None:
            drop(
                DROP_EXEMPTION, f"geldige vrijstelling art. {article_normalise(exemption.article)}"
            )
            continue
        if in_grace:
            lookback = on - dt.timedelta(days=rules.transfer_lookback_days)
            recent = [e for e in enrolments_p if e.end is not None and lookback <= e.end < on]
            if recent:
                drop(
                    DROP_TRANSFER,
                    f"overstap: eerste {rules.transfer_grace_weeks} weken van het schooljaar, "
                    f"uitgeschreven per {recent[0].end:%d-%m-%Y}",
                )
                continue
        if leerplichtig:
            out.append(
                Verdict(
                    p, True, KEPT_LEERPLICHT, "leerplichtig, niet ingeschreven, geen vrijstelling"
                )
            )
        else:
            out.append(
                Verdict(
                    p,
                    True,
                    KEPT_KWALIFICATIEPLICHT,
                    "kwalificatieplichtig zonder startkwalificatie, niet ingeschreven",
                )
            )
    return out
