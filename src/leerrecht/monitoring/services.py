"""Write-side of monitoring: importing yearly counts (seed 003, Bijlage 6)."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from django.db import transaction

from leerrecht.monitoring.figures.change import pct_change
from leerrecht.monitoring.models import FlowCount, Measure
from leerrecht.registry.models import RmcRegion

BIJLAGE6_SOURCE = "DUO, via seed 003 Bijlage 6 (Ontwikkeling per RMC-regio)"
BIJLAGE6_YEARS = ("2013-14", "2014-15", "2015-16", "2016-17", "2017-18")
BIJLAGE6_PCT = ("pct_change_2013_18", "pct_change_2016_18")
# The two "% verandering" columns: 2013-14 -> 2017-18 and 2016-17 -> 2017-18.
BIJLAGE6_PCT_PAIRS = {
    "pct_change_2013_18": ("2013-14", "2017-18"),
    "pct_change_2016_18": ("2016-17", "2017-18"),
}
BIJLAGE6_REGIONS = 39


class ImportProblem(ValueError):
    """Bad input; the message names the file, line and column."""


@dataclass
class Bijlage6Row:
    region: str
    counts: dict[str, int]
    printed_pct: dict[str, int]


@dataclass
class Bijlage6Result:
    regions: int = 0
    counts: int = 0
    created_regions: list[str] = field(default_factory=list)
    # (region, column, printed, computed) where the printed % does not reproduce.
    mismatches: list[tuple[str, str, int, int | None]] = field(default_factory=list)


def bijlage6_default_path() -> Path:
    return Path(
        str(resources.files("leerrecht.monitoring.data") / "rmc_thuiszitters_2013_2018.csv")
    )


def _int(text: str, *, where: str) -> int:
    cleaned = text.strip().replace(".", "")
    try:
        value = int(cleaned)
    except ValueError:
        raise ImportProblem(f"{where}: {text!r} is not a whole number") from None
    return value


def bijlage6_parse(text: str, *, name: str) -> list[Bijlage6Row]:
    """Parse and validate the CSV; raises ImportProblem naming file, line and column."""
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    try:
        header = next(reader)
    except StopIteration:
        raise ImportProblem(f"{name}: the file is empty") from None
    expected = ["rmc_region", *BIJLAGE6_YEARS, *BIJLAGE6_PCT]
    if [h.strip() for h in header] != expected:
        raise ImportProblem(
            f"{name}, line 1: expected the columns {','.join(expected)}, got {','.join(header)}"
        )
    rows: list[Bijlage6Row] = []
    seen: set[str] = set()
    for line_no, raw in enumerate(reader, start=2):
        if not any(c.strip() for c in raw):
            continue
        if len(raw) != len(expected):
            raise ImportProblem(
                f"{name}, line {line_no}: {len(raw)} columns, expected {len(expected)}"
            )
        region = raw[0].strip()
        if not region:
            raise ImportProblem(f"{name}, line {line_no}, column rmc_region: empty")
        if region in seen:
            raise ImportProblem(f"{name}, line {line_no}, column rmc_region: {region!r} twice")
        seen.add(region)
        counts = {}
        for col, year in enumerate(BIJLAGE6_YEARS, start=1):
            value = _int(raw[col], where=f"{name}, line {line_no}, column {year}")
            if value < 0:
                raise ImportProblem(f"{name}, line {line_no}, column {year}: negative count")
            counts[year] = value
        printed = {}
        for offset, column in enumerate(BIJLAGE6_PCT, start=1 + len(BIJLAGE6_YEARS)):
            cell = raw[offset].strip()
            if not cell.endswith("%"):
                raise ImportProblem(
                    f"{name}, line {line_no}, column {column}: {cell!r} is not a percentage"
                )
            printed[column] = _int(cell[:-1], where=f"{name}, line {line_no}, column {column}")
        rows.append(Bijlage6Row(region, counts, printed))
    if not rows:
        raise ImportProblem(f"{name}: no data rows")
    return rows


def bijlage6_check(rows: list[Bijlage6Row]) -> list[tuple[str, str, int, int | None]]:
    """Rows whose printed "% verandering" does not follow from their counts."""
    mismatches = []
    for row in rows:
        for column, (old, new) in BIJLAGE6_PCT_PAIRS.items():
            computed = pct_change(old=row.counts[old], new=row.counts[new])
            if computed != row.printed_pct[column]:
                mismatches.append((row.region, column, row.printed_pct[column], computed))
    return mismatches


def bijlage6_import(*, path: Path | None = None) -> Bijlage6Result:
    """Import the counts per RMC region and school year (all or nothing).

    RMC regions missing from the registry are created by name. The printed percentage
    columns are not stored: they are recomputed on display and checked here.
    """
    path = path or bijlage6_default_path()
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ImportProblem(f"{path}: file not found") from None
    except UnicodeDecodeError as exc:
        raise ImportProblem(f"{path}: not UTF-8 text ({exc.reason})") from None
    rows = bijlage6_parse(text, name=Path(path).name)
    result = Bijlage6Result(mismatches=bijlage6_check(rows))
    with transaction.atomic():
        for row in rows:
            region, created = RmcRegion.objects.get_or_create(name=row.region)
            if created:
                result.created_regions.append(row.region)
            for year, value in row.counts.items():
                FlowCount.objects.update_or_create(
                    rmc_region=region,
                    municipality=None,
                    school_year=year,
                    measure=Measure.AV_LRV,
                    defaults={"value": value, "source": BIJLAGE6_SOURCE},
                )
                result.counts += 1
            result.regions += 1
    return result
