"""Server-side SVG charts that are accessible without JavaScript.

Every chart is an ``<svg role="img">`` with ``<title>`` and ``<desc>`` (the text
alternative), referenced by ``aria-labelledby``; the same numbers are always rendered as
a table next to it (:attr:`Chart.table`). Colours have a contrast ratio of at least 4.5:1
on white, and series differ by marker shape and dash pattern, not by colour alone.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

# Colours with >= 4.5:1 contrast on white (WCAG 1.4.11 needs 3:1 for graphics).
PALETTE = ("#154273", "#a90000", "#1f6b2e", "#6b3fa0", "#8a4b00")
TEXT = "#1a1a1a"
GRID = "#767676"  # 4.5:1 on white
DASHES = ("", "6 3", "2 3", "8 3 2 3", "4 4")
_ids = itertools.count(1)


def _attr(text: object) -> str:
    return escape(str(text), {'"': "&quot;"})


def nl_number(value: float) -> str:
    """A number the Dutch way: 6.722 (thousands point), 12,5 (decimal comma), -3."""
    if value == int(value):
        return f"{int(value):,}".replace(",", ".")
    return f"{value:,.1f}".replace(",", " ").replace(".", ",").replace(" ", ".")


_num = nl_number


def _unit(unit: str) -> str:
    """A unit after a number: "%" gets a non-breaking space ("-3 %"), as Dutch style wants."""
    return f"\u00a0{unit}" if unit == "%" else unit


def _text_width(text: str, font_size: float = 12) -> float:
    """Rough width of a label in the chart font (average glyph 0.58 em)."""
    return len(text) * font_size * 0.58


def _nice_ticks(lo: float, hi: float, *, count: int = 4) -> list[float]:
    """Round tick values (1, 2, 2.5 or 5 times a power of ten) covering lo..hi."""
    raw = (hi - lo) / count
    magnitude = 10 ** math.floor(math.log10(raw)) if raw > 0 else 1
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    first = math.floor(lo / step) * step
    ticks, v = [], first
    while v < hi + step * 0.5:
        ticks.append(round(v, 10))
        v += step
    return ticks


@dataclass(frozen=True, slots=True)
class Series:
    name: str
    values: Sequence[float | None]


@dataclass(frozen=True, slots=True)
class Chart:
    title: str
    description: str
    svg: str
    # The table behind the chart: header row + data rows.
    columns: tuple[str, ...] = ()
    rows: tuple[tuple, ...] = field(default_factory=tuple)
    # The same chart drawn for a narrow box (a phone), shown instead of `svg` there.
    svg_narrow: str = ""


def _scale(values: Sequence[float], *, include_zero: bool = True) -> tuple[float, float]:
    lo = min([*values, 0.0] if include_zero else values)
    hi = max([*values, 0.0] if include_zero else values)
    if hi == lo:
        hi = lo + 1
    return lo, hi


def _describe(title: str, categories: Sequence[str], series: Sequence[Series], unit: str) -> str:
    parts = []
    for s in series:
        items = ", ".join(
            f"{c}: {'–' if v is None else _num(v) + _unit(unit)}"
            for c, v in zip(categories, s.values, strict=True)
        )
        parts.append(f"{s.name}: {items}" if len(series) > 1 else items)
    return f"{title}. " + "; ".join(parts) + "."


def _table(categories, series, category_label):
    columns = (category_label, *(s.name for s in series))
    rows = tuple((c, *(s.values[i] for s in series)) for i, c in enumerate(categories))
    return columns, rows


def _chart_pair(draw, args: dict, *, wide: dict, narrow: dict) -> Chart:
    """The Chart with its wide and narrow drawings (`draw`) and the table behind it."""
    desc = args["description"] or _describe(
        args["title"], args["categories"], args["series"], args["unit"]
    )
    spec = (args["title"], desc, args["categories"], args["series"], args["unit"])
    spec += (args["target"], args["target_label"])
    columns, rows = _table(args["categories"], args["series"], args["category_label"])
    return Chart(args["title"], desc, draw(*spec, **wide), columns, rows, draw(*spec, **narrow))


def bar_chart(
    *,
    title: str,
    categories: Sequence[str],
    series: Sequence[Series],
    unit: str = "",
    category_label: str = "",
    target: float | None = None,
    target_label: str = "",
    description: str = "",
) -> Chart:
    """Horizontal bars (long category names stay readable), grouped per category.

    Two drawings: a wide one (names left of the bars) and a narrow one for phones (each
    name above its bars), so labels keep their size in any box; CSS shows one of them."""
    return _chart_pair(
        _bar_svg,
        locals(),
        wide={"width": 600, "stacked": False},
        narrow={"width": 340, "stacked": True},
    )


def _bar_svg(
    title, desc, categories, series, unit, target, target_label, *, width: int, stacked: bool
) -> str:
    uid = f"lrchart{next(_ids)}"
    n_series = max(1, len(series))
    bar_h, gap = 14, 8
    name_h = 16 if stacked else 0  # a line for the category name above its bars
    group_h = name_h + n_series * bar_h + gap
    top = 30
    values = [v for s in series for v in s.values if v is not None]
    if target is not None:
        values.append(target)
    lo, hi = _scale(values or [0.0])
    # Room for the category names, and for value labels left of negative bars and right of
    # positive ones, so no label runs over a name or out of the picture.
    value_w = max([_text_width(_num(v) + _unit(unit)) for v in values] or [0]) + 8
    label_w = (
        0 if stacked else min(max([_text_width(str(c)) for c in categories] or [40]) + 12, 240)
    )
    left = max(label_w + (value_w if lo < 0 else 0), 4)
    plot_w = width - left - value_w - 4
    height = top + len(categories) * group_h + 40
    x = lambda v: left + (v - lo) / (hi - lo) * plot_w  # noqa: E731
    variant = "narrow" if stacked else "wide"
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" class="lr-chart lr-chart--{variant}" '
        f'viewBox="0 0 {width} {height}" width="100%" '
        f'aria-labelledby="{uid}-t {uid}-d" font-family="sans-serif" font-size="12">',
        f'<title id="{uid}-t">{escape(title)}</title>',
        f'<desc id="{uid}-d">{escape(desc)}</desc>',
        f'<line x1="{x(0):.1f}" y1="{top - 6}" x2="{x(0):.1f}" y2="{height - 34}" '
        f'stroke="{GRID}" stroke-width="1"/>',
    ]
    for i, cat in enumerate(categories):
        y0 = top + i * group_h
        if stacked:
            out.append(f'<text x="4" y="{y0 + 11}" fill="{TEXT}">{escape(str(cat))}</text>')
        else:
            out.append(
                f'<text x="{label_w - 6}" y="{y0 + n_series * bar_h / 2 + 4:.1f}" '
                f'text-anchor="end" fill="{TEXT}">{escape(str(cat))}</text>'
            )
        for j, s in enumerate(series):
            v = s.values[i]
            if v is None:
                continue
            x0, x1 = sorted((x(0), x(v)))
            yb = y0 + name_h + j * bar_h
            out.append(
                f'<rect x="{x0:.1f}" y="{yb}" width="{max(x1 - x0, 1):.1f}" '
                f'height="{bar_h - 2}" fill="{PALETTE[j % len(PALETTE)]}"/>'
            )
            tx, anchor = (x1 + 4, "start") if v >= 0 else (x0 - 4, "end")
            out.append(
                f'<text x="{tx:.1f}" y="{yb + bar_h - 4}" text-anchor="{anchor}" '
                f'fill="{TEXT}">{_num(v)}{escape(_unit(unit))}</text>'
            )
    if target is not None:
        out.append(
            f'<line x1="{x(target):.1f}" y1="{top - 6}" x2="{x(target):.1f}" '
            f'y2="{height - 34}" stroke="{TEXT}" stroke-width="2" stroke-dasharray="6 3"/>'
            f'<text x="{x(target):.1f}" y="{top - 10}" text-anchor="middle" fill="{TEXT}">'
            f"{escape(target_label or 'norm')} {_num(target)}{escape(_unit(unit))}</text>"
        )
    out.extend(_legend(series, y=height - 14, marker="rect"))
    out.append("</svg>")
    return "".join(out)


def line_chart(
    *,
    title: str,
    categories: Sequence[str],
    series: Sequence[Series],
    unit: str = "",
    category_label: str = "",
    target: float | None = None,
    target_label: str = "",
    description: str = "",
) -> Chart:
    """A trend over ordered categories (quarters, school years); one line per series.

    Drawn wide and narrow (fewer category names) like `bar_chart`."""
    return _chart_pair(_line_svg, locals(), wide={"width": 600}, narrow={"width": 340})


def _line_svg(title, desc, categories, series, unit, target, target_label, *, width: int) -> str:
    uid = f"lrchart{next(_ids)}"
    values = [v for s in series for v in s.values if v is not None]
    if target is not None:
        values.append(target)
    lo, hi = _scale(values or [0.0])
    ticks = _nice_ticks(lo, hi)
    lo, hi = min(lo, ticks[0]), max(hi, ticks[-1])
    # The widest tick label sets the left margin; half the last category name the right.
    left = max(_text_width(_num(t) + _unit(unit)) for t in ticks) + 12
    right = max([_text_width(str(c)) / 2 for c in categories[-1:]] or [0]) + 8
    height, top, bottom = 300, 30, 70
    plot_w, plot_h = width - left - right, height - top - bottom
    n = max(1, len(categories) - 1)
    # Show every k-th category name when they would otherwise overlap.
    widest = max([_text_width(str(c)) for c in categories] or [0]) + 8
    label_every = max(1, math.ceil(widest / (plot_w / n))) if len(categories) > 1 else 1
    x = lambda i: left + i * plot_w / n  # noqa: E731
    y = lambda v: top + (hi - v) / (hi - lo) * plot_h  # noqa: E731
    variant = "wide" if width >= 600 else "narrow"
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" class="lr-chart lr-chart--{variant}" '
        f'viewBox="0 0 {width} {height}" width="100%" '
        f'aria-labelledby="{uid}-t {uid}-d" font-family="sans-serif" font-size="12">',
        f'<title id="{uid}-t">{escape(title)}</title>',
        f'<desc id="{uid}-d">{escape(desc)}</desc>',
    ]
    for v in ticks:  # horizontal grid with round values
        out.append(
            f'<line x1="{left:.1f}" y1="{y(v):.1f}" x2="{width - right:.1f}" y2="{y(v):.1f}" '
            f'stroke="{GRID}" stroke-width="0.5"/>'
            f'<text x="{left - 6:.1f}" y="{y(v) + 4:.1f}" text-anchor="end" fill="{TEXT}">'
            f"{_num(v)}{escape(_unit(unit))}</text>"
        )
    for i, cat in enumerate(categories):
        if i % label_every and i != len(categories) - 1:
            continue
        out.append(
            f'<text x="{x(i):.1f}" y="{height - bottom + 18}" text-anchor="middle" '
            f'fill="{TEXT}">{escape(str(cat))}</text>'
        )
    if target is not None:
        out.append(
            f'<line x1="{left:.1f}" y1="{y(target):.1f}" x2="{width - right:.1f}" '
            f'y2="{y(target):.1f}" stroke="{TEXT}" stroke-width="2" stroke-dasharray="6 3"/>'
            f'<text x="{width - right:.1f}" y="{y(target) - 6:.1f}" text-anchor="end" '
            f'fill="{TEXT}">{escape(target_label or "norm")} {_num(target)}'
            f"{escape(_unit(unit))}</text>"
        )
    for j, s in enumerate(series):
        colour = PALETTE[j % len(PALETTE)]
        points = [(x(i), y(v)) for i, v in enumerate(s.values) if v is not None]
        if len(points) > 1:
            path = " ".join(f"{px:.1f},{py:.1f}" for px, py in points)
            dash = DASHES[j % len(DASHES)]
            dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
            out.append(
                f'<polyline points="{path}" fill="none" stroke="{colour}" '
                f'stroke-width="2.5"{dash_attr}/>'
            )
        for px, py in points:
            out.append(_marker(j, px, py, colour))
    out.extend(_legend(series, y=height - 14, marker="shape"))
    out.append("</svg>")
    return "".join(out)


def _marker(j: int, px: float, py: float, colour: str) -> str:
    shape = j % 3
    if shape == 0:
        return f'<circle cx="{px:.1f}" cy="{py:.1f}" r="4" fill="{colour}"/>'
    if shape == 1:
        return f'<rect x="{px - 4:.1f}" y="{py - 4:.1f}" width="8" height="8" fill="{colour}"/>'
    return (
        f'<polygon points="{px:.1f},{py - 5:.1f} {px + 5:.1f},{py + 4:.1f} '
        f'{px - 5:.1f},{py + 4:.1f}" fill="{colour}"/>'
    )


def _legend(series: Sequence[Series], *, y: int, marker: str) -> list[str]:
    if len(series) < 2:
        return []
    out, cursor = [], 60
    for j, s in enumerate(series):
        colour = PALETTE[j % len(PALETTE)]
        if marker == "rect":
            out.append(
                f'<rect x="{cursor:.1f}" y="{y - 10}" width="12" height="12" fill="{colour}"/>'
            )
        else:
            out.append(_marker(j, cursor + 6, y - 4, colour))
        out.append(f'<text x="{cursor + 18:.1f}" y="{y}" fill="{TEXT}">{escape(s.name)}</text>')
        cursor += 30 + _text_width(s.name)
    return out
