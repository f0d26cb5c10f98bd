"""Benchmark of the reconciliation matcher (issues 7, 16): quality and speed with known truth.

    .venv/bin/python benchmarks/matching.py --size 100000
    nice -n 10 .venv/bin/python benchmarks/matching.py --size 1000000

Generates two synthetic registers of Dutch children with known truth (80% overlap): list A
(a school register: every BSN present and correct, clean addresses) and list B (a municipal
register with the noise of real lists). Noise in B: typos, missing or extra diacritics,
tussenvoegsel in front, behind, missing or abbreviated ("v.d."), swapped day and month,
initials instead of given names; BSN missing for 30% of the rows and wrong for 2% (half fail
the 11-check and are blanked by the reader, half are another valid BSN - a sibling's when
there is one); addresses with the postcode with or without a space, 5% moved within their
municipality and 3% moved to another municipality. The population has families (siblings
share surname and address), twins (same birth date, other given name) and homonyms (same
name and birth date, another municipality).

Printed: precision and recall of the certain matches and of certain + review queue, over
all true pairs and over the pairs without an equal BSN (the probabilistic part); the share
of twin and homonym cross pairs kept apart (not matched with certainty); baselines in the
same run (exact BSN join; exact join on name + date of birth). Matching runs in a child
process, so its peak memory (VmHWM) is the matcher's own. Figures: docs/performance.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
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


_MUNICIPALITIES = [f"GM{code:04d}" for code in (518, 599, 363, 344, 14, 34, 503, 1783, 1916, 394)]
_WEIGHTS = (0.5, 0.44, 0.22, 0.2, 0.1, 0.1, 0.1, 0.1, 0.08, 0.08)


def _valid_bsns(n: int, rng: random.Random):
    """n distinct BSNs that pass the 11-check, in random order (numpy, fast)."""
    import numpy as np

    weights = np.array([9, 8, 7, 6, 5, 4, 3, 2, -1], dtype=np.int64)
    found, start = [], 100_000_000
    while sum(len(f) for f in found) < n:
        cand = np.arange(start, start + 1_000_000, dtype=np.int64)
        digits = (cand[:, None] // 10 ** np.arange(8, -1, -1)) % 10
        found.append(cand[(digits @ weights) % 11 == 0])
        start += 1_000_000
    out = np.concatenate(found)[:n]
    np.random.default_rng(rng.randrange(2**32)).shuffle(out)
    return out.tolist()


def _address(rng: random.Random, municipality: str | None = None) -> tuple[str, str, str]:
    code = municipality or rng.choices(_MUNICIPALITIES, _WEIGHTS)[0]
    postcode = f"{rng.randrange(1000, 9999)}{rng.choice('ABCDEFGHJKLMNPRSTVWXZ')}{rng.choice('ABCDEFGHJKLMNPRSTVWXZ')}"
    return postcode, str(rng.randrange(1, 250)), code


def generate(size: int, seed: int, out: Path) -> dict:
    rng = random.Random(seed)
    random.seed(seed)
    surnames = _surnames()
    start = dt.date(2008, 8, 1).toordinal()
    end = dt.date(2021, 7, 31).toordinal()
    overlap = int(size * 0.8)
    # Population: size + (size - overlap) children; A = first size, B = overlap part + new ones.
    total = size + (size - overlap)
    bsns = _valid_bsns(total + total // 50, rng)
    spare = bsns[total:]
    people = []  # (k, given, tv, core, dob, bsn, address, family, kind)
    family = -1
    for k in range(total):
        n_given = 1 if rng.random() < 0.55 else 2 if rng.random() < 0.8 else 3
        given = " ".join(rng.choice(GIVEN) for _ in range(n_given))
        x = rng.random()
        prev = people[-1] if people else None
        if prev and x < 0.01:  # twin: same family and birth date, another first name
            _pk, other, tv, core, dob, _b, address, family, _kind = prev
            while given.split()[0] == other.split()[0]:
                given = " ".join([rng.choice(GIVEN), *given.split()[1:]])
            kind = "twin"
        elif prev and x < 0.015:  # homonym: same name and birth date, other municipality
            _pk, given, tv, core, dob, _b, old, _f, _kind = prev
            address = _address(rng, rng.choice([m for m in _MUNICIPALITIES if m != old[2]]))
            family += 1
            kind = "homonym"
        elif prev and x < 0.25:  # sibling: same family, another birth date
            _pk, _g, tv, core, _d, _b, address, family, _kind = prev
            dob = dt.date.fromordinal(
                min(
                    end, max(start, _d.toordinal() + rng.choice((-1, 1)) * rng.randrange(330, 2900))
                )
            )
            kind = "sibling"
        else:
            tv, core = _split_tv(rng.choice(surnames))
            dob = dt.date.fromordinal(rng.randrange(start, end))
            address = _address(rng)
            family += 1
            kind = ""
        people.append((k, given, tv, core, dob, bsns[k], address, family, kind))
    a_idx = list(range(size))
    b_idx = list(range(overlap)) + list(range(size, total))
    rng.shuffle(b_idx)
    sibling_bsn: dict[int, int] = {}  # family -> a BSN in it (for wrong-BSN noise)
    for p in people:
        sibling_bsn.setdefault(p[7], p[5])

    def row(p, noisy: bool):
        k, given, tv, core, dob, bsn, (postcode, number, municipality), fam, _kind = p
        sur_field, tv_field = core, tv
        bsn_field = str(bsn).zfill(9)
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
                elif x < 0.80 and tv.lower().startswith("van d"):
                    sur_field, tv_field = f"v.d. {core}", ""  # abbreviated
                else:
                    sur_field, tv_field = core, tv
            else:
                sur_field = core
            if r() < 0.15:
                given = "".join(f"{g[0].upper()}." for g in given.split())  # initials
            if r() < 0.06 and dob.day <= 12 and dob.day != dob.month:
                dob = dt.date(dob.year, dob.day, dob.month)
            x = r()
            if x < 0.30:
                bsn_field = ""  # missing
            elif x < 0.31:
                bsn_field = bsn_field[:-1] + str(
                    (int(bsn_field[-1]) + 1) % 10
                )  # fails the 11-check
            elif x < 0.32:  # another valid BSN: a sibling's, else an unused one
                other = sibling_bsn.get(fam, bsn)
                bsn_field = str(other if other != bsn else spare[k % len(spare)]).zfill(9)
            x = r()
            if x < 0.03:
                postcode, number, municipality = _address(
                    rng, rng.choice([m for m in _MUNICIPALITIES if m != municipality])
                )
            elif x < 0.08:
                postcode, number, _m = _address(rng, municipality)
            if r() < 0.5:
                postcode = f"{postcode[:4]} {postcode[4:].lower() if r() < 0.3 else postcode[4:]}"
        else:
            sur_field = f"{tv} {core}".strip() if tv and rng.random() < 0.5 else core
            tv_field = "" if sur_field != core else tv
        return {
            "truth": k,
            "bsn": bsn_field,
            "given_names": given,
            "tussenvoegsel": tv_field,
            "surname": sur_field,
            "date_of_birth": dob,
            "postcode": postcode,
            "house_number": number,
            "municipality": municipality,
        }

    for name, idx, noisy in (("a", a_idx, False), ("b", b_idx, True)):
        pq.write_table(
            pa.Table.from_pylist([row(people[k], noisy) for k in idx]), out / f"{name}.parquet"
        )
    # Look-alike pairs of different children: twins and homonyms (by population index).
    lookalikes = [(p[0] - 1, p[0], p[8]) for p in people if p[8] in ("twin", "homonym")]
    pq.write_table(
        pa.Table.from_pylist([{"x": x, "y": y, "kind": kind} for x, y, kind in lookalikes]),
        out / "lookalikes.parquet",
    )
    return {"size": size, "overlap": overlap}


def _peak_rss_mb() -> int:
    """This process's peak resident memory. VmHWM (Linux) belongs to the process image after
    exec; ru_maxrss would also carry the parent's peak over the fork + exec."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024)
    except OSError:
        pass
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)


