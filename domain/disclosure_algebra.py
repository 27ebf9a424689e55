"""What the small-cell attacker (`domain.disclosure.attack`) derives by combining lines.

Line by line, bounds miss what two lines tell together: August's and September's cells of one
basis add up to the quarter's minus July's; their totals too; August has one basis only — so
September's other basis is the difference, though no single line gives it. Here the equalities of
every exact line are combined (reduced to row-echelon form, exactly, with fractions), and each
combined equality narrows its figures' bounds like a line does.
"""

from __future__ import annotations

import math
from collections import defaultdict, deque
from collections.abc import Callable, Iterable, Mapping
from fractions import Fraction

Row = dict[int, Fraction]  # figure id -> coefficient
Bounds = dict[int, tuple[float, float]]
INFINITY = float("inf")
EPSILON = 1e-9  # rows are reduced exactly; only their use for bounds is in floating point


def reduce(equations: Iterable[tuple[dict[int, int], int]]) -> list[tuple[Row, Fraction]]:
    """The reduced row-echelon form of `Σ coefficient·figure = constant` equations: each row
    has one pivot figure (coefficient 1) that no other row holds. A figure alone in its row is
    determined."""
    pivots: dict[int, tuple[Row, Fraction]] = {}
    holding: dict[int, set[int]] = defaultdict(set)  # figure -> pivots whose row holds it
    for terms, constant in equations:
        row: Row = {f: Fraction(c) for f, c in terms.items() if c}
        value = Fraction(constant)
        for figure in sorted(f for f in row if f in pivots):
            factor = row.get(figure)
            if not factor:
                continue
            pivot_row, pivot_value = pivots[figure]
            for f, c in pivot_row.items():
                updated = row.get(f, Fraction(0)) - factor * c
                if updated:
                    row[f] = updated
                else:
                    row.pop(f, None)
            value -= factor * pivot_value
        if not row:
            continue
        pivot = min(row, key=lambda f: (len(holding[f]), f))
        scale = row[pivot]
        row = {f: c / scale for f, c in row.items()}
        value /= scale
        for other in sorted(holding[pivot]):
            other_row, other_value = pivots[other]
            factor = other_row[pivot]
            for f, c in row.items():
                updated = other_row.get(f, Fraction(0)) - factor * c
                if updated:
                    if f not in other_row:
                        holding[f].add(other)
                    other_row[f] = updated
                elif f in other_row:
                    del other_row[f]
                    holding[f].discard(other)
            pivots[other] = (other_row, other_value - factor * value)
        pivots[pivot] = (row, value)
        for f in row:
            holding[f].add(pivot)
    return list(pivots.values())


def settle(
    start: Iterable[int],
    narrow: Callable[[int], Iterable[int]],
    holding: Mapping[int, list[int]],
    budget: int,
) -> set[int]:
    """Narrow items (lines, rows) until nothing moves: a worklist, first in first out (every
    item has its turn in each round); `narrow(n)` gives the figures it moved, and the items
    `holding` them are narrowed again. At most `budget` narrowings; the figures moved."""
    moved: set[int] = set()
    pending = deque(start)
    queued = set(pending)
    while pending and budget:
        budget -= 1
        n = pending.popleft()
        queued.discard(n)
        for figure in narrow(n):
            moved.add(figure)
            for other in holding[figure]:
                if other not in queued:
                    queued.add(other)
                    pending.append(other)
    return moved


def narrow_rows(rows: list[tuple[Row, Fraction]], bounds: Bounds, rounds: int = 20) -> set[int]:
    """Narrow bounds from combined equalities (integers: bounds rounded inwards, with a margin
    for floating point); the figures whose bounds moved."""
    plain = [({f: float(c) for f, c in row.items()}, float(value)) for row, value in rows]
    rows_of: dict[int, list[int]] = defaultdict(list)
    for n, (row, _) in enumerate(plain):
        for figure in row:
            rows_of[figure].append(n)

    def narrow(n: int) -> list[int]:
        row, value = plain[n]
        moved = []
        for figure, coefficient in row.items():
            low, high = _rest(row, value, figure, bounds)
            if coefficient < 0:
                low, high = -high, -low
                coefficient = -coefficient
            lo, hi = bounds[figure]
            new_lo = max(lo, math.ceil(low / coefficient - EPSILON)) if low > -INFINITY else lo
            new_hi = min(hi, math.floor(high / coefficient + EPSILON)) if high < INFINITY else hi
            if (new_lo, new_hi) != (lo, hi):
                bounds[figure] = (new_lo, new_hi)
                moved.append(figure)
        return moved

    return settle(range(len(plain)), narrow, rows_of, rounds * max(len(plain), 1))


def _rest(row: dict[int, float], value: float, figure: int, bounds: Bounds) -> tuple[float, float]:
    """Bounds of `value − Σ others' terms`: what the figure's own term may be."""
    low = high = value
    for other, coefficient in row.items():
        if other == figure:
            continue
        lo, hi = bounds[other]
        sign = 1 if coefficient > 0 else -1
        small = coefficient * lo if lo > -INFINITY else -sign * INFINITY
        large = coefficient * hi if hi < INFINITY else sign * INFINITY
        low -= max(small, large)
        high -= min(small, large)
    return low, high
