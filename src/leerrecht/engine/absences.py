"""Absence registrations of a school administration system (LAS) -> canonical daily rows.

A LAS does not export "hours per pupil per day" (SIGNALS.md, "Input: daily attendance"): it
registers absence as *events* - per pupil a date, a lesson hour or a time span and a
school-defined code. This module reads three common export layouts, auto-detected from the
header (docs/attendance.md, "Absence registrations"):

- ``magister``: a Magister-style registration export (CSV/XLSX) - ``stamnummer``, ``begin``,
  ``einde``, ``lesuur``, ``code`` (+ ``omschrijving``, ``geoorloofd``, ``verantwoordingtype``);
- ``somtoday``: SOMtoday ``absentiemeldingen`` as JSON (the REST answer, ``{"items": [...]}``
  or a list) or flattened CSV/XLSX - ``leerlingnummer``, ``afkorting``, ``beginDatumTijd``,
  ``eindDatumTijd``, ``beginLesuur``, ``eindLesuur``;
- ``eduarte``: the EduArte CSV ``deelnemernummer;yyyymmdd;hhmm;yyyymmdd;hhmm;beginlesuur;
  eindlesuur;reden;opmerking`` (with or without that header line).

What a code means is the school's own code table (code, omschrijving, categorie); the
category decides the canonical column. Hours come from the school's timetable: in VO every
lesson hour of at most 60 minutes counts as one hour, in PO clock time counts (DUO,
"Verzuim melden", uren tellen; see docs/adr/0151). Holidays are the days missing from the
school calendar. Overlapping registrations count once: per lesson hour (VO) or per minute
(PO) the registration with the strongest category wins (``CATEGORY_PRIORITY``).

All or nothing: any problem raises :class:`AttendanceValidationError` with file, line and
column; nothing is written. No Django here (engine rule).
"""

from __future__ import annotations

import csv
import io
import json
import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from importlib import resources
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv

from leerrecht.engine.attendance import CANONICAL_COLUMNS
from leerrecht.engine.errors import AttendanceValidationError, EngineInputError, Problem

__all__ = [
    "CATEGORIES",
    "CATEGORY_PRIORITY",
    "LAYOUTS",
    "AbsenceEvents",
    "CodeTable",
    "DailyResult",
    "Timetable",
    "absence_events_read",
    "absences_to_daily",
    "code_table_from_rows",
    "code_table_read",
    "timetable_default",
    "timetable_read",
]

#: Categories of the per-school code table (issue 17). Keys are stored; labels are Dutch.
CATEGORIES: dict[str, str] = {
    "ongeoorloofd": "ongeoorloofd",
    "ziek": "ziek",
    "geoorloofd": "geoorloofd",
    "te_laat": "te laat",
    "uitgestuurd_ziek": "uitgestuurd-ziek",
    "vrijstelling": "vrijstelling",
    "niet_meetellen": "niet meetellen",
}

#: Which registration wins where registrations overlap (lower wins). "niet meetellen" marks
#: time the pupil was at a school activity, so it beats any absence; a recorded valid reason
#: beats "ongeoorloofd". "te laat" has no hours (it counts in ``late``).
CATEGORY_PRIORITY: dict[str, int] = {
    "niet_meetellen": 0,
    "vrijstelling": 1,
    "geoorloofd": 2,
    "uitgestuurd_ziek": 3,
    "ziek": 4,
    "ongeoorloofd": 5,
}
_COLUMN_OF = {
    "vrijstelling": "authorised_hours",
    "geoorloofd": "authorised_hours",
    "uitgestuurd_ziek": "sick_hours",
    "ziek": "sick_hours",
    "ongeoorloofd": "unauthorised_hours",
}
_PRIO_NAMES = sorted(CATEGORY_PRIORITY, key=CATEGORY_PRIORITY.get)

LAYOUTS = ("magister", "somtoday", "eduarte")
_EDUARTE_COLUMNS = (
    "deelnemernummer",
    "begindatum",
    "begintijd",
    "einddatum",
    "eindtijd",
    "beginlesuur",
    "eindlesuur",
    "reden",
    "opmerking",
)
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_DAY_MINUTES = 24 * 60


def _key(name: str) -> str:
    return re.sub(r"[\s_\-.]", "", str(name)).lower()


def _category_key(text: str) -> str | None:
    wanted = _key(text)
    for key, label in CATEGORIES.items():
        if wanted in (_key(key), _key(label)):
            return key
    return None


# --- code table ---------------------------------------------------------------------------


@dataclass(frozen=True)
class CodeTable:
    """code (upper case) -> (category key, omschrijving)."""

    codes: dict[str, tuple[str, str]]

    def category(self, code: str) -> str | None:
        entry = self.codes.get(code.strip().upper())
        return entry[0] if entry else None


