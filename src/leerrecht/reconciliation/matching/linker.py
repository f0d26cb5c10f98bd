"""Link two lists of children: exact on BSN / onderwijsnummer, then probabilistic.

Probabilistic matching is fully vectorised so that 1M x 1M lists take seconds, not hours:
candidate pairs come from blocking keys (numpy sort-merge join, in bounded chunks), and each
distinct pair of strings is scored once with rapidfuzz's multi-threaded ``process.cpdist``
(Jaro-Winkler). The blocking passes, each over the records still without a certain match:

1. date of birth with day and month sorted (so 03-07 and 07-03 share a block) + first letter
   of the core surname + first initial;
2. the same date key + surname initial (given name starts differently);
3. the same date key + given initial (surname starts differently);
4. birth year + both initials (a typo in the date of birth);
5. both initials, for records without a date of birth.

The score is a weighted sum of surname similarity (core surname, tussenvoegsel stripped from
front, back or its own field), given-name similarity (or initials agreement) and birth-date
agreement (equal, day/month swapped, one part differs). Pairs at or above ``auto_match_from``
are matched greedily one-to-one after each pass; pairs at or above ``review_from`` wait until
the end and then fill the review queue for what is still free. A remembered decision (confirm
or reject, keyed by the fingerprints of both records) overrides the score. See
docs/adr/0040-record-linkage-rapidfuzz-blocking.md.

Evidence model (docs/adr/0141-evidence-model-bsn-address-duplicates.md):

* duplicates inside each list are found first (same BSN and birth date, or same name and
  birth date without a conflicting BSN or municipality) and kept out of the matching;
* an equal BSN (or onderwijsnummer) is a certain match only when name and date of birth
  agree; when they contradict, the pair is a conflict for review (data error or sibling) and
  the records stay free for their true partners;
* two different valid BSNs are never a certain match: the pair is dropped unless everything
  else agrees exactly, then it is reviewed with "BSN verschilt";
* addresses: the same address (postcode + house number, or street + house number + place)
  adds ``address_same_bonus``; a different municipality (CBS code, else municipality name,
  else woonplaats) makes a pair at most a review proposal.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache

import numpy as np
from rapidfuzz import process
from rapidfuzz.distance import JaroWinkler

from leerrecht.reconciliation.matching.config import MatchConfig
from leerrecht.reconciliation.matching.normalise import (
    fold,
    house_number_normalise,
    municipality_code_normalise,
    postcode_normalise,
    split_given,
    split_surname,
    status_normalise,
    swapped,
    tussenvoegsel_key,
)

__all__ = ["LinkResult", "Match", "Person", "fingerprint", "link"]

BSN = "bsn"
EDUCATION_NUMBER = "education_number"
PROBABILISTIC = "probabilistic"
BSN_CONFLICT = "bsn_conflict"
REMEMBERED = "remembered"

# Ambiguity: another free candidate within this margin of the chosen one -> review.
_AMBIGUITY_MARGIN = 0.02


@dataclass(slots=True)
class Person:
    """One row of a list, as far as matching is concerned."""

    ref: str
    given_names: str = ""
    tussenvoegsel: str = ""
    surname: str = ""
    date_of_birth: dt.date | None = None
    bsn: str = ""
    education_number: str = ""
    status: str = ""
    street: str = ""
    house_number: str = ""
    postcode: str = ""
    woonplaats: str = ""
    municipality: str = ""  # CBS code ("GM0518", "518") or name


@dataclass(slots=True)
class Match:
    a: int  # index into list A
    b: int  # index into list B
    score: float
    method: str
    review: bool  # True: goes to the review queue (uncertain)
    reasons: list[str] = field(default_factory=list)  # evidence for (and notes), Dutch
    status_a: str = ""
    status_b: str = ""
    against: list[str] = field(default_factory=list)  # evidence against, Dutch

    @property
    def status_conflict(self) -> bool:
        return bool(self.status_a and self.status_b and self.status_a != self.status_b)


@dataclass(slots=True)
class LinkResult:
    n_a: int
    n_b: int
    matches: list[Match]  # certain matches and review-queue proposals
    only_a: list[int]  # indices in A without a certain match (duplicates left out)
    only_b: list[int]
    duplicates_a: list[tuple[int, int]] = field(default_factory=list)  # (row, same as row)
    duplicates_b: list[tuple[int, int]] = field(default_factory=list)

    @property
    def certain(self) -> list[Match]:
        return [m for m in self.matches if not m.review]

    @property
    def review(self) -> list[Match]:
        return [m for m in self.matches if m.review]

    @property
    def conflicts(self) -> list[Match]:
        return [m for m in self.matches if not m.review and m.status_conflict]

    def coverage(self) -> tuple[float, float]:
        """Share of list A found in B, and of B found in A (certain matches only; duplicate
        rows do not count as children)."""
        n = len(self.certain)
        n_a = self.n_a - len(self.duplicates_a)
        n_b = self.n_b - len(self.duplicates_b)
        return (n / n_a if n_a else 0.0, n / n_b if n_b else 0.0)

    def summary(self) -> dict:
        cov_a, cov_b = self.coverage()
        return {
            "rows_a": self.n_a,
            "rows_b": self.n_b,
            "matched": len(self.certain),
            "review": len(self.review),
            "conflicts": len(self.conflicts),
            "only_a": len(self.only_a),
            "only_b": len(self.only_b),
            "duplicates_a": len(self.duplicates_a),
            "duplicates_b": len(self.duplicates_b),
            "coverage_a": round(100 * cov_a, 1),
            "coverage_b": round(100 * cov_b, 1),
        }


def fingerprint(person: Person) -> str:
    """Stable identity of a record's matching fields, to remember review decisions."""
    core, tv = split_surname(person.surname, person.tussenvoegsel)
    parts = (
        person.bsn.strip(),
        person.education_number.strip(),
        fold(person.given_names),
        tv,
        core,
        person.date_of_birth.isoformat() if person.date_of_birth else "",
    )
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:32]


