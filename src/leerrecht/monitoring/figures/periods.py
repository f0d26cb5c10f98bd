"""Calendar helpers: quarters, school years, month arithmetic, age."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass


def add_months(day: dt.date, months: int) -> dt.date:
    """`day` plus whole calendar months, clamped to the last day of the month."""
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def age_on(born: dt.date, on: dt.date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


@dataclass(frozen=True, slots=True, order=True)
class Quarter:
    year: int
    number: int  # 1..4

    @classmethod
    def of(cls, day: dt.date) -> Quarter:
        return cls(day.year, (day.month - 1) // 3 + 1)

    @classmethod
    def parse(cls, text: str) -> Quarter:
        """'2026-Q3' or '2026Q3'."""
        cleaned = text.strip().upper().replace("-", "")
        year, _, number = cleaned.partition("Q")
        if not (year.isdigit() and number in {"1", "2", "3", "4"}):
            raise ValueError(f"not a quarter: {text!r} (expected e.g. 2026-Q3)")
        return cls(int(year), int(number))

    @property
    def start(self) -> dt.date:
        return dt.date(self.year, 3 * self.number - 2, 1)

    @property
    def end(self) -> dt.date:
        return add_months(self.start, 3) - dt.timedelta(days=1)

    def previous(self, n: int = 1) -> Quarter:
        index = self.year * 4 + self.number - 1 - n
        return Quarter(index // 4, index % 4 + 1)

    def __str__(self) -> str:
        return f"{self.year}-Q{self.number}"


@dataclass(frozen=True, slots=True, order=True)
class SchoolYear:
    """A school year for the leerplichttelling: 1 August to 31 July."""

    first_year: int

    @classmethod
    def of(cls, day: dt.date) -> SchoolYear:
        return cls(day.year if day.month >= 8 else day.year - 1)

    @classmethod
    def parse(cls, text: str) -> SchoolYear:
        """'2017-18', '2017-2018' or '2017'."""
        head = text.strip().split("-")[0].split("/")[0]
        if not (head.isdigit() and len(head) == 4):
            raise ValueError(f"not a school year: {text!r} (expected e.g. 2017-18)")
        return cls(int(head))

    @property
    def start(self) -> dt.date:
        return dt.date(self.first_year, 8, 1)

    @property
    def end(self) -> dt.date:
        return dt.date(self.first_year + 1, 7, 31)

    def previous(self) -> SchoolYear:
        return SchoolYear(self.first_year - 1)

    def __str__(self) -> str:
        return f"{self.first_year}-{(self.first_year + 1) % 100:02d}"
