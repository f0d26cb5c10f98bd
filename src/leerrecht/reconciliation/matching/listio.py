"""THE reader of every list and side file (pure Python): reconciliation lists, population
register extracts, enrolments and exemptions (docs/reconciliation.md, ADR 0140).

One path for all of them: encoding detection, the same header aliases, blank lines skipped
anywhere, identifiers through ``registry.validators.identifier_normalise`` (leading zero
restored, then validated), dates through ``parse_date``. Problems come in two sizes:

* file-level (`Validated.errors`, or `ListError` from `table_read`): the file cannot be read
  as a whole (unknown encoding, no header, a required column not mapped) - nothing is read;
* row-level (`Validated.problems`): one bad cell (invalid BSN, unparseable date, unknown
  exemption article ...). The row still takes part without the bad field, or - when the
  row has nothing left to take part with - is left out; either way the problem names file,
  line, column and reason, and never stops the run.
"""

from __future__ import annotations

import codecs
import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from leerrecht.reconciliation.matching.normalise import (
    article_normalise,
    fold,
    parse_date,
)
from leerrecht.registry.validators import identifier_normalise

Field = tuple[str, str, tuple[str, ...]]  # (field, Dutch label, header synonyms)


def _f(name: str, label: str, synonyms: str) -> Field:
    return name, label, tuple(synonyms.split("|"))


_BSN = _f("bsn", "BSN", "bsn|burgerservicenummer|sofinummer|bsn leerling")
_EDUCATION_NUMBER = _f("education_number", "Onderwijsnummer", "onderwijsnummer|onr|pgn|own")
_GIVEN = _f(
    "given_names", "Voornamen / initialen", "voornamen|voornaam|roepnaam|initialen|voorletters"
)
_TUSSENVOEGSEL = _f(
    "tussenvoegsel", "Tussenvoegsel", "tussenvoegsel|tussenvoegsels|voorvoegsel|voorvoegsels|tv"
)
_SURNAME = _f(
    "surname", "Achternaam", "achternaam|geslachtsnaam|naam|familienaam|achternaam leerling"
)
_DATE_OF_BIRTH = _f(
    "date_of_birth", "Geboortedatum", "geboortedatum|geb datum|geboren|gebdat|geboorte datum"
)
ADDRESS_FIELDS: list[Field] = [
    _f("street", "Straat", "straat|straatnaam|adres|woonadres|straat en huisnummer"),
    _f("house_number", "Huisnummer", "huisnummer|huisnr|nr|huisnummer en toevoeging"),
    _f("postcode", "Postcode", "postcode|pc|postcode leerling"),
    _f("woonplaats", "Woonplaats", "woonplaats|plaats|woonplaats leerling"),
    _f(
        "municipality",
        "Gemeente (naam of CBS-code)",
        "gemeente|gemeentecode|cbs code|gemeente code|woongemeente",
    ),
]
_NAME_AND_BIRTH = [_GIVEN, _TUSSENVOEGSEL, _SURNAME, _DATE_OF_BIRTH]
_START = _f(
    "start", "Ingangsdatum", "start|vanaf|begin|begindatum|ingangsdatum|ingeschreven vanaf|datum in"
)
_END = _f("end", "Einddatum", "end|tot|einde|einddatum|tot en met|uitgeschreven per|datum uit")

LIST_FIELDS: list[Field] = [
    _BSN,
    _EDUCATION_NUMBER,
    *_NAME_AND_BIRTH,
    _f("status", "Status", "status|situatie|stand|soort verzuim|categorie"),
    _f("school", "School", "school|brin|schoolnaam|onderwijsinstelling"),
    _f(
        "external_id",
        "Kenmerk in de bron",
        "kenmerk|id|leerlingnummer|dossiernummer|registratienummer",
    ),
    *ADDRESS_FIELDS,
]
REGISTER_FIELDS: list[Field] = [
    _BSN,
    *_NAME_AND_BIRTH,
    *ADDRESS_FIELDS,
    _f("settled_on", "Datum vestiging", "datum vestiging|vestigingsdatum|vestiging"),
    _f("departed_on", "Datum vertrek", "datum vertrek|vertrekdatum|vertrek"),
    _f("departure_reason", "Reden vertrek", "reden vertrek|vertrekreden|reden"),
    _f("starting_qualification", "Startkwalificatie", "startkwalificatie|sk|diploma"),
]
ENROLMENT_FIELDS: list[Field] = [
    _BSN,
    _EDUCATION_NUMBER,
    _f("brin", "BRIN", "brin|brin nummer|brinnummer|school"),
    _START,
    _END,
]
EXEMPTION_FIELDS: list[Field] = [
    _BSN,
    _f("article", "Artikel", "article|artikel|grond|vrijstelling|soort vrijstelling"),
    _START,
    _END,
]
_FIELDS = {
    "list": LIST_FIELDS,
    "register": REGISTER_FIELDS,
    "enrolments": ENROLMENT_FIELDS,
    "exemptions": EXEMPTION_FIELDS,
}
# Columns that must be mapped (one group complete) ...
REQUIRED = {
    "list": [("surname", "date_of_birth"), ("bsn",), ("education_number",)],
    "register": [
        ("bsn", "surname", "date_of_birth", "municipality"),
        ("bsn", "surname", "date_of_birth", "woonplaats"),
    ],
    "enrolments": [("bsn", "start")],
    "exemptions": [("bsn", "article", "start")],
}
# ... and what a row needs to take part at all (one group non-empty after checking).
_ROW_NEEDS = {
    "list": [("surname",), ("bsn",), ("education_number",)],
    "register": [("date_of_birth",)],
    "enrolments": [("bsn", "start")],
    "exemptions": [("bsn", "article", "start")],
}
_DATE_FIELDS = {"date_of_birth", "settled_on", "departed_on", "start", "end"}
_IDENTIFIERS = {"bsn", "education_number", "brin"}