def decision_key(fp_a: str, fp_b: str) -> tuple[str, str]:
    """Decisions hold in both directions (list A/B may be swapped next time)."""
    return (fp_a, fp_b) if fp_a <= fp_b else (fp_b, fp_a)


@cache
def _surname_parts(surname: str, tussenvoegsel: str) -> tuple[str, str]:
    return split_surname(surname, tussenvoegsel)


@cache
def _given_parts(given: str) -> tuple[str, str, bool]:
    return split_given(given)


class _Vocab:
    """Shared string ids for both lists, so equal strings are compared once."""

    def __init__(self) -> None:
        self.ids: dict[str, int] = {"": 0}
        self.strings: list[str] = [""]

    def id(self, text: str) -> int:
        i = self.ids.get(text)
        if i is None:
            i = self.ids[text] = len(self.strings)
            self.strings.append(text)
        return i


def _factorise(values: list) -> tuple[np.ndarray, list]:
    """(code per value, distinct values): every distinct value is normalised only once."""
    index: dict = {}
    codes = np.fromiter(
        (index.setdefault(v, len(index)) for v in values), dtype=np.int64, count=len(values)
    )
    return codes, list(index)


def _numbers(values: list[str]) -> np.ndarray:
    """Identifier strings as int64 (0 for empty); only digits reach here (listio checks)."""
    return np.fromiter(
        (int(v) if v and v.isdigit() else 0 for v in values), dtype=np.int64, count=len(values)
    )


def _field_ids(values: list[str], normalise, vocab: _Vocab, prefix: str) -> np.ndarray:
    """Shared vocabulary id of each value's normalised form (0 when it normalises to "")."""
    code, distinct = _factorise(values)
    ids = []
    for value in distinct:
        norm = normalise(value or "")
        ids.append(vocab.id(prefix + norm) if norm else 0)
    return np.array(ids, dtype=np.int64)[code] if len(values) else np.zeros(0, np.int64)


def _street_split(street: str) -> tuple[str, str]:
    """(folded street, house number) of a street field; "Dorpsstraat 12a" carries its number."""
    head, _sep, tail = (street or "").strip().rpartition(" ")
    number = house_number_normalise(tail) if head else ""
    return fold(head if number else street or ""), number


def _municipality_name(text: str) -> str:
    return "" if municipality_code_normalise(text) else fold(text)


