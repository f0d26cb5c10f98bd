"""Load a generated demo region (leerrecht.demo) into the registry, plus demo accounts.

Policy (docs/adr/0011): loading is idempotent per manifest fingerprint. Loading the same
files again changes nothing. Loading a *different* manifest replaces the demo's registry
rows (students with the demo source-id prefix and everything hanging off them, the demo
register extract) inside one transaction; organisations and municipalities are upserted
by natural key (CBS code, BRIN, kind + name). When other data (cases, reports, ...)
still refers to demo students, the replacement is refused with a clear message and nothing
changes.
"""

from __future__ import annotations

import base64
import hashlib
import json
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow.parquet as pq
from django.conf import settings
from django.db import transaction
from django.db.models import ProtectedError

from leerrecht.demo.generate import SOURCE_ID_PREFIX, DemoError, DemoManifest
from leerrecht.registry.models import (
    DemoDataset,
    Enrolment,
    Exemption,
    Guardian,
    Municipality,
    Organisation,
    OrganisationKind,
    ResidentRegisterEntry,
    RmcRegion,
    Student,
    Suspension,
)

__all__ = [
    "DEMO_PASSWORD",
    "DemoAccount",
    "DemoLoadResult",
    "demo_account_is_demo",
    "demo_load",
    "demo_totp_secret",
]

# One shared password for every demo account (>= 12 characters, passes the validators).
DEMO_PASSWORD = "Haaglanden-demo-2026"  # noqa: S105 - documented demo credential
BATCH = 5_000
# The demo's register extract uses BSNs from these prefix ranges (leerrecht.demo.identifiers).
_DEMO_BSN_FIRST_DIGITS = ("2", "3")

ProgressCallback = Callable[[str, int, int], None]


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str
    organisation: str
    totp_secret: str  # base32, for an authenticator app


@dataclass(frozen=True)
class DemoLoadResult:
    fingerprint: str
    skipped: bool  # True when exactly this manifest was already loaded
    counts: dict[str, int]
    attendance_path: Path
    calendar_path: Path
    accounts: list[DemoAccount] = field(default_factory=list)
    password: str = DEMO_PASSWORD


def demo_totp_secret(username: str) -> str:
    """The fixed base32 TOTP secret of a demo account: 20 bytes = SHA-1 of a fixed label."""
    # Public, documented demo secrets: SHA-1 only derives 20 bytes from a label here.
    label = f"leerrecht-demo-totp:{username}".encode()
    return base64.b32encode(hashlib.sha1(label).digest()).decode()  # noqa: S324


def _account_specs(region: dict) -> list[tuple[str, str, str, str, str]]:
    """(username, role, organisation kind, organisation name or brin, first/last name)."""
    from leerrecht.accounts.models import Role

    schools = region["schools"]
    first_po = next(s for s in schools if s["school_type"] == "po")
    first_vo = next(s for s in schools if s["school_type"] == "vo")
    orgs = {o["kind"]: o["name"] for o in region["organisations"] if o["kind"] != "municipality"}
    po_swv = next(o["name"] for o in region["organisations"] if o.get("sector") == "po")
    den_haag = next(o["name"] for o in region["organisations"] if o.get("municipality") == "GM0518")
    return [
        ("leerplicht", Role.LEERPLICHT_OFFICER, "leerplicht", orgs["leerplicht"], "Lotte Leerplicht"),
        ("zorgcoordinator-po", Role.SCHOOL_COORDINATOR, "school", first_po["brin"], "Ineke Begeleider"),
        ("zorgcoordinator-vo", Role.SCHOOL_COORDINATOR, "school", first_vo["brin"], "Vincent Zorg"),
        ("swv", Role.SWV_CONSULTANT, "swv", po_swv, "Sanne Verband"),
        ("jeugdarts", Role.YOUTH_DOCTOR, "jgz", orgs["jgz"], "Jasper Arts"),
        ("jeugdteam", Role.CARE_WORKER, "care", orgs["care"], "Jamila Team"),
        ("beleid", Role.POLICY, "municipality", den_haag, "Bart Beleid"),
        ("privacy", Role.PRIVACY_OFFICER, "municipality", den_haag, "Priya Privacy"),
        ("beheer", Role.OPERATOR, "operator", orgs["operator"], "Bram Beheer"),
    ]  # fmt: skip


def _batches(path: Path) -> Iterator[list[dict]]:
    parquet = pq.ParquetFile(path)
    for batch in parquet.iter_batches(batch_size=BATCH):
        yield batch.to_pylist()


def _verify_files(manifest: DemoManifest) -> None:
    for name, expected in manifest.files.items():
        path = manifest.path(name)
        if not path.exists():
            raise DemoError(f"{path}: missing (listed in manifest.json)")
        digest = hashlib.sha256()
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
        if digest.hexdigest() != expected:
            raise DemoError(f"{path}: changed since it was generated (sha256 differs)")


