"""Synthetic but valid-format BSNs and onderwijsnummers.

BSN: 9 digits whose weighted sum 9*d1 + 8*d2 + ... + 2*d8 - 1*d9 is divisible by 11
(the same 11-check as leerrecht.registry.validators). An onderwijsnummer leaves remainder 5.
Numbers are produced from an 8-digit prefix by computing the check digit; prefixes whose
check digit would be 10 are skipped. Each generator walks its own prefix range, so numbers
never collide between ranges.
"""

from __future__ import annotations

from collections.abc import Iterator

_WEIGHTS8 = (9, 8, 7, 6, 5, 4, 3, 2)

# Prefix ranges (8 digits). Each range holds 10 million prefixes (about 9.1 million numbers).
BSN_ENROLLED_BASE = 20_000_000
BSN_REGISTER_ONLY_BASE = 30_000_000
EDUCATION_NUMBER_BASE = 10_100_000


def _with_check(prefix: int, remainder: int) -> str | None:
    digits = f"{prefix:08d}"
    total = sum(int(d) * w for d, w in zip(digits, _WEIGHTS8, strict=True))
    # total - d9 = remainder (mod 11)  ->  d9 = total - remainder (mod 11)
    check = (total - remainder) % 11
    return None if check == 10 else f"{digits}{check}"


def numbers(base: int, *, remainder: int, start: int = 0) -> Iterator[str]:
    """Valid numbers from prefix `base + start` upwards (remainder 0: BSN, 5: onderwijsnummer)."""
    prefix = base + start
    while True:
        number = _with_check(prefix, remainder)
        if number is not None and number != "000000000":
            yield number
        prefix += 1