class ListError(ValueError):
    """The file as a whole cannot be read (wrong format, encoding, empty, no header)."""


@dataclass(slots=True)
class Table:
    headers: list[str]
    rows: list[list[str]]  # data rows; row k is line k + first_line of the file
    filename: str = ""
    first_line: int = 2  # line number of rows[0] (the header is the line before)


@dataclass(slots=True)
class Problem:
    """One problem with one cell or row: file, line, column and a Dutch reason."""

    line: int
    column: str
    message: str
    file: str = ""

    def __str__(self) -> str:
        where = f"{self.file}, " if self.file else ""
        return f"{where}regel {self.line}, kolom {self.column!r}: {self.message}"

    def as_row(self) -> list:
        return [self.file, self.line, self.column, self.message]


RowError = Problem  # file-level errors use the same shape (line 1 = the header)
PROBLEM_HEADER = ["file", "line", "column", "reason"]


@dataclass(slots=True)
class Validated:
    records: list[dict] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)  # file-level: nothing was read
    problems: list[Problem] = field(default_factory=list)  # row-level: the run goes on


def fields_for(kind: str) -> list[Field]:
    return _FIELDS.get(kind, LIST_FIELDS)


def _cell(value) -> str:
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return value.isoformat()[:10]
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def table_read(content: bytes, filename: str, *, max_rows: int = 2_000_000) -> Table:
    """Read a CSV (comma, semicolon or tab; UTF-8 with or without BOM, UTF-16, Windows-1252)
    or XLSX file."""
    name = filename.lower()
    if name.endswith((".xlsx", ".xlsm")):
        return _read_xlsx(content, filename, max_rows)
    if name.endswith((".csv", ".txt", ".tsv")):
        return _read_csv(content, filename, max_rows)
    raise ListError(f"{Path(filename).name}: alleen CSV- of XLSX-bestanden worden gelezen")


_UNKNOWN_ENCODING = (
    "{name}: de tekstcodering is niet herkend (geen UTF-8, UTF-16 of Windows-1252); "
    "sla het bestand op als 'CSV UTF-8' en lees het opnieuw in"
)


