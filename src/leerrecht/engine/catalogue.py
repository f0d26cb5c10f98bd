"""The signal catalogue: every signal of SIGNALS.md as ONE SQL text per rule.

Each rule is written once in a SQL subset that runs unchanged on DuckDB and Spark SQL
(docs/adr/0003-signal-sql-dialect.md): explicit ``PARTITION BY student_id ORDER BY
day_no`` windows, ``ROWS``/``RANGE BETWEEN n PRECEDING AND CURRENT ROW`` frames, filters
in outer queries (no QUALIFY), no DuckDB- or Spark-only functions. Thresholds and window
lengths are parameters (protocol presets, defaults = SIGNALS.md) formatted into the SQL
after validation (:func:`params_resolve`), never literals in the SQL text.

The rules read shared relations that the runner builds once (docs/adr/0161):

``dates``     the file's school calendar: one row per distinct date, ``gi`` its index.
``events``    the rows that carry something a rule can use (absence, late, sent home,
              zero attended hours) with ``day_no`` = the student's school day number and
              ``attended`` hours; ordinary days (present, nothing to report) are not in it.
``base``      every row, same columns (only the dense part of under_50pct_4w reads it).
``student_years`` / ``students``  per student (and school year) totals, one pass.
``sick_rows`` event rows with ``sick > 0``; ``grp`` (day_no - row_number) identifies the
              sick spell, ``spell_pos`` the day within it, ``spell_len`` its full length
              (spells are cut from the whole file, SIGNALS.md "Conventions").
``spells``    one row per sick spell (a hash aggregate of ``sick_seq`` by spell).
``zero_rows`` rows with zero attended hours, grouped into runs like spells.

Which relations a plan builds follows from the rules' ``needs`` and
:data:`RELATION_DEPS` (docs/adr/0162): a plan without ``attendance_tier`` skips the
per-school-year aggregate, one without sickness rules never builds the spells.

"Filter first, then window": rules on sums of sparse events (unauthorised hours, late,
sick days, sent home) window only over the rows that carry an event, with a RANGE frame
on ``day_no``, which equals the dense ROWS frame of the school days (a rule of the form
"sum > X" or "sum >= X > 0" can first hold only on an event day).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from leerrecht.engine.errors import UnknownSignalError

__all__ = [
    "CATALOGUE",
    "DERIVED_SQL",
    "OUTPUT_COLUMNS",
    "RELATION_DEPS",
    "SHARED_VIEWS",
    "ParamSpec",
    "SignalDef",
    "SqlContext",
    "params_resolve",
    "rolling_sql",
    "shared_sql",
    "signal_get",
]

#: Output schema (same for every signal and engine); see docs/signals.md.
OUTPUT_COLUMNS = ("student_id", "signal", "first_date", "value", "spell_length", "tier")


@dataclass(frozen=True, slots=True)
class SqlContext:
    """Engine-wide settings formatted into the SQL."""

    eps: float = 1e-9  # tolerance for comparisons of summed (floating) hours
    school_year_start_month: int = 8  # school year starts 1 August (SIGNALS.md)


@dataclass(frozen=True, slots=True)
class ParamSpec:
    """A rule parameter: name, default (SIGNALS.md) and which values are possible."""

    name: str
    kind: str  # see _CHECKS
    default: float | int
    help: str


# kind -> (predicate, description of allowed values)
_CHECKS: dict[str, tuple[Callable[[float], bool], str]] = {
    "window": (lambda v: v >= 1 and float(v).is_integer(), "a whole number of school days >= 1"),
    "int_gt": (lambda v: v >= 0 and float(v).is_integer(), "a whole number >= 0"),
    "int_ge": (lambda v: v >= 1 and float(v).is_integer(), "a whole number >= 1"),
    "num_gt": (lambda v: v >= 0, "a number >= 0"),
    "num_ge": (lambda v: v > 0, "a number > 0"),
    "share_lt": (lambda v: 0 < v <= 1, "a share > 0 and <= 1"),
    "share_gt": (lambda v: 0 <= v < 1, "a share >= 0 and < 1"),
    "rate": (lambda v: 0 <= v <= 1, "a share between 0 and 1"),
}


@dataclass(frozen=True, slots=True)
class SignalDef:
    """One catalogue signal: its parameters, source and SQL builder."""

    id: str
    title: str
    source: str
    params: tuple[ParamSpec, ...]
    needs: tuple[str, ...]  # relations the rule reads (see RELATION_DEPS)
    build: Callable[[Mapping[str, float | int], SqlContext], str] = field(repr=False)
    check: Callable[[Mapping[str, float | int]], str | None] | None = field(
        default=None, repr=False
    )
    # the ``events`` column a rolling-sum rule sums over ``window_days`` (rules with the
    # same column and window share one relation, see rolling_sql)
    rolling: str | None = None

    def sql(self, params: Mapping[str, float | int], ctx: SqlContext | None = None) -> str:
        return self.build(params, ctx or SqlContext())


def _num(x: float | int) -> str:
    """A numeric parameter as a DOUBLE literal understood by DuckDB and Spark."""
    return f"CAST({float(x)!r} AS DOUBLE)"


def _int(x: float | int) -> str:
    return str(int(x))


def _first(signal_id: str, holds: str) -> str:
    """Keep the first day per student on which ``holds`` (a relation) has a row.

    ``holds`` yields student_id, day_no, date, value, spell_length, tier.
    """
    return f"""SELECT student_id, '{signal_id}' AS signal, date AS first_date,
  CAST(value AS DOUBLE) AS value, CAST(spell_length AS BIGINT) AS spell_length,
  CAST(tier AS BIGINT) AS tier
