"""Export of every list and figure as CSV, XLSX and PDF (issue 6, item 6).

A :class:`Report` is a title plus sections, each a table (columns + rows) with optional
notes. The same report object feeds the web page's download links and the CLI
(`leerrecht report ...`), so the files always hold the same numbers as the screen.
No Django imports here.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

FORMATS = ("csv", "xlsx", "pdf")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}
_FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")


@dataclass(slots=True)
class Section:
    title: str
    columns: Sequence[str]
    rows: Sequence[Sequence[object]]
    notes: Sequence[str] = ()


@dataclass(slots=True)
class Report:
    title: str
    subtitle: str = ""
    sections: list[Section] = field(default_factory=list)
    # One page per section in the PDF (school consultation overview).
    page_per_section: bool = False

    def add(self, title: str, columns, rows, notes=()) -> Section:
        section = Section(title, list(columns), [list(r) for r in rows], list(notes))
        self.sections.append(section)
        return section


def cell_text(value: object) -> str:
    """How a value is written in CSV/PDF: Dutch dates, decimal comma, empty for None."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, dt.date):
        return value.strftime("%d-%m-%Y")
    if isinstance(value, float):
        return f"{value:.1f}".replace(".", ",")
    return str(value)


# OWASP "CSV Injection": a spreadsheet treats a cell that starts with one of these as a
# formula (or, for tab and carriage return, strips them and looks again).
FORMULA_STARTERS = ("=", "+", "-", "@", "\t", "\r")
# Text that is a plain number ("-5%", "+208%", "1,5") is left as it is: no formula there.
_PLAIN_NUMBER = re.compile(r"[+-]?\d+(?:[.,]\d+)?%?")


def neutralise_formula(text: str) -> str:
    """`text` with a leading apostrophe when a spreadsheet would read it as a formula."""
    if text and text[0] in FORMULA_STARTERS and not _PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    return text


def export_cell(value: object, *, native: bool = False) -> object:
    """THE one function through which every CSV, XLSX and PDF cell is written.

    Text is neutralised against formula injection; with `native` (XLSX) numbers and dates
    stay numbers and dates, so the spreadsheet can still sum them."""
    if native and isinstance(value, int | float | dt.date) and not isinstance(value, bool):
        return value
    return neutralise_formula(cell_text(value))


def render(report: Report, fmt: str) -> bytes:
    if fmt == "csv":
        return to_csv(report)
    if fmt == "xlsx":
        return to_xlsx(report)
    if fmt == "pdf":
        return to_pdf(report)
    raise ValueError(f"unknown export format {fmt!r} (known: {', '.join(FORMATS)})")


def to_csv(report: Report) -> bytes:
    return b"".join(csv_chunks(report))


def csv_chunks(report: Report, *, rows_per_chunk: int = 500) -> Iterator[bytes]:
    """The CSV export as chunks of bytes, so a long list is streamed to the browser.

    Semicolon-separated UTF-8 with BOM, as Dutch spreadsheet software expects. Sections
    follow each other, separated by an empty line and the section title."""
    buffer = io.StringIO()
    # QUOTE_MINIMAL quotes every field holding a separator, quote or line break, so user
    # text cannot start a new cell in the middle of a field (OWASP).
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")

    def line(values) -> None:
        writer.writerow([export_cell(v) for v in values])

    def flush() -> bytes:
        chunk = buffer.getvalue().encode("utf-8")
        buffer.seek(0)
        buffer.truncate()
        return chunk

    buffer.write("\ufeff")
    line([report.title])
    if report.subtitle:
        line([report.subtitle])
    for section in report.sections:
        writer.writerow([])
        line([section.title])
        line(section.columns)
        for n, row in enumerate(section.rows, start=1):
            line(row)
            if n % rows_per_chunk == 0:
                yield flush()
        for note in section.notes:
            line([note])
    yield flush()


def _sheet_title(title: str, used: set[str]) -> str:
    clean = "".join(c for c in title if c not in "[]:*?/\\")[:28] or "Blad"
    name, n = clean, 2
    while name in used:
        name = f"{clean[:25]} {n}"
        n += 1
    used.add(name)
    return name


