"""The small-cell attacker (`domain.disclosure`): what a reader of every published figure can
tell of each withheld one, line by line (bounds narrowed until nothing moves) and lines combined
(`domain.disclosure_algebra`)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from fractions import Fraction

from domain.disclosure_algebra import Row, narrow_rows, reduce, settle
from domain.disclosure_lines import Figure, Line

INFINITY = float("inf")
ALGEBRA_ROUNDS = 5  # line by line, then combined, then line by line again…
MAX_ROUNDS = 200  # narrowings per line and attack, at most; bounds settle long before


def figures(lines: Iterable[Line]) -> list[Figure]:
    seen: dict[int, Figure] = {}
    for line in lines:
        for figure in (line.total, *line.cells):
            seen.setdefault(id(figure), figure)
    return list(seen.values())


def attack(
    lines: Sequence[Line], min_cell: int, *, aware: bool = True, algebra: bool = True
) -> dict[int, tuple[float, float]]:
    """What a reader of every published figure can tell of each figure: (lowest, highest), by
    `id` of the figure. A published figure is its value; a withheld one starts from what the
    rule tells of it (`aware`: which are small; else only that it is at least 1), then every
    line narrows its figures until nothing moves."""
    k = min_cell
    bounds: dict[int, tuple[float, float]] = {}
    for figure in figures(lines):
        if not figure.suppressed:
            bounds[id(figure)] = (figure.value, figure.value)
        elif not aware:
            bounds[id(figure)] = (1, INFINITY)
        elif figure.suppressed == "small":
            bounds[id(figure)] = (1, k - 1 if figure.value < k else INFINITY)
        elif figure.suppressed == "complementary":
            bounds[id(figure)] = (k, INFINITY)
        else:
            bounds[id(figure)] = (1, INFINITY)
    open_lines = [line for line in lines if any(f.suppressed for f in (line.total, *line.cells))]
    touching: dict[int, list[int]] = {}  # figure id -> indexes of the open lines it is in
    for n, line in enumerate(open_lines):
        for figure in (line.total, *line.cells):
            touching.setdefault(id(figure), []).append(n)
    _propagate(open_lines, touching, bounds, range(len(open_lines)))
    # then the lines combined (`algebra`), and line by line again, until neither tells more
    for _ in range(ALGEBRA_ROUNDS if algebra else 0):
        moved = narrow_rows(_combined(open_lines, bounds), bounds)
        if not moved:
            break
        _propagate(open_lines, touching, bounds, {n for f in moved for n in touching[f]})
    return bounds


def _propagate(
    lines: Sequence[Line],
    touching: dict[int, list[int]],
    bounds: dict[int, tuple[float, float]],
    start: Iterable[int],
) -> None:
    """Narrow line by line (`settle`): a line is narrowed again only when one of its figures
    moved."""
    settle(start, lambda n: _narrow(lines[n], bounds), touching, MAX_ROUNDS * max(len(lines), 1))


def _combined(
    lines: Sequence[Line], bounds: dict[int, tuple[float, float]]
) -> list[tuple[Row, Fraction]]:
    """The exact lines combined (`domain.disclosure_algebra.reduce`). Figures are numbered in
    the order of the lines, so that the same lines are always combined the same way (never by
    where figures happen to sit in memory): a report is the same whenever it is asked."""
    order = [id(f) for f in figures(lines)]
    number = {figure: n for n, figure in enumerate(order)}
    equations = [
        ({number[f]: c for f, c in terms.items()}, constant)
        for terms, constant in _equations(lines, bounds)
    ]
    return [({order[n]: c for n, c in row.items()}, value) for row, value in reduce(equations)]


def _equations(
    lines: Sequence[Line], bounds: dict[int, tuple[float, float]]
) -> list[tuple[dict[int, int], int]]:
    """The exact lines as equations over the figures not known yet (known ones: constants)."""
    found = []
    for line in lines:
        if line.kind != "sum":
            continue
        terms: dict[int, int] = defaultdict(int)
        constant = 0
        for figure, sign in ((line.total, 1), *((c, -1) for c in line.cells)):
            lo, hi = bounds[id(figure)]
            if lo >= hi:
                constant -= sign * int(lo)
            else:
                terms[id(figure)] += sign
        if terms:
            found.append((dict(terms), constant))
    return found


def _narrow(line: Line, bounds: dict[int, tuple[float, float]]) -> list[int]:
    """Narrow the bounds of one line's figures from one another; the ids of those that moved."""
    changed: list[int] = []
    t_lo, t_hi = bounds[id(line.total)]
    cells = [bounds[id(c)] for c in line.cells]
    sum_lo = sum(lo for lo, _ in cells)
    finite_hi = sum(hi for _, hi in cells if hi < INFINITY)
    unbounded = sum(1 for _, hi in cells if hi == INFINITY)
    # the total from its cells
    new_hi = t_hi if line.kind == "super" else min(t_hi, finite_hi if not unbounded else INFINITY)
    new_lo = t_lo
    if line.kind in ("sum", "super"):
        new_lo = max(t_lo, sum_lo)
    elif line.kind == "union":
        new_lo = max(t_lo, max((lo for lo, _ in cells), default=0))
    if (new_lo, new_hi) != (t_lo, t_hi):
        bounds[id(line.total)] = (new_lo, new_hi)
        t_lo, t_hi = new_lo, new_hi
        changed.append(id(line.total))
    # each cell from the total and the other cells
    for cell, (lo, hi) in zip(line.cells, cells, strict=True):
        if lo == hi:
            continue
        others_unbounded = unbounded - (hi == INFINITY)
        cell_lo = lo
        if not others_unbounded and line.kind != "super":
            cell_lo = max(lo, t_lo - (finite_hi - (hi if hi < INFINITY else 0)))
        cell_hi = hi
        if line.kind in ("sum", "super"):
            cell_hi = min(hi, t_hi - (sum_lo - lo))
        elif line.kind == "union":
            cell_hi = min(hi, t_hi)
        if (cell_lo, cell_hi) != (lo, hi):
            bounds[id(cell)] = (cell_lo, cell_hi)
            changed.append(id(cell))
    return changed