def _region_load(region: dict) -> tuple[dict[str, Municipality], dict[str, Organisation]]:
    """Upsert RMC regions, municipalities and organisations; returns lookups."""
    regions = {r.name: r for r in RmcRegion.objects.all()}
    missing = [name for name in region["rmc_regions"] if name not in regions]
    RmcRegion.objects.bulk_create([RmcRegion(name=name) for name in missing])
    regions = {r.name: r for r in RmcRegion.objects.all()}

    municipalities: dict[str, Municipality] = {}
    for m in region["municipalities"]:
        municipalities[m["cbs_code"]], _ = Municipality.objects.update_or_create(
            cbs_code=m["cbs_code"],
            defaults={"name": m["name"], "rmc_region": regions[m["rmc_region"]]},
        )

    named: dict[str, Organisation] = {}
    for o in region["organisations"]:
        defaults = {"sector": o.get("sector", "")}
        if o.get("municipality"):
            defaults["municipality"] = municipalities[o["municipality"]]
        named[o["name"]], _ = Organisation.objects.update_or_create(
            kind=o["kind"], name=o["name"], defaults=defaults
        )
    # Schools of an earlier, larger demo that this one does not have: remove when unused.
    wanted = {s["brin"] for s in region["schools"]}
    stale = Organisation.objects.filter(
        kind=OrganisationKind.SCHOOL, municipality__in=list(municipalities.values())
    ).exclude(brin__in=wanted)
    new_names = {s["name"] for s in region["schools"]}
    for school in stale:
        try:
            with transaction.atomic():
                school.delete()
        except ProtectedError:
            if school.name in new_names:  # still in use: step aside for the new school
                school.name = f"{school.name} (vorige demo, {school.brin})"
                school.save(update_fields=["name"])
    # Names move between BRINs when the school plan changed: free them first.
    target_names = {s["brin"]: s["name"] for s in region["schools"]}
    for school in Organisation.objects.filter(brin__in=wanted):
        if school.name != target_names[school.brin]:
            school.name = f"~ {school.brin}"
            school.save(update_fields=["name"])
    schools: dict[str, Organisation] = {}
    for s in region["schools"]:
        schools[s["brin"]], _ = Organisation.objects.update_or_create(
            brin=s["brin"],
            defaults={
                "kind": OrganisationKind.SCHOOL,
                "name": s["name"],
                "school_type": s["school_type"],
                "municipality": municipalities[s["municipality"]],
                "swv": named[s["swv"]],
            },
        )
    for o in region["organisations"]:
        org = named[o["name"]]
        if o.get("served_municipalities"):
            org.served_municipalities.set([municipalities[c] for c in o["served_municipalities"]])
        if o.get("served_schools") == "all":
            org.served_schools.set(list(schools.values()))
    return municipalities, {**named, **schools}


def _demo_rows_delete(municipalities: list[str]) -> None:
    try:
        Student.objects.filter(source_id__startswith=SOURCE_ID_PREFIX).delete()
    except ProtectedError as exc:
        kinds = sorted({obj._meta.verbose_name_plural for obj in exc.protected_objects})
        raise DemoError(
            "cannot replace the loaded demo region: other data still refers to demo "
            f"students ({', '.join(str(k) for k in kinds)}); use a fresh database"
        ) from None
    register = ResidentRegisterEntry.objects.filter(municipality__cbs_code__in=municipalities)
    for digit in _DEMO_BSN_FIRST_DIGITS:
        register.filter(bsn__startswith=digit).delete()


def _students_load(
    manifest: DemoManifest,
    municipalities: dict[str, Municipality],
    report: ProgressCallback,
) -> dict[str, int]:
    ids: dict[str, int] = {}
    total = manifest.counts.get("students_rows", 0)
    done = 0
    for rows in _batches(manifest.path("students.parquet")):
        students = Student.objects.bulk_create(
            [
                Student(
                    source_id=r["source_id"],
                    bsn=r["bsn"],
                    education_number=r["education_number"],
                    given_names=r["given_names"],
                    tussenvoegsel=r["tussenvoegsel"],
                    surname=r["surname"],
                    date_of_birth=r["date_of_birth"],
                    residence_municipality=municipalities[r["residence_municipality"]],
                )
                for r in rows
            ]
        )
        if any(s.pk is None for s in students):  # backends that do not return ids
            students = list(Student.objects.filter(source_id__in=[r["source_id"] for r in rows]))
        ids.update({s.source_id: s.pk for s in students})
        Guardian.objects.bulk_create(
            [
                Guardian(
                    student_id=ids[r["source_id"]],
                    name=r["guardian_name"],
                    relation=r["guardian_relation"],
                    phone=r["guardian_phone"],
                    email=r["guardian_email"],
                )
                for r in rows
            ]
        )
        done += len(rows)
        report("students", done, total)
    return ids