class _Columns:
    """Normalised columns of one list (built once, used by every pass)."""

    def __init__(self, people: Sequence[Person], status_words: dict[str, list[str]], vocab: _Vocab):
        self.people = people
        # Surnames.
        sur_code, sur_values = _factorise(
            [(p.surname or "", p.tussenvoegsel or "") for p in people]
        )
        parts = [_surname_parts(s, t) for s, t in sur_values]
        self._core = [c for c, _t in parts]
        self._tv = [t for _c, t in parts]
        self._sur = sur_code
        self.core_id = np.array([vocab.id(c) for c in self._core], dtype=np.int64)[sur_code]
        self.sur_init = np.array([ord(c[0]) if c else 0 for c in self._core], dtype=np.int64)[
            sur_code
        ]
        # Given names.
        giv_code, giv_values = _factorise([p.given_names or "" for p in people])
        gparts = [_given_parts(g) for g in giv_values]
        self._first = [f for f, _i, _o in gparts]
        self._initials = [i for _f, i, _o in gparts]
        self._giv = giv_code
        self.first_id = np.array([vocab.id(f) for f in self._first], dtype=np.int64)[giv_code]
        self.initials_id = np.array(
            [vocab.id("#" + i) if i else 0 for i in self._initials], dtype=np.int64
        )[giv_code]
        self.init_only = np.array([o for _f, _i, o in gparts], dtype=bool)[giv_code]
        self.no_given = np.array([not i for i in self._initials], dtype=bool)[giv_code]
        self.given_init = np.array([ord(i[0]) if i else 0 for i in self._initials], dtype=np.int64)[
            giv_code
        ]
        # Dates of birth.
        dob_code, dob_values = _factorise([p.date_of_birth for p in people])
        self.year = np.array([d.year if d else 0 for d in dob_values], dtype=np.int64)[dob_code]
        self.month = np.array([d.month if d else 0 for d in dob_values], dtype=np.int64)[dob_code]
        self.day = np.array([d.day if d else 0 for d in dob_values], dtype=np.int64)[dob_code]
        self.has_dob = self.year > 0
        low = np.minimum(self.day, self.month)
        high = np.maximum(self.day, self.month)
        self.dob_key = self.year * 10_000 + low * 100 + high  # same for a date and its swap
        # Identifiers as numbers (0 = none).
        self.bsn_num = _numbers([p.bsn for p in people])
        self.edu_num = _numbers([p.education_number for p in people])
        # Address: one key for the dwelling, and the municipality as code / name / woonplaats.
        # Each distinct raw value is normalised once, per field.
        pc = _field_ids([p.postcode for p in people], postcode_normalise, vocab, "@pc")
        number = _field_ids([p.house_number for p in people], house_number_normalise, vocab, "@hn")
        st_code, st_values = _factorise([p.street for p in people])
        st_parts = [_street_split(v) for v in st_values]
        street = np.array([vocab.id(f"@st{s}") if s else 0 for s, _n in st_parts], np.int64)
        st_number = np.array([vocab.id(f"@hn{n}") if n else 0 for _s, n in st_parts], np.int64)
        number = np.where(number != 0, number, st_number[st_code])
        street = street[st_code]
        shift = np.int64(1 << 24)
        self.dwelling = np.where(
            (pc != 0) & (number != 0),
            pc * shift + number,
            np.where((street != 0) & (number != 0), -(street * shift + number), 0),
        )
        muni = [p.municipality for p in people]
        self.muni_code = _field_ids(muni, municipality_code_normalise, vocab, "@gm")
        self.muni_name = _field_ids(muni, _municipality_name, vocab, "@gn")
        self.place = _field_ids([p.woonplaats for p in people], fold, vocab, "@wp")
        # Status (only when the list has one).
        self._status_words = status_words
        self._status_cache: dict[str, str] = {}

    def place_label(self, i: int) -> str:
        p = self.people[i]
        return (p.municipality or p.woonplaats or "").strip()

    def core(self, i: int) -> str:
        return self._core[self._sur[i]]

    def tv(self, i: int) -> str:
        return self._tv[self._sur[i]]

    def first(self, i: int) -> str:
        return self._first[self._giv[i]]

    def initials(self, i: int) -> str:
        return self._initials[self._giv[i]]

    def status(self, i: int) -> str:
        raw = self.people[i].status
        if not raw:
            return ""
        if raw not in self._status_cache:
            self._status_cache[raw] = status_normalise(raw, self._status_words)
        return self._status_cache[raw]


