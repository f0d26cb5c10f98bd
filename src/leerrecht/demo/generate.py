"""Generate the synthetic demo region (pure Python + numpy + pyarrow, no Django).

Output is a directory of files (see docs/demo-region.md): region.json, students.parquet,
enrolments.parquet, register.parquet, exemptions.parquet, suspensions.parquet,
attendance.parquet, calendar.csv and manifest.json. The output is a pure function of
(students, seed, reference_date, without_enrolment): running twice gives byte-identical
files. Students are produced in fixed-size chunks, each with its own random generators
seeded from (seed, chunk number), and streamed to Parquet, so memory stays flat up to
millions of students.
"""

from __future__ import annotations

import csv
import hashlib
import json
import math
import random
from bisect import bisect_left
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from leerrecht.demo.attendance import ATTENDANCE_SCHEMA, ChunkStudent, attendance_chunk
from leerrecht.demo.calendar import school_days, school_years
from leerrecht.demo.identifiers import (
    BSN_ENROLLED_BASE,
    BSN_REGISTER_ONLY_BASE,
    EDUCATION_NUMBER_BASE,
    numbers,
)
from leerrecht.demo.names import GIVEN_NAMES, PARENT_INITIALS, SECOND_NAMES, STREETS, SURNAMES
from leerrecht.demo.region import (
    MUNICIPALITIES,
    School,
    _apportion,
    region_document,
    school_plan,
    schools_for_plan,
)

__all__ = [
    "DEFAULT_REFERENCE_DATE",
    "FIRST_SCHOOL_DAY",
    "PROFILE_SHARES",
    "SOURCE_ID_PREFIX",
    "WITHOUT_ENROLMENT_SHARES",
    "DemoError",
    "DemoManifest",
    "demo_generate",
]

FIRST_SCHOOL_DAY = date(2025, 8, 18)  # first school day of 2025-26 in the demo calendar
# Fixed on purpose (the Friday before 2026-11-23) so the output does not depend on today.
DEFAULT_REFERENCE_DATE = date(2026, 11, 20)
SOURCE_ID_PREFIX = "DEMO-"
CHUNK_SIZE = 10_000  # part of the output's definition: changing it changes the data
MAX_STUDENTS = 5_000_000
DEFAULT_WITHOUT_ENROLMENT_SHARE = 0.005
FORMAT = "leerrecht-demo/1"

# Attendance profiles: share of enrolled students (see docs/demo-region.md). The
# authorised thuiszitters are eight times the unauthorised ones (seed 000, section 1.1).
PROFILE_SHARES: dict[str, float] = {
    "mild": 0.10,
    "short_spells": 0.03,
    "long_sick": 0.02,
    "unauthorised_16h": 0.015,
    "unauthorised_10h": 0.015,
    "late": 0.04,
    "sent_home": 0.01,
    "partial": 0.008,
    "thuiszitter_authorised": 0.004,
    "thuiszitter_unauthorised": 0.0005,
}
# Why a child in the population register has no enrolment ("absolute_verzuim" = no reason).
WITHOUT_ENROLMENT_SHARES: dict[str, float] = {
    "absolute_verzuim": 0.40,
    "exemption_5a": 0.20,
    "exemption_5b": 0.05,
    "exemption_15": 0.05,
    "emigrated": 0.15,
    "moved": 0.10,
    "starting_qualification": 0.05,
}
SHORT_SUSPENSION_SHARE = 0.004  # of vo students
PENDING_REMOVAL_SHARE = 0.0005  # of vo students (plus one guaranteed)
NO_BSN_SHARE = 0.01  # students known by onderwijsnummer only (e.g. newcomers)

ProgressCallback = Callable[[str, int, int], None]


class DemoError(ValueError):
    """A parameter that cannot produce a demo region (shown to the user as one line)."""


