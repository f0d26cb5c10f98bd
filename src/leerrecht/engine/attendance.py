"""Attendance input: read, validate (vectorised in DuckDB) and normalise daily attendance.

The canonical input is described in SIGNALS.md, "Input: daily attendance". This module
reads canonical CSV or Parquet (or Dutch school exports through the aliases below),
checks every row with SQL (never row by row in Python), and registers the canonical,
typed data as the DuckDB view ``attendance``. When any row is invalid nothing is
registered and :class:`AttendanceValidationError` lists every problem (the first
``max_shown`` of them, plus the total count), each with file, line and column.

Line numbers: for CSV the physical line including the header (data row n is line n+1;
files with quoted multi-line fields are not supported); for Parquet the 1-based row.

Sparse input (SIGNALS.md, "Input"): with a school calendar, each student gets every
calendar school day from the first calendar day up to the last date present in the
attendance file(s) (the extraction date; capped at ``as_of``). Missing days count as
fully attended: scheduled hours = the calendar's ``default_scheduled_hours`` for that day
when the calendar gives one, otherwise the median ``scheduled_hours`` of the student's
own rows; all absence, ``late`` and ``sent_home_sick`` are 0. A row whose date is not a
school day of the calendar is invalid. See docs/signals.md, "Input".
"""

from __future__ import annotations

import codecs
import contextlib
import re
import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb

from leerrecht.engine.errors import AttendanceValidationError, Problem

__all__ = [
    "ATTENDANCE_ALIASES",
    "CALENDAR_ALIASES",
    "CANONICAL_COLUMNS",
    "AttendanceInfo",
    "attendance_load",
    "attendance_to_parquet",
]

#: Canonical columns, in output order, with their DuckDB type.
CANONICAL_COLUMNS: dict[str, str] = {
    "student_id": "VARCHAR",
    "date": "DATE",
    "scheduled_hours": "DOUBLE",
    "unauthorised_hours": "DOUBLE",
    "sick_hours": "DOUBLE",
    "authorised_hours": "DOUBLE",
    "late": "INTEGER",
    "sent_home_sick": "INTEGER",
}

# column -> (kind, required). Kinds: id, date, hours, count (integer >= 0), flag (0/1).
_ATTENDANCE_SPEC: dict[str, tuple[str, bool]] = {
    "student_id": ("id", True),
    "date": ("date", True),
    "scheduled_hours": ("hours", True),
    "unauthorised_hours": ("hours", True),
    "sick_hours": ("hours", True),
    "authorised_hours": ("hours", True),
    "late": ("count", False),
    "sent_home_sick": ("flag", False),
}
_CALENDAR_SPEC: dict[str, tuple[str, bool]] = {
    "date": ("date", True),
    "default_scheduled_hours": ("hours", False),
}

#: Header aliases (Dutch school exports) -> canonical column. Matching is
#: case-insensitive after trimming and turning spaces and hyphens into underscores.
#: The canonical names themselves are always accepted. Keep docs/signals.md in sync.
ATTENDANCE_ALIASES: dict[str, str] = {
    "leerling_id": "student_id",
    "leerlingid": "student_id",
    "leerlingnummer": "student_id",
    "leerling": "student_id",
    "datum": "date",
    "dag": "date",
    "geroosterde_uren": "scheduled_hours",
    "lesuren": "scheduled_hours",
    "roosteruren": "scheduled_hours",
    "ongeoorloofd": "unauthorised_hours",
    "ongeoorloofd_uren": "unauthorised_hours",
    "ongeoorloofd_verzuim": "unauthorised_hours",
    "ziek": "sick_hours",
    "ziek_uren": "sick_hours",
    "ziekte_uren": "sick_hours",
    "geoorloofd": "authorised_hours",
    "geoorloofd_uren": "authorised_hours",
    "geoorloofd_verzuim": "authorised_hours",
    "te_laat": "late",
    "telaat": "late",
    "ziek_naar_huis": "sent_home_sick",
}
CALENDAR_ALIASES: dict[str, str] = {
    "datum": "date",
    "dag": "date",
    "schooldag": "date",
    "standaard_uren": "default_scheduled_hours",
    "lesuren": "default_scheduled_hours",
    "geroosterde_uren": "default_scheduled_hours",
    "scheduled_hours": "default_scheduled_hours",
}

