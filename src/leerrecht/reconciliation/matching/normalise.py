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
        "vdn",
        "v",  # "v.d.", "v/d", "v d" fold to "v d"
        "d",
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


# Abbreviations in a tussenvoegsel key: "van der", "van den", "van de", "v.d.", "vd", "v/d"
# all become "vd" (which of der/den/de is meant cannot be told from "v.d.").
_TV_ABBREVIATION = {"van": "v", "der": "d", "den": "d", "de": "d", "vd": "vd", "vdn": "vd"}


def tussenvoegsel_key(tussenvoegsel: str) -> str:
    """One key for every spelling of a tussenvoegsel ("v.d." = "vd" = "v/d" = "van der").

    >>> tussenvoegsel_key("v/d") == tussenvoegsel_key("van der") == tussenvoegsel_key("V.D.")
    True
    """
    return "".join(_TV_ABBREVIATION.get(w, w) for w in fold(tussenvoegsel).split())


_INITIALS = re.compile(r"(?:[^\W\d_]{1,3}\.)+[^\W\d_]?")  # "J.", "J.W.", "Th.J.", "Chr."


def split_given(given_names: str) -> tuple[str, str, bool]:
    """(first given name, initials, initials_only) of a given-names field.

    "Jan-Willem Pieter" -> ("jan willem", "jwp", False); "J.W.P." -> ("", "jwp", True);
    multi-letter initials count by their first letter: "Th.J." -> ("", "tj", True).
    """
    raw = (given_names or "").strip()
    if not raw:
        return "", "", False
    # Initials: letters each followed by a dot, or single letters.
    compact = raw.replace(" ", "")
    if _INITIALS.fullmatch(compact):
        letters = "".join(fold(part)[:1] for part in compact.split(".") if part)
        return "", letters, True
    if re.fullmatch(r"(?:[^\W\d_]\s*)+", raw) and all(len(t) == 1 for t in raw.split()):
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


# --------------------------------------------------------------------------- addresses

_POSTCODE = re.compile(r"^(\d{4})\s*([A-Za-z]{2})$")
_HOUSE_NUMBER = re.compile(r"^(\d+)\s*[-/ ]?\s*([A-Za-z0-9]{0,4})")


def postcode_normalise(text: str) -> str:
    """Dutch postcode as "2511AB" (with or without space, any case); "" when not one."""
    match = _POSTCODE.match((text or "").strip())
    return (match.group(1) + match.group(2).upper()) if match else ""


def house_number_normalise(text: str) -> str:
    """ "12", "12a", "12-A", "12 bis" -> "12", "12a", "12a", "12bis"; "" when no number."""
    match = _HOUSE_NUMBER.match((text or "").strip())
    return (match.group(1).lstrip("0") + match.group(2).lower()) if match else ""


def municipality_code_normalise(text: str) -> str:
    """CBS municipality code "GM0518", "gm 518", "518", "0518" -> "0518"; "" when not one."""
    compact = (text or "").strip().upper().replace(" ", "")
    if compact.startswith("GM"):
        compact = compact[2:]
    return compact.zfill(4) if compact.isdigit() and len(compact) <= 4 else ""


# --------------------------------------------------------------------------- articles

# "5a", "5 onder a", "art. 5a", "Artikel 5, onder a", "art 5 sub a Lpw", "15", "3a".
_ARTICLE = re.compile(
    r"^(?:artikel|art)?\s*(\d{1,2})\s*(?:lid\s*\d+\s*)?(?:onder|sub)?\s*([a-z]?)\s*"
    r"(?:leerplichtwet|lpw|lw)?(?:\s*1969)?$"
)


def article_normalise(text: str) -> str:
    """The article of the Leerplichtwet in one form ("5a", "15"); "" when not recognised."""
    lowered = re.sub(r"[,.:;()\-]", " ", (text or "").lower())
    match = _ARTICLE.match(_SPACES.sub(" ", lowered).strip())
    return (match.group(1) + match.group(2)) if match else ""