def text_decode(content: bytes, filename: str) -> str:
    """Decode a text file: a BOM decides; else UTF-16 by its zero bytes, UTF-8, Windows-1252."""
    name = Path(filename).name
    try:
        if content.startswith(codecs.BOM_UTF8):
            return content[len(codecs.BOM_UTF8) :].decode("utf-8")
        if content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return content.decode("utf-16")
        head = content[:400]
        if len(head) >= 4 and head.count(0) >= len(head) // 3:  # UTF-16 without a BOM
            little = head[1::2].count(0) > head[0::2].count(0)
            return content.decode("utf-16-le" if little else "utf-16-be")
    except UnicodeDecodeError as exc:
        raise ListError(_UNKNOWN_ENCODING.format(name=name)) from exc
    if 0 in content:
        raise ListError(_UNKNOWN_ENCODING.format(name=name))
    for encoding in ("utf-8", "cp1252"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ListError(_UNKNOWN_ENCODING.format(name=name))


def _read_csv(content: bytes, filename: str, max_rows: int) -> Table:
    text = text_decode(content, filename)
    first = next((line for line in text.splitlines() if line.strip()), "")
    counts = {d: first.count(d) for d in (";", ",", "\t")}
    delimiter = max(counts, key=lambda d: counts[d]) if any(counts.values()) else ","
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    return _table(rows, filename, max_rows)


def _read_xlsx(content: bytes, filename: str, max_rows: int) -> Table:
    from openpyxl import load_workbook

    try:
        wb = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise ListError(f"{filename}: geen leesbaar Excel-bestand ({type(exc).__name__})") from exc
    ws = wb.worksheets[0]
    rows = [[_cell(c) for c in row] for row in ws.iter_rows(values_only=True)]
    wb.close()
    return _table(rows, filename, max_rows)


def _table(rows: list[list[str]], filename: str, max_rows: int) -> Table:
    name = Path(filename).name
    rows = [[(c or "").strip() for c in r] for r in rows]
    while rows and not any(rows[-1]):
        rows.pop()
    skipped = 0  # blank lines before the header
    while rows and not any(rows[0]):
        rows.pop(0)
        skipped += 1
    if not rows:
        raise ListError(f"{name}: het bestand is leeg of heeft geen kopregel")
    headers = list(rows[0])
    while headers and not headers[-1]:
        headers.pop()
    data = rows[1:]
    if len(data) > max_rows:
        raise ListError(f"{name}: meer dan {max_rows} regels")
    return Table(headers=headers, rows=data, filename=name, first_line=skipped + 2)


def mapping_suggest(headers: list[str], kind: str = "list") -> dict[str, str]:
    """field -> header, from header synonyms (the user confirms or changes it)."""
    folded = {fold(h): h for h in headers if h}
    out: dict[str, str] = {}
    for name, _label, synonyms in fields_for(kind):
        for s in (name, *synonyms):
            if fold(s) in folded and folded[fold(s)] not in out.values():
                out[name] = folded[fold(s)]
                break
    return out


def _value(f: str, raw: str):
    """(value, problem) of one cell of field `f`."""
    if f in _DATE_FIELDS:
        try:
            return parse_date(raw), None
        except ValueError as exc:
            return None, str(exc)
    if f in _IDENTIFIERS:
        return identifier_normalise(f, raw)
    if f == "article":
        article = article_normalise(raw)
        if raw and not article:
            return "", (
                f"{raw!r} is geen bekend artikel van de Leerplichtwet "
                "(bijv. 5a, 5 onder a, art. 15)"
            )
        return article, None
    if f == "starting_qualification":
        return fold(raw) in {"ja", "j", "yes", "1", "true", "waar", "x"}, None
    return raw, None


def rows_validate(table: Table, mapping: dict[str, str], kind: str = "list") -> Validated:
    """Apply `mapping` (field -> header) and check every row.

    A wrong mapping is a file-level error (nothing read). A bad cell is a row-level problem:
    the field is left empty and the row takes part without it; a row with nothing left to
    take part with (e.g. no name and no valid BSN) is left out, also as a problem.
    """
    result = Validated()
    file = table.filename
    known = {name for name, _l, _s in fields_for(kind)}
    unknown_headers = [h for f, h in mapping.items() if h and h not in table.headers]
    if unknown_headers:
        result.errors.append(
            Problem(1, unknown_headers[0], "deze kolom staat niet in het bestand", file)
        )
        return result
    col = {f: table.headers.index(h) for f, h in mapping.items() if h and f in known}
    groups = REQUIRED[kind]
    if not any(all(f in col for f in g) for g in groups):
        need = " of ".join("+".join(g) for g in groups)
        result.errors.append(Problem(1, "-", f"koppel minstens de kolommen {need}", file))
        return result
    needs = _ROW_NEEDS[kind]
    for k, row in enumerate(table.rows):
        line = k + table.first_line
        if not any(row):
            continue  # blank line, anywhere in the file
        rec: dict = {"line": line}
        row_problems: dict[str, Problem] = {}
        for f, idx in col.items():
            value, problem = _value(f, row[idx] if idx < len(row) else "")
            if problem:
                row_problems[f] = Problem(line, mapping[f], problem, file)
            rec[f] = value
        if not any(all(rec.get(f) for f in g) for g in needs):
            missing = next(f for f in needs[0] if not rec.get(f))
            if missing in row_problems:
                row_problems[missing].message += "; de regel doet niet mee"
            else:
                row_problems[missing] = Problem(
                    line,
                    mapping.get(missing, missing),
                    "regel doet niet mee: verplicht veld is leeg",
                    file,
                )
            result.problems.extend(row_problems.values())
            continue
        result.problems.extend(row_problems.values())
        result.records.append(rec)
    return result


def file_read(content: bytes, filename: str, kind: str, mapping: dict[str, str] | None = None):
    """Read and check a whole file of `kind` with `mapping` (suggested from the headers when
    None). Raises ListError for file-level problems; returns Validated with row problems."""
    table = table_read(content, filename)
    if mapping is None:
        mapping = mapping_suggest(table.headers, kind)
    result = rows_validate(table, mapping, kind)
    if result.errors:
        raise ListError("; ".join(str(e) for e in result.errors))
    return result