@dataclass(frozen=True)
class DemoManifest:
    out_dir: Path
    students: int
    seed: int
    reference_date: date
    without_enrolment: int
    files: dict[str, str]  # file name -> sha256
    counts: dict[str, int] = field(default_factory=dict)
    fingerprint: str = ""

    def path(self, name: str) -> Path:
        return self.out_dir / name

    def as_json(self) -> dict:
        return {
            "format": FORMAT,
            "students": self.students,
            "seed": self.seed,
            "reference_date": self.reference_date.isoformat(),
            "without_enrolment": self.without_enrolment,
            "files": self.files,
            "counts": self.counts,
            "fingerprint": self.fingerprint,
        }

    @classmethod
    def read(cls, out_dir: Path) -> DemoManifest:
        path = out_dir / "manifest.json"
        try:
            raw = json.loads(path.read_text("utf-8"))
        except FileNotFoundError:
            raise DemoError(f"{path}: no manifest.json; run `leerrecht demo` first") from None
        except json.JSONDecodeError as exc:
            raise DemoError(f"{path}: line {exc.lineno} column {exc.colno}: {exc.msg}") from None
        if raw.get("format") != FORMAT:
            raise DemoError(f"{path}: not a Leerrecht demo manifest (format {FORMAT})")
        return cls(
            out_dir=out_dir,
            students=raw["students"],
            seed=raw["seed"],
            reference_date=date.fromisoformat(raw["reference_date"]),
            without_enrolment=raw["without_enrolment"],
            files=raw["files"],
            counts=raw["counts"],
            fingerprint=raw["fingerprint"],
        )


STUDENT_SCHEMA = pa.schema(
    [
        ("source_id", pa.string()),
        ("bsn", pa.string()),
        ("education_number", pa.string()),
        ("given_names", pa.string()),
        ("tussenvoegsel", pa.string()),
        ("surname", pa.string()),
        ("date_of_birth", pa.date32()),
        ("residence_municipality", pa.string()),
        ("guardian_name", pa.string()),
        ("guardian_relation", pa.string()),
        ("guardian_phone", pa.string()),
        ("guardian_email", pa.string()),
    ]
)
ENROLMENT_SCHEMA = pa.schema(
    [
        ("source_id", pa.string()),
        ("brin", pa.string()),
        ("start", pa.date32()),
        ("end", pa.date32()),
        ("group", pa.string()),
    ]
)
REGISTER_SCHEMA = pa.schema(
    [
        ("bsn", pa.string()),
        ("given_names", pa.string()),
        ("tussenvoegsel", pa.string()),
        ("surname", pa.string()),
        ("date_of_birth", pa.date32()),
        ("address", pa.string()),
        ("municipality", pa.string()),
        ("settled_on", pa.date32()),
        ("departed_on", pa.date32()),
        ("departure_reason", pa.string()),
        ("has_starting_qualification", pa.bool_()),
    ]
)
EXEMPTION_SCHEMA = pa.schema(
    [
        ("source_id", pa.string()),
        ("article", pa.string()),
        ("start", pa.date32()),
        ("end", pa.date32()),
        ("declaration_date", pa.date32()),
    ]
)
SUSPENSION_SCHEMA = pa.schema(
    [
        ("source_id", pa.string()),
        ("brin", pa.string()),
        ("start", pa.date32()),
        ("end", pa.date32()),
        ("pending_removal", pa.bool_()),
    ]
)
SCHEMAS = {
    "students": STUDENT_SCHEMA,
    "enrolments": ENROLMENT_SCHEMA,
    "register": REGISTER_SCHEMA,
    "exemptions": EXEMPTION_SCHEMA,
    "suspensions": SUSPENSION_SCHEMA,
}


class _Rows:
    """Column lists for one Parquet file of one chunk."""

    def __init__(self, schema: pa.Schema) -> None:
        self.schema = schema
        self.columns: dict[str, list] = {name: [] for name in schema.names}

    def add(self, **values) -> None:
        for name, column in self.columns.items():
            column.append(values.get(name))

    def __len__(self) -> int:
        return len(next(iter(self.columns.values())))

    def table(self) -> pa.Table:
        return pa.Table.from_pydict(self.columns, schema=self.schema)