def _ranges(starts: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Concatenation of arange(s, s + c) for every (s, c)."""
    total = int(counts.sum())
    if total == 0:
        return np.empty(0, dtype=np.int64)
    ends = np.cumsum(counts)
    return np.repeat(starts - (ends - counts), counts) + np.arange(total)


def _block_pairs(
    key_a: np.ndarray, idx_a: np.ndarray, key_b: np.ndarray, idx_b: np.ndarray, chunk: int
):
    """Yield (a indices, b indices) of every pair sharing a block key, in bounded chunks."""
    if not len(idx_a) or not len(idx_b):
        return
    oa = np.argsort(key_a, kind="stable")
    ob = np.argsort(key_b, kind="stable")
    ka, ia = key_a[oa], idx_a[oa]
    kb, ib = key_b[ob], idx_b[ob]
    ua, sa, ca = np.unique(ka, return_index=True, return_counts=True)
    ub, sb, cb = np.unique(kb, return_index=True, return_counts=True)
    _common, pa, pb = np.intersect1d(ua, ub, assume_unique=True, return_indices=True)
    sa, ca, sb, cb = sa[pa], ca[pa], sb[pb], cb[pb]
    per_key = ca * cb
    group = np.cumsum(per_key) // chunk
    for g in np.unique(group):
        sel = group == g
        a_pos = _ranges(sa[sel], ca[sel])
        n_b = np.repeat(cb[sel], ca[sel])
        s_b = np.repeat(sb[sel], ca[sel])
        yield ia[np.repeat(a_pos, n_b)], ib[_ranges(s_b, n_b)]


def _similarity(ids_a: np.ndarray, ids_b: np.ndarray, vocab: _Vocab) -> np.ndarray:
    """Jaro-Winkler similarity of string-id pairs, each distinct pair computed once."""
    if not len(ids_a):
        return np.empty(0, dtype=np.float32)
    width = np.int64(len(vocab.strings))
    unique, inverse = np.unique(ids_a * width + ids_b, return_inverse=True)
    strings = vocab.strings
    left = [strings[i] for i in (unique // width).tolist()]
    right = [strings[i] for i in (unique % width).tolist()]
    sims = process.cpdist(
        left, right, scorer=JaroWinkler.normalized_similarity, dtype=np.float32, workers=-1
    )
    return sims[inverse.reshape(-1)]


def _other_municipality(a: _Columns, b: _Columns, ia, ib) -> np.ndarray:
    """Both records name a municipality and they differ (code, else name, else woonplaats)."""
    ca, cb = a.muni_code[ia], b.muni_code[ib]
    na, nb = a.muni_name[ia], b.muni_name[ib]
    pa, pb = a.place[ia], b.place[ib]
    both_code = (ca != 0) & (cb != 0)
    both_name = (na != 0) & (nb != 0)
    both_place = (pa != 0) & (pb != 0)
    return np.where(
        both_code,
        ca != cb,
        np.where(both_name, na != nb, both_place & (pa != pb)),
    )


def _components(a: _Columns, b: _Columns, ia, ib, cfg: MatchConfig, vocab: _Vocab, surname=None):
    """(surname similarity, given-name score, birth-date score) of candidate pairs."""
    if surname is None:
        surname = _similarity(a.core_id[ia], b.core_id[ib], vocab)
    given = _similarity(a.first_id[ia], b.first_id[ib], vocab)
    by_initials = np.where(
        a.initials_id[ia] == b.initials_id[ib],
        cfg.initials_only,
        np.where(a.given_init[ia] == b.given_init[ib], cfg.first_initial_only, 0.0),
    )
    given = np.where(a.init_only[ia] | b.init_only[ib], by_initials, given)
    given = np.where(a.no_given[ia] | b.no_given[ib], cfg.birth_date_typo, given)
    ya, ma, da = a.year[ia], a.month[ia], a.day[ia]
    yb, mb, db = b.year[ib], b.month[ib], b.day[ib]
    same_year = ya == yb
    dob = np.where(
        (ya == 0) | (yb == 0),
        cfg.birth_date_typo,
        np.where(
            same_year & (ma == mb) & (da == db),
            1.0,
            np.where(
                same_year & (da == mb) & (ma == db),
                cfg.swapped_day_month,
                np.where(same_year & ((ma == mb) | (da == db)), cfg.birth_date_typo, 0.0),
            ),
        ),
    )
    return surname, given, dob


def _identifier_agrees(a: _Columns, b: _Columns, ia, ib, cfg: MatchConfig, vocab: _Vocab):
    """(agrees, score) of pairs with an equal identifier: agrees when neither the name nor
    the date of birth contradicts it (a missing value does not contradict)."""
    surname, given, dob = _components(a, b, ia, ib, cfg, vocab)
    score = cfg.weight_surname * surname + cfg.weight_given * given + cfg.weight_birth_date * dob
    has_sur = (a.core_id[ia] != 0) & (b.core_id[ib] != 0)
    has_given = ~(a.no_given[ia] | b.no_given[ib])
    has_dob = (a.year[ia] > 0) & (b.year[ib] > 0)
    contradicts = (
        (has_sur & (surname < cfg.identifier_surname_agree_from))
        | (has_given & (given < cfg.identifier_given_agree_from))
        | (has_dob & (dob < cfg.birth_date_typo))
    )
    return ~contradicts, score.astype(np.float32)


def _score_pairs(a: _Columns, b: _Columns, ia, ib, cfg: MatchConfig, vocab: _Vocab):
    """Score candidate pairs; return (a, b, score, review_only) for those kept.

    review_only marks pairs that may at most be proposed for review: different valid BSNs
    (kept only when everything else agrees exactly), an equal BSN that contradicted the
    name or date (see link()), or a different municipality."""
    surname = _similarity(a.core_id[ia], b.core_id[ib], vocab)
    keep = surname >= cfg.candidate_surname_from
    ia, ib, surname = ia[keep], ib[keep], surname[keep]
    if not len(ia):
        return ia, ib, np.empty(0, dtype=np.float32), np.empty(0, dtype=bool)
    surname, given, dob = _components(a, b, ia, ib, cfg, vocab, surname)
    score = cfg.weight_surname * surname + cfg.weight_given * given + cfg.weight_birth_date * dob
    ba, bb = a.bsn_num[ia], b.bsn_num[ib]
    bsn_differs = (ba != 0) & (bb != 0) & (ba != bb)
    exact = score >= 1.0 - 1e-6
    same_dwelling = (a.dwelling[ia] != 0) & (a.dwelling[ia] == b.dwelling[ib])
    score = np.minimum(1.0, score + np.where(same_dwelling, cfg.address_same_bonus, 0.0))
    review_only = bsn_differs | ((ba != 0) & (ba == bb)) | _other_municipality(a, b, ia, ib)
    ok = (score >= cfg.review_from) & (~bsn_differs | exact)
    return ia[ok], ib[ok], score[ok].astype(np.float32), review_only[ok]


def _best_two(idx: np.ndarray, score: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Per record: best and second-best candidate score (-1 when none)."""
    best = np.full(n, -1.0, dtype=np.float32)
    second = np.full(n, -1.0, dtype=np.float32)
    if not len(idx):
        return best, second
    order = np.lexsort((-score, idx))
    si, ss = idx[order], score[order]
    first = np.ones(len(si), dtype=bool)
    first[1:] = si[1:] != si[:-1]
    best[si[first]] = ss[first]
    nxt = np.flatnonzero(first) + 1
    nxt = nxt[nxt < len(si)]
    has_second = si[nxt] == si[nxt - 1]
    second[si[nxt[has_second]]] = ss[nxt[has_second]]
    return best, second


def _duplicates(c: _Columns) -> np.ndarray:
    """Per row: the earlier row of the same list it duplicates, or -1.

    Same BSN and date of birth; or the same core surname, given names and date of birth
    without a conflicting BSN or municipality (twins differ in given name, homonyms in
    other municipalities in their address)."""
    dup_of = np.full(len(c.people), -1, dtype=np.int64)

    def group(keys: list[np.ndarray], mask: np.ndarray, check_conflicts: bool) -> None:
        idx = np.flatnonzero(mask & (dup_of < 0))
        if len(idx) < 2:
            return
        si = idx[np.lexsort([k[idx] for k in reversed(keys)])]  # stable: earlier row first
        sk = np.stack([k[si] for k in keys])
        start = np.ones(len(si), dtype=bool)
        start[1:] = np.any(sk[:, 1:] != sk[:, :-1], axis=0)
        rep = si[start][np.cumsum(start) - 1]
        cand, rep = si[~start], rep[~start]
        if check_conflicts and len(cand):
            ba, bb = c.bsn_num[cand], c.bsn_num[rep]
            ok = ~((ba != 0) & (bb != 0) & (ba != bb)) & ~_other_municipality(c, c, cand, rep)
            cand, rep = cand[ok], rep[ok]
        dup_of[cand] = rep

    dob = c.year * 10_000 + c.month * 100 + c.day
    group([c.bsn_num, dob], c.bsn_num != 0, check_conflicts=False)
    group(
        [c.core_id, c.first_id, c.initials_id, dob],
        c.has_dob & (c.core_id != 0) & ~c.no_given,
        check_conflicts=True,
    )
    return dup_of


def _equal_ids(num_a, num_b, free_a, free_b) -> tuple[np.ndarray, np.ndarray]:
    """One-to-one pairs of free records with the same identifier number (first come first)."""
    ia = np.flatnonzero(free_a & (num_a != 0))
    ib = np.flatnonzero(free_b & (num_b != 0))
    if not len(ia) or not len(ib):
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
    ib = ib[np.argsort(num_b[ib], kind="stable")]
    sorted_b = num_b[ib]
    pos = np.minimum(np.searchsorted(sorted_b, num_a[ia]), len(ib) - 1)
    hit = sorted_b[pos] == num_a[ia]
    pa, pb = ia[hit], ib[pos[hit]]
    _u, first = np.unique(pb, return_index=True)  # one A row per B row
    return pa[first], pb[first]


def link(
    a: Sequence[Person],
    b: Sequence[Person],
    *,
    config: MatchConfig,
    decisions: Mapping[tuple[str, str], bool] | None = None,
    progress: Callable[[int, int, str], None] | None = None,
    explain: bool = True,
    chunk: int = 4_000_000,
) -> LinkResult:
    """Match list `a` against list `b`.

    `decisions` maps ``decision_key(fingerprint(x), fingerprint(y))`` to True (a person
    confirmed the pair) or False (rejected). `explain=False` skips the reason texts
    (benchmarks). `chunk` bounds the number of pairs scored at once (memory).
    """
    decisions = decisions or {}
    matches: list[Match] = []

    def tick(step: int, label: str) -> None:
        if progress:
            progress(step, 8, label)

    tick(1, "namen voorbereiden")
    vocab = _Vocab()
    ca = _Columns(a, config.status_words, vocab)
    cb = _Columns(b, config.status_words, vocab)
    # Duplicates inside each list take no part (reported as their own group).
    dup_a, dup_b = _duplicates(ca), _duplicates(cb)
    used_a = dup_a >= 0
    used_b = dup_b >= 0
    fp_cache: dict[tuple[int, int], str] = {}

    def fp(side: int, idx: int) -> str:
        k = (side, idx)
        if k not in fp_cache:
            fp_cache[k] = fingerprint((a, b)[side][idx])
        return fp_cache[k]

    def verdict(i: int, j: int) -> bool | None:
        if not decisions:
            return None
        return decisions.get(decision_key(fp(0, i), fp(1, j)))

    # (a, b, score, review_only) candidates for the final (review) round.
    pool: list[tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]] = []

    # Equal identifiers: certain when name and birth date agree; else a conflict for review
    # (data error or sibling), and both records stay free for their true partners.
    for attr, num_a, num_b in (
        (BSN, ca.bsn_num, cb.bsn_num),
        (EDUCATION_NUMBER, ca.edu_num, cb.edu_num),
    ):
        pa, pb = _equal_ids(num_a, num_b, ~used_a, ~used_b)
        if not len(pa):
            continue
        agrees, score = _identifier_agrees(ca, cb, pa, pb, config, vocab)
        for i, j, ok in zip(pa.tolist(), pb.tolist(), agrees.tolist(), strict=True):
            v = verdict(i, j)
            if ok and v is not False:
                used_a[i] = used_b[j] = True
                matches.append(Match(i, j, 1.0, attr, False))
        conflict = ~agrees
        pool.append((pa[conflict], pb[conflict], score[conflict], np.ones(conflict.sum(), bool)))

    def assign(cand_a, cand_b, cand_s, cand_r, *, final: bool) -> None:
        """Greedy one-to-one, best first. Before the final round only certain pairs."""
        if not len(cand_s):
            return
        # Near-ties only among candidates that could be certain (not review-only ones).
        free = ~cand_r
        best_a, second_a = _best_two(cand_a[free], cand_s[free], len(a))
        best_b, second_b = _best_two(cand_b[free], cand_s[free], len(b))
        order = np.argsort(-cand_s, kind="stable")
        for k in order.tolist():
            i, j, s = int(cand_a[k]), int(cand_b[k]), float(cand_s[k])
            if used_a[i] or used_b[j]:
                continue
            v = verdict(i, j)
            if v is False:
                continue
            if v is True:
                method, review, ambiguous = REMEMBERED, False, False
            else:
                other_a = second_a[i] if s >= best_a[i] else best_a[i]
                other_b = second_b[j] if s >= best_b[j] else best_b[j]
                ambiguous = bool(
                    other_a >= s - _AMBIGUITY_MARGIN or other_b >= s - _AMBIGUITY_MARGIN
                )
                method = PROBABILISTIC
                review = s < config.auto_match_from or ambiguous or bool(cand_r[k])
                if ca.bsn_num[i] and ca.bsn_num[i] == cb.bsn_num[j]:
                    method = BSN_CONFLICT  # equal BSN, contradicting name or date
            if review and not final:
                continue
            used_a[i] = used_b[j] = True
            m = Match(i, j, round(s, 4), method, review)
            if ambiguous:
                m.against.append("meerdere kandidaten met bijna dezelfde score")
            matches.append(m)

    def run_pass(key_a, key_b, mask_a, mask_b, exclude=None, step=2, label="") -> None:
        tick(step, label)
        idx_a = np.flatnonzero(~used_a & mask_a)
        idx_b = np.flatnonzero(~used_b & mask_b)
        got: list[tuple] = []
        for pa, pb in _block_pairs(key_a[idx_a], idx_a, key_b[idx_b], idx_b, chunk):
            if exclude is not None:
                keep = ~exclude(pa, pb)
                pa, pb = pa[keep], pb[keep]
            got.append(_score_pairs(ca, cb, pa, pb, config, vocab))
        if got:
            cand = tuple(np.concatenate([g[x] for g in got]) for x in range(4))
            assign(*cand, final=False)
            pool.append(cand)

    big = np.int64(1_000)
    all_b = np.ones(len(b), dtype=bool)
    # Pass 1: birth date (day/month order-free) + surname initial + given initial.
    run_pass(
        (ca.dob_key * big + ca.sur_init) * big + ca.given_init,
        (cb.dob_key * big + cb.sur_init) * big + cb.given_init,
        ca.has_dob,
        cb.has_dob,
        step=2,
        label="vergelijken op geboortedatum en initialen",
    )
    # Pass 2: birth date + surname initial (the given name starts differently).
    run_pass(
        ca.dob_key * big + ca.sur_init,
        cb.dob_key * big + cb.sur_init,
        ca.has_dob,
        cb.has_dob,
        exclude=lambda pa, pb: ca.given_init[pa] == cb.given_init[pb],
        step=3,
        label="vergelijken op geboortedatum en achternaam",
    )
    # Pass 3: birth date + given initial (the surname starts differently).
    run_pass(
        ca.dob_key * big + ca.given_init,
        cb.dob_key * big + cb.given_init,
        ca.has_dob,
        cb.has_dob,
        exclude=lambda pa, pb: ca.sur_init[pa] == cb.sur_init[pb],
        step=4,
        label="vergelijken op geboortedatum en voornaam",
    )
    # Pass 4: typos in the birth date: birth year + both initials.
    run_pass(
        (ca.year * big + ca.sur_init) * big + ca.given_init,
        (cb.year * big + cb.sur_init) * big + cb.given_init,
        ca.has_dob,
        cb.has_dob,
        exclude=lambda pa, pb: ca.dob_key[pa] == cb.dob_key[pb],
        step=5,
        label="vergelijken op geboortejaar",
    )
    # Pass 5: no birth date on one side: both initials.
    key_a = ca.sur_init * big + ca.given_init
    key_b = cb.sur_init * big + cb.given_init
    run_pass(key_a, key_b, ~ca.has_dob, all_b, step=6, label="zonder geboortedatum")
    run_pass(key_a, key_b, ca.has_dob, ~cb.has_dob, step=6, label="zonder geboortedatum")
    # Final round: the uncertain proposals for what is still free (review queue).
    tick(7, "voorstellen ordenen")
    if pool:
        assign(*(np.concatenate([p[x] for p in pool]) for x in range(4)), final=True)

    certain_a = dup_a >= 0  # duplicates are neither matched nor "only in"
    certain_b = dup_b >= 0
    for m in matches:
        m.status_a, m.status_b = ca.status(m.a), cb.status(m.b)
        if not m.review:
            certain_a[m.a] = certain_b[m.b] = True
        if explain:
            evidence_for, against = _reasons(a[m.a], b[m.b], ca, cb, m)
            m.reasons = evidence_for + m.reasons
            m.against = against + m.against
    tick(8, "klaar")
    return LinkResult(
        n_a=len(a),
        n_b=len(b),
        matches=matches,
        only_a=np.flatnonzero(~certain_a).tolist(),
        only_b=np.flatnonzero(~certain_b).tolist(),
        duplicates_a=[(int(i), int(dup_a[i])) for i in np.flatnonzero(dup_a >= 0)],
        duplicates_b=[(int(j), int(dup_b[j])) for j in np.flatnonzero(dup_b >= 0)],
    )


