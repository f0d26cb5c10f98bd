"""Validation of Dutch identifiers (pure functions, usable without Django)."""

from __future__ import annotations

_WEIGHTS = (9, 8, 7, 6, 5, 4, 3, 2, -1)


def _eleven_sum(digits: str) -> int:
    return sum(int(d) * w for d, w in zip(digits, _WEIGHTS, strict=True))


def bsn_problem(value: str) -> str | None:
    """Why `value` is not a valid BSN (burgerservicenummer), or None when it is.

    The BSN 11-check ("elfproef"): 9 digits d1..d9 with
    9*d1 + 8*d2 + ... + 2*d8 - 1*d9 divisible by 11 (and not all zeros).
    """
    digits = value.strip()
    if len(digits) == 8 and digits.isdigit():
        digits = "0" + digits  # BSNs with a leading zero are often stored as 8 digits
    if len(digits) != 9 or not digits.isdigit():
        return f"een BSN heeft 9 cijfers, niet {value!r}"
    if digits == "000000000" or _eleven_sum(digits) % 11 != 0:
        return f"{value!r} is geen geldig BSN (elfproef mislukt)"
    return None


def education_number_problem(value: str) -> str | None:
    """Why `value` is not a valid onderwijsnummer, or None when it is.

    The onderwijsnummer (for students without a BSN) is 9 digits that fail the BSN check
    in one specific way: the weighted sum leaves remainder 5 after division by 11.
    """
    digits = value.strip()
    if len(digits) != 9 or not digits.isdigit():
        return f"een onderwijsnummer heeft 9 cijfers, niet {value!r}"
    if _eleven_sum(digits) % 11 != 5:
        return f"{value!r} is geen geldig onderwijsnummer (rest na elfproef is niet 5)"
    return None


# The ONE identifier normaliser for every list and side file (docs/reconciliation.md): cells
# come from CSV exports and Excel, which drops leading zeros ("10000008" for "010000008"),
# writes numbers as floats ("10000008.0") and lets people type spaces, dots and dashes.
IDENTIFIER_KINDS = ("bsn", "education_number", "brin")
_SEPARATORS = str.maketrans("", "", " .-_\u00a0")


def identifier_digits(value: str) -> str:
    """A BSN/onderwijsnummer cell as typed or exported, cleaned but not checked.

    Separators removed, an Excel float ("10000008.0") undone and one lost leading zero
    restored (8 digits -> 9). Used to look a number up as well as to read list cells.
    """
    text = str(value or "").strip()
    if text.endswith(".0") and text[:-2].isdigit():  # Excel number written as a float
        text = text[:-2]
    digits = text.translate(_SEPARATORS)
    if digits.isdigit() and len(digits) == 8:  # one leading zero lost
        digits = "0" + digits
    return digits


def identifier_normalise(kind: str, value: str) -> tuple[str, str | None]:
    """(normalised value, problem) of one identifier cell; ("", None) for an empty cell.

    BSN and onderwijsnummer: separators removed, a lost leading zero restored (Excel drops
    it: 8 digits) and then the check of the kind applied, so a repaired number is
    only accepted when it is valid. BRIN: 2 digits + 2 letters/digits ("12AB"), optionally
    with a 2-digit vestigingsnummer ("12AB00"), upper case.
    """
    if kind not in IDENTIFIER_KINDS:
        raise ValueError(f"unknown identifier kind {kind!r}")
    raw = str(value or "").strip()
    if not raw:
        return "", None
    if kind == "brin":
        code = raw.replace(" ", "").upper()
        shape_ok = len(code) in (4, 6) and code[:2].isdigit() and code[2:4].isalnum()
        if shape_ok and (len(code) == 4 or code[4:].isdigit()):
            return code, None
        return "", f"{raw!r} is geen BRIN-nummer (twee cijfers en twee tekens, bijv. 12AB)"
    digits = identifier_digits(raw)
    check = bsn_problem if kind == "bsn" else education_number_problem
    problem = check(digits)
    if problem:
        label = "BSN" if kind == "bsn" else "onderwijsnummer"
        if len(digits) != 9 or not digits.isdigit():
            return "", f"een {label} heeft 9 cijfers, niet {raw!r}"
        return "", problem.replace(repr(digits), repr(raw))
    return digits, None
