"""Disclosure control that arithmetic cannot undo (issue 14, finding 4; docs/privacy.md).

A page or export of aggregate figures is a set of counts plus the linear relations a
reader knows between them (a total is the sum of its parts; "definition 3 = definition 1
+ what it adds - what it drops"; every breakdown of the same children sums to the same
number). The rule:

1. Primary suppression: a count below the threshold (from the protocol preset, zero
   included) is shown as "<threshold".
2. Secondary suppression: while some primary cell can still be pinned to one value from
   what is shown (the auditor below propagates value intervals through every relation,
   knowing that a "<5" cell lies in 0..4 and that an "x" cell is at least 5), the smallest
   shown count in a relation with that cell is hidden as "x" too.
   An "x" a reader can still work out exactly (a total whose parts are all shown)
   protects nothing and makes the figures disagree: it is shown after all, unless that
   pins a primary cell (ADR 0192).
3. A percentage is shown only when its numerator and denominator are both shown and both
   at least the threshold; otherwise "x".

No Django here: the report builders declare cells and relations, call `protect()`, and
write `shown` into their tables.
"""

from __future__ import annotations

from dataclasses import dataclass, field

SECONDARY = "x"
_BIG = 10**9


@dataclass(eq=False)
class Cell:
    value: int | None
    shown: object = None  # the value, "<5" or "x" after protect(); None = no figure
    visible: bool = True  # False: implied by the page (e.g. the total of a breakdown)
    hidden: str = ""  # "", "primary", "secondary"

    def __str__(self) -> str:  # notes format cells after protection
        return "" if self.shown is None else str(self.shown)


@dataclass(eq=False)
class Percent:
    numerator: Cell
    denominator: Cell
    text: str  # the formatted percentage
    shown: str = ""

    def __str__(self) -> str:
        return self.shown


@dataclass
class Disclosure:
    threshold: int = 5
    cells: list[Cell] = field(default_factory=list)
    relations: list[list[tuple[int, Cell]]] = field(default_factory=list)
    percents: list[Percent] = field(default_factory=list)

    def count(self, value: int | None) -> Cell:
        cell = Cell(value)
        self.cells.append(cell)
        return cell

    def implied(self, value: int) -> Cell:
        """A number the page does not show but a reader can work out (a common total)."""
        cell = Cell(value, visible=False)
        self.cells.append(cell)
        return cell

    def total(self, total: Cell, parts: list[Cell]) -> None:
        """total = sum(parts)."""
        self.relation([(1, total), *[(-1, p) for p in parts]])

    def relation(self, terms: list[tuple[int, Cell]]) -> None:
        """sum(coefficient * cell) = 0, as a reader could write it down."""
        terms = [(c, cell) for c, cell in terms if cell.value is not None]
        if terms:
            self.relations.append(terms)

    def percent(self, numerator: Cell, denominator: Cell, text: str) -> Percent:
        pct = Percent(numerator, denominator, text)
        self.percents.append(pct)
        return pct

    # ----------------------------------------------------------------------- protection

    def _bounds(self) -> dict[int, tuple[int, int]]:
        """What a reader can deduce: an interval per cell (exact for shown cells)."""
        t = self.threshold
        bounds: dict[int, tuple[int, int]] = {}
        for cell in self.cells:
            if cell.value is None:
                continue
            if cell.hidden == "primary":
                bounds[id(cell)] = (0, t - 1)
            elif cell.hidden == "secondary":
                bounds[id(cell)] = (t, _BIG)
            elif not cell.visible:
                bounds[id(cell)] = (0, _BIG)
            else:
                bounds[id(cell)] = (cell.value, cell.value)
        for _round in range(50):
            changed = False
            for terms in self.relations:
                for j, (cj, xj) in enumerate(terms):
                    # cj * xj = -sum(ci * xi) over the others
                    lo = hi = 0
                    for i, (ci, xi) in enumerate(terms):
                        if i == j:
                            continue
                        a, b = bounds[id(xi)]
                        lo, hi = lo + min(-ci * a, -ci * b), hi + max(-ci * a, -ci * b)
                    if cj < 0:
                        lo, hi = -hi, -lo
                    old = bounds[id(xj)]
                    new = (max(old[0], lo), min(old[1], hi))
                    if new != old and new[0] <= new[1]:
                        bounds[id(xj)] = new
                        changed = True
            if not changed:
                break
        return bounds

    def pinned(self) -> list[Cell]:
        """Primary cells a reader can work out exactly from what is shown."""
        bounds = self._bounds()
        return [
            c for c in self.cells if c.hidden == "primary" and bounds[id(c)][0] == bounds[id(c)][1]
        ]

    def protect(self) -> Disclosure:
        t = self.threshold
        for cell in self.cells:
            if cell.value is not None and cell.value < t and cell.visible:
                cell.hidden = "primary"
        for _round in range(len(self.cells) + 1):
            pinned = self.pinned()
            if not pinned:
                break
            target = pinned[0]
            candidates = [
                cell
                for terms in self.relations
                if any(cell is target for _c, cell in terms)
                for _c, cell in terms
                if cell.visible and not cell.hidden and cell.value is not None
            ]
            if not candidates:  # the relation runs through implied cells: widen the search
                candidates = [
                    cell
                    for terms in self.relations
                    for _c, cell in terms
                    if cell.visible and not cell.hidden and cell.value is not None
                ]
            if not candidates:
                break
            min(candidates, key=lambda c: c.value).hidden = "secondary"
        self._show_derivable()
        return self._render()

    def _show_derivable(self) -> None:
        """Figures must agree: an "x" a reader can work out exactly from what is shown (a
        total whose parts are all shown) protects nothing and contradicts the page; it is
        shown, unless showing it lets a reader pin a primary cell after all."""
        for cell in self.cells:
            if cell.hidden != "secondary":
                continue
            low, high = self._bounds()[id(cell)]
            if low != high:
                continue
            cell.hidden = ""
            if self.pinned():
                cell.hidden = "secondary"

    def _render(self) -> Disclosure:
        t = self.threshold
        for cell in self.cells:
            if cell.value is None:
                cell.shown = None
            elif cell.hidden == "primary":
                cell.shown = f"<{t}"
            elif cell.hidden == "secondary":
                cell.shown = SECONDARY
            else:
                cell.shown = cell.value
        for pct in self.percents:
            ok = all(
                c.value is not None and not c.hidden and c.visible and c.value >= t
                for c in (pct.numerator, pct.denominator)
            )
            pct.shown = pct.text if ok else SECONDARY
        return self


def resolve(value: object) -> object:
    """A report cell after protection: a Cell/Percent becomes what it shows."""
    if isinstance(value, Cell | Percent):
        return value.shown
    return value
