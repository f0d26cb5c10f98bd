"""A readable PDF of the subject access export (AVG art. 15), with fpdf2.

Uses DejaVu Sans when the system has it (all Dutch and other letters); otherwise the PDF
core font with characters outside Latin-1 replaced.
"""

from __future__ import annotations

from pathlib import Path

from django.utils import timezone
from fpdf import FPDF

from leerrecht.monitoring.exports import export_cell
from leerrecht.privacy.selectors import SubjectAccessReport

_DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
_DEJAVU_BOLD = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")


class _Pdf(FPDF):
    def __init__(self) -> None:
        super().__init__(format="A4")
        self.unicode = _DEJAVU.exists() and _DEJAVU_BOLD.exists()
        if self.unicode:
            self.add_font("DejaVu", "", str(_DEJAVU))
            self.add_font("DejaVu", "B", str(_DEJAVU_BOLD))
            self.family = "DejaVu"
        else:
            self.family = "Helvetica"
        self.set_auto_page_break(auto=True, margin=15)

    def text_safe(self, text) -> str:
        text = "" if text is None else str(text)
        return text if self.unicode else text.encode("latin-1", "replace").decode("latin-1")

    def heading(self, text: str, size: int = 14) -> None:
        self.set_font(self.family, "B", size)
        self.multi_cell(0, 7, self.text_safe(text), new_x="LMARGIN", new_y="NEXT")
        self.ln(1)

    def line_text(self, text: str, size: int = 9) -> None:
        self.set_font(self.family, "", size)
        self.multi_cell(0, 5, self.text_safe(text), new_x="LMARGIN", new_y="NEXT")


def subject_access_pdf(report: SubjectAccessReport) -> bytes:
    pdf = _Pdf()
    pdf.add_page()
    pdf.heading("Inzage in persoonsgegevens (AVG artikel 15)", 16)
    pdf.line_text(
        f"Leerling: {report.student.full_name} - opgesteld op "
        f"{timezone.localtime(report.generated_at):%d-%m-%Y %H:%M}",
        10,
    )
    pdf.ln(3)
    data = report.as_json()
    pdf.heading("Over dit overzicht")
    for heading, text in report.about():
        pdf.line_text(f"{heading}: {text}", 10)
        pdf.ln(1)
    pdf.ln(2)
    pdf.heading("Gegevens over de leerling")
    for key, value in report.readable_subject():
        pdf.line_text(f"{key}: {export_cell(value)}")
    for title, rows in report.readable_sections():
        pdf.ln(2)
        pdf.heading(f"{title} ({len(rows)})", 12)
        for row in rows:
            pdf.line_text("; ".join(f"{k}: {export_cell(v)}" for k, v in row))
            pdf.ln(1)
    if data["niet_opgenomen"]:
        pdf.ln(2)
        pdf.heading("Niet in dit overzicht", 12)
        for item in data["niet_opgenomen"]:
            pdf.line_text(f"{item['soort']}: {item['aantal']}. {item['reden']}")
    pdf.ln(2)
    pdf.heading(f"Wie heeft deze gegevens verwerkt ({len(report.access_log)})", 12)
    for row in report.readable_log():
        pdf.line_text(
            f"{row['tijdstip']} - {row['gebruiker']} ({row['organisatie']}, "
            f"{row['rol']}): {row['handeling']}, {row['verwerkingsactiviteit']}, "
            f"{row['uitkomst']}"
        )
    return bytes(pdf.output())