def _prf(pred: set, truth: set) -> dict:
    tp = len(pred & truth)
    p = tp / len(pred) if pred else 0.0
    r = tp / len(truth) if truth else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4)}


def run_match(folder: Path) -> dict:
    """Child-process part: load the two lists, link them, score against the truth."""
    from leerrecht.reconciliation.matching import Person, config_load, link
    from leerrecht.registry.validators import identifier_normalise

    t0 = time.perf_counter()
    cols = (
        "bsn",
        "given_names",
        "tussenvoegsel",
        "surname",
        "date_of_birth",
        "postcode",
        "house_number",
        "municipality",
    )
    lists = {}
    blanked = 0
    for name in ("a", "b"):
        t = pq.read_table(folder / f"{name}.parquet", columns=[*cols, "truth"]).to_pydict()
        people = []
        for i in range(len(t["truth"])):
            bsn, problem = identifier_normalise("bsn", t["bsn"][i])  # as the list reader does
            blanked += problem is not None
            people.append(
                Person(
                    str(i),
                    t["given_names"][i],
                    t["tussenvoegsel"][i],
                    t["surname"][i],
                    t["date_of_birth"][i],
                    bsn,
                    postcode=t["postcode"][i],
                    house_number=t["house_number"][i],
                    municipality=t["municipality"][i],
                )
            )
        lists[name] = (people, t["truth"])
        del t
    t_load = time.perf_counter() - t0
    (a, truth_a), (b, truth_b) = lists["a"], lists["b"]
    t1, cpu1 = time.perf_counter(), time.process_time()
    stages: list[tuple[str, float]] = []
    result = link(
        a,
        b,
        config=config_load().matching,
        explain=False,
        progress=lambda _d, _t, label: stages.append((label, time.perf_counter() - t1)),
    )
    t_match = time.perf_counter() - t1
    cpu_match = time.process_time() - cpu1  # all threads; robust on a shared machine
    pos_a = {t: i for i, t in enumerate(truth_a)}
    pos_b = {t: j for j, t in enumerate(truth_b)}
    true_pairs = {(pos_a[t], j) for t, j in pos_b.items() if t in pos_a}
    equal_bsn = {(i, j) for i, j in true_pairs if a[i].bsn and a[i].bsn == b[j].bsn}
    certain = {(m.a, m.b) for m in result.matches if not m.review}
    proposed = {(m.a, m.b) for m in result.matches}
    without_bsn = true_pairs - equal_bsn
    # Conflicting BSNs: true pairs where B carries another valid BSN.
    conflicting = {(i, j) for i, j in true_pairs if a[i].bsn and b[j].bsn and a[i].bsn != b[j].bsn}
    # Look-alikes: cross pairs (A row of one child, B row of the other) that exist.
    look = pq.read_table(folder / "lookalikes.parquet").to_pydict()
    # Homonyms count when the two rows are in different municipalities (B's moves may put
    # one in the other's municipality: then only the BSN could tell them apart).
    kept: dict[str, list[int]] = {"twin": [0, 0], "homonym": [0, 0]}
    failures = []
    for x, y, kind in zip(look["x"], look["y"], look["kind"], strict=True):
        for u, v in ((x, y), (y, x)):
            if u not in pos_a or v not in pos_b:
                continue
            i, j = pos_a[u], pos_b[v]
            if kind == "homonym" and a[i].municipality == b[j].municipality:
                continue
            kept[kind][1] += 1
            kept[kind][0] += (i, j) not in certain
            if (i, j) in certain and len(failures) < 5:
                failures.append([kind, repr(a[i]), repr(b[j])])
    # Baselines: exact BSN join; exact join on (folded given names, surname, date of birth).
    from leerrecht.reconciliation.matching.normalise import fold

    by_bsn = {p.bsn: j for j, p in enumerate(b) if p.bsn}
    bsn_join = {(i, by_bsn[p.bsn]) for i, p in enumerate(a) if p.bsn in by_bsn}
    key_b = {}
    for j, p in enumerate(b):
        key_b.setdefault((fold(p.given_names), fold(p.surname), p.date_of_birth), j)
    naive = set()
    for i, p in enumerate(a):
        j = key_b.get((fold(p.given_names), fold(p.surname), p.date_of_birth))
        if j is not None:
            naive.add((i, j))
    return {
        "rows_a": len(a),
        "rows_b": len(b),
        "true_pairs": len(true_pairs),
        "true_pairs_without_equal_bsn": len(without_bsn),
        "true_pairs_with_conflicting_bsn": len(conflicting),
        "bsns_blanked_by_the_reader": blanked,
        "load_seconds": round(t_load, 1),
        "match_seconds": round(t_match, 1),
        "match_cpu_seconds": round(cpu_match, 1),
        "load_average_1min": round(os.getloadavg()[0], 1),
        "stages_seconds": {label: round(t, 1) for label, t in stages},
        "peak_rss_mb": _peak_rss_mb(),
        "certain": _prf(certain, true_pairs),
        "certain_plus_review": _prf(proposed, true_pairs),
        "review_queue": len(proposed) - len(certain),
        "without_equal_bsn": {
            "certain": _prf(certain - equal_bsn, without_bsn),
            "certain_plus_review": _prf(proposed - equal_bsn, without_bsn),
        },
        "conflicting_bsn_pairs": {
            "certain": len(conflicting & certain),
            "review": len(conflicting & (proposed - certain)),
        },
        "kept_apart": {
            kind: {"pairs": n, "kept_apart": k, "share": round(k / n, 4) if n else None}
            for kind, (k, n) in kept.items()
        },
        "lookalikes_matched_examples": failures,
        "baseline_exact_bsn_join": _prf(bsn_join, true_pairs),
        "baseline_exact_name_join": _prf(naive, true_pairs),
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
