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


def bsn_normalise(value: str) -> str:
    digits = value.strip()
    return digits.zfill(9) if digits.isdigit() and len(digits) == 8 else digits


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
