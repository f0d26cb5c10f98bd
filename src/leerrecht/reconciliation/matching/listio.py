"""Reading lists (CSV, XLSX), mapping their columns and validating every row (pure Python).

Nothing is half-imported: `rows_validate` returns either all records or the row-level
errors, never both; callers store records only when there are no errors.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from leerrecht.reconciliation.matching.normalise import fold, parse_date
from leerrecht.registry.validators import bsn_normalise, bsn_problem, education_number_problem

# Target fields per kind of list: (field, Dutch label, header synonyms).
LIST_FIELDS: list[tuple[str, str, tuple[str, ...]]] = [
    ("bsn", "BSN", ("bsn", "burgerservicenummer", "sofinummer", "bsn leerling")),
    ("education_number", "Onderwijsnummer", ("onderwijsnummer", "onr", "pgn", "own")),
    (
        "given_names",
        "Voornamen / initialen",
        ("voornamen", "voornaam", "roepnaam", "initialen", "voorletters"),
    ),
    ("tussenvoegsel", "Tussenvoegsel", ("tussenvoegsel", "tussenvoegsels", "voorvoegsel", "tv")),
    (
        "surname",
        "Achternaam",
        ("achternaam", "geslachtsnaam", "naam", "familienaam", "achternaam leerling"),
    ),
    (
        "date_of_birth",
        "Geboortedatum",
        ("geboortedatum", "geb datum", "geboren", "gebdat", "geboorte datum"),
    ),
    ("status", "Status", ("status", "situatie", "stand", "soort verzuim", "categorie")),
    ("school", "School", ("school", "brin", "schoolnaam", "onderwijsinstelling")),
    (
        "external_id",
        "Kenmerk in de bron",
        ("kenmerk", "id", "leerlingnummer", "dossiernummer", "registratienummer"),
    ),
]
REGISTER_FIELDS: list[tuple[str, str, tuple[str, ...]]] = [
    ("bsn", "BSN", ("bsn", "burgerservicenummer")),
    ("given_names", "Voornamen", ("voornamen", "voornaam")),
    ("tussenvoegsel", "Tussenvoegsel", ("tussenvoegsel", "voorvoegsel")),
    ("surname", "Achternaam", ("achternaam", "geslachtsnaam", "naam")),
    ("date_of_birth", "Geboortedatum", ("geboortedatum", "geb datum")),
    ("address", "Adres", ("adres", "straat", "woonadres")),
    ("municipality", "Gemeente", ("gemeente", "woonplaats", "gemeentecode", "cbs code")),
    ("settled_on", "Datum vestiging", ("datum vestiging", "vestigingsdatum", "vestiging")),
    ("departed_on", "Datum vertrek", ("datum vertrek", "vertrekdatum", "vertrek")),
    ("departure_reason", "Reden vertrek", ("reden vertrek", "vertrekreden", "reden")),
    ("starting_qualification", "Startkwalificatie", ("startkwalificatie", "sk", "diploma")),
]
REQUIRED = {
    "list": [("surname", "date_of_birth"), ("bsn",), ("education_number",)],  # one group complete
    "register": [("bsn", "surname", "date_of_birth", "municipality")],
}
_DATE_FIELDS = {"date_of_birth", "settled_on", "departed_on"}


class ListError(ValueError):
    """The file as a whole cannot be read (wrong format, empty, no header)."""


@dataclass(slots=True)
class Table:
    headers: list[str]
    rows: list[list[str]]  # data rows; row k is line k + 2 of the file (line 1 = header)


@dataclass(slots=True)
class RowError:
    line: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"regel {self.line}, kolom {self.column!r}: {self.message}"


@dataclass(slots=True)
class Validated:
    records: list[dict] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


def fields_for(kind: str):
    return REGISTER_FIELDS if kind == "register" else LIST_FIELDS


def _cell(value) -> str:
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return value.isoformat()[:10]
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def table_read(content: bytes, filename: str, *, max_rows: int = 2_000_000) -> Table:
    """Read a CSV (comma or semicolon, UTF-8 or Windows-1252) or XLSX file."""
    name = filename.lower()
    if name.endswith((".xlsx", ".xlsm")):
        return _read_xlsx(content, filename, max_rows)
    if name.endswith((".csv", ".txt")):
        return _read_csv(content, filename, max_rows)
    raise ListError(f"{Path(filename).name}: alleen CSV- of XLSX-bestanden worden gelezen")


def _read_csv(content: bytes, filename: str, max_rows: int) -> Table:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - cp1252 decodes almost anything
        raise ListError(f"{filename}: onbekende tekstcodering")
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    if first.count("\t") > max(first.count(";"), first.count(",")):
        delimiter = "\t"
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    rows = [r for r in reader]
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
    while rows and not any(c.strip() for c in rows[-1]):
        rows.pop()
    if not rows or not any(c.strip() for c in rows[0]):
        raise ListError(f"{filename}: het bestand is leeg of heeft geen kopregel")
    headers = [h.strip() for h in rows[0]]
    while headers and not headers[-1]:
        headers.pop()
    data = rows[1:]
    if len(data) > max_rows:
        raise ListError(f"{filename}: meer dan {max_rows} regels")
    return Table(headers=headers, rows=[[c.strip() for c in r] for r in data])


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


def rows_validate(table: Table, mapping: dict[str, str], kind: str = "list") -> Validated:
    """Apply `mapping` (field -> header) and check every row."""
    result = Validated()
    known = {name for name, _l, _s in fields_for(kind)}
    unknown_headers = [h for f, h in mapping.items() if h and h not in table.headers]
    if unknown_headers:
        result.errors.append(
            RowError(1, unknown_headers[0], "deze kolom staat niet in het bestand")
        )
        return result
    col = {f: table.headers.index(h) for f, h in mapping.items() if h and f in known}
    groups = REQUIRED[kind]
    if not any(all(f in col for f in g) for g in groups):
        need = " of ".join("+".join(g) for g in groups)
        result.errors.append(RowError(1, "-", f"koppel minstens de kolommen {need}"))
        return result
    for k, row in enumerate(table.rows):
        line = k + 2
        if not any(row):
            continue
        rec: dict = {"line": line}
        errors_before = len(result.errors)
        for f, idx in col.items():
            raw = row[idx] if idx < len(row) else ""
            header = mapping[f]
            if f in _DATE_FIELDS:
                try:
                    rec[f] = parse_date(raw)
                except ValueError as exc:
                    result.errors.append(RowError(line, header, str(exc)))
                    continue
            elif f == "bsn" and raw:
                problem = bsn_problem(raw)
                if problem:
                    result.errors.append(RowError(line, header, problem))
                    continue
                rec[f] = bsn_normalise(raw)
            elif f == "education_number" and raw:
                problem = education_number_problem(raw)
                if problem:
                    result.errors.append(RowError(line, header, problem))
                    continue
                rec[f] = raw
            elif f == "starting_qualification":
                rec[f] = fold(raw) in {"ja", "j", "yes", "1", "true", "waar", "x"}
            else:
                rec[f] = raw
        if len(result.errors) > errors_before:
            continue
        if not any(all(rec.get(f) for f in g) for g in groups):
            missing = [f for f in groups[0] if not rec.get(f)]
            result.errors.append(
                RowError(line, mapping.get(missing[0], missing[0]), "verplicht veld is leeg")
            )
            continue
        result.records.append(rec)
    if result.errors:
        result.records = []
    return result
