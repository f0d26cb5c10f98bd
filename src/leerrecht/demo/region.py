"""The organisations of the demo region: RMC region Haaglanden with three municipalities.

Seed 004 describes this region (Den Haag, Leidschendam-Voorburg, Rijswijk). Everything here
is synthetic: school names, BRIN numbers and organisation names are made up, only the CBS
municipality codes and names are real.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources

__all__ = [
    "MUNICIPALITIES",
    "RMC_REGION",
    "School",
    "SchoolPlan",
    "region_document",
    "rmc_region_names",
    "school_plan",
    "schools_for_plan",
]

RMC_REGION = "Haaglanden"

# (CBS code, name as CBS spells it, share of the region's pupils; shares follow the
# municipalities' population sizes, roughly 560k / 78k / 57k inhabitants).
MUNICIPALITIES: tuple[tuple[str, str, float], ...] = (
    ("GM0518", "'s-Gravenhage", 0.80),
    ("GM1916", "Leidschendam-Voorburg", 0.115),
    ("GM0603", "Rijswijk", 0.085),
)

# Pupil shares per school type and the typical school size used to size the plan.
PO_SHARE = 8 / 13  # 8 primary cohorts (groep 1-8) against 5 secondary cohorts
SO_SHARE_OF_PO = 0.02  # special primary education
VSO_SHARE_OF_VO = 0.035  # special secondary education
PUPILS_PER_SCHOOL = {"po": 300, "so": 120, "vo": 900, "vso": 150}

PO_SWV_NAME = "SWV Passend Primair Onderwijs Hofstad (demo)"
VO_SWV_NAME = "SWV Voortgezet Onderwijs Hofstad (demo)"
LEERPLICHT_NAME = "Leerplicht Haaglanden (demo)"
JGZ_NAME = "JGZ Haaglanden (demo)"
CARE_NAME = "Jeugdteam Den Haag Centrum (demo)"
OPERATOR_NAME = "Beheer Leerrecht (demo)"


@dataclass(frozen=True)
class SchoolPlan:
    """How many schools of each type a region with `students` enrolled pupils gets."""

    po: int
    so: int
    vo: int
    vso: int

    @property
    def total(self) -> int:
        return self.po + self.so + self.vo + self.vso

    def as_dict(self) -> dict[str, int]:
        return {"po": self.po, "so": self.so, "vo": self.vo, "vso": self.vso}


@dataclass(frozen=True)
class School:
    index: int
    brin: str
    name: str
    school_type: str  # po / so / vo / vso
    municipality: str  # CBS code

    @property
    def sector(self) -> str:
        return "po" if self.school_type in {"po", "so"} else "vo"


def type_shares() -> dict[str, float]:
    po_all = PO_SHARE
    vo_all = 1 - PO_SHARE
    return {
        "po": po_all * (1 - SO_SHARE_OF_PO),
        "so": po_all * SO_SHARE_OF_PO,
        "vo": vo_all * (1 - VSO_SHARE_OF_VO),
        "vso": vo_all * VSO_SHARE_OF_VO,
    }


def school_plan(students: int) -> SchoolPlan:
    """Schools per type: pupils of that type / typical size, at least 2 po, 1 of the others.

    For the default 20,000 pupils this gives 40 po + 2 so + 8 vo + 2 vso = 52 schools.
    """
    shares = type_shares()
    counts = {
        kind: max(2 if kind == "po" else 1, round(students * share / PUPILS_PER_SCHOOL[kind]))
        for kind, share in shares.items()
    }
    return SchoolPlan(**counts)


# BRIN numbers: 2 digits + 2 letters; a fixed bijection spreads them over the whole space.
_BRIN_SPACE = 90 * 26 * 26


def brin_for(index: int) -> str:
    code = (index * 7919 + 4567) % _BRIN_SPACE
    digits, letters = divmod(code, 26 * 26)
    return f"{10 + digits:02d}{chr(65 + letters // 26)}{chr(65 + letters % 26)}"


_PO_PREFIX = ("Basisschool", "OBS", "CBS", "IKC", "Montessorischool", "Daltonschool")
_PO_NAMES = (
    "De Regenboog",
    "Het Kompas",
    "De Springplank",
    "De Wereldboom",
    "Het Palet",
    "De Klimop",
    "De Duinroos",
    "Het Zeepaard",
    "De Schatkamer",
    "De Notenkraker",
    "De Zonnewijzer",
    "Het Startpunt",
    "De Vuurvogel",
    "Het Mozaïek",
    "De Lindeboom",
    "De Waterlelie",
    "De Tweemaster",
    "Het Baken",
    "De Horizon",
    "De Meidoorn",
    "De Duinvlinder",
    "Het Vlot",
)
_VO_NAMES = (
    "Duinrand College",
    "Residentie Lyceum",
    "Vaartland College",
    "Hofvijver Scholengemeenschap",
    "Trekvliet College",
    "Zeeheldenlyceum",
    "Vlietland Mavo",
    "Binckhorst Vakcollege",
    "Haagse Beemden Havo",
    "Westbroek Gymnasium",
    "Clingendael College",
    "Laakkwartier Lyceum",
)
_SO_NAMES = ("SO De Brug", "SO Het Kristal", "SO De Wissel", "SO Het Duinhuis")
_VSO_NAMES = ("VSO Het Anker", "VSO De Boei", "VSO Het Kustpad", "VSO De Steiger")


def _school_name(school_type: str, k: int) -> str:
    if school_type == "po":
        base = f"{_PO_PREFIX[k % len(_PO_PREFIX)]} {_PO_NAMES[k % len(_PO_NAMES)]}"
        cycle = len(_PO_PREFIX) * len(_PO_NAMES) // 2  # lcm(6, 22) = 66
    else:
        names = {"vo": _VO_NAMES, "so": _SO_NAMES, "vso": _VSO_NAMES}[school_type]
        base, cycle = names[k % len(names)], len(names)
    return base if k < cycle else f"{base} {k // cycle + 1}"


def _apportion(total: int, weights: list[float]) -> list[int]:
    """Largest-remainder apportionment of `total` over `weights` (deterministic)."""
    raw = [total * w / sum(weights) for w in weights]
    counts = [int(r) for r in raw]
    order = sorted(range(len(raw)), key=lambda i: (-(raw[i] - counts[i]), i))
    for i in order[: total - sum(counts)]:
        counts[i] += 1
    return counts


def schools_for_plan(plan: SchoolPlan) -> list[School]:
    """The schools of the plan, spread over the municipalities by pupil share."""
    schools: list[School] = []
    weights = [share for _, _, share in MUNICIPALITIES]
    for type_number, (school_type, count) in enumerate(plan.as_dict().items()):
        per_municipality = _apportion(count, weights)
        k = 0
        for (cbs, _, _), n in zip(MUNICIPALITIES, per_municipality, strict=True):
            for _ in range(n):
                # BRIN and name depend on (type, k) only, so a school keeps both in every plan.
                schools.append(
                    School(
                        index=len(schools),
                        brin=brin_for(k * 4 + type_number),
                        name=_school_name(school_type, k),
                        school_type=school_type,
                        municipality=cbs,
                    )
                )
                k += 1
    return schools


def rmc_region_names() -> list[str]:
    text = resources.files("leerrecht.demo").joinpath("rmc_regions.txt").read_text("utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]


def region_document(schools: list[School]) -> dict:
    """The content of region.json."""
    return {
        "format": "leerrecht-demo-region/1",
        "rmc_regions": rmc_region_names(),
        "rmc_region": RMC_REGION,
        "municipalities": [
            {"cbs_code": cbs, "name": name, "rmc_region": RMC_REGION}
            for cbs, name, _ in MUNICIPALITIES
        ],
        "schools": [
            {
                "brin": s.brin,
                "name": s.name,
                "school_type": s.school_type,
                "municipality": s.municipality,
                "swv": PO_SWV_NAME if s.sector == "po" else VO_SWV_NAME,
            }
            for s in schools
        ],
        "organisations": [
            {"kind": "swv", "name": PO_SWV_NAME, "sector": "po"},
            {"kind": "swv", "name": VO_SWV_NAME, "sector": "vo"},
            {
                "kind": "leerplicht",
                "name": LEERPLICHT_NAME,
                "served_municipalities": [cbs for cbs, _, _ in MUNICIPALITIES],
            },
            {"kind": "jgz", "name": JGZ_NAME, "served_schools": "all"},
            {"kind": "care", "name": CARE_NAME},
            *(
                {"kind": "municipality", "name": f"Gemeente {name}", "municipality": cbs}
                for cbs, name, _ in MUNICIPALITIES
            ),
            {"kind": "operator", "name": OPERATOR_NAME},
        ],
    }
