"""Normalisation of Dutch names and dates for matching (pure functions).

The rules cover the noise seen in lists exchanged between schools, SWV and leerplicht:
missing or extra diacritics, tussenvoegsels in front of the surname, behind it
("Vries, van der") or missing, initials instead of given names, and dates written
day-first or month-first.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

# Dutch (and common foreign) surname prefixes: "tussenvoegsels".
TUSSENVOEGSELS = frozenset(
    [
        "van",
        "de",
        "der",
        "den",
        "het",
        "'t",
        "ter",
        "ten",
        "te",
        "in",
        "op",
        "onder",
        "over",
        "uit",
        "uijt",
        "aan",
        "bij",
        "voor",
        "vd",
        "v.d.",
        "d'",
        "l'",
        "la",
        "le",
        "du",
        "da",
        "dos",
        "das",
        "di",
        "del",
        "della",
        "des",
        "von",
        "zu",
        "zum",
        "vom",
    ]
)

_NON_LETTER = re.compile(r"[^a-z' ]+")
_SPACES = re.compile(r"\s+")


def fold(text: str) -> str:
    """Lower case, without diacritics, hyphens and punctuation as spaces, single spaces."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    stripped = stripped.lower().replace("ß", "ss").replace("ø", "o").replace("æ", "ae")
    stripped = stripped.replace("’", "'").replace("`", "'")
    return _SPACES.sub(" ", _NON_LETTER.sub(" ", stripped)).strip()


def split_surname(surname: str, tussenvoegsel: str = "") -> tuple[str, str]:
    """(core surname, tussenvoegsel) with the prefix taken from front, back or its own field.

    >>> split_surname("Vries, van der")
    ('vries', 'van der')
    >>> split_surname("van der Vries")
    ('vries', 'van der')
    >>> split_surname("Vries", "van der")
    ('vries', 'van der')
    """
    text = surname or ""
    behind = ""
    if "," in text:  # "Vries, van der"
        text, behind = text.split(",", 1)
    tokens = fold(text).split()
    prefix: list[str] = fold(tussenvoegsel).split() + fold(behind).split()
    # Leading prefix words ("van der Vries").
    while len(tokens) > 1 and tokens[0] in TUSSENVOEGSELS:
        prefix.append(tokens.pop(0))
    # Trailing prefix words ("Vries van der").
    trailing: list[str] = []
    while len(tokens) > 1 and tokens[-1] in TUSSENVOEGSELS:
        trailing.insert(0, tokens.pop())
    prefix.extend(trailing)
    return " ".join(tokens), " ".join(prefix)


def split_given(given_names: str) -> tuple[str, str, bool]:
    """(first given name, initials, initials_only) of a given-names field.

    "Jan-Willem Pieter" -> ("jan willem", "jwp", False); "J.W.P." -> ("", "jwp", True).
    """
    raw = (given_names or "").strip()
    if not raw:
        return "", "", False
    # Initials: letters each followed by a dot, or single letters.
    compact = raw.replace(" ", "")
    if re.fullmatch(r"(?:[^\W\d_]\.)+[^\W\d_]?\.?", compact) or (
        re.fullmatch(r"(?:[^\W\d_]\s*)+", raw) and all(len(t) == 1 for t in raw.split())
    ):
        letters = fold(compact.replace(".", " ")).replace(" ", "")
        return "", letters, True
    # Run-together capitals ("JW", "JWP"): initials unless it reads like a short name ("EVA").
    if (
        compact.isalpha()
        and compact.isupper()
        and 2 <= len(compact) <= 3
        and sum(c in "AEIOUY" for c in fold(compact).upper()) <= 1
    ):
        return "", fold(compact), True
    parts = raw.split()
    first = fold(parts[0])
    initials = "".join(t[0] for p in parts for t in fold(p).split() if t)
    return first, initials, False


_DATE_FORMATS = ("%d-%m-%Y", "%Y-%m-%d", "%d/%m/%Y", "%d.%m.%Y", "%Y/%m/%d", "%d%m%Y", "%Y%m%d")


def parse_date(value) -> dt.date | None:
    """A date from a list cell: date objects, Dutch day-first text, ISO text. None if empty.

    Raises ValueError with a Dutch message for text that is not a date.
    """
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    if not text:
        return None
    text = text.split(" ")[0] if re.match(r"^\d{4}-\d{2}-\d{2} \d", text) else text
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    # Two-digit years (dd-mm-yy): children are younger than 25, so 20yy unless in the future.
    match = re.fullmatch(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{2})", text)
    if match:
        day, month, yy = (int(g) for g in match.groups())
        try:
            return dt.date(2000 + yy, month, day)
        except ValueError:
            pass
    raise ValueError(f"{text!r} is geen datum (gebruik dd-mm-jjjj)")


def birth_key(date: dt.date | None) -> tuple[int, int, int] | None:
    """Blocking key that is the same for a date and its day/month-swapped twin."""
    if date is None:
        return None
    low, high = sorted((date.day, date.month))
    return date.year, low, high


def swapped(a: dt.date, b: dt.date) -> bool:
    return a.year == b.year and a.day == b.month and a.month == b.day and a != b


def status_normalise(text: str, words: dict[str, list[str]]) -> str:
    """Map free status text to a small vocabulary ("" when unknown or empty)."""
    folded = fold(text)
    if not folded:
        return ""
    for canonical, synonyms in words.items():
        if folded == canonical or folded in (fold(s) for s in synonyms):
            return canonical
    for canonical, synonyms in words.items():  # longer phrases containing a synonym
        for synonym in synonyms:
            s = fold(synonym)
            if len(s) > 3 and s in folded:
                return canonical
    return folded