def demo_load(*, manifest_dir: Path, progress: ProgressCallback | None = None) -> DemoLoadResult:
    """Load the demo files in `manifest_dir` (see module docstring for the policy)."""
    report = progress or (lambda stage, done, total: None)
    manifest = DemoManifest.read(Path(manifest_dir))
    _verify_files(manifest)
    region = json.loads(manifest.path("region.json").read_text("utf-8"))
    specs = _account_specs(region)
    accounts = [
        DemoAccount(
            username=username,
            role=str(role.label),
            organisation=_org_label(region, org_key),
            totp_secret=demo_totp_secret(username),
        )
        for username, role, _, org_key, _ in specs
    ]

    # The attendance files stay on disk for the attendance import.
    target = Path(settings.DATA_DIR) / "demo"
    target.mkdir(parents=True, exist_ok=True)
    paths = {}
    for name in ("attendance.parquet", "calendar.csv"):
        source, destination = manifest.path(name), target / name
        if source.resolve() != destination.resolve():
            shutil.copyfile(source, destination)
        paths[name] = destination

    current = DemoDataset.objects.filter(fingerprint=manifest.fingerprint).first()
    if current is not None:
        return DemoLoadResult(
            fingerprint=manifest.fingerprint,
            skipped=True,
            counts=dict(manifest.counts),
            attendance_path=paths["attendance.parquet"],
            calendar_path=paths["calendar.csv"],
            accounts=accounts,
        )

    with transaction.atomic():
        from leerrecht.accounts.models import User

        # Demo accounts are re-linked below; unlinking lets stale demo schools go.
        User.objects.filter(username__in=[spec[0] for spec in specs]).update(organisation=None)
        DemoDataset.objects.all().delete()
        _demo_rows_delete([m["cbs_code"] for m in region["municipalities"]])
        municipalities, organisations = _region_load(region)
        report("region", 1, 1)
        ids = _students_load(manifest, municipalities, report)
        for rows in _batches(manifest.path("enrolments.parquet")):
            Enrolment.objects.bulk_create(
                [
                    Enrolment(
                        student_id=ids[r["source_id"]],
                        school=organisations[r["brin"]],
                        start=r["start"],
                        end=r["end"],
                        group=r["group"],
                    )
                    for r in rows
                ]
            )
        report("enrolments", 1, 1)
        for rows in _batches(manifest.path("register.parquet")):
            ResidentRegisterEntry.objects.bulk_create(
                [
                    ResidentRegisterEntry(
                        **{k: v for k, v in r.items() if k != "municipality"},
                        municipality=municipalities[r["municipality"]],
                    )
                    for r in rows
                ]
            )
        report("register", 1, 1)
        for rows in _batches(manifest.path("exemptions.parquet")):
            Exemption.objects.bulk_create(
                [
                    Exemption(
                        student_id=ids[r["source_id"]],
                        article=r["article"],
                        start=r["start"],
                        end=r["end"],
                        declaration_date=r["declaration_date"],
                    )
                    for r in rows
                ]
            )
        for rows in _batches(manifest.path("suspensions.parquet")):
            Suspension.objects.bulk_create(
                [
                    Suspension(
                        student_id=ids[r["source_id"]],
                        school=organisations[r["brin"]],
                        start=r["start"],
                        end=r["end"],
                        pending_removal=r["pending_removal"],
                    )
                    for r in rows
                ]
            )
        _accounts_load(specs, organisations)
        DemoDataset.objects.create(
            fingerprint=manifest.fingerprint,
            manifest=manifest.as_json(),
            usernames=[spec[0] for spec in specs],
            attendance_path=str(paths["attendance.parquet"]),
            calendar_path=str(paths["calendar.csv"]),
        )
    report("accounts", 1, 1)
    return DemoLoadResult(
        fingerprint=manifest.fingerprint,
        skipped=False,
        counts=dict(manifest.counts),
        attendance_path=paths["attendance.parquet"],
        calendar_path=paths["calendar.csv"],
        accounts=accounts,
    )


def _org_label(region: dict, key: str) -> str:
    for school in region["schools"]:
        if school["brin"] == key:
            return f"{school['name']} ({key})"
    return key


def _accounts_load(specs, organisations: dict[str, Organisation]) -> None:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from leerrecht.accounts.models import User

    for username, role, _kind, org_key, full_name in specs:
        first, last = full_name.split(" ", 1)
        user, _ = User.objects.update_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "email": f"{username}@demo.leerrecht.example.org",
                "role": role,
                "organisation": organisations[org_key],
                "is_active": True,
                # The functional administrator works in the beheer pages; the Django
                # admin is for platform operators only (docs/adr/0120).
                "is_staff": False,
                "is_superuser": False,
            },
        )
        user.set_password(DEMO_PASSWORD)
        user.save()
        TOTPDevice.objects.filter(user=user).delete()
        TOTPDevice.objects.create(
            user=user,
            name="demo-authenticator",
            confirmed=True,
            key=base64.b32decode(demo_totp_secret(username)).hex(),
        )


def demo_account_is_demo(username: str) -> bool:
    """True when `username` is one of the loaded demo region's accounts."""
    dataset = DemoDataset.objects.order_by("-loaded_at").first()
    return dataset is not None and username in dataset.usernames
