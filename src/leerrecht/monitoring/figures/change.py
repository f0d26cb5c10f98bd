"""Year-on-year change as printed in seed 003, Bijlage 6 ("% verandering")."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal


def pct_change(*, old: int, new: int) -> int | None:
    """Whole-percent change from `old` to `new`, rounded half away from zero.

    Returns None when `old` is 0 (a change from nothing has no percentage).
    Seed 003 Bijlage 6: Kop van Noord-Holland 13 -> 40 = +208%; 42 -> 40 = -5%.
    """
    if old == 0:
        return None
    exact = (Decimal(new) - Decimal(old)) * 100 / Decimal(old)
    sign = -1 if exact < 0 else 1
    return sign * int(abs(exact).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def pct_format(value: int | None) -> str:
    """'208%', '-5%', or an en dash when there is no percentage."""
    return "–" if value is None else f"{value}%"