def _random_date(rng: random.Random, first: date, last: date) -> date:
    return first + timedelta(days=rng.randint(0, (last - first).days))


def _years_after(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return date(day.year + years, 3, 1)


def _person(rng: random.Random) -> tuple[str, str, str]:
    given = rng.choice(GIVEN_NAMES)
    if rng.random() < 0.35:
        given = f"{given} {rng.choice(SECOND_NAMES)}"
    tussenvoegsel, surname = rng.choice(SURNAMES)
    return given, tussenvoegsel, surname


def _guardian(rng: random.Random, source_id: str, tussenvoegsel: str, surname: str) -> dict:
    if rng.random() < 0.2:
        tussenvoegsel, surname = rng.choice(SURNAMES)
    name = " ".join(p for p in (f"{rng.choice(PARENT_INITIALS)}.", tussenvoegsel, surname) if p)
    return {
        "guardian_name": name,
        "guardian_relation": rng.choices(("moeder", "vader", "verzorger"), (55, 40, 5))[0],
        "guardian_phone": f"06-{rng.randint(10_000_000, 99_999_999)}",
        "guardian_email": f"ouder.{source_id.lower()}@example.org",
    }


def _address(rng: random.Random, cbs: str) -> str:
    return f"{rng.choice(STREETS[cbs])} {rng.randint(1, 350)}"


def _residence(rng: random.Random) -> str:
    return rng.choices([m[0] for m in MUNICIPALITIES], [m[2] for m in MUNICIPALITIES])[0]


@dataclass
class _Context:
    days: list[date]
    reference_date: date
    schools: list[School]
    by_type: dict[str, list[School]]
    by_type_municipality: dict[tuple[str, str], list[School]]
    next_year_first_day: date | None
    this_year_last_day: date

    def day_index(self, day: date) -> int:
        return bisect_left(self.days, day)

    def pick_school(self, rng: random.Random, school_type: str, residence: str) -> School:
        local = self.by_type_municipality.get((school_type, residence))
        if local and rng.random() < 0.85:
            return rng.choice(local)
        return rng.choice(self.by_type[school_type])


_PROFILE_NAMES = ["regular", *PROFILE_SHARES]
_PROFILE_WEIGHTS = [1 - sum(PROFILE_SHARES.values()), *PROFILE_SHARES.values()]


def _student_chunk(
    *, ctx: _Context, seed: int, chunk: int, first: int, count: int, out: dict[str, _Rows]
) -> list[ChunkStudent]:
    rng = random.Random(f"leerrecht-demo:{seed}:{chunk}")  # noqa: S311 - synthetic data
    bsns = numbers(BSN_ENROLLED_BASE, remainder=0, start=chunk * CHUNK_SIZE * 2)
    education_numbers = numbers(EDUCATION_NUMBER_BASE, remainder=5, start=chunk * CHUNK_SIZE * 2)
    chunk_students: list[ChunkStudent] = []
    forced_pending_removal = chunk == 0
    for i in range(first, first + count):
        source_id = f"{SOURCE_ID_PREFIX}{i:07d}"
        # Cohort 0..7 = groep 1..8 in 2025-26, 8..12 = vo klas 1..5 in 2025-26.
        cohort = rng.randrange(13)
        born = _random_date(rng, date(2021 - cohort, 1, 1), date(2021 - cohort, 12, 31))
        if cohort <= 7:
            school_type = "so" if rng.random() < 0.02 else "po"
        else:
            school_type = "vso" if rng.random() < 0.035 else "vo"
        residence = _residence(rng)
        given, tussenvoegsel, surname = _person(rng)
        has_bsn = rng.random() >= NO_BSN_SHARE
        bsn = next(bsns) if has_bsn else ""
        profile = rng.choices(_PROFILE_NAMES, _PROFILE_WEIGHTS)[0]

        school = ctx.pick_school(rng, school_type, residence)
        if school_type in ("po", "so"):
            start = _years_after(born, 4)
        else:
            start = date(2025 - (cohort - 8), 8, 1)
            # A secondary pupil went to primary school before: without that enrolment the
            # yearly count would see every earlier school year as absolute verzuim. Its own
            # generator keeps the rest of the region unchanged.
            primary = ctx.pick_school(random.Random(f"po-{source_id}"), "po", residence)  # noqa: S311
            out["enrolments"].add(
                source_id=source_id,
                brin=primary.brin,
                start=_years_after(born, 4),
                end=start - timedelta(days=14),
                group="groep 8",
            )
        shift = 1 if ctx.next_year_first_day else 0
        segments: list[tuple[int, int, str]] = []
        suspended: list[tuple[int, int]] = []
        if cohort == 7 and ctx.next_year_first_day:
            # groep 8 -> first class of secondary school after the summer of 2026
            out["enrolments"].add(
                source_id=source_id,
                brin=school.brin,
                start=start,
                end=ctx.this_year_last_day,
                group="groep 8" if school_type == "po" else "SO",
            )
            segments.append(
                (ctx.day_index(start), ctx.day_index(ctx.this_year_last_day) + 1, school_type)
            )
            school_type = "vso" if school_type == "so" else "vo"
            school = ctx.pick_school(rng, school_type, residence)
            start = ctx.next_year_first_day
        if school_type == "po":
            group = f"groep {min(cohort + 1 + shift, 8)}"
        elif school_type == "vo":
            group = f"klas {cohort - 8 + 1 + shift}"
        else:
            group = school_type.upper()
        out["enrolments"].add(
            source_id=source_id, brin=school.brin, start=start, end=None, group=group
        )
        segments.append((ctx.day_index(start), len(ctx.days), school_type))

        if school_type == "vo" and profile == "regular":
            last = len(ctx.days)
            if forced_pending_removal or rng.random() < PENDING_REMOVAL_SHARE:
                forced_pending_removal = False
                first_day = max(segments[-1][0], last - rng.randint(10, 30))
                suspended.append((first_day, last))
                out["suspensions"].add(
                    source_id=source_id,
                    brin=school.brin,
                    start=ctx.days[first_day],
                    end=None,
                    pending_removal=True,
                )
            elif rng.random() < SHORT_SUSPENSION_SHARE and last - segments[-1][0] > 10:
                first_day = rng.randrange(segments[-1][0], last - 5)
                length = rng.randint(1, 3)
                suspended.append((first_day, first_day + length))
                out["suspensions"].add(
                    source_id=source_id,
                    brin=school.brin,
                    start=ctx.days[first_day],
                    end=ctx.days[first_day + length - 1],
                    pending_removal=False,
                )

        out["students"].add(
            source_id=source_id,
            bsn=bsn,
            education_number="" if has_bsn else next(education_numbers),
            given_names=given,
            tussenvoegsel=tussenvoegsel,
            surname=surname,
            date_of_birth=born,
            residence_municipality=residence,
            **_guardian(rng, source_id, tussenvoegsel, surname),
        )
        if has_bsn:
            settled = born if rng.random() < 0.8 else _random_date(rng, born, date(2025, 6, 30))
            out["register"].add(
                bsn=bsn,
                given_names=given,
                tussenvoegsel=tussenvoegsel,
                surname=surname,
                date_of_birth=born,
                address=_address(rng, residence),
                municipality=residence,
                settled_on=settled,
                departed_on=None,
                departure_reason="",
                has_starting_qualification=False,
            )
        chunk_students.append(
            ChunkStudent(
                source_id=source_id,
                segments=tuple(segments),
                profile=profile,
                suspended=tuple(suspended),
            )
        )
    return chunk_students


def _without_enrolment(
    *, ctx: _Context, seed: int, first: int, count: int, out: dict[str, _Rows]
) -> dict[str, int]:
    """Children in the population register without any enrolment (absolute verzuim or
    explained: exemption, emigrated, moved away, starting qualification)."""
    rng = random.Random(f"leerrecht-demo:{seed}:without-enrolment")  # noqa: S311
    bsns = numbers(BSN_REGISTER_ONLY_BASE, remainder=0)
    kinds = list(WITHOUT_ENROLMENT_SHARES)
    per_kind = _apportion(count, list(WITHOUT_ENROLMENT_SHARES.values()))
    ref = ctx.reference_date
    i = first
    for kind, n in zip(kinds, per_kind, strict=True):
        for _ in range(n):
            source_id = f"{SOURCE_ID_PREFIX}{i:07d}"
            i += 1
            low, high = (16, 17) if kind in ("exemption_15", "starting_qualification") else (5, 15)
            age = rng.randint(low, high)
            born = _random_date(
                rng, _years_after(ref, -age - 1) + timedelta(days=1), _years_after(ref, -age)
            )
            residence = _residence(rng)
            given, tussenvoegsel, surname = _person(rng)
            bsn = next(bsns)
            departed_on, reason = None, ""
            if kind in ("emigrated", "moved"):
                departed_on = _random_date(rng, date(2025, 1, 1), ref - timedelta(days=7))
                reason = kind
            out["register"].add(
                bsn=bsn,
                given_names=given,
                tussenvoegsel=tussenvoegsel,
                surname=surname,
                date_of_birth=born,
                address=_address(rng, residence),
                municipality=residence,
                settled_on=born,
                departed_on=departed_on,
                departure_reason=reason,
                has_starting_qualification=kind == "starting_qualification",
            )
            if kind.startswith("exemption_"):
                # Exempted children are known to leerplicht, so they are Students too.
                out["students"].add(
                    source_id=source_id,
                    bsn=bsn,
                    education_number="",
                    given_names=given,
                    tussenvoegsel=tussenvoegsel,
                    surname=surname,
                    date_of_birth=born,
                    residence_municipality=residence,
                    **_guardian(rng, source_id, tussenvoegsel, surname),
                )
                article = kind.removeprefix("exemption_")
                start = _random_date(rng, FIRST_SCHOOL_DAY, ref)
                end = declaration = None
                if article == "5a":
                    # Declaration by a designated physician, at most 3 months old (seed 001, 5d).
                    declaration = start - timedelta(days=rng.randint(5, 80))
                    end = start + timedelta(days=364)
                out["exemptions"].add(
                    source_id=source_id,
                    article=article,
                    start=start,
                    end=end,
                    declaration_date=declaration,
                )
    return dict(zip(kinds, per_kind, strict=True))


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def demo_generate(
    *,
    students: int = 20_000,
    seed: int = 1,
    out_dir: Path,
    reference_date: date | None = None,
    without_enrolment: int | None = None,
    progress: ProgressCallback | None = None,
) -> DemoManifest:
    """Write the demo region into `out_dir` and return its manifest."""
    if students < 1:
        raise DemoError(f"--students must be at least 1, not {students}")
    if students > MAX_STUDENTS:
        # Each chunk takes 2 * CHUNK_SIZE BSN prefixes from a range of 10 million.
        raise DemoError(f"--students must be at most {MAX_STUDENTS:,}, not {students:,}")
    if seed < 0:
        raise DemoError(f"--seed must be 0 or more, not {seed}")
    reference_date = reference_date or DEFAULT_REFERENCE_DATE
    years = school_years()
    if not (FIRST_SCHOOL_DAY < reference_date <= years[-1].last_day):
        raise DemoError(
            f"--reference-date must lie after {FIRST_SCHOOL_DAY.isoformat()} and on or before "
            f"{years[-1].last_day.isoformat()} (the demo calendar), not {reference_date.isoformat()}"
        )
    if without_enrolment is None:
        without_enrolment = max(1, round(students * DEFAULT_WITHOUT_ENROLMENT_SHARE))
    if without_enrolment < 0:
        raise DemoError(f"--without-enrolment must be 0 or more, not {without_enrolment}")
    report = progress or (lambda stage, done, total: None)

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    days = school_days(start=FIRST_SCHOOL_DAY, end=reference_date)
    plan = school_plan(students)
    schools = schools_for_plan(plan)
    by_type: dict[str, list[School]] = {}
    by_type_municipality: dict[tuple[str, str], list[School]] = {}
    for school in schools:
        by_type.setdefault(school.school_type, []).append(school)
        by_type_municipality.setdefault((school.school_type, school.municipality), []).append(
            school
        )
    next_year = (
        years[1].first_day if len(years) > 1 and reference_date >= years[1].first_day else None
    )
    ctx = _Context(
        days=days,
        reference_date=reference_date,
        schools=schools,
        by_type=by_type,
        by_type_municipality=by_type_municipality,
        next_year_first_day=next_year,
        this_year_last_day=max(d for d in days if d <= years[0].last_day),
    )

    (out_dir / "region.json").write_text(
        json.dumps(region_document(schools), ensure_ascii=False, indent=2, sort_keys=True) + "\n",
        encoding="utf-8",
    )
    with (out_dir / "calendar.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["date", "default_scheduled_hours"])
        for day in days:
            # The po timetable (shorter Wednesday); the attendance file itself is dense.
            writer.writerow([day.isoformat(), "3.75" if day.weekday() == 2 else "5.5"])

    writers = {
        name: pq.ParquetWriter(out_dir / f"{name}.parquet", schema, compression="zstd")
        for name, schema in {**SCHEMAS, "attendance": ATTENDANCE_SCHEMA}.items()
    }
    counts: Counter[str] = Counter()
    profile_counts: Counter[str] = Counter()
    try:
        chunks = math.ceil(students / CHUNK_SIZE)
        for chunk in range(chunks):
            first = chunk * CHUNK_SIZE
            count = min(CHUNK_SIZE, students - first)
            out = {name: _Rows(schema) for name, schema in SCHEMAS.items()}
            chunk_students = _student_chunk(
                ctx=ctx, seed=seed, chunk=chunk, first=first, count=count, out=out
            )
            profile_counts.update(s.profile for s in chunk_students)
            for name, rows in out.items():
                if len(rows):
                    writers[name].write_table(rows.table())
                    counts[name] += len(rows)
            table = attendance_chunk(
                students=chunk_students,
                days=days,
                rng=np.random.default_rng([seed, chunk]),
            )
            writers["attendance"].write_table(table)
            counts["attendance"] += table.num_rows
            report("students", first + count, students)
        out = {name: _Rows(schema) for name, schema in SCHEMAS.items()}
        reasons = _without_enrolment(
            ctx=ctx, seed=seed, first=students, count=without_enrolment, out=out
        )
        for name, rows in out.items():
            if len(rows):
                writers[name].write_table(rows.table())
                counts[name] += len(rows)
    finally:
        for writer in writers.values():
            writer.close()
    report("files", 1, 1)

    files = {
        name: _sha256(out_dir / name)
        for name in sorted(["region.json", "calendar.csv", *(f"{n}.parquet" for n in writers)])
    }
    all_counts = {
        "schools": plan.total,
        **{f"schools_{k}": v for k, v in plan.as_dict().items()},
        "school_days": len(days),
        "enrolled_students": students,
        "without_enrolment": without_enrolment,
        **{f"{name}_rows": counts[name] for name in sorted(writers)},
        **{f"profile_{name}": profile_counts[name] for name in _PROFILE_NAMES},
        **{f"without_enrolment_{k}": v for k, v in reasons.items()},
    }
    params = {
        "students": students,
        "seed": seed,
        "reference_date": reference_date.isoformat(),
        "without_enrolment": without_enrolment,
    }
    fingerprint = hashlib.sha256(
        json.dumps({"params": params, "files": files}, sort_keys=True).encode()
    ).hexdigest()
    manifest = DemoManifest(
        out_dir=out_dir,
        students=students,
        seed=seed,
        reference_date=reference_date,
        without_enrolment=without_enrolment,
        files=files,
        counts=all_counts,
        fingerprint=fingerprint,
    )
    (out_dir / "manifest.json").write_text(
        json.dumps(manifest.as_json(), indent=2, sort_keys=True) + "\n", encoding="utf-8"
    )
    return manifest