FROM (
  SELECT h.student_id, h.day_no, h.date, h.value, h.spell_length, h.tier,
    row_number() OVER (PARTITION BY h.student_id ORDER BY h.day_no) AS occ
  FROM ({holds}) h
) f
WHERE occ = 1"""


def rolling_sql(column: str, window: int) -> tuple[str, str]:
    """(name, SQL) of the rolling sum of ``column`` over ``window`` school days.

    One row per event day with ``column`` > 0: the sum over the ``window`` school days
    ending at d. RANGE over day_no on the filtered rows = the dense window of school
    days; before the N-th school day the frame simply holds fewer days (SIGNALS.md,
    "Conventions"). Rules with the same column and window read the same relation.
    """
    return (
        f"roll_{column}_{int(window)}",
        f"""SELECT student_id, day_no, date,
  SUM({column}) OVER (PARTITION BY student_id ORDER BY day_no
    RANGE BETWEEN {int(window) - 1} PRECEDING AND CURRENT ROW) AS w
FROM events WHERE {column} > 0""",
    )


def _rolling_event_sum(signal_id: str, column: str, window: int, cmp: str, threshold: str) -> str:
    """First event day on which the rolling sum of ``column`` (see rolling_sql) ``cmp``s.

    A rule "sum > X" or "sum >= X > 0" can first hold only on an event day.
    """
    name, _sql = rolling_sql(column, window)
    return _first(
        signal_id,
        f"""SELECT student_id, day_no, date, w AS value,
  CAST(NULL AS BIGINT) AS spell_length, CAST(NULL AS BIGINT) AS tier
FROM {name}
WHERE w {cmp} {threshold}""",
    )


# --- the rules ---------------------------------------------------------------------------


def _unauthorised_16h_4w(p: Mapping, ctx: SqlContext) -> str:
    # seed 001, 1.2: "Meer dan 16 uur ... verzuim in een periode van 4 weken" (strict >)
    return _rolling_event_sum(
        "unauthorised_16h_4w",
        "unauth",
        int(p["window_days"]),
        ">",
        f"{_num(p['more_than_hours'])} + {_num(ctx.eps)}",
    )


def _preventive_10h_4w(p: Mapping, ctx: SqlContext) -> str:
    # seed 000, casus 2 doelgroep: 10 hours unauthorised in 4 weeks (>=)
    return _rolling_event_sum(
        "preventive_10h_4w",
        "unauth",
        int(p["window_days"]),
        ">=",
        f"{_num(p['at_least_hours'])} - {_num(ctx.eps)}",
    )


def _sent_home_sick_repeated(p: Mapping, ctx: SqlContext) -> str:
    # seed 000, casus 2, criterion 4 ("regelmatig ziek naar huis"), default reading
    return _rolling_event_sum(
        "sent_home_sick_repeated", "shs", int(p["window_days"]), ">=", _int(p["at_least_days"])
    )


def _school_year(col: str, ctx: SqlContext) -> str:
    m = ctx.school_year_start_month
    return f"(CASE WHEN month({col}) >= {m} THEN year({col}) ELSE year({col}) - 1 END)"


def _late_9x(p: Mapping, ctx: SqlContext) -> str:
    # seed 001, 1.2: "Negen keer te laat"; counter resets on 1 August (SIGNALS.md)
    return _first(
        "late_9x",
        f"""SELECT student_id, day_no, date, c AS value,
  CAST(NULL AS BIGINT) AS spell_length, CAST(NULL AS BIGINT) AS tier
