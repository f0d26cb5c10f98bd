"""Benchmark of the reconciliation matcher (issue 7): quality and speed with known truth.

    .venv/bin/python benchmarks/matching.py --size 100000
    .venv/bin/python benchmarks/matching.py --size 1000000

Generates two synthetic lists of Dutch children with known truth (80% overlap) and the
noise of real lists: typos, missing or extra diacritics, tussenvoegsel in front, behind or
missing, swapped day and month, initials instead of given names. 40% of the rows in each list
carry a BSN; precision/recall are reported on the true pairs that could NOT be matched on BSN
(the probabilistic part). Matching runs in a child process, so its peak memory (ru_maxrss) is
the matcher's own, not the generator's. Figures go in docs/performance.md "Matching".
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

GIVEN = [
    "Daan",
    "Sem",
    "Lucas",
    "Levi",
    "Finn",
    "Noah",
    "Milan",
    "Luuk",
    "Bram",
    "Jesse",
    "Thijs",
    "Sam",
    "Julian",
    "Mees",
    "Adam",
    "Liam",
    "Max",
    "Lars",
    "Ruben",
    "Gijs",
    "Thomas",
    "Tim",
    "Stijn",
    "Jayden",
    "Teun",
    "Siem",
    "Mohammed",
    "Ayoub",
    "Yusuf",
    "Ibrahim",
    "Omar",
    "Hamza",
    "Emir",
    "Mustafa",
    "Rayan",
    "Sven",
    "Jens",
    "Niels",
    "Koen",
    "Joris",
    "Wessel",
    "Floris",
    "Guus",
    "Hugo",
    "Olivier",
    "Boaz",
    "Jurre",
    "Ties",
    "Ilias",
    "Emma",
    "Julia",
    "Mila",
    "Tess",
    "Sophie",
    "Zoë",
    "Sara",
    "Nora",
    "Yara",
    "Eva",
    "Lotte",
    "Noor",
    "Liv",
    "Saar",
    "Lisa",
    "Fenna",
    "Anna",
    "Evi",
    "Roos",
    "Fleur",
    "Isa",
    "Lieke",
    "Jasmijn",
    "Sanne",
    "Femke",
    "Maud",
    "Romy",
    "Elin",
    "Olivia",
    "Nina",
    "Fatima",
    "Salma",
    "Amira",
    "Yasmina",
    "Aya",
    "Hiba",
    "Imane",
    "Ilse",
    "Esmée",
    "Chloë",
    "Noëlle",
    "Anaïs",
    "Renée",
    "Loïs",
    "Inès",
    "Mehmet",
    "Elif",
    "Zeynep",
    "Ayşe",
    "Büşra",
    "Kerem",
    "Merel",
    "Hanna",
    "Vera",
    "Fenne",
    "Lynn",
    "Benthe",
    "Demi",
    "Kiki",
    "Britt",
    "Jente",
    "Isabel",
    "Sofie",
    "Amélie",
    "Céline",
    "Daphne",
    "Joëlle",
    "Hélène",
    "Bregje",
    "Wout",
    "Pepijn",
    "Rens",
    "Jelle",
    "Dirk",
    "Kees",
    "Bas",
    "Tygo",
    "Hidde",
    "Jip",
    "Morris",
    "Luca",
    "Sil",
]
SURNAME_BASE = [
    "Jansen",
    "de",
    "Jong",
    "de",
    "Vries",
    "van",
    "den",
    "Berg",
    "van",
    "Dijk",
    "Bakker",
    "Janssen",
    "Visser",
    "Smit",
    "Meijer",
    "de",
    "Boer",
    "Mulder",
    "de",
    "Groot",
    "Bos",
    "Vos",
    "Peters",
    "Hendriks",
    "van",
    "Leeuwen",
    "Dekker",
    "Brouwer",
    "de",
    "Wit",
    "Dijkstra",
    "Smits",
    "de",
    "Graaf",
    "van",
    "der",
    "Meer",
    "van",
    "der",
    "Linden",
    "Kok",
    "Jacobs",
    "de",
    "Haan",
    "Vermeulen",
    "van",
    "den",
    "Heuvel",
    "van",
    "der",
    "Veen",
    "van",
    "den",
    "Broek",
    "de",
    "Bruijn",
    "de",
    "Bruin",
    "van",
    "der",
    "Heijden",
    "Schouten",
    "van",
    "Beek",
    "Willems",
    "van",
    "Vliet",
    "van",
    "de",
    "Ven",
    "Hoekstra",
    "Maas",
    "Verhoeven",
    "Koster",
    "van",
    "Dam",
    "van",
    "der",
    "Wal",
    "Prins",
    "Blom",
    "Huisman",
    "Peeters",
    "de",
    "Jonge",
    "Kuipers",
    "van",
    "Veen",
    "Post",
    "Kuiper",
    "Veenstra",
    "Kramer",
    "van",
    "den",
    "Brink",
    "Scholten",
    "van",
    "Wijk",
    "Postma",
    "Martens",
    "Vink",
    "de",
    "Ruiter",
    "Timmermans",
    "Groen",
    "Gerritsen",
    "Jonker",
    "van",
    "Loon",
    "Boer",
    "van",
    "der",
    "Velde",
    "Willemsen",
    "Smeets",
    "de",
    "Lange",
    "de",
    "Vos",
    "Bosch",
    "van",
    "Dongen",
    "Şahin",
    "Yılmaz",
    "Kaya",
    "Demir",
    "Çelik",
    "El",
    "Amrani",
    "Bouzid",
    "Benali",
    "Ouali",
    "Haddou",
    "El",
    "Idrissi",
    "Ait",
    "Taleb",
    "Öztürk",
    "Müller",
    "Ramdin",
    "Soekhoe",
    "Doğan",
    "Aydın",
    "Bakkali",
    "Ziani",
    "Tahiri",
    "Kartosen",
    "Pinas",
]


def _surnames() -> list[str]:
    # Rebuild multi-word names from the base list, then add composed Dutch-looking names
    # so that the vocabulary is as varied as a real region's.
    names, cur = [], []
    prefixes = {"de", "van", "den", "der", "El", "Ait"}
    for word in SURNAME_BASE:
        cur.append(word)
        if word not in prefixes:
            names.append(" ".join(cur))
            cur = []
    stems = [
        "Hoog",
        "Laag",
        "Groen",
        "Wit",
        "Zwart",
        "Rood",
        "Berg",
        "Dijk",
        "Veld",
        "Hout",
        "Brink",
        "Broek",
        "Kamp",
        "Horst",
        "Bosch",
        "Meer",
        "Beek",
        "Steen",
        "Huis",
        "Hof",
        "Water",
        "Zand",
        "Molen",
        "Kerk",
        "Dorp",
        "Weide",
        "Akker",
        "Linde",
        "Eik",
        "Wilg",
        "Haven",
        "Brug",
        "Sluis",
        "Stad",
        "Polder",
        "Vaart",
        "Dam",
        "Ruit",
        "Tuin",
        "Bergh",
        "Roos",
    ]
    suffixes = [
        "man",
        "mans",
        "ink",
        "inga",
        "stra",
        "sma",
        "ma",
        "ing",
        "hof",
        "huis",
        "kamp",
        "veld",
        "berg",
        "dijk",
        "horst",
        "ers",
        "sen",
        "kes",
        "ens",
        "beek",
        "brink",
        "meijer",
        "boer",
        "ga",
    ]
    for s in stems:
        for x in suffixes:
            names.append(s + x)
    prefix_words = ["van", "van de", "van der", "van den", "de", "ter", "ten", "in 't"]
    extra = [f"{random.choice(prefix_words)} {s}" for s in stems for _ in range(3)]
    return names + extra


_ACCENTS = {"e": "é", "a": "á", "o": "ö", "i": "ï", "u": "ü", "c": "ç", "s": "ş"}
_STRIP = str.maketrans("éèëêáàäöóïíüúçşñıİğ", "eeeeaaaooiiuucsniIg")
_KEYS = "abcdefghijklmnoprstuvwyz"
_TV_PREFIXES = ("van", "de", "der", "den", "ter", "ten", "in", "'t")


def _typo(s: str, rng: random.Random) -> str:
    if len(s) < 4:
        return s
    i = rng.randrange(1, len(s) - 1)
    kind = rng.random()
    if kind < 0.3:  # substitution
        return s[:i] + rng.choice(_KEYS) + s[i + 1 :]
    if kind < 0.55:  # deletion
        return s[:i] + s[i + 1 :]
    if kind < 0.8:  # transposition
        return s[: i - 1] + s[i] + s[i - 1] + s[i + 1 :]
    return s[:i] + s[i] + s[i:]  # doubled letter


def _diacritics(s: str, rng: random.Random) -> str:
    stripped = s.translate(_STRIP)
    if stripped != s:
        return stripped  # missing diacritics
    idx = [i for i, c in enumerate(s) if c in _ACCENTS]
    if not idx:
        return s
    i = rng.choice(idx)
    return s[:i] + _ACCENTS[s[i]] + s[i + 1 :]  # extra diacritic


def _split_tv(full: str) -> tuple[str, str]:
    words = full.split()
    tv = []
    while len(words) > 1 and words[0].lower() in _TV_PREFIXES:
        tv.append(words.pop(0))
    return " ".join(tv), " ".join(words)


def generate(size: int, seed: int, out: Path) -> dict:
    rng = random.Random(seed)
    random.seed(seed)
    surnames = _surnames()
    start = dt.date(2008, 8, 1).toordinal()
    end = dt.date(2021, 7, 31).toordinal()
    overlap = int(size * 0.8)
    # Population: size + (size - overlap) children; A = first size, B = overlap part + new ones.
    total = size + (size - overlap)
    people = []
    for k in range(total):
        n_given = 1 if rng.random() < 0.55 else 2 if rng.random() < 0.8 else 3
        given = " ".join(rng.choice(GIVEN) for _ in range(n_given))
        sur = rng.choice(surnames)
        tv, core = _split_tv(sur)
        dob = dt.date.fromordinal(rng.randrange(start, end))
        # Twins: same surname and birth date, other given name (1%).
        if people and rng.random() < 0.01:
            prev = people[-1]
            tv, core, dob = prev[2], prev[3], prev[4]
        people.append((k, given, tv, core, dob, 100_000_000 + k))
    a_idx = list(range(size))
    b_idx = list(range(overlap)) + list(range(size, total))
    rng.shuffle(b_idx)

    def row(p, noisy: bool):
        k, given, tv, core, dob, bsn = p
        sur_field, tv_field = core, tv
        if noisy:
            r = rng.random
            if r() < 0.20:
                core = _typo(core, rng)
            if r() < 0.10:
                given = _typo(given, rng)
            if r() < 0.15:
                core = _diacritics(core, rng)
            if r() < 0.10:
                given = _diacritics(given, rng)
            if tv:
                x = r()
                if x < 0.25:
                    sur_field, tv_field = f"{core}, {tv}", ""  # behind
                elif x < 0.40:
                    sur_field, tv_field = core, ""  # missing
                elif x < 0.70:
                    sur_field, tv_field = f"{tv} {core}", ""  # in front, in one field
                else:
                    sur_field, tv_field = core, tv
            else:
                sur_field = core
            if r() < 0.15:
                given = "".join(f"{g[0].upper()}." for g in given.split())  # initials
            if r() < 0.06 and dob.day <= 12 and dob.day != dob.month:
                dob = dt.date(dob.year, dob.day, dob.month)
        else:
            sur_field = f"{tv} {core}".strip() if tv and rng.random() < 0.5 else core
            tv_field = "" if sur_field != core else tv
        has_bsn = rng.random() < 0.4
        return {
            "truth": k,
            "bsn": str(bsn) if has_bsn else "",
            "given_names": given,
            "tussenvoegsel": tv_field,
            "surname": sur_field,
            "date_of_birth": dob,
        }

    tables = {}
    for name, idx, noisy in (("a", a_idx, False), ("b", b_idx, True)):
        rows = [row(people[k], noisy) for k in idx]
        tables[name] = pa.Table.from_pylist(rows)
        pq.write_table(tables[name], out / f"{name}.parquet")
    return {"size": size, "overlap": overlap}


def run_match(folder: Path) -> dict:
    """Child-process part: load the two lists, link them, score against the truth."""
    from leerrecht.reconciliation.matching import Person, config_load, link

    t0 = time.perf_counter()
    cols = ("bsn", "given_names", "tussenvoegsel", "surname", "date_of_birth", "truth")
    lists = {}
    for name in ("a", "b"):
        t = pq.read_table(folder / f"{name}.parquet", columns=list(cols)).to_pydict()
        lists[name] = (
            [
                Person(str(i), g, tv, s, d, bsn)
                for i, (bsn, g, tv, s, d) in enumerate(
                    zip(
                        t["bsn"],
                        t["given_names"],
                        t["tussenvoegsel"],
                        t["surname"],
                        t["date_of_birth"],
                        strict=True,
                    )
                )
            ],
            t["truth"],
        )
        del t
    t_load = time.perf_counter() - t0
    (a, truth_a), (b, truth_b) = lists["a"], lists["b"]
    t1 = time.perf_counter()
    stages: list[tuple[str, float]] = []
    result = link(
        a,
        b,
        config=config_load().matching,
        explain=False,
        progress=lambda _d, _t, label: stages.append((label, time.perf_counter() - t1)),
    )
    t_match = time.perf_counter() - t1
    # Truth: pairs with the same person id; "without BSN" = not both rows carry a BSN.
    pos_b = {t: j for j, t in enumerate(truth_b)}
    true_pairs = set()
    for i, t in enumerate(truth_a):
        j = pos_b.get(t)
        if j is not None and not (a[i].bsn and b[j].bsn):
            true_pairs.add((i, j))
    prob = [m for m in result.matches if m.method not in ("bsn", "education_number")]
    auto = {(m.a, m.b) for m in prob if not m.review}
    proposed = {(m.a, m.b) for m in prob}

    def prf(pred: set) -> dict:
        tp = len(pred & true_pairs)
        p = tp / len(pred) if pred else 0.0
        r = tp / len(true_pairs) if true_pairs else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4)}

    # Baseline: exact join on (folded given names, surname, date of birth).
    from leerrecht.reconciliation.matching.normalise import fold

    key_b = {}
    for j, p in enumerate(b):
        key_b.setdefault((fold(p.given_names), fold(p.surname), p.date_of_birth), j)
    naive = set()
    for i, p in enumerate(a):
        j = key_b.get((fold(p.given_names), fold(p.surname), p.date_of_birth))
        if j is not None and not (p.bsn and b[j].bsn):
            naive.add((i, j))
    return {
        "rows_a": len(a),
        "rows_b": len(b),
        "true_pairs_without_bsn": len(true_pairs),
        "load_seconds": round(t_load, 1),
        "match_seconds": round(t_match, 1),
        "stages_seconds": {label: round(t, 1) for label, t in stages},
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "auto": prf(auto),
        "auto_plus_review": prf(proposed),
        "review_queue": len(proposed) - len(auto),
        "baseline_exact_name_join": prf(naive),
        "summary": result.summary(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(run_match(args.child)))
        return
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        t0 = time.perf_counter()
        info = generate(args.size, args.seed, folder)
        print(
            f"generated {args.size:,} x {args.size:,} in {time.perf_counter() - t0:.0f}s",
            file=sys.stderr,
        )
        out = subprocess.run(  # noqa: S603 - our own script
            [sys.executable, __file__, "--child", str(folder)],
            check=True,
            capture_output=True,
            text=True,
        )
        figures = json.loads(out.stdout.strip().splitlines()[-1]) | info
    print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