def code_table_from_rows(rows: Iterable[tuple[str, str, str]]) -> CodeTable:
    """A code table from (code, category key, omschrijving) rows (e.g. from the database)."""
    return CodeTable({code.strip().upper(): (cat, desc) for code, cat, desc in rows})


def code_table_read(path: str | Path) -> CodeTable:
    """Read a code table CSV: ``code;omschrijving;categorie`` (comma or semicolon)."""
    path = Path(path)
    header, rows, _unit = _read_rows(path)
    names = [_key(h) for h in header]
    wanted = {"code": ("code", "afkorting"), "categorie": ("categorie", "category")}
    index: dict[str, int] = {}
    for target, options in wanted.items():
        found = [i for i, n in enumerate(names) if n in options]
        if not found:
            raise AttendanceValidationError(
                [Problem(str(path), 1, target, f"missing required column {target}")]
            )
        index[target] = found[0]
    desc_at = next((i for i, n in enumerate(names) if n in ("omschrijving", "description")), None)
    problems: list[Problem] = []
    codes: dict[str, tuple[str, str]] = {}
    first_line: dict[str, int] = {}
    for n, row in enumerate(rows, start=2):
        code = _cell(row, index["code"]).strip().upper()
        category_text = _cell(row, index["categorie"])
        if not code:
            problems.append(Problem(str(path), n, "code", "missing value"))
            continue
        category = _category_key(category_text)
        if category is None:
            problems.append(
                Problem(
                    str(path),
                    n,
                    "categorie",
                    f"unknown category: {category_text} (expected: "
                    + ", ".join(CATEGORIES.values())
                    + ")",
                )
            )
            continue
        if code in codes:
            problems.append(
                Problem(
                    str(path), n, "code", f"duplicate code {code}: also on line {first_line[code]}"
                )
            )
            continue
        codes[code] = (category, _cell(row, desc_at).strip() if desc_at is not None else "")
        first_line[code] = n
    if problems:
        raise AttendanceValidationError(problems)
    if not codes:
        raise AttendanceValidationError([Problem(str(path), None, None, "no codes in the file")])
    return CodeTable(codes)


# --- timetable ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Timetable:
    """The school's lesson hours. ``sector`` vo: a lesson of at most 60 minutes counts as one
    hour (longer: its clock time); po: clock time. ``per_day[w]`` = lessons 1..n on weekday w
    (0 = Monday)."""

    sector: str
    lessons: tuple[tuple[int, int], ...]  # (start minute, end minute) of lesson 1, 2, ...
    per_day: tuple[int, ...]  # 7 weekdays
    source: str = ""

    @property
    def starts(self) -> np.ndarray:
        return np.array([s for s, _ in self.lessons], dtype=np.int32)

    @property
    def ends(self) -> np.ndarray:
        return np.array([e for _, e in self.lessons], dtype=np.int32)

    def lesson_values(self) -> np.ndarray:
        """Hours one fully missed lesson counts for."""
        minutes = self.ends - self.starts
        if self.sector == "vo":
            return np.where(minutes <= 60, 1.0, minutes / 60.0)
        return minutes / 60.0

    def scheduled_mask(self) -> np.ndarray:
        """[weekday, lesson] -> scheduled."""
        return np.arange(len(self.lessons))[None, :] < np.array(self.per_day)[:, None]

    def scheduled_hours(self) -> np.ndarray:
        """Scheduled hours per weekday."""
        return (self.scheduled_mask() * self.lesson_values()[None, :]).sum(axis=1)


def _minutes(text: str) -> int | None:
    match = re.fullmatch(r"\s*(\d{1,2})[:.]?(\d{2})\s*", str(text))
    if not match:
        return None
    hours, minutes = int(match.group(1)), int(match.group(2))
    if hours > 24 or minutes > 59 or hours * 60 + minutes > _DAY_MINUTES:
        return None
    return hours * 60 + minutes


def _timetable_parse(data: dict, source: str) -> Timetable:
    def bad(key: str, message: str) -> AttendanceValidationError:
        return AttendanceValidationError([Problem(source, None, key, message)])

    sector = str(data.get("sector", "")).lower()
    if sector not in ("po", "vo"):
        raise bad("sector", "must be po or vo")
    lessons = []
    for n, text in enumerate(data.get("lessons", []), start=1):
        parts = str(text).split("-")
        start, end = (_minutes(parts[0]), _minutes(parts[1])) if len(parts) == 2 else (None, None)
        if start is None or end is None or end <= start:
            raise bad(f"lessons[{n}]", f"expected HH:MM-HH:MM, got {text!r}")
        if lessons and start < lessons[-1][1]:
            raise bad(f"lessons[{n}]", "overlaps the previous lesson")
        lessons.append((start, end))
    if not lessons:
        raise bad("lessons", "no lessons")
    days = data.get("days", {})
    unknown = set(days) - set(_WEEKDAYS)
    if unknown:
        raise bad("days", f"unknown day(s): {', '.join(sorted(unknown))}")
    per_day = []
    for i, name in enumerate(_WEEKDAYS):
        n = days.get(name, len(lessons) if i < 5 else 0)
        if not isinstance(n, int) or not 0 <= n <= len(lessons):
            raise bad(f"days.{name}", f"must be a number of lessons from 0 to {len(lessons)}")
        per_day.append(n)
    return Timetable(sector, tuple(lessons), tuple(per_day), source)