FROM (
  SELECT student_id, day_no, date,
    SUM(late) OVER (PARTITION BY student_id, school_year ORDER BY day_no
      ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS c
  FROM (SELECT student_id, day_no, date, late, {_school_year("date", ctx)} AS school_year
        FROM events WHERE late > 0) l
) e
WHERE c >= {_int(p["at_least_times"])}""",
    )


def _sick_short_spells_3x_2m(p: Mapping, ctx: SqlContext) -> str:
    # seed 000, casus 2, criterion 1: "In een periode van 2 maanden drie keer (of meer)
    # een of twee dagen ziek gemeld". At the last day d of a short spell, count the short
    # spells lying entirely within the N days ending at d: those ending in the frame,
    # minus the earliest one when it started before the frame (only it can straddle).
    n = int(p["window_days"])
    return _first(
        "sick_short_spells_3x_2m",
        f"""SELECT student_id, day_no, date, k AS value,
  spell_len AS spell_length, CAST(NULL AS BIGINT) AS tier
FROM (
  SELECT student_id, end_day AS day_no, end_date AS date, spell_len,
    (COUNT(*) OVER w_end)
      - (CASE WHEN (FIRST_VALUE(start_day) OVER w_end) < end_day - {n - 1} THEN 1 ELSE 0 END)
      AS k
  FROM spells
  WHERE spell_len <= {_int(p["max_spell_days"])}
  WINDOW w_end AS (PARTITION BY student_id ORDER BY end_day
                   RANGE BETWEEN {n - 1} PRECEDING AND CURRENT ROW)
) s
WHERE k >= {_int(p["at_least_spells"])}""",
    )


def _spell_day(signal_id: str, min_pos: int) -> str:
    return _first(
        signal_id,
        f"""SELECT student_id, day_no, date, spell_pos AS value,
  spell_len AS spell_length, CAST(NULL AS BIGINT) AS tier
FROM sick_rows
WHERE spell_len >= {min_pos} AND spell_pos >= {min_pos}""",
    )


def _sick_long_spell_10d(p: Mapping, ctx: SqlContext) -> str:
    # seed 000, casus 2, criterion 2: more than 10 consecutive school days sick
    return _spell_day("sick_long_spell_10d", int(p["more_than_days"]) + 1)


def _sick_spell_7th_day(p: Mapping, ctx: SqlContext) -> str:
    # M@ZL (ncj.nl/mazl, DOMAIN.md): the 7th consecutive school day sick
    return _spell_day("sick_spell_7th_day", int(p["at_day"]))


def _sick_days_4_1m(p: Mapping, ctx: SqlContext) -> str:
    # seed 000, casus 2, criterion 3: "Meer dan 4 dagen ziek gemeld verspreid over de
    # afgelopen maand": > 4 sick days in the 20 ending at d, over >= 2 spells. Spells
    # meeting the frame = spell starts in it + 1 when its first row continues a spell.
    n = int(p["window_days"])
    return _first(
        "sick_days_4_1m",
        f"""SELECT student_id, day_no, date, days AS value,
  CAST(NULL AS BIGINT) AS spell_length, CAST(NULL AS BIGINT) AS tier
FROM (
  SELECT student_id, day_no, date,
    COUNT(*) OVER w AS days,
    (SUM(CASE WHEN spell_pos = 1 THEN 1 ELSE 0 END) OVER w)
      + (CASE WHEN (FIRST_VALUE(spell_pos) OVER w) > 1 THEN 1 ELSE 0 END) AS n_spells
  FROM sick_rows
  WINDOW w AS (PARTITION BY student_id ORDER BY day_no
               RANGE BETWEEN {n - 1} PRECEDING AND CURRENT ROW)
) s
WHERE days > {_int(p["more_than_days"])} AND n_spells >= {_int(p["at_least_spells"])}""",
    )


def _sick_4th_report_12w(p: Mapping, ctx: SqlContext) -> str:
    # seed 001, 1.1: "voor de 4e keer in 12 schoolweken ... ziekgemeld"; d = first day of
    # a spell that is the 4th (or later) spell starting within the 60 days ending at d.
    n = int(p["window_days"])
    return _first(
        "sick_4th_report_12w",
        f"""SELECT student_id, day_no, date, k AS value,
  spell_len AS spell_length, CAST(NULL AS BIGINT) AS tier
FROM (
  SELECT student_id, start_day AS day_no, start_date AS date, spell_len,
    COUNT(*) OVER (PARTITION BY student_id ORDER BY start_day
      RANGE BETWEEN {n - 1} PRECEDING AND CURRENT ROW) AS k
  FROM spells
) s
WHERE k >= {_int(p["at_least_spells"])}""",
    )


def _sick_50h_spell(p: Mapping, ctx: SqlContext) -> str:
    # seed 001, 1.1: "meer dan 50 uur aaneengesloten ziekgemeld"
    return _first(
        "sick_50h_spell",
        f"""SELECT student_id, day_no, date, spell_hours AS value,
  spell_len AS spell_length, CAST(NULL AS BIGINT) AS tier
FROM sick_rows
WHERE spell_hours > {_num(p["more_than_hours"])} + {_num(ctx.eps)}""",
    )


def _under_50pct_4w(p: Mapping, ctx: SqlContext) -> str:
    # seed 000, ch. 2 (risicoleerling): over N full school days attended < 50% of
    # scheduled, and authorised + sick >= unauthorised. Exact pruning before the dense
    # window: let e be the last absence day in a window W and k, A the number of
    # absence days and absent hours in the N days ending at e. Then attended(W) >=
    # (N - k) * min daily scheduled and absent(W) <= A, so the rule
    # (1-p) * attended < p * absent can hold only for students with some e where
    # (1-p) * (N - k) * min_sched < p * A ("candidate" e). The rule can then hold only on
    # a day d in [e, e + N - 1] of a candidate e, whose window lies in [e - N + 1, d]:
    # the dense window runs on each student's rows between ``lo`` = (first candidate e)
    # - N + 1 (or the student's first day) and (last candidate e) + N - 1 only. These
    # rows are consecutive school days, so the window holds N days exactly when
    # day_no - lo >= N - 1 (no COUNT over the frame: each windowed aggregate costs).
    n = int(p["window_days"])
    share = _num(p["attended_share_below"])
    eps = _num(ctx.eps)
    frame = (
        f"(PARTITION BY b.student_id ORDER BY b.day_no "
        f"ROWS BETWEEN {n - 1} PRECEDING AND CURRENT ROW)"
    )
    return _first(
        "under_50pct_4w",
        f"""SELECT student_id, day_no, date,
  CASE WHEN sch > 0 THEN att / sch ELSE CAST(0 AS DOUBLE) END AS value,
  CAST(NULL AS BIGINT) AS spell_length, CAST(NULL AS BIGINT) AS tier
FROM (
  SELECT b.student_id, b.day_no, b.date, c.lo,
    SUM(b.attended) OVER {frame} AS att,
    SUM(b.sched) OVER {frame} AS sch,
    SUM(b.sick + b.auth - b.unauth) OVER {frame} AS valid_minus_unauth
  FROM base b
  JOIN (
    SELECT e.student_id,
      GREATEST(MIN(e.day_no) - {n - 1},
               MIN(CASE WHEN s.gappy = 1 THEN 1 ELSE s.gmin END)) AS lo,
      MAX(e.day_no) + {n - 1} AS hi
    FROM (
      SELECT student_id, day_no,
        COUNT(*) OVER w AS k,
        SUM(unauth + sick + auth) OVER w AS absent
      FROM events WHERE unauth + sick + auth > 0
      WINDOW w AS (PARTITION BY student_id ORDER BY day_no
                   RANGE BETWEEN {n - 1} PRECEDING AND CURRENT ROW)
    ) e JOIN students s ON e.student_id = s.student_id
    WHERE (CAST(1 AS DOUBLE) - {share}) * ({n} - e.k) * s.min_sched
          <= {share} * e.absent + {eps}
    GROUP BY e.student_id
  ) c ON b.student_id = c.student_id AND b.day_no >= c.lo AND b.day_no <= c.hi
) w
WHERE day_no - lo >= {n - 1} AND att < {share} * sch - {eps}
  AND valid_minus_unauth >= -{eps}""",
    )


def _absent_4w_consecutive(p: Mapping, ctx: SqlContext) -> str:
    # seed 004, 2.2: "4 weken aaneengesloten niet op de stamschool" (any reason)
    return _first(
        "absent_4w_consecutive",
        f"""SELECT student_id, day_no, date, run_pos AS value,
  run_len AS spell_length, CAST(NULL AS BIGINT) AS tier
FROM zero_rows
WHERE run_len >= {_int(p["window_days"])} AND run_pos >= {_int(p["window_days"])}""",
    )


def _thuiszitter_inspectie(p: Mapping, ctx: SqlContext) -> str:
    # seed 001, 1.3 (Inspectie): > 4 weeks (21 school days) no education at all, and
    # mostly without valid reason: unauthorised > 50% of all absence in those days.
    # Within a run of zero-attendance rows the RANGE frame is exactly the N days; only
    # runs of N or more days can hold, so shorter runs are dropped before the window.
    n = int(p["window_days"])
    return _first(
        "thuiszitter_inspectie",
        f"""SELECT student_id, day_no, date,
  CASE WHEN total > 0 THEN u / total ELSE CAST(0 AS DOUBLE) END AS value,
  run_len AS spell_length, CAST(NULL AS BIGINT) AS tier
FROM (
  SELECT student_id, day_no, date, run_pos, run_len,
    SUM(unauth) OVER w AS u,
    SUM(unauth + sick + auth) OVER w AS total
  FROM zero_rows
  WHERE run_len >= {n}
  WINDOW w AS (PARTITION BY student_id ORDER BY day_no
               RANGE BETWEEN {n - 1} PRECEDING AND CURRENT ROW)
) z
WHERE run_pos >= {n} AND u > {_num(p["unauthorised_share_above"])} * total + {_num(ctx.eps)}""",
    )


def _attendance_tier(p: Mapping, ctx: SqlContext) -> str:
    # seed 002 (Kearney pyramid / RTI): a label per student as of their last day, from
    # the absence rate (unauthorised + sick + authorised) / scheduled since 1 August
    # of the school year of that last day (student_years holds the sums per year).
    t2, t3, eps = _num(p["tier2_from"]), _num(p["tier3_from"]), _num(ctx.eps)
    return _first(
        "attendance_tier",
        f"""SELECT student_id, CAST(0 AS BIGINT) AS day_no, last_date AS date, rate AS value,
  CAST(NULL AS BIGINT) AS spell_length,
  CASE WHEN rate >= {t3} - {eps} THEN 3 WHEN rate >= {t2} - {eps} THEN 2 ELSE 1 END AS tier
FROM (
  SELECT y.student_id, y.last_date,
    CASE WHEN y.sched > 0 THEN y.absent / y.sched ELSE CAST(0 AS DOUBLE) END AS rate,
    row_number() OVER (PARTITION BY y.student_id ORDER BY y.school_year DESC) AS latest
  FROM student_years y
) t
WHERE latest = 1""",
    )


def _tier_check(p: Mapping) -> str | None:
    if p["tier2_from"] > p["tier3_from"]:
        return "tier2_from must not be greater than tier3_from"
    return None


def _ps(name: str, kind: str, default: float | int, help_: str) -> ParamSpec:
    return ParamSpec(name, kind, default, help_)


_W20 = _ps("window_days", "window", 20, "school days in the window ending at d (4 weeks)")

CATALOGUE: dict[str, SignalDef] = {
    s.id: s
    for s in (
        SignalDef(
            "unauthorised_16h_4w",
            "More than 16 hours unauthorised absent within 4 school weeks",
            "seed 001, 1.2",
            (_W20, _ps("more_than_hours", "num_gt", 16, "sum of unauthorised hours > this")),
            ("events",),
            _unauthorised_16h_4w,
            rolling="unauth",
        ),
        SignalDef(
            "late_9x",
            "9 times late in the school year",
            "seed 001, 1.2",
            (_ps("at_least_times", "int_ge", 9, "cumulative late since 1 August >= this"),),
            ("events",),
            _late_9x,
        ),
        SignalDef(
            "preventive_10h_4w",
            "10 hours unauthorised absent within 4 school weeks (preventive)",
            "seed 000, casus 2",
            (_W20, _ps("at_least_hours", "num_ge", 10, "sum of unauthorised hours >= this")),
            ("events",),
            _preventive_10h_4w,
            rolling="unauth",
        ),
        SignalDef(
            "sick_short_spells_3x_2m",
            "3 or more sick reports of 1-2 days within 2 months",
            "seed 000, casus 2, criterion 1",
            (
                _ps("window_days", "window", 40, "school days in the window (2 months)"),
                _ps("at_least_spells", "int_ge", 3, "short spells within the window >= this"),
                _ps("max_spell_days", "int_ge", 2, "a short spell lasts at most this many days"),
            ),
            ("spells",),
            _sick_short_spells_3x_2m,
        ),
        SignalDef(
            "sick_long_spell_10d",
            "Sick more than 10 consecutive school days",
            "seed 000, casus 2, criterion 2",
            (_ps("more_than_days", "int_gt", 10, "spell length > this"),),
            ("sick_rows",),
            _sick_long_spell_10d,
        ),
        SignalDef(
            "sick_spell_7th_day",
            "7th consecutive school day sick (M@ZL)",
            "M@ZL (ncj.nl/mazl), DOMAIN.md",
            (_ps("at_day", "int_ge", 7, "day of the spell on which the signal fires"),),
            ("sick_rows",),
            _sick_spell_7th_day,
        ),
        SignalDef(
            "sick_days_4_1m",
            "More than 4 sick days over at least 2 reports within a month",
            "seed 000, casus 2, criterion 3",
            (
                _W20,
                _ps("more_than_days", "int_gt", 4, "sick school days in the window > this"),
                _ps("at_least_spells", "int_ge", 2, "spread over at least this many spells"),
            ),
            ("sick_rows",),
            _sick_days_4_1m,
        ),
        SignalDef(
            "sent_home_sick_repeated",
            "Sent home sick 3 or more times within 2 months",
            "seed 000, casus 2, criterion 4",
            (
                _ps("window_days", "window", 40, "school days in the window (2 months)"),
                _ps("at_least_days", "int_ge", 3, "days sent home sick >= this"),
            ),
            ("events",),
            _sent_home_sick_repeated,
            rolling="shs",
        ),
        SignalDef(
            "sick_4th_report_12w",
            "4th sick report within 12 school weeks",
            "seed 001, 1.1",
            (
                _ps("window_days", "window", 60, "school days in the window (12 weeks)"),
                _ps("at_least_spells", "int_ge", 4, "spells starting within the window >= this"),
            ),
            ("spells",),
            _sick_4th_report_12w,
        ),
        SignalDef(
            "sick_50h_spell",
            "More than 50 hours sick in one spell",
            "seed 001, 1.1",
            (_ps("more_than_hours", "num_gt", 50, "sick hours of the spell up to d > this"),),
            ("sick_rows",),
            _sick_50h_spell,
        ),
        SignalDef(
            "under_50pct_4w",
            "Less than 50% attended over 4 school weeks, mainly authorised (risicoleerling)",
            "seed 000, ch. 2",
            (
                _W20,
                _ps("attended_share_below", "share_lt", 0.5, "attended / scheduled < this"),
            ),
            ("events", "students", "base"),
            _under_50pct_4w,
        ),
        SignalDef(
            "absent_4w_consecutive",
            "4 consecutive school weeks without attended hours",
            "seed 004, 2.2",
            (_W20,),
            ("zero_rows",),
            _absent_4w_consecutive,
        ),
        SignalDef(
            "thuiszitter_inspectie",
            "Thuiszitter (Inspectie): more than 4 weeks no education, mostly unauthorised",
            "seed 001, 1.3",
            (
                _ps("window_days", "window", 21, "school days without attendance (> 4 weeks)"),
                _ps(
                    "unauthorised_share_above",
                    "share_gt",
                    0.5,
                    "unauthorised / all absence > this",
                ),
            ),
            ("zero_rows",),
            _thuiszitter_inspectie,
        ),
        SignalDef(
            "attendance_tier",
            "Attendance tier 1/2/3 (absence rate since 1 August)",
            "seed 002, Kearney pyramid",
            (
                _ps("tier2_from", "rate", 0.05, "absence rate >= this is tier 2"),
                _ps("tier3_from", "rate", 0.10, "absence rate >= this is tier 3"),
            ),
            ("student_years",),
            _attendance_tier,
            _tier_check,
        ),
    )
}


def signal_get(signal_id: str) -> SignalDef:
    try:
        return CATALOGUE[signal_id]
    except KeyError:
        raise UnknownSignalError(
            f"unknown signal {signal_id!r} (known: {', '.join(CATALOGUE)})"
        ) from None


def params_resolve(
    signal_id: str, given: Mapping[str, object] | None = None, *, where: str = ""
) -> dict[str, float | int]:
    """Defaults of ``signal_id`` overridden by ``given``; raise ValueError when impossible.

    The message names ``where`` (e.g. "preset.toml: signals.late_9x") and the key.
    """
    sig = signal_get(signal_id)
    prefix = f"{where}." if where else f"{signal_id}."
    known = {ps.name: ps for ps in sig.params}
    out: dict[str, float | int] = {ps.name: ps.default for ps in sig.params}
    for key, value in (given or {}).items():
        if key not in known:
            raise ValueError(
                f"{prefix}{key}: unknown parameter (known: {', '.join(known) or 'none'})"
            )
        spec = known[key]
        ok, allowed = _CHECKS[spec.kind]
        if isinstance(value, bool) or not isinstance(value, int | float) or not ok(value):
            raise ValueError(f"{prefix}{key} = {value!r}: must be {allowed}")
        out[key] = int(value) if spec.kind in {"window", "int_gt", "int_ge"} else float(value)
    if sig.check is not None and (msg := sig.check(out)):
        raise ValueError(f"{prefix}{msg}")
    return out


def shared_sql(
    as_of: str | None,
    ctx: SqlContext | None = None,
    *,
    student_years: bool = True,
    min_sched: bool = True,
) -> dict[str, str]:
    """Relations the rules build on, in dependency order (name -> SQL).

    Cost model: one aggregate pass over all rows (``student_years``: per student and
    school year, or with ``student_years=False`` a lighter one per student), one filtering
    pass that keeps only the rows carrying an event (``events``: any absence, late, sent
    home, or no attended hours), and the small ``dates`` table. Every rule except
    ``under_50pct_4w`` reads ``events`` (or relations derived from it) only.

    ``day_no`` is the student's school day number, taken from the school calendar of
    the file (``dates``: one row per school day, ``gi`` its index) by a hash join on
    date - never by numbering every row. Only differences of day_no matter to the
    rules, so for a student whose rows cover a contiguous run of the calendar (the
    usual case) day_no = ``gi``. Students with a gap relative to the calendar
    ("gappy", usually none) get ``row_number()`` by date over their own rows instead.

    ``student_years=False`` (no planned rule reads ``student_years``): ``students`` is
    aggregated from ``att`` per student only, which is cheaper than per student and
    school year; with ``min_sched=False`` too (no planned rule reads ``students``
    itself, only the gappy test does) it does not read the scheduled hours at all.
    """
    ctx = ctx or SqlContext()
    where = f"WHERE date <= DATE '{as_of}'" if as_of else ""
    cols = """a.scheduled_hours AS sched, a.unauthorised_hours AS unauth,
  a.sick_hours AS sick, a.authorised_hours AS auth, a.late, a.sent_home_sick AS shs,
  a.scheduled_hours - a.unauthorised_hours - a.sick_hours - a.authorised_hours AS attended"""
    # a row "carries an event" when some rule can use it; all other rows are ordinary
    # days (present, nothing to report) that only the aggregates and the dense
    # under_50pct_4w window need
    event = f"""(a.unauthorised_hours > 0 OR a.sick_hours > 0 OR a.authorised_hours > 0
  OR a.late > 0 OR a.sent_home_sick > 0
  OR a.scheduled_hours - a.unauthorised_hours - a.sick_hours - a.authorised_hours
     <= {_num(ctx.eps)})"""
    out = {
        "att": f"SELECT * FROM attendance {where}",
        "dates": """SELECT date, CAST(row_number() OVER (ORDER BY date) AS BIGINT) AS gi
FROM (SELECT DISTINCT date FROM att) d""",
    }
    if student_years:
        # the one pass over all rows: per student and school year (feeds attendance_tier)
        out["student_years"] = f"""SELECT a.student_id,
  {_school_year("a.date", ctx)} AS school_year,
  MIN(a.date) AS first_date, MAX(a.date) AS last_date, COUNT(*) AS n_days,
  MIN(a.scheduled_hours) AS min_sched, SUM(a.scheduled_hours) AS sched,
  SUM(a.unauthorised_hours + a.sick_hours + a.authorised_hours) AS absent
FROM att a
GROUP BY a.student_id, {_school_year("a.date", ctx)}"""
        per_student = """SELECT student_id, MIN(first_date) AS first_date,
        MAX(last_date) AS last_date, SUM(n_days) AS n_days, MIN(min_sched) AS min_sched
      FROM student_years GROUP BY student_id"""
    else:
        lowest = "MIN(scheduled_hours)" if min_sched else "CAST(NULL AS DOUBLE)"
        per_student = f"""SELECT student_id, MIN(date) AS first_date, MAX(date) AS last_date,
        COUNT(*) AS n_days, {lowest} AS min_sched
      FROM att GROUP BY student_id"""
    out |= {
        "students": f"""SELECT s.student_id, d1.gi AS gmin, d2.gi AS gmax, s.n_days, s.min_sched,
  CASE WHEN s.n_days = d2.gi - d1.gi + 1 THEN 0 ELSE 1 END AS gappy
FROM ({per_student}) s
JOIN dates d1 ON s.first_date = d1.date
JOIN dates d2 ON s.last_date = d2.date""",
        "gappy": "SELECT student_id FROM students WHERE gappy = 1",
        # rows of gappy students, numbered by a real sort (usually empty)
        "gappy_base": f"""SELECT a.student_id, a.date,
  CAST(row_number() OVER (PARTITION BY a.student_id ORDER BY a.date) AS BIGINT) AS day_no,
  {cols}
FROM att a JOIN gappy g ON a.student_id = g.student_id""",
        "events": f"""SELECT a.student_id, a.date, d.gi AS day_no, {cols}
FROM att a JOIN dates d ON a.date = d.date
LEFT JOIN gappy g ON a.student_id = g.student_id
WHERE g.student_id IS NULL AND {event}
UNION ALL
SELECT b.student_id, b.date, b.day_no, b.sched, b.unauth, b.sick, b.auth, b.late, b.shs,
  b.attended
FROM gappy_base b
WHERE b.unauth > 0 OR b.sick > 0 OR b.auth > 0 OR b.late > 0 OR b.shs > 0
  OR b.attended <= {_num(ctx.eps)}""",
        # every row (dense); only under_50pct_4w reads it, for its candidate students
        "base": f"""SELECT a.student_id, a.date, d.gi AS day_no, {cols}
FROM att a JOIN dates d ON a.date = d.date
LEFT JOIN gappy g ON a.student_id = g.student_id
WHERE g.student_id IS NULL
UNION ALL
SELECT * FROM gappy_base""",
    }
    return out


#: Relations that stay views in DuckDB and are not cached by Spark (the rest is
#: materialised: small, or read by several rules).
SHARED_VIEWS = ("att", "base", "zero_rows")

#: What each relation reads (shared and derived); rules name theirs in SignalDef.needs.
RELATION_DEPS: dict[str, tuple[str, ...]] = {
    "att": (),
    "dates": ("att",),
    "student_years": ("att",),
    "students": ("dates",),
    "gappy": ("students",),
    "gappy_base": ("att", "gappy"),
    "events": ("att", "dates", "gappy", "gappy_base"),
    "base": ("att", "dates", "gappy", "gappy_base"),
    "sick_rows": ("events",),
    "spells": ("sick_rows",),
    "zero_seq": ("events",),
    "zero_runs": ("zero_seq",),
    "zero_rows": ("zero_seq", "zero_runs"),
}


def _derived(ctx: SqlContext, *, zero_run_min: int = 1) -> dict[str, str]:
    """Relations derived from ``events`` (name -> SQL), in dependency order.

    ``zero_run_min``: the shortest run of zero-attendance days any planned rule can use
    (the smallest ``window_days`` of the rules reading ``zero_rows``). Only runs at least
    that long are kept intact, which lets ``zero_seq`` skip most zero-attendance rows
    before its window: a run of L >= N days fully covers an aligned block of
    B = max(1, N // 2) school days (B consecutive zero rows in that block), and every
    block such a run touches is full or next to a full one. So ``zero_seq`` numbers only
    the zero rows in full blocks and their two neighbours; runs shorter than N may come
    out cut short, and no rule reads them.
    """
    eps = _num(ctx.eps)
    b = max(1, int(zero_run_min) // 2)
    blk = f"CAST(FLOOR(day_no / {b}) AS BIGINT)"
    return {
        # sick spells (SIGNALS.md: a maximal run of consecutive school days with sick > 0)
        "sick_rows": """SELECT student_id, day_no, date, sick, grp,
  CAST(row_number() OVER (PARTITION BY student_id, grp ORDER BY day_no) AS BIGINT)
    AS spell_pos,
  CAST(COUNT(*) OVER (PARTITION BY student_id, grp) AS BIGINT) AS spell_len,
  SUM(sick) OVER (PARTITION BY student_id, grp ORDER BY day_no
    ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS spell_hours
FROM (
  SELECT student_id, day_no, date, sick,
    day_no - row_number() OVER (PARTITION BY student_id ORDER BY day_no) AS grp
  FROM events WHERE sick > 0
) s""",
        "spells": """SELECT student_id, grp, MIN(day_no) AS start_day, MAX(day_no) AS end_day,
  MIN(date) AS start_date, MAX(date) AS end_date,
  CAST(COUNT(*) AS BIGINT) AS spell_len, SUM(sick) AS spell_hours
FROM sick_rows
GROUP BY student_id, grp""",
        # zero-attendance rows that can belong to a run of zero_run_min+ days, numbered;
        # grp = day_no - row_number identifies the run
        "zero_seq": f"""SELECT z.student_id, z.day_no, z.date, z.unauth, z.sick, z.auth,
  z.day_no - row_number() OVER (PARTITION BY z.student_id ORDER BY z.day_no) AS grp
FROM events z
JOIN (
  SELECT DISTINCT f.student_id, f.blk + t.j AS blk
  FROM (
    SELECT student_id, {blk} AS blk
    FROM events WHERE attended <= {eps}
    GROUP BY student_id, {blk}
    HAVING COUNT(*) = {b}
  ) f CROSS JOIN (SELECT -1 AS j UNION ALL SELECT 0 AS j UNION ALL SELECT 1 AS j) t
) k ON z.student_id = k.student_id AND CAST(FLOOR(z.day_no / {b}) AS BIGINT) = k.blk
WHERE z.attended <= {eps}""",
        # runs by a hash aggregate and a join instead of a second window by (student, grp)
        "zero_runs": """SELECT student_id, grp, MIN(day_no) AS start_day,
  CAST(COUNT(*) AS BIGINT) AS run_len
FROM zero_seq
GROUP BY student_id, grp""",
        "zero_rows": """SELECT z.student_id, z.day_no, z.date, z.unauth, z.sick, z.auth, z.grp,
  CAST(z.day_no - r.start_day + 1 AS BIGINT) AS run_pos, r.run_len
FROM zero_seq z JOIN zero_runs r ON z.student_id = r.student_id AND z.grp = r.grp""",
    }


#: Derived relations in dependency order (name -> SQL builder).
DERIVED_SQL = _derived
