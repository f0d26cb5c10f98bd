"""Validation problems of the engine (English) as Dutch text for the upload page and CLI.

The engine (leerrecht.engine.errors.Problem) names file, line/row and column; the message
text is English. We translate the known message shapes and keep unknown ones as they are.
Temporary file paths are replaced by the name the user uploaded.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from leerrecht.engine import AttendanceValidationError, Problem


@dataclass(frozen=True)
class ShownProblem:
    file: str
    line: int | None
    unit: str  # "regel" | "rij"
    column: str
    message: str

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f", {self.unit} {self.line}"
        if self.column:
            where += f", {_('kolom')} {self.column}"
        return f"{where}: {self.message}"


def _patterns() -> list[tuple[re.Pattern, str]]:
    return [
        (re.compile(r"^missing value$"), _("waarde ontbreekt")),
        (
            re.compile(r"^not a date: (?P<v>.*) \(expected YYYY-MM-DD or DD-MM-YYYY\)$"),
            _("geen datum: %(v)s (verwacht JJJJ-MM-DD of DD-MM-JJJJ)"),
        ),
        (re.compile(r"^not a number: (?P<v>.*)$"), _("geen getal: %(v)s")),
        (re.compile(r"^negative hours: (?P<v>.*)$"), _("negatief aantal uren: %(v)s")),
        (
            re.compile(r"^more than (?P<m>\d+) hours in one day: (?P<v>.*)$"),
            _("meer dan %(m)s uur op één dag: %(v)s"),
        ),
        (
            re.compile(r"^the file is empty.*$"),
            _("het bestand is leeg (verwacht: een kopregel en regels met gegevens)"),
        ),
        (
            re.compile(r"^no data: the file has only a header line$"),
            _("geen gegevens: het bestand bevat alleen een kopregel"),
        ),
        (re.compile(r"^no data: the file has no rows$"), _("geen gegevens: het bestand is leeg")),
        (
            re.compile(r"^cannot read file: not UTF-8, UTF-16 or Windows-1252 text.*$"),
            _(
                "bestand is niet te lezen: de tekst is geen UTF-8, UTF-16 of Windows-1252 (sla het op als UTF-8)"
            ),
        ),
        (
            re.compile(r"^must be a whole number >= 0: (?P<v>.*)$"),
            _("moet een geheel getal van 0 of meer zijn: %(v)s"),
        ),
        (re.compile(r"^must be 0 or 1: (?P<v>.*)$"), _("moet 0 of 1 zijn: %(v)s")),
        (
            re.compile(
                r"^duplicate (?P<k>\S+) \((?P<d>.*)\): also on (?P<u>line|row) (?P<n>\d+)(?P<rest>.*)$"
            ),
            _("dubbele regel (%(d)s): komt ook voor op regel %(n)s%(rest)s"),
        ),
        (
            re.compile(
                r"^absences \((?P<a>[\d.]+) h\) exceed scheduled hours \((?P<s>[\d.]+) h\).*$"
            ),
            _(
                "afwezige uren (%(a)s) zijn meer dan de geroosterde uren (%(s)s): aanwezige uren zouden negatief zijn"
            ),
        ),
        (
            re.compile(r"^unknown column \(expected: (?P<e>[^;]*).*$"),
            _("onbekende kolom (verwacht: %(e)s)"),
        ),
        (
            re.compile(r"^missing required column \(accepted names: (?P<n>.*)\)$"),
            _("verplichte kolom ontbreekt (toegestane namen: %(n)s)"),
        ),
        (
            re.compile(r"^column '(?P<c>.*)' already provides (?P<p>.*)$"),
            _("kolom '%(c)s' levert al %(p)s"),
        ),
        (
            re.compile(r"^not a school day in calendar (?P<c>.*): (?P<d>\S+)$"),
            _("geen schooldag volgens de schoolkalender: %(d)s"),
        ),
        (re.compile(r"^file not found$"), _("bestand niet gevonden")),
        (
            re.compile(r"^unsupported file type.*$"),
            _("onbekend bestandstype (gebruik .csv of .parquet)"),
        ),
        (re.compile(r"^cannot read file: (?P<e>.*)$"), _("bestand is niet te lezen: %(e)s")),
        (re.compile(r"^no input file$"), _("geen bestand")),
        *_absence_patterns(),
    ]


def _absence_patterns() -> list[tuple[re.Pattern, str]]:
    """Messages of engine.absences (registrations, code table, timetable)."""
    return [
        (
            re.compile(r"^layout not recognised: .*$"),
            _(
                "indeling niet herkend: verwacht een export uit Magister (stamnummer, begin, "
                "einde, lesuur, code), absentiemeldingen uit SOMtoday (leerlingnummer, "
                "afkorting, beginDatumTijd, eindDatumTijd, beginLesuur, eindLesuur) of een "
                "EduArte-export (deelnemernummer;yyyymmdd;hhmm;yyyymmdd;hhmm;beginlesuur;"
                "eindlesuur;reden;opmerking)"
            ),
        ),
        (
            re.compile(r"^not recognised: expected a list of absentiemeldingen$"),
            _("indeling niet herkend: verwacht een lijst absentiemeldingen"),
        ),
        (
            re.compile(
                r"^unknown absence code\(s\) not in the code table: (?P<c>.*) "
                r"\(first on (?:line|row|item) (?P<n>.*)\)$"
            ),
            _("onbekende verzuimcode(s), niet in de codetabel: %(c)s (eerst op regel %(n)s)"),
        ),
        (
            re.compile(r"^not a date/time: (?P<v>.*) \(expected YYYY-MM-DD HH:MM\)$"),
            _("geen datum/tijd: %(v)s (verwacht JJJJ-MM-DD UU:MM)"),
        ),
        (
            re.compile(r"^not a lesson hour: (?P<v>.*) \(expected 1, 2, \.\.\.\)$"),
            _("geen lesuur: %(v)s (verwacht 1, 2, ...)"),
        ),
        (
            re.compile(
                r"^lesson hour (?P<l>\d+) is not in the timetable \((?P<n>\d+) lesson hours\)$"
            ),
            _("lesuur %(l)s staat niet in het rooster (%(n)s lesuren)"),
        ),
        (re.compile(r"^end lesson before begin lesson$"), _("eindlesuur ligt voor beginlesuur")),
        (re.compile(r"^end before begin$"), _("einde ligt voor begin")),
        (
            re.compile(r"^no registrations in the file$"),
            _("het bestand bevat geen registraties"),
        ),
        (re.compile(r"^empty file$"), _("het bestand is leeg")),
        (
            re.compile(r"^missing required column (?P<c>\w+)$"),
            _("verplichte kolom ontbreekt: %(c)s"),
        ),
        (
            re.compile(r"^unknown category: (?P<v>.*) \(expected: (?P<e>.*)\)$"),
            _("onbekende categorie: %(v)s (kies uit: %(e)s)"),
        ),
        (
            re.compile(r"^duplicate code (?P<c>.*): also on line (?P<n>\d+)$"),
            _("code %(c)s staat er dubbel in: ook op regel %(n)s"),
        ),
        (re.compile(r"^no codes in the file$"), _("het bestand bevat geen codes")),
        (
            re.compile(r"^no school days in the calendar$"),
            _("de schoolkalender bevat geen schooldagen"),
        ),
        (re.compile(r"^must be po or vo$"), _("moet po of vo zijn")),
        (
            re.compile(r"^expected HH:MM-HH:MM, got (?P<v>.*)$"),
            _("verwacht UU:MM-UU:MM, maar staat er %(v)s"),
        ),
        (re.compile(r"^overlaps the previous lesson$"), _("overlapt met het vorige lesuur")),
        (re.compile(r"^no lessons$"), _("geen lesuren")),
        (re.compile(r"^unknown day\(s\): (?P<v>.*)$"), _("onbekende dag(en): %(v)s")),
        (
            re.compile(r"^must be a number of lessons from 0 to (?P<n>\d+)$"),
            _("moet een aantal lesuren van 0 tot en met %(n)s zijn"),
        ),
    ]


def problem_message_nl(message: str) -> str:
    for pattern, template in _patterns():
        match = pattern.match(message)
        if match:
            return template % match.groupdict()
    return message


def problems_shown(
    error: AttendanceValidationError, *, names: dict[str, str]
) -> tuple[list[ShownProblem], int]:
    """(problems in Dutch, total number of problems); `names` maps stored path -> shown name."""

    def name(path: str) -> str:
        return names.get(path, path.rsplit("/", 1)[-1])

    shown = []
    for p in error.problems:
        p: Problem
        message = problem_message_nl(p.message)
        for stored, original in names.items():
            message = message.replace(stored, original)
        shown.append(
            ShownProblem(
                file=name(p.file),
                line=p.line,
                unit={"line": _("regel"), "item": _("melding")}.get(p.unit, _("rij")),
                column=p.column or "",
                message=message,
            )
        )
    return shown, error.total
