"""Errors the engine raises for input a user can fix (never for engine bugs)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Problem:
    """One problem in an input file: where it is and what is wrong."""

    file: str
    line: int | None
    column: str | None
    message: str
    unit: str = "line"  # "line" for CSV (header = line 1), "row" for Parquet

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f", {self.unit} {self.line}"
        if self.column:
            where += f", column {self.column}"
        return f"{where}: {self.message}"


class EngineInputError(Exception):
    """Base class: the input (files, preset, parameters) is wrong; show str() to the user."""


class AttendanceValidationError(EngineInputError):
    """The attendance (or calendar) input has one or more invalid rows; nothing was produced.

    `problems` holds at most `shown` problems (the first ones by file and line);
    `total` is the number of problems found in all.
    """

    def __init__(self, problems: list[Problem], total: int | None = None) -> None:
        self.problems = list(problems)
        self.total = total if total is not None else len(self.problems)
        super().__init__(self.__str__())

    def __str__(self) -> str:
        lines = [str(p) for p in self.problems]
        if self.total > len(self.problems):
            lines.append(
                f"... and {self.total - len(self.problems)} more problem(s) ({self.total} in total)"
            )
        return "\n".join(lines)


class PresetError(EngineInputError):
    """A protocol preset is unknown or invalid (message names the file and key)."""


class UnknownSignalError(EngineInputError):
    """A signal id that is not in the catalogue."""