def to_xlsx(report: Report) -> bytes:
    """One sheet per section; numbers stay numbers, dates stay dates."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    workbook.remove(workbook.active)
    used: set[str] = set()

    def append(sheet, values) -> None:
        sheet.append([export_cell(v, native=True) for v in values])
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # never a formula, whatever the text

    for section in report.sections or [Section(report.title, [], [])]:
        sheet = workbook.create_sheet(_sheet_title(section.title, used))
        append(sheet, [report.title])
        sheet["A1"].font = Font(bold=True, size=13)
        append(
            sheet,
            [section.title if not report.subtitle else f"{section.title} — {report.subtitle}"],
        )
        sheet.append([])
        append(sheet, section.columns)
        for cell in sheet[4]:
            cell.font = Font(bold=True)
        for row in section.rows:
            append(sheet, row)
        for note in section.notes:
            append(sheet, [note])
        for i, column in enumerate(section.columns, start=1):
            width = max([len(str(column))] + [len(cell_text(r[i - 1])) for r in section.rows])
            sheet.column_dimensions[sheet.cell(row=4, column=i).column_letter].width = min(
                max(width + 2, 8), 60
            )
        sheet.freeze_panes = "A5"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _pdf_font(pdf) -> str:
    regular, bold = _FONT_DIR / "DejaVuSans.ttf", _FONT_DIR / "DejaVuSans-Bold.ttf"
    if regular.is_file() and bold.is_file():
        pdf.add_font("DejaVu", "", str(regular))
        pdf.add_font("DejaVu", "B", str(bold))
        return "DejaVu"
    return "Helvetica"


def _latin1(text: str, font: str) -> str:
    if font != "Helvetica":
        return text
    return (
        text.replace("–", "-")
        .replace("—", "-")
        .replace("→", "->")
        .encode("latin-1", "replace")
        .decode("latin-1")
    )


def to_pdf(report: Report) -> bytes:
    """A4 landscape, Unicode font (DejaVu Sans when installed), tables with header rows
    repeated on each page."""
    from fpdf import FPDF

    pdf = FPDF(orientation="L", unit="mm", format="A4")
    pdf.set_title(report.title)
    pdf.set_creator("Leerrecht")
    pdf.set_lang("nl")
    pdf.set_auto_page_break(auto=True, margin=12)
    font = _pdf_font(pdf)
    t = lambda s: _latin1(export_cell(s), font)  # noqa: E731

    def heading() -> None:
        pdf.add_page()
        pdf.set_font(font, "B", 15)
        pdf.multi_cell(0, 8, t(report.title), new_x="LMARGIN", new_y="NEXT")
        if report.subtitle:
            pdf.set_font(font, "", 10)
            pdf.multi_cell(0, 6, t(report.subtitle), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)

    heading()
    for index, section in enumerate(report.sections):
        if report.page_per_section and index > 0:
            heading()
        pdf.set_font(font, "B", 12)
        pdf.multi_cell(0, 7, t(section.title), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(font, "", 8 if len(section.columns) > 8 else 9)
        if section.columns:
            # Column widths follow the longest text, so names do not wrap needlessly.
            widths = [
                min(max([len(str(c)) + 2] + [len(cell_text(r[i])) + 2 for r in section.rows]), 60)
                for i, c in enumerate(section.columns)
            ]
            with pdf.table(
                col_widths=tuple(widths),
                first_row_as_headings=True,
                repeat_headings=1,
                line_height=pdf.font_size * 1.6,
                text_align="LEFT",
            ) as table:
                header = table.row()
                for column in section.columns:
                    header.cell(t(column))
                for row in section.rows:
                    cells = table.row()
                    for value in row:
                        cells.cell(t(value))
        pdf.set_font(font, "", 9)
        for note in section.notes:
            pdf.multi_cell(0, 5, t(note), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(4)
    return bytes(pdf.output())


def filename(stem: str, fmt: str, *, on: dt.date | None = None) -> str:
    stamp = (on or dt.date.today()).isoformat()
    safe = "".join(c if c.isalnum() or c in "-_" else "-" for c in stem.lower())
    return f"{safe}-{stamp}.{fmt}"