def _pct(x: float) -> str:
    return f"{round(100 * x)}%"


def _reasons(pa: Person, pb: Person, ca: _Columns, cb: _Columns, m: Match):
    """(evidence for, evidence against) this pair, in Dutch (shown to case workers)."""
    pro: list[str] = []
    con: list[str] = []
    if m.method == REMEMBERED:
        pro.append("eerder bevestigd door een medewerker")
    # Identifiers.
    for label, va, vb in (
        ("BSN", pa.bsn, pb.bsn),
        ("onderwijsnummer", pa.education_number, pb.education_number),
    ):
        if va and vb:
            (pro if va == vb else con).append(f"{label} {'gelijk' if va == vb else 'verschilt'}")
    # Surname.
    core_a, core_b = ca.core(m.a), cb.core(m.b)
    tv_a, tv_b = tussenvoegsel_key(ca.tv(m.a)), tussenvoegsel_key(cb.tv(m.b))
    if not core_a or not core_b:
        con.append("achternaam ontbreekt in één lijst")
    elif core_a == core_b:
        if fold(pa.surname) != fold(pb.surname) or tv_a != tv_b or ca.tv(m.a) != cb.tv(m.b):
            if tv_a == tv_b:
                pro.append(
                    "achternaam gelijk, tussenvoegsel anders geschreven of op een andere plek"
                )
            elif not tv_a or not tv_b:
                pro.append("achternaam gelijk, tussenvoegsel ontbreekt in één lijst")
            else:
                pro.append(
                    f"achternaam gelijk, tussenvoegsel verschilt ({ca.tv(m.a)} / {cb.tv(m.b)})"
                )
        elif (pa.surname or "").strip() != (pb.surname or "").strip():
            pro.append("achternaam gelijk op accenten/hoofdletters na")
        else:
            pro.append("achternaam gelijk")
    else:
        sim = JaroWinkler.normalized_similarity(core_a, core_b)
        if sim >= 0.85:
            pro.append(f"achternaam lijkt sterk ({_pct(sim)}, typefout?)")
        else:
            con.append(f"achternaam verschilt ({_pct(sim)} gelijk)")
    # Given names.
    if ca.no_given[m.a] or cb.no_given[m.b]:
        con.append("voornaam ontbreekt in één lijst")
    elif ca.init_only[m.a] or cb.init_only[m.b]:
        if ca.initials(m.a) == cb.initials(m.b):
            pro.append("initialen komen overeen met de voornamen")
        elif ca.given_init[m.a] == cb.given_init[m.b]:
            pro.append("alleen de eerste initiaal komt overeen")
        else:
            con.append("initialen verschillen")
    elif ca.first(m.a) == cb.first(m.b):
        if (pa.given_names or "").split()[:1] != (pb.given_names or "").split()[:1]:
            pro.append("voornaam gelijk op accenten/hoofdletters na")
        else:
            pro.append("voornaam gelijk")
    else:
        sim = JaroWinkler.normalized_similarity(ca.first(m.a), cb.first(m.b))
        if sim >= 0.75:
            pro.append(f"voornaam lijkt ({_pct(sim)})")
        else:
            con.append(f"voornaam verschilt ({_pct(sim)} gelijk)")
    # Date of birth.
    da, db = pa.date_of_birth, pb.date_of_birth
    if da is None or db is None:
        con.append("geboortedatum ontbreekt in één lijst")
    elif da == db:
        pro.append("geboortedatum gelijk")
    elif swapped(da, db):
        pro.append("geboortedatum met dag en maand verwisseld")
    else:
        con.append(f"geboortedatum wijkt af ({da:%d-%m-%Y} / {db:%d-%m-%Y})")
    # Address.
    i, j = np.array([m.a]), np.array([m.b])
    if ca.dwelling[m.a] and ca.dwelling[m.a] == cb.dwelling[m.b]:
        pro.append("zelfde adres")
    elif _other_municipality(ca, cb, i, j)[0]:
        con.append(f"woont in een andere gemeente ({ca.place_label(m.a)} / {cb.place_label(m.b)})")
    elif ca.dwelling[m.a] and cb.dwelling[m.b]:
        same_place = (ca.muni_code[m.a] and ca.muni_code[m.a] == cb.muni_code[m.b]) or (
            ca.place[m.a] and ca.place[m.a] == cb.place[m.b]
        )
        (pro if same_place else con).append(
            "zelfde gemeente, ander adres" if same_place else "ander adres"
        )
    if m.review and pa.bsn and pa.bsn == pb.bsn:
        con.insert(0, "BSN gelijk, maar naam of geboortedatum verschilt: invoerfout of broer/zus?")
    if m.status_conflict:
        # The normalised status words are Dutch with "_" for spaces (reconciliation.toml).
        shown = (str(st).replace("_", " ") for st in (m.status_a, m.status_b))
        pro.append("status verschilt: {} / {}".format(*shown))
    return pro, con