def timetable_read(path: str | Path) -> Timetable:
    """A timetable TOML (docs/attendance.md, "Timetable")."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text("utf-8-sig"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise AttendanceValidationError(
            [Problem(str(path), None, None, f"cannot read file: {exc}")]
        ) from None
    return _timetable_parse(data, str(path))


def timetable_default(sector: str) -> Timetable:
    """The shipped default timetable of a sector (engine/timetables/<sector>.toml)."""
    sector = sector.lower() if sector else "vo"
    if sector not in ("po", "vo"):
        raise EngineInputError(f"unknown sector {sector!r} (expected po or vo)")
    text = resources.files("leerrecht.engine").joinpath("timetables", f"{sector}.toml")
    return _timetable_parse(tomllib.loads(text.read_text("utf-8")), f"{sector}.toml")


# --- reading the registrations ------------------------------------------------------------


def _cell(row: list, i: int | None) -> str:
    if i is None or i >= len(row):
        return ""
    value = row[i]
    return "" if value is None else str(value)


def _decode(raw: bytes) -> str:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def _read_rows(path: Path) -> tuple[list[str], list[list], str]:
    """(header, data rows, unit) of a CSV/XLSX/JSON file; rows as lists of cells."""
    header, columns, unit = _read_columns(path)
    return header, [list(r) for r in zip(*columns, strict=True)], unit


def _read_columns(path: Path) -> tuple[list[str], list[list[str]], str]:
    """(header, columns of trimmed text, unit) of a CSV/XLSX/JSON file."""
    if not path.is_file():
        raise AttendanceValidationError([Problem(str(path), None, None, "file not found")])
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        header, rows, unit = _read_xlsx(path)
    else:
        text = _decode(path.read_bytes())
        if suffix != ".json" and not text.lstrip().startswith(("{", "[")):
            return _read_csv(path, text)
        header, rows, unit = _read_json(path, text)
    width = max([len(header), *(len(r) for r in rows)])
    return header, [[_cell(r, i).strip() for r in rows] for i in range(width)], unit


def _read_csv(path: Path, text: str) -> tuple[list[str], list[list], str]:
    first = text.split("\n", 1)[0]
    delimiter = max((";", ",", "\t"), key=first.count)
    if not first.strip():
        raise AttendanceValidationError([Problem(str(path), 1, None, "empty file")])
    header = next(csv.reader([first], delimiter=delimiter))
    body = text.split("\n", 1)[1] if "\n" in text else ""
    if not body.strip():
        return header, [[] for _ in header], "line"
    # pyarrow reads the body as strings (fast); line n of the file = data row n - 1.
    names = [f"c{i}" for i in range(len(header))]
    try:
        table = pacsv.read_csv(
            io.BytesIO(body.encode("utf-8")),
            read_options=pacsv.ReadOptions(column_names=names),
            parse_options=pacsv.ParseOptions(delimiter=delimiter, newlines_in_values=False),
            convert_options=pacsv.ConvertOptions(
                column_types={n: pa.string() for n in names}, strings_can_be_null=False
            ),
        )
    except pa.ArrowInvalid as exc:
        match = re.search(r"row (\d+)", str(exc))
        line = int(match.group(1)) + 2 if match else None
        raise AttendanceValidationError(
            [Problem(str(path), line, None, f"cannot read file: {str(exc).splitlines()[0]}")]
        ) from None
    import pyarrow.compute as pc

    columns = [pc.utf8_trim_whitespace(table.column(n)).to_pylist() for n in names]
    return header, columns, "line"


def _read_xlsx(path: Path) -> tuple[list[str], list[list], str]:
    from openpyxl import load_workbook

    try:
        sheet = load_workbook(path, read_only=True, data_only=True).worksheets[0]
    except Exception as exc:  # any unreadable workbook is a user error
        raise AttendanceValidationError(
            [Problem(str(path), None, None, f"cannot read file: {exc}")]
        ) from None

    def text(value) -> str:
        if value is None:
            return ""
        if isinstance(value, datetime):
            return value.strftime("%Y-%m-%d %H:%M")
        if isinstance(value, date):
            return value.isoformat()
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        return str(value)

    rows = [[text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    if not rows:
        raise AttendanceValidationError([Problem(str(path), 1, None, "empty file")])
    return rows[0], rows[1:], "row"


_SOMTODAY_JSON = {
    "leerlingnummer": ("leerling", "leerlingnummer"),
    "afkorting": ("absentieReden", "afkorting"),
    "absentieSoort": ("absentieReden", "absentieSoort"),
    "omschrijving": ("absentieReden", "omschrijving"),
    "geoorloofd": ("absentieReden", "geoorloofd"),
    "beginDatumTijd": ("beginDatumTijd",),
    "eindDatumTijd": ("eindDatumTijd",),
    "beginLesuur": ("beginLesuur",),
    "eindLesuur": ("eindLesuur",),
}


def _read_json(path: Path, text: str) -> tuple[list[str], list[list], str]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise AttendanceValidationError(
            [Problem(str(path), exc.lineno, None, f"cannot read file: {exc.msg}")]
        ) from None
    items = data.get("items", data.get("absentiemeldingen")) if isinstance(data, dict) else data
    if not isinstance(items, list):
        raise AttendanceValidationError(
            [Problem(str(path), None, None, "not recognised: expected a list of absentiemeldingen")]
        )
    header = list(_SOMTODAY_JSON)
    rows = []
    for item in items:
        row = []
        for steps in _SOMTODAY_JSON.values():
            value = item
            for step in steps:
                value = value.get(step) if isinstance(value, dict) else None
            row.append("" if value is None else str(value))
        rows.append(row)
    return header, rows, "item"


# Columns per layout: canonical field -> accepted header names (compared with _key()).
_LAYOUT_COLUMNS: dict[str, dict[str, tuple[str, ...]]] = {
    "magister": {
        "student": ("stamnummer", "stamnr", "leerlingnummer"),
        "begin": ("begin", "start"),
        "end": ("einde", "eind"),
        "lesson": ("lesuur",),
        "code": ("code", "absentiecode"),
    },
    "somtoday": {
        "student": ("leerlingnummer", "leerling"),
        "code": ("afkorting",),
        "begin": ("begindatumtijd",),
        "end": ("einddatumtijd",),
        "lesson": ("beginlesuur",),
        "end_lesson": ("eindlesuur",),
    },
}
_REQUIRED = ("student", "code", "begin")


def _detect(path: Path, header: list[str]) -> tuple[str, dict[str, int], bool]:
    """(layout, canonical field -> column index, header_is_data)."""
    keys = [_key(h) for h in header]
    if "deelnemernummer" in keys or (
        len(header) >= 8 and re.fullmatch(r"\d{8}", str(header[1]).strip() or "x")
    ):
        index = {name: i for i, name in enumerate(_EDUARTE_COLUMNS)}
        return "eduarte", index, "deelnemernummer" not in keys
    if {"begindatumtijd", "afkorting"} <= set(keys):
        layout = "somtoday"
    elif ("stamnummer" in keys or "stamnr" in keys or "verantwoordingtype" in keys) and (
        "lesuur" in keys
    ):
        layout = "magister"
    else:
        raise AttendanceValidationError(
            [
                Problem(
                    str(path),
                    1,
                    None,
                    "layout not recognised: expected a Magister export (stamnummer, begin, "
                    "einde, lesuur, code), SOMtoday absentiemeldingen (leerlingnummer, "
                    "afkorting, beginDatumTijd, eindDatumTijd, beginLesuur, eindLesuur) or "
                    "an EduArte export (deelnemernummer;yyyymmdd;hhmm;yyyymmdd;hhmm;"
                    "beginlesuur;eindlesuur;reden;opmerking)",
                )
            ]
        )
    index: dict[str, int] = {}
    for target, options in _LAYOUT_COLUMNS[layout].items():
        found = [i for i, k in enumerate(keys) if k in options]
        if found:
            index[target] = found[0]
        elif target in _REQUIRED:
            raise AttendanceValidationError(
                [
                    Problem(
                        str(path),
                        1,
                        options[0],
                        f"missing required column (accepted names: {', '.join(options)})",
                    )
                ]
            )
    return layout, index, False


@dataclass
class AbsenceEvents:
    """Registrations in one normalised form (numpy arrays, one entry per registration)."""

    path: str
    layout: str
    unit: str
    student: np.ndarray  # str
    line: np.ndarray  # int
    code: np.ndarray  # str (upper case)
    day0: np.ndarray  # datetime64[D]
    day1: np.ndarray
    minute0: np.ndarray  # int, -1 = none
    minute1: np.ndarray
    lesson0: np.ndarray  # int, 0 = none
    lesson1: np.ndarray

    def __len__(self) -> int:
        return len(self.student)

    def code_counts(self) -> dict[str, int]:
        codes, counts = np.unique(self.code, return_counts=True)
        return {str(c): int(n) for c, n in zip(codes, counts, strict=True)}


_DATETIME = re.compile(
    r"\s*(?:(\d{4})-(\d{1,2})-(\d{1,2})|(\d{1,2})-(\d{1,2})-(\d{4})|(\d{4})(\d{2})(\d{2}))"
    r"(?:[T\s]+(\d{1,2})[:.](\d{2})(?::\d{2}(?:\.\d+)?)?)?(?:Z|[+-]\d{2}:?\d{2})?\s*"
)


def _parse_datetime(text: str) -> tuple[date, int] | None:
    """(date, minute of the day or -1) of '2026-11-16', '16-11-2026 08:30', '20261116',
    '2026-11-16T08:30:00.000+01:00' (local wall time is used as it stands)."""
    match = _DATETIME.fullmatch(text)
    if not match:
        return None
    g = match.groups()
    y, m, d = (g[0], g[1], g[2]) if g[0] else (g[5], g[4], g[3]) if g[5] else (g[6], g[7], g[8])
    try:
        day = date(int(y), int(m), int(d))
    except ValueError:
        return None
    if g[9] is None:
        return day, -1
    minute = int(g[9]) * 60 + int(g[10])
    if int(g[10]) > 59 or minute > _DAY_MINUTES:
        return None
    return day, minute


def _parsed(values: list[str], parser) -> list:
    """`parser` applied to each distinct value once (exports repeat dates and codes a lot)."""
    table = {v: parser(v.strip()) for v in set(values)}
    return [table[v] for v in values]


def _lesson(text: str) -> int | None:
    if not text:
        return 0
    return int(text) if text.isdigit() and 1 <= int(text) <= 24 else None


def _time_only(text: str) -> int | None:
    if not text:
        return -1
    return _minutes(_hhmm(text))


def _date_only(text: str) -> tuple[date, int] | None:
    parsed = _parse_datetime(text)
    return parsed if parsed is None or parsed[1] == -1 else None


_EPOCH = date(1970, 1, 1).toordinal()


def _days(parsed: list) -> np.ndarray:
    return np.array([p[0].toordinal() - _EPOCH if p else 0 for p in parsed], dtype=np.int64).astype(
        "datetime64[D]"
    )


def _encoded(values: list[str]) -> np.ndarray:
    """Values as a numpy string array (fast unique/sort, unlike object arrays)."""
    return np.array(values, dtype=str) if values else np.array([], dtype="<U1")


def absence_events_read(path: str | Path, *, max_shown: int = 50) -> AbsenceEvents:
    """Read and check a registrations file in any supported layout (all or nothing).
    Column-wise: every distinct date, time or lesson text is parsed once."""
    path = Path(path)
    header, columns, unit = _read_columns(path)
    layout, index, header_is_data = _detect(path, header)
    if header_is_data:
        columns = [[str(h).strip(), *c] for h, c in zip(header, columns, strict=True)]
    first = 1 if header_is_data or unit == "item" else 2
    n_rows = len(columns[0]) if columns else 0
    if n_rows == 0:
        raise AttendanceValidationError(
            [Problem(str(path), None, None, "no registrations in the file")]
        )
    if layout == "eduarte":
        index = {name: i for i, name in enumerate(_EDUARTE_COLUMNS)}
        names = {k: k for k in _EDUARTE_COLUMNS}
        student_col, code_col = "deelnemernummer", "reden"
    else:
        names = {target: header[i] for target, i in index.items()}
        student_col, code_col = "student", "code"

    def col(key: str) -> list[str]:
        return columns[index[key]] if key in index else [""] * n_rows

    problems: list[tuple[int, str, str]] = []

    def check(values: list, bad, column: str, message) -> None:
        if not any(bad(v) for v in set(values)):  # the usual case: scan distinct values only
            return
        for r in (i for i, v in enumerate(values) if bad(v)):
            problems.append((r, column, message(r)))

    student, code = col(student_col), [c.upper() for c in col(code_col)]
    check(student, lambda v: not v, names[student_col], lambda r: "missing value")
    check(code, lambda v: not v, names[code_col], lambda r: "missing value")
    if layout == "eduarte":
        d0_text, d1_text = (
            col("begindatum"),
            [e or b for e, b in zip(col("einddatum"), col("begindatum"), strict=True)],
        )
        d0, d1 = _parsed(d0_text, _date_only), _parsed(d1_text, _date_only)
        t0, t1 = _parsed(col("begintijd"), _time_only), _parsed(col("eindtijd"), _time_only)
        l0, l1 = _parsed(col("beginlesuur"), _lesson), _parsed(col("eindlesuur"), _lesson)
        lesson_names = ("beginlesuur", "eindlesuur")
        begin_name, end_name = "begindatum", "einddatum"
        for values, texts, column in ((d0, d0_text, "begindatum"), (d1, d1_text, "einddatum")):
            check(
                values,
                lambda v: v is None,
                column,
                lambda r, t=texts: f"not a date: {t[r]} (expected YYYY-MM-DD)",
            )
        for values, column in ((t0, "begintijd"), (t1, "eindtijd")):
            texts = col(column)
            check(
                values,
                lambda v: v is None,
                column,
                lambda r, t=texts: f"not a date/time: {t[r]} (expected YYYY-MM-DD HH:MM)",
            )
        minute0 = np.array([t if t is not None else -1 for t in t0], dtype=np.int32)
        minute1 = np.array([t if t is not None else -1 for t in t1], dtype=np.int32)
    else:
        b_text = col("begin")
        e_text = [e or b for e, b in zip(col("end"), b_text, strict=True)]
        d0, d1 = _parsed(b_text, _parse_datetime), _parsed(e_text, _parse_datetime)
        l0, l1 = _parsed(col("lesson"), _lesson), _parsed(col("end_lesson"), _lesson)
        lesson_names = (names.get("lesson", "lesuur"), names.get("end_lesson", "eindlesuur"))
        begin_name, end_name = names["begin"], names.get("end", names["begin"])
        for values, texts, column in ((d0, b_text, begin_name), (d1, e_text, end_name)):
            check(
                values,
                lambda v: v is None,
                column,
                lambda r, t=texts: f"not a date/time: {t[r]} (expected YYYY-MM-DD HH:MM)",
            )
        minute0 = np.array([p[1] if p else -1 for p in d0], dtype=np.int32)
        minute1 = np.array([p[1] if p else -1 for p in d1], dtype=np.int32)
    for values, column, key in (
        (l0, lesson_names[0], "lesson"),
        (l1, lesson_names[1], "end_lesson"),
    ):
        texts = col(key) if layout != "eduarte" else col(column)
        check(
            values,
            lambda v: v is None,
            column,
            lambda r, t=texts: f"not a lesson hour: {t[r]} (expected 1, 2, ...)",
        )
    day0, day1 = _days(d0), _days(d1)
    lesson0 = np.array([v or 0 for v in l0], dtype=np.int32)
    lesson1 = np.array([v or 0 for v in l1], dtype=np.int32)
    lesson0, lesson1 = (
        np.where(lesson0 > 0, lesson0, lesson1),
        np.where(lesson1 > 0, lesson1, lesson0),
    )
    parsed_ok = np.array([a is not None and b is not None for a, b in zip(d0, d1, strict=True)])
    same_day = day0 == day1
    for r in np.flatnonzero(parsed_ok & same_day & (lesson1 < lesson0)):
        problems.append((int(r), lesson_names[1], "end lesson before begin lesson"))
    backwards = (day1 < day0) | (same_day & (minute0 >= 0) & (minute1 >= 0) & (minute1 < minute0))
    for r in np.flatnonzero(parsed_ok & backwards):
        problems.append((int(r), end_name, "end before begin"))
    if problems:
        problems.sort(key=lambda p: p[0])
        raise AttendanceValidationError(
            [Problem(str(path), r + first, c, m, unit) for r, c, m in problems[:max_shown]],
            len(problems),
        )
    del begin_name
    return AbsenceEvents(
        str(path),
        layout,
        unit,
        _encoded(student),
        np.arange(first, first + n_rows, dtype=np.int64),
        _encoded(code),
        day0,
        day1,
        minute0,
        minute1,
        lesson0,
        lesson1,
    )


def _hhmm(text: str) -> str:
    text = text.strip()
    if re.fullmatch(r"\d{3,4}", text):
        text = text.zfill(4)
        return f"{text[:2]}:{text[2:]}"
    return text


# --- events -> daily rows -----------------------------------------------------------------


@dataclass
class DailyResult:
    """The canonical daily rows (a pyarrow table in SIGNALS.md column order) and figures."""

    table: pa.Table
    layout: str
    registrations: int
    students: int
    code_counts: dict[str, int]
    outside_school_days: int = 0
    notes: list[str] = field(default_factory=list)

    def write_csv(self, path: str | Path) -> None:
        pacsv.write_csv(self.table, str(path), pacsv.WriteOptions(quoting_style="needed"))


def _school_days(calendar: str | Path | None, events: AbsenceEvents) -> np.ndarray:
    if calendar is None:
        first, last = events.day0.min(), events.day1.max()
        days = np.arange(first, last + np.timedelta64(1, "D"), dtype="datetime64[D]")
        return days[np.is_busday(days)]
    path = Path(calendar)
    header, rows, unit = _read_rows(path)
    keys = [_key(h) for h in header]
    at = next((i for i, k in enumerate(keys) if k in ("date", "datum")), None)
    if at is None:
        raise AttendanceValidationError(
            [Problem(str(path), 1, "date", "missing required column (accepted names: date, datum)")]
        )
    days, problems = [], []
    for n, row in enumerate(rows, start=2):
        parsed = _parse_datetime(_cell(row, at).strip())
        if parsed is None:
            problems.append(
                Problem(
                    str(path),
                    n,
                    header[at],
                    f"not a date: {_cell(row, at)} (expected YYYY-MM-DD)",
                    unit,
                )
            )
        else:
            days.append(parsed[0])
    if problems:
        raise AttendanceValidationError(problems[:50], len(problems))
    if not days:
        raise AttendanceValidationError(
            [Problem(str(path), None, None, "no school days in the calendar")]
        )
    return np.unique(np.array(days, dtype="datetime64[D]"))


def absences_to_daily(
    events: AbsenceEvents | str | Path,
    *,
    codes: CodeTable,
    timetable: Timetable,
    calendar: str | Path | None = None,
) -> DailyResult:
    """The canonical daily rows the registrations amount to (SIGNALS.md "Input"), one row per
    pupil of the file per school day from the first school day up to the last registered
    day, sorted by pupil and date. Raises AttendanceValidationError for unknown codes,
    lesson hours outside the timetable or unreadable input."""
    if not isinstance(events, AbsenceEvents):
        events = absence_events_read(events)
    path = events.path

    # 1. Codes: every code must be in the school's table.
    uniq_codes, code_idx = np.unique(events.code, return_inverse=True)
    categories = [codes.category(str(c)) for c in uniq_codes]
    unknown = [str(c) for c, cat in zip(uniq_codes, categories, strict=True) if cat is None]
    if unknown:
        first_lines = [int(events.line[np.argmax(events.code == c)]) for c in unknown]
        column = {"eduarte": "reden", "somtoday": "afkorting"}.get(events.layout, "code")
        raise AttendanceValidationError(
            [
                Problem(
                    path,
                    first_lines[0],
                    column,
                    f"unknown absence code(s) not in the code table: {', '.join(unknown)} "
                    f"(first on {events.unit} " + ", ".join(map(str, first_lines)) + ")",
                    events.unit,
                )
            ]
        )
    # 2. Lesson hours must exist in the timetable.
    n_lessons = len(timetable.lessons)
    bad = np.flatnonzero((events.lesson0 > n_lessons) | (events.lesson1 > n_lessons))
    if bad.size:
        raise AttendanceValidationError(
            [
                Problem(
                    path,
                    int(events.line[i]),
                    "lesuur",
                    f"lesson hour {max(events.lesson0[i], events.lesson1[i])} is not in the "
                    f"timetable ({n_lessons} lesson hours)",
                    events.unit,
                )
                for i in bad[:50]
            ],
            int(bad.size),
        )

    school_days = _school_days(calendar, events)
    students, student_idx = np.unique(events.student.astype(str), return_inverse=True)
    cat_names = np.array([c or "" for c in categories], dtype=object)[code_idx]

    # 3. Expand every registration to its school days.
    i0 = np.searchsorted(school_days, events.day0, side="left")
    i1 = np.searchsorted(school_days, events.day1, side="right")
    span = np.maximum(i1 - i0, 0)
    outside = int((span == 0).sum())
    reg = np.repeat(np.arange(len(events)), span)
    offsets = np.cumsum(span) - span
    day_idx = i0[reg] + (np.arange(reg.size) - offsets[reg])
    day = school_days[day_idx]
    starts, ends = timetable.starts, timetable.ends
    is_first = day == events.day0[reg]
    is_last = day == events.day1[reg]
    l0, l1 = events.lesson0[reg], events.lesson1[reg]
    m0, m1 = events.minute0[reg], events.minute1[reg]
    by_lesson = l0 > 0
    a = np.where(
        is_first & by_lesson, starts[np.maximum(l0 - 1, 0)], np.where(is_first & (m0 >= 0), m0, 0)
    )
    b = np.where(
        is_last & by_lesson,
        ends[np.maximum(l1 - 1, 0)],
        np.where(is_last & (m1 >= 0) & ~by_lesson & ((m1 > 0) | ~is_first), m1, _DAY_MINUTES),
    )
    # A single day given as a date only (begin = end, no times) is the whole day.
    b = np.where(is_last & ~by_lesson & (m1 == 0) & (m0 <= 0) & is_first, _DAY_MINUTES, b)
    category = cat_names[reg]
    weekday = (day.astype("datetime64[D]").view("int64") - 4) % 7  # 1970-01-01 was a Thursday

    # 4. Late arrivals and sent home sick: per registration per day.
    ndays = len(school_days)
    key = student_idx[reg].astype(np.int64) * ndays + day_idx
    n_keys = len(students) * ndays
    late = np.bincount(key[category == "te_laat"], minlength=n_keys)
    sent_home = np.bincount(key[category == "uitgestuurd_ziek"], minlength=n_keys) > 0

    # 5. Pieces: overlap of each registration-day with each scheduled lesson.
    counted = np.isin(category, list(CATEGORY_PRIORITY))
    sched = timetable.scheduled_mask()[weekday[counted]]
    lo = np.maximum(a[counted, None], starts[None, :])
    hi = np.minimum(b[counted, None], ends[None, :])
    overlap = np.where(sched, np.clip(hi - lo, 0, None), 0)
    rows_, lessons_ = np.nonzero(overlap)
    prio = np.array([CATEGORY_PRIORITY[c] for c in category[counted]], dtype=np.int8)[rows_]
    piece_key = key[counted][rows_]
    piece_lo, piece_hi = lo[rows_, lessons_], hi[rows_, lessons_]
    hours = np.zeros((len(_PRIO_NAMES), n_keys))
    values = timetable.lesson_values()
    slot = piece_key * n_lessons + lessons_
    order = np.lexsort((prio, slot))
    slot, prio, piece_lo, piece_hi, lessons_ = (
        slot[order],
        prio[order],
        piece_lo[order],
        piece_hi[order],
        lessons_[order],
    )
    first_of_slot = np.ones(slot.size, dtype=bool)
    first_of_slot[1:] = slot[1:] != slot[:-1]
    if timetable.sector == "vo":
        # A lesson hour counts once, for the strongest category registered in it.
        win = first_of_slot
        np.add.at(hours, (prio[win], slot[win] // n_lessons), values[lessons_[win]])
    else:
        # Clock time: within a lesson, each minute counts once for its strongest category.
        single = first_of_slot.copy()
        single[:-1] &= first_of_slot[1:]
        np.add.at(
            hours, (prio[single], slot[single] // n_lessons), (piece_hi - piece_lo)[single] / 60
        )
        for group in _groups(slot, ~single):
            covered = np.zeros(_DAY_MINUTES, dtype=np.int8) + 127
            for j in group:  # sorted by priority: later (weaker) ones only fill gaps
                window = covered[piece_lo[j] : piece_hi[j]]
                np.minimum(window, prio[j], out=window)
            for p in np.unique(covered[covered < 127]):
                hours[p, slot[group[0]] // n_lessons] += (covered == p).sum() / 60
    columns = {
        c: np.zeros(n_keys) for c in ("unauthorised_hours", "sick_hours", "authorised_hours")
    }
    for p, name in enumerate(_PRIO_NAMES):
        if name in _COLUMN_OF:
            columns[_COLUMN_OF[name]] += hours[p]

    # 6. Dense rows: every pupil x every school day up to the last registered school day.
    last = min(int(np.searchsorted(school_days, events.day1.max(), side="right")), ndays)
    days_out = np.arange(last)
    grid = (np.arange(len(students))[:, None] * ndays + days_out[None, :]).ravel()
    weekday_out = (school_days[:last].view("int64") - 4) % 7
    scheduled = np.tile(timetable.scheduled_hours()[weekday_out], len(students))
    table = pa.table(
        {
            "student_id": pa.array(np.repeat(students, last), pa.string()),
            "date": pa.array(np.tile(school_days[:last], len(students)), pa.date32()),
            "scheduled_hours": np.round(scheduled, 4),
            "unauthorised_hours": np.round(columns["unauthorised_hours"][grid], 4),
            "sick_hours": np.round(columns["sick_hours"][grid], 4),
            "authorised_hours": np.round(columns["authorised_hours"][grid], 4),
            "late": late[grid].astype(np.int32),
            "sent_home_sick": sent_home[grid].astype(np.int32),
        }
    )
    assert list(table.column_names) == list(CANONICAL_COLUMNS)
    notes = []
    if outside:
        notes.append(f"{outside} registration(s) fall on no school day (holiday or weekend)")
    return DailyResult(
        table=table,
        layout=events.layout,
        registrations=len(events),
        students=len(students),
        code_counts=events.code_counts(),
        outside_school_days=outside,
        notes=notes,
    )


def _groups(slot: np.ndarray, mask: np.ndarray) -> Iterable[np.ndarray]:
    """Index groups of equal `slot` among the positions where `mask` holds (sorted input)."""
    positions = np.flatnonzero(mask)
    if positions.size == 0:
        return []
    breaks = np.flatnonzero(slot[positions][1:] != slot[positions][:-1]) + 1
    return np.split(positions, breaks)
