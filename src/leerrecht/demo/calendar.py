"""School days of the demo region, from the holiday list in ``school_holidays.toml``."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import date, timedelta
from importlib import resources

__all__ = ["SchoolYear", "school_days", "school_years"]


@dataclass(frozen=True)
class SchoolYear:
    name: str
    first_day: date
    last_day: date
    holidays: tuple[tuple[str, date, date], ...]

    def is_school_day(self, day: date) -> bool:
        if day.weekday() >= 5 or not (self.first_day <= day <= self.last_day):
            return False
        return not any(start <= day <= end for _, start, end in self.holidays)


def school_years() -> list[SchoolYear]:
    raw = tomllib.loads(
        resources.files("leerrecht.demo").joinpath("school_holidays.toml").read_text("utf-8")
    )
    return [
        SchoolYear(
            name=year["name"],
            first_day=year["first_day"],
            last_day=year["last_day"],
            holidays=tuple((h["name"], h["start"], h["end"]) for h in year["holidays"]),
        )
        for year in raw["school_year"]
    ]


def school_days(*, start: date, end: date) -> list[date]:
    """Every school day from `start` to `end` (inclusive), in order."""
    years = school_years()
    days: list[date] = []
    day = start
    while day <= end:
        if any(year.is_school_day(day) for year in years):
            days.append(day)
        day += timedelta(days=1)
    return days