_EPS = 1e-9
#: Hours of one day above this are refused (an export error, e.g. minutes as hours).
MAX_HOURS_PER_DAY = 24
#: The date formats accepted in text files (the CLI help and messages name these).
DATE_FORMATS = "YYYY-MM-DD or DD-MM-YYYY"
_CSV_SUFFIXES = {".csv", ".txt", ".tsv"}
_PARQUET_SUFFIXES = {".parquet", ".pq"}


@dataclass(frozen=True, slots=True)
class AttendanceInfo:
    """What was loaded: row count and date range of the canonical ``attendance`` view."""

    rows: int
    first_date: date | None
    last_date: date | None
    sparse_rows_added: int


def _q(ident: str) -> str:
    return '"' + ident.replace('"', '""') + '"'


def _lit(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def relation_replace(con: duckdb.DuckDBPyConnection, kind: str, name: str, sql: str) -> None:
    """CREATE a temp TABLE or VIEW ``name``, dropping whatever ``name`` was before."""
    for old in ("VIEW", "TABLE"):
        with contextlib.suppress(duckdb.CatalogException):  # exists as the other kind
            con.execute(f"DROP {old} IF EXISTS {name}")
    con.execute(f"CREATE TEMP {kind} {name} AS {sql}")


def _norm_header(name: str) -> str:
    return re.sub(r"[\s\-]+", "_", name.strip().lower())


@dataclass(slots=True)
class _Source:
    index: int
    path: Path
    kind: str  # "csv" | "parquet"
    view: str  # relation with _fidx, _line and canonical-named raw columns
    raw_types: dict[str, str]  # canonical column -> DuckDB type of the raw column
    headers: dict[str, str]  # canonical column -> header as written in the file

    @property
    def unit(self) -> str:
        return "line" if self.kind == "csv" else "row"


def _as_paths(value: str | Path | Sequence[str | Path]) -> list[Path]:
    if isinstance(value, str | Path):
        return [Path(value)]
    return [Path(v) for v in value]


def _describe(con: duckdb.DuckDBPyConnection, relation_sql: str) -> list[tuple[str, str]]:
    rows = con.execute(f"DESCRIBE SELECT * FROM {relation_sql}").fetchall()
    return [(r[0], str(r[1])) for r in rows]


def _open_source(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    index: int,
    spec: dict[str, tuple[str, bool]],
    aliases: dict[str, str],
    prefix: str,
    problems: list[Problem],
) -> _Source | None:
    """Check the header of one file and register a view with canonical-named raw columns."""
    fname = str(path)
    if not path.is_file():
        problems.append(Problem(fname, None, None, "file not found"))
        return None
    suffix = path.suffix.lower()
    if suffix not in _PARQUET_SUFFIXES | _CSV_SUFFIXES:
        problems.append(Problem(fname, None, None, "unsupported file type (use .csv or .parquet)"))
        return None
    if path.stat().st_size == 0:
        problems.append(
            Problem(fname, None, None, "the file is empty (expected a header line and data rows)")
        )
        return None
    view = f"_{prefix}_src_{index}"
    with tempfile.TemporaryDirectory(prefix="leerrecht-csv-") as tmp:
        if suffix in _PARQUET_SUFFIXES:
            kind, reader = "parquet", f"read_parquet({_lit(str(path))}, file_row_number=true)"
        else:
            kind = "csv"
            readable = _csv_as_utf8(path, Path(tmp), problems)
            if readable is None:
                return None
            reader = f"read_csv({_lit(str(readable))}, all_varchar=true, header=true)"
        try:
            columns = _describe(con, reader)
            mapping = _map_header(fname, kind, columns, spec, aliases, problems)
            if mapping is None:
                return None
            line_expr = "row_number() OVER () + 1" if kind == "csv" else "file_row_number + 1"
            select = [f"{index} AS _fidx", f"CAST({line_expr} AS BIGINT) AS _line"]
            for canonical in spec:
                if canonical in mapping:
                    select.append(f"{_q(mapping[canonical])} AS {_q(canonical)}")
                else:
                    select.append(f"CAST(NULL AS VARCHAR) AS {_q(canonical)}")
            body = f"SELECT {', '.join(select)} FROM {reader}"
            # CSV: parse the text once (the temporary UTF-8 copy may go afterwards);
            # problems and the typed view both read it
            relation_replace(con, "TABLE" if kind == "csv" else "VIEW", view, body)
            n_rows = con.execute(f"SELECT count(*) FROM {view}").fetchall()[0][0]
        except duckdb.Error as exc:
            text = str(exc).strip()
            if "not utf-8 encoded" in text.lower():
                message = (
                    "cannot read file: not UTF-8, UTF-16 or Windows-1252 text (save it as UTF-8)"
                )
            else:
                first = text.splitlines()[0] if text else type(exc).__name__
                message = f"cannot read file: {first}"
            problems.append(Problem(fname, None, None, message))
            return None
    if not n_rows:
        what = "only a header line" if kind == "csv" else "no rows"
        problems.append(Problem(fname, None, None, f"no data: the file has {what}"))
        return None
    raw_types = {
        c: dict(columns).get(mapping[c], "VARCHAR") if c in mapping else "VARCHAR" for c in spec
    }
    return _Source(index, path, kind, view, raw_types, mapping)


def _csv_as_utf8(path: Path, tmp: Path, problems: list[Problem]) -> Path | None:
    """``path`` itself when it is UTF-8 (with or without BOM), else a UTF-8 copy in ``tmp``.

    UTF-16 is recognised by its byte order mark; a file that is not valid UTF-8 is read as
    Windows-1252 (the usual encoding of Excel "CSV" on Windows). Line numbers stay the same.
    """
    with path.open("rb") as fh:
        head = fh.read(1 << 16)
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    else:
        try:
            _utf8_check(path)
            return path
        except UnicodeDecodeError:
            encoding = "cp1252"
    out = tmp / "utf8.csv"
    try:
        with (
            path.open("r", encoding=encoding, newline="") as src,
            out.open("w", encoding="utf-8", newline="") as dst,
        ):
            shutil.copyfileobj(src, dst, 1 << 20)
    except UnicodeError:
        problems.append(
            Problem(
                str(path),
                None,
                None,
                "cannot read file: not UTF-8, UTF-16 or Windows-1252 text (save it as UTF-8)",
            )
        )
        return None
    return out


def _utf8_check(path: Path) -> None:
    """Raise UnicodeDecodeError unless the whole file is UTF-8 (incremental, C speed)."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 22):
            decoder.decode(chunk)
    decoder.decode(b"", final=True)


def _map_header(
    fname: str,
    kind: str,
    columns: list[tuple[str, str]],
    spec: dict[str, tuple[str, bool]],
    aliases: dict[str, str],
    problems: list[Problem],
) -> dict[str, str] | None:
    """canonical column -> column in the file; None (with problems) when the header is wrong."""
    header_line = 1 if kind == "csv" else None
    mapping: dict[str, str] = {}  # canonical -> source column
    n_before = len(problems)
    for col, _typ in columns:
        if kind == "parquet" and col == "file_row_number":
            continue
        norm = _norm_header(col)
        canonical = norm if norm in spec else aliases.get(norm)
        if canonical is None:
            problems.append(
                Problem(
                    fname,
                    header_line,
                    col,
                    "unknown column (expected: " + ", ".join(spec) + "; see docs/signals.md)",
                )
            )
            continue
        if canonical in mapping:
            problems.append(
                Problem(
                    fname,
                    header_line,
                    col,
                    f"column {mapping[canonical]!r} already provides {canonical}",
                )
            )
            continue
        mapping[canonical] = col
    for canonical, (_kind, required) in spec.items():
        if required and canonical not in mapping:
            names = [canonical, *sorted(a for a, c in aliases.items() if c == canonical)]
            problems.append(
                Problem(
                    fname,
                    header_line,
                    canonical,
                    "missing required column (accepted names: " + ", ".join(names) + ")",
                )
            )
    if len(problems) > n_before:
        return None
    return mapping


def _value_expr(col: str, raw_type: str) -> str:
    """The raw value as trimmed text-or-native, NULL when empty."""
    if raw_type == "VARCHAR":
        return f"NULLIF(trim({_q(col)}), '')"
    return _q(col)


def _typed_expr(col: str, kind: str, raw_type: str) -> str:
    v = _value_expr(col, raw_type)
    text = raw_type == "VARCHAR"
    if kind == "id":
        return f"CAST({v} AS VARCHAR)"
    if kind == "date":
        if text:
            # exactly the DATE_FORMATS (a plain cast would also take 2024/09/02)
            return (
                f"CAST(COALESCE(try_strptime({v}, '%Y-%m-%d'), try_strptime({v}, '%d-%m-%Y'))"
                " AS DATE)"
            )
        return f"TRY_CAST({v} AS DATE)"
    # numbers: accept a decimal comma in text ("1,5")
    num = f"TRY_CAST(replace({v}, ',', '.') AS DOUBLE)" if text else f"TRY_CAST({v} AS DOUBLE)"
    return num


def _problem_checks(src: _Source, spec: dict[str, tuple[str, bool]]) -> list[tuple[str, str, str]]:
    """(column, condition, message SQL) per check; conditions refer to raw and typed cols."""
    checks: list[tuple[str, str, str]] = []
    for col, (kind, required) in spec.items():
        raw = _value_expr(col, src.raw_types[col])
        typed = f"t_{col}"
        shown = f"CAST({raw} AS VARCHAR)"
        if required:
            checks.append((col, f"{raw} IS NULL", _lit("missing value")))
        if kind == "date":
            checks.append(
                (
                    col,
                    f"{raw} IS NOT NULL AND {typed} IS NULL",
                    f"'not a date: ' || {shown} || ' (expected {DATE_FORMATS})'",
                )
            )
        elif kind == "hours":
            checks.append(
                (
                    col,
                    f"{raw} IS NOT NULL AND ({typed} IS NULL OR NOT isfinite({typed}))",
                    f"'not a number: ' || {shown}",
                )
            )
            checks.append((col, f"{typed} < 0", f"'negative hours: ' || {shown}"))
            # plausibility: one school day has at most 24 hours (SIGNALS.md, Input)
            checks.append(
                (
                    col,
                    f"{typed} > {MAX_HOURS_PER_DAY}",
                    f"'more than {MAX_HOURS_PER_DAY} hours in one day: ' || {shown}",
                )
            )
        elif kind == "count":
            checks.append(
                (
                    col,
                    f"{raw} IS NOT NULL AND ({typed} IS NULL OR NOT isfinite({typed}) "
                    f"OR {typed} < 0 OR {typed} <> floor({typed}))",
                    f"'must be a whole number >= 0: ' || {shown}",
                )
            )
        elif kind == "flag":
            checks.append(
                (
                    col,
                    f"{raw} IS NOT NULL AND ({typed} IS NULL OR {typed} NOT IN (0, 1))",
                    f"'must be 0 or 1: ' || {shown}",
                )
            )
    return checks


class _Loader:
    def __init__(self, con: duckdb.DuckDBPyConnection, max_shown: int) -> None:
        self.con = con
        self.max_shown = max_shown
        self.files: dict[int, _Source] = {}
        self.problem_sql: list[str] = []  # SELECT _fidx, _line, col, message
        self.header_problems: list[Problem] = []

    def prepare(
        self,
        paths: list[Path],
        spec: dict[str, tuple[str, bool]],
        aliases: dict[str, str],
        prefix: str,
        first_index: int,
        key: tuple[str, ...],
        extra_check: tuple[str, str, str] | None = None,
    ) -> str | None:
        """Register sources and problem queries; return the typed relation (UNION ALL)."""
        sources = []
        for i, path in enumerate(paths, start=first_index):
            src = _open_source(self.con, path, i, spec, aliases, prefix, self.header_problems)
            if src is not None:
                sources.append(src)
                self.files[i] = src
        if self.header_problems or not sources:
            return None
        typed_views = []
        checked_sources = []  # (source, checked view, checks, any_bad)
        for src in sources:
            exprs = [f"{_typed_expr(c, spec[c][0], src.raw_types[c])} AS t_{c}" for c in spec]
            checks = _problem_checks(src, spec)
            if extra_check is not None:
                checks.append(extra_check)
            any_bad = " OR ".join(f"({cond})" for _col, cond, _msg in checks)
            checked = f"_{prefix}_chk_{src.index}"
            # _bad: the row fails some check (counted in the one pass below)
            self.con.execute(
                f"CREATE OR REPLACE TEMP VIEW {checked} AS SELECT *, ({any_bad}) AS _bad "
                f"FROM (SELECT *, {', '.join(exprs)} FROM {src.view}) r"
            )
            checked_sources.append((src, checked, checks, any_bad))
            typed_views.append(checked)
        union = " UNION ALL ".join(f"SELECT * FROM {v}" for v in typed_views)
        typed = f"_{prefix}_typed"
        self.con.execute(f"CREATE OR REPLACE TEMP VIEW {typed} AS {union}")
        # ONE pass over all rows counts the rows failing a check and runs an exact, cheap
        # bitmap test for duplicates per (group key, block of 64 days): count(*) differs
        # from the number of distinct days iff a day is repeated. Only the groups that
        # fail it go through the exact duplicate listing below; the detailed problem
        # listing only runs on the rows that failed a check.
        group = [f"t_{k}" for k in key[:-1]]
        day = f"CAST(t_{key[-1]} - DATE '1900-01-01' AS BIGINT)"
        keys_ok = " AND ".join(f"t_{k} IS NOT NULL" for k in key)
        blocks = f"_{prefix}_blocks"
        self.con.execute(
            f"""CREATE OR REPLACE TEMP TABLE {blocks} AS
            SELECT {"".join(g + ", " for g in group)}{day} // 64 AS blk,
              count(*) FILTER (WHERE {keys_ok}) AS n,
              bit_count(bit_or(CAST(1 AS UBIGINT) << CAST({day} % 64 AS INTEGER))
                FILTER (WHERE {keys_ok})) AS nd,
              count(*) FILTER (WHERE _bad) AS n_bad
            FROM {typed}
            GROUP BY {"".join(g + ", " for g in group)}blk"""
        )
        if self.con.execute(f"SELECT sum(n_bad) FROM {blocks}").fetchall()[0][0]:
            for src, checked, checks, any_bad in checked_sources:
                bad = f"_{prefix}_bad_{src.index}"
                self.con.execute(
                    f"CREATE OR REPLACE TEMP TABLE {bad} AS SELECT * FROM {checked} WHERE {any_bad}"
                )
                for col, cond, msg in checks:
                    self.problem_sql.append(
                        f"SELECT _fidx, _line, {_lit(col)} AS col, {msg} AS msg "
                        f"FROM {bad} WHERE {cond}"
                    )
        suspects = f"_{prefix}_dupsus"
        self.con.execute(
            f"""CREATE OR REPLACE TEMP TABLE {suspects} AS
            SELECT DISTINCT {", ".join(group) or "1 AS one"} FROM {blocks} WHERE n <> nd"""
        )
        if self.con.execute(f"SELECT count(*) FROM {suspects}").fetchall()[0][0]:
            semi = (
                f"JOIN {suspects} s ON " + " AND ".join(f"t.{g} = s.{g}" for g in group)
                if group
                else ""
            )
            key_cols = ", ".join(f"t.t_{k}" for k in key)
            described = " || ', ' || ".join(f"'{k} ' || CAST(t.t_{k} AS VARCHAR)" for k in key)
            self.problem_sql.append(
                f"""SELECT _fidx, _line, {_lit(key[-1])} AS col,
                   'duplicate ' || {_lit("-".join(key))} || ' (' || ({described}) ||
                   '): also on ' || first_unit || ' ' || CAST(first_line AS VARCHAR) ||
                   CASE WHEN first_fidx <> _fidx THEN ' of ' || first_file ELSE '' END AS msg
                FROM (
                  SELECT t._fidx, t._line, {key_cols},
                    first_value(t._fidx) OVER w AS first_fidx,
                    first_value(t._line) OVER w AS first_line,
                    row_number() OVER w AS occ
                  FROM {typed} t {semi}
                  WHERE {" AND ".join(f"t.t_{k} IS NOT NULL" for k in key)}
                  WINDOW w AS (PARTITION BY {key_cols} ORDER BY t._fidx, t._line)
                ) t JOIN _files f ON f.fidx = t.first_fidx
                WHERE occ > 1"""
            )
        return typed

    def add_problem_sql(self, sql: str) -> None:
        self.problem_sql.append(sql)

    def raise_if_problems(self) -> None:
        if self.header_problems:
            raise AttendanceValidationError(
                self.header_problems[: self.max_shown], len(self.header_problems)
            )
        if not self.problem_sql:
            return
        self.con.execute(
            "CREATE OR REPLACE TEMP TABLE _files (fidx INTEGER, first_file VARCHAR, "
            "first_unit VARCHAR)"
        )
        for i, src in self.files.items():
            self.con.execute("INSERT INTO _files VALUES (?, ?, ?)", [i, str(src.path), src.unit])
        union = " UNION ALL ".join(f"({s})" for s in self.problem_sql)
        self.con.execute(f"CREATE OR REPLACE TEMP TABLE _problems AS {union}")
        total = self.con.execute("SELECT count(*) FROM _problems").fetchall()[0][0]
        if not total:
            return
        rows = self.con.execute(
            f"SELECT _fidx, _line, col, msg FROM _problems ORDER BY _fidx, _line, col, msg "
            f"LIMIT {int(self.max_shown)}"
        ).fetchall()
        problems = []
        for fidx, line, col, msg in rows:
            src = self.files[fidx]
            header = src.headers.get(col, col)
            column = header if header == col else f"{header} ({col})"
            line_no = int(line) if line is not None else None
            problems.append(Problem(str(src.path), line_no, column, msg, src.unit))
        raise AttendanceValidationError(problems, int(total))


_MARKER_KEY = "leerrecht_canonical"
_MARKER_VALUE = "attendance-v1"


def _is_trusted(con: duckdb.DuckDBPyConnection, path: Path) -> bool:
    """Parquet written by attendance_to_parquet (marker + exact canonical schema)."""
    if path.suffix.lower() not in _PARQUET_SUFFIXES or not path.is_file():
        return False
    try:
        meta = con.execute(
            f"SELECT decode(key), decode(value) FROM parquet_kv_metadata({_lit(str(path))})"
        ).fetchall()
        if (_MARKER_KEY, _MARKER_VALUE) not in meta:
            return False
        cols = _describe(con, f"read_parquet({_lit(str(path))})")
    except duckdb.Error:
        return False
    return cols == list(CANONICAL_COLUMNS.items())


def attendance_load(
    con: duckdb.DuckDBPyConnection,
    *,
    attendance: str | Path | Sequence[str | Path],
    calendar: str | Path | None = None,
    as_of: date | None = None,
    view: str = "attendance",
    max_shown: int = 100,
) -> AttendanceInfo:
    """Validate attendance (and calendar) files and register the canonical view ``view``.

    Raises :class:`AttendanceValidationError` listing every problem; then nothing is
    registered. ``as_of`` only caps the sparse expansion; the engine filters rows itself.
    A canonical Parquet file written by :func:`attendance_to_parquet` is trusted as is.
    """
    loader = _Loader(con, max_shown)
    paths = _as_paths(attendance)
    if not paths:
        raise AttendanceValidationError([Problem("(attendance)", None, None, "no input file")])
    if calendar is None and len(paths) == 1 and _is_trusted(con, paths[0]):
        # canonical Parquet written by attendance_to_parquet: validated at import
        relation_replace(
            con, "VIEW", _q(view), f"SELECT * FROM read_parquet({_lit(str(paths[0]))})"
        )
        rows, first, last = con.execute(
            f"SELECT count(*), min(date), max(date) FROM {_q(view)}"
        ).fetchall()[0]
        return AttendanceInfo(int(rows), first, last, 0)
    # attended hours = scheduled - absences must not be negative (SIGNALS.md, Input)
    negative_attended = (
        "scheduled_hours",
        f"t_scheduled_hours - t_unauthorised_hours - t_sick_hours - t_authorised_hours"
        f" < -{_EPS} AND t_unauthorised_hours >= 0 AND t_sick_hours >= 0"
        " AND t_authorised_hours >= 0",
        "'absences (' || CAST(t_unauthorised_hours + t_sick_hours + t_authorised_hours"
        " AS VARCHAR) || ' h) exceed scheduled hours (' || CAST(t_scheduled_hours AS VARCHAR)"
        " || ' h): attended hours would be negative'",
    )
    typed = loader.prepare(
        paths,
        _ATTENDANCE_SPEC,
        ATTENDANCE_ALIASES,
        "att",
        0,
        ("student_id", "date"),
        negative_attended,
    )
    cal_typed = None
    if calendar is not None:
        cal_typed = loader.prepare(
            [Path(calendar)], _CALENDAR_SPEC, CALENDAR_ALIASES, "cal", len(paths), ("date",)
        )
    if typed is not None and cal_typed is not None:
        cal_name = str(Path(calendar))
        loader.add_problem_sql(
            f"""SELECT a._fidx, a._line, 'date' AS col,
                'not a school day in calendar ' || {_lit(cal_name)} || ': ' ||
                CAST(a.t_date AS VARCHAR) AS msg
            FROM {typed} a ANTI JOIN {cal_typed} c ON a.t_date = c.t_date
            WHERE a.t_date IS NOT NULL"""
        )
    loader.raise_if_problems()
    assert typed is not None
    canonical = ", ".join(
        f"CAST(t_{c} AS {t}) AS {_q(c)}"
        if t != "INTEGER"
        else f"CAST(COALESCE(t_{c}, 0) AS INTEGER) AS {_q(c)}"
        for c, t in CANONICAL_COLUMNS.items()
    )
    # CSV text was parsed into a temp table already; keep its typed form instead of
    # re-casting text in every rule. Parquet stays a view (the scans are cheap).
    kind = "TABLE" if any(s.kind == "csv" for s in loader.files.values()) else "VIEW"
    relation_replace(con, kind, "_att_dense", f"SELECT {canonical} FROM {typed}")
    added = 0
    if cal_typed is None:
        con.execute(f"CREATE OR REPLACE TEMP VIEW {_q(view)} AS SELECT * FROM _att_dense")
    else:
        cap = "max(date)" if as_of is None else f"least(max(date), DATE '{as_of.isoformat()}')"
        con.execute(
            f"""CREATE OR REPLACE TEMP TABLE _att_sparse AS
            WITH cal AS (
              SELECT t_date AS date, t_default_scheduled_hours AS default_hours
              FROM {cal_typed}
              WHERE t_date <= (SELECT {cap} FROM _att_dense)
            ),
            students AS (
              SELECT student_id, median(scheduled_hours) AS usual_hours
              FROM _att_dense GROUP BY student_id
            )
            SELECT s.student_id, c.date,
                   CAST(COALESCE(c.default_hours, s.usual_hours) AS DOUBLE) AS scheduled_hours,
                   CAST(0 AS DOUBLE) AS unauthorised_hours, CAST(0 AS DOUBLE) AS sick_hours,
                   CAST(0 AS DOUBLE) AS authorised_hours,
                   CAST(0 AS INTEGER) AS late, CAST(0 AS INTEGER) AS sent_home_sick
            FROM students s CROSS JOIN cal c
            ANTI JOIN _att_dense a ON a.student_id = s.student_id AND a.date = c.date"""
        )
        added = con.execute("SELECT count(*) FROM _att_sparse").fetchall()[0][0]
        con.execute(
            f"CREATE OR REPLACE TEMP VIEW {_q(view)} AS "
            "SELECT * FROM _att_dense UNION ALL SELECT * FROM _att_sparse"
        )
    rows, first, last = con.execute(
        f"SELECT count(*), min(date), max(date) FROM {_q(view)}"
    ).fetchall()[0]
    return AttendanceInfo(int(rows), first, last, int(added))


def attendance_to_parquet(
    *,
    attendance: str | Path | Sequence[str | Path],
    output: str | Path,
    calendar: str | Path | None = None,
    con: duckdb.DuckDBPyConnection | None = None,
) -> AttendanceInfo:
    """Validate input and write the canonical, typed attendance as one Parquet file.

    Zstd compressed, written in parallel (the order of row groups may differ from the
    input; no reader depends on it). The file carries a key-value marker: loading it
    again skips validation (it was validated here). Raises
    :class:`AttendanceValidationError` (and writes nothing) when any row is invalid.
    """
    own = con is None
    if con is None:
        con = duckdb.connect()
        con.execute("SET enable_progress_bar = false")
    try:
        info = attendance_load(con, attendance=attendance, calendar=calendar)
        out = Path(output)
        tmp = out.with_name(out.name + ".tmp")
        # without insertion order every thread writes its own row groups: the write is
        # parallel (19M rows: ~4.6 s -> ~3 s on 2 cores) and the rows stay as they were
        # within a row group; no reader depends on the order of the row groups
        keep = con.execute("SELECT current_setting('preserve_insertion_order')").fetchall()[0][0]
        con.execute("SET preserve_insertion_order = false")
        try:
            con.execute(
                f"COPY (SELECT * FROM attendance) TO {_lit(str(tmp))} (FORMAT parquet, "
                f"COMPRESSION zstd, KV_METADATA {{{_MARKER_KEY}: '{_MARKER_VALUE}'}})"
            )
        finally:
            con.execute(f"SET preserve_insertion_order = {'true' if keep else 'false'}")
        tmp.replace(out)
        return info
    finally:
        if own:
            con.close()
