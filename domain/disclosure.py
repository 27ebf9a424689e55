"""Small-cell protection of published figures: no figure lets anyone single out a person — not
in one report, and not by combining every report one reader can obtain.

What is protected, exactly:

- Figures are tied together by *lines*. A line of a report is a total and the cells that add up
  to it (a breakdown). Reports are also tied to one another (`domain.report_family` builds those
  lines): a quarter's figure is the sum of its months' (the year's, of its quarters'), or, for
  a count of distinct beneficiaries, at most that sum and at least each of them; a partnership's
  or a network's figure is at most the sum of its member institutions' own figures — and exactly
  that sum when the members act only on the beneficiaries they follow together, a case an
  attacker may guess, so that it is then treated as known.
- Every figure counts something about beneficiaries and knows its *contributors*: the distinct
  beneficiaries behind it (never published).
- **Primary suppression**: a figure with 1 to `k − 1` contributors (`k` =
  `MAILLAGE_REPORT_MIN_CELL`, default 5) is not published, whatever it counts. A figure with no
  contributor (0) is published: it singles out nobody.
- **A suppressed total of a report's line suppresses its whole breakdown** (zeros aside), in
  every line of the report that shares it.
- **Complementary suppression, decided over the whole family at once**: an attacker is
  simulated. They know every published figure of the family, every line, and of each withheld
  figure what the rule tells: at least 1 (zeros are published); at least `k` for one withheld to
  protect another; at most `k − 1` for a small one that counts people (the report does not say
  which is which; the attacker is granted it anyway). From the lines they narrow every withheld
  figure to an interval (bounds propagated line by line until nothing moves). While a small
  figure is narrowed to a single value, more figures are withheld in the lines that pin it —
  the smallest published cell of each (it is never a figure already known elsewhere), or the
  line's total when no cell is left.
- Only *that* a figure is withheld is published, never why (small, or protecting another).
- Shares (percentages) and the median are published only with the figures they derive from
  (the median only when at least `k` beneficiaries are behind it).

Bounds propagation is not a complete solver: a combination of several lines solved together (a
linear programme) can in principle narrow a figure further than line-by-line bounds do. The
tests attack the published families with a linear programme (`tests/unit/test_report_family.py`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from domain.disclosure_attack import attack, figures
from domain.disclosure_lines import Figure, Line, LineKind, SuppressionReason, strongest

__all__ = [
    "Figure",
    "Line",
    "LineKind",
    "SuppressionReason",
    "protect",
    "strongest",
]


def protect(lines: Sequence[Line], min_cell: int, frozen: Iterable[Figure] = ()) -> None:
    """Mark the figures of `lines` to withhold (in place), as the module docstring says.

    Lines may share figures (the same `Figure` object). `frozen` figures were decided before
    (reports already published): they keep their decision and are never withheld now."""
    fixed = {id(f) for f in frozen}
    every = figures(lines)
    free = [f for f in every if id(f) not in fixed]
    for figure in free:
        figure.suppressed = None
    if min_cell <= 1:
        return
    for figure in free:
        if 0 < len(figure.contributors) < min_cell:
            figure.suppressed = "small"
    containing: dict[int, list[Line]] = {}
    for line in lines:
        for cell in line.cells:
            containing.setdefault(id(cell), []).append(line)
    totals_of: dict[int, list[Line]] = {}
    for line in lines:
        totals_of.setdefault(id(line.total), []).append(line)
    shield = _Shield(containing, totals_of, fixed)
    small = [f for f in every if f.suppressed == "small"]
    given_up: set[int] = set()  # pinned whatever is withheld around them: see "What remains"
    while True:
        _cascade(lines, fixed)
        shield.bounds = _knowledge(lines, min_cell, algebra=False)
        pinned = [f for f in small if shield.known(f) and id(f) not in given_up]
        if not pinned:  # line by line tells nothing more: combine the lines
            shield.bounds = _knowledge(lines, min_cell, algebra=True)
            pinned = [f for f in small if shield.known(f) and id(f) not in given_up]
            if not pinned:
                return
        for figure in pinned:
            if shield.hide(figure) or shield.hide_nearby(figure):
                continue
            # nothing left to hide in the lines pinning it: withhold those lines whole
            added = False
            for line in (*containing.get(id(figure), ()), *totals_of.get(id(figure), ())):
                for other in (line.total, *line.cells):
                    if shield.free(other):
                        other.suppressed = "total"
                        added = True
            if not added:
                given_up.add(id(figure))


def _knowledge(
    lines: Sequence[Line], min_cell: int, *, algebra: bool
) -> dict[int, tuple[float, float]]:
    """What the attacker knows, as the tightest of two readers': one who knows which withheld
    figures are small (bounds `1..k − 1`, `≥ k` for the others), line by line within each
    report — and one who does not (every withheld figure at least 1), over every line."""
    within = [line for line in lines if line.cascade and not line.total.suppressed]
    aware = attack(within, min_cell, aware=True, algebra=False)
    bounds = attack(lines, min_cell, aware=False, algebra=algebra)
    for figure, (lo, hi) in aware.items():
        low, high = bounds[figure]
        bounds[figure] = (max(lo, low), min(hi, high))
    return bounds


def _cascade(lines: Sequence[Line], fixed: set[int]) -> None:
    changed = True
    while changed:
        changed = False
        for line in lines:
            if line.cascade and line.total.suppressed:
                for cell in line.cells:
                    if not cell.suppressed and cell.value > 0 and id(cell) not in fixed:
                        cell.suppressed = "total"
                        changed = True


class _Shield:
    """Withholds more figures around one the attacker pins down."""

    def __init__(
        self,
        containing: dict[int, list[Line]],
        totals_of: dict[int, list[Line]],
        fixed: set[int],
    ) -> None:
        self.containing = containing
        self.totals_of = totals_of
        self.fixed = fixed
        self.bounds: dict[int, tuple[float, float]] = {}

    def known(self, figure: Figure) -> bool:
        low, high = self.bounds[id(figure)]
        return low >= high

    def free(self, figure: Figure) -> bool:
        """Published, non-zero, and not decided before: may be withheld now."""
        return not figure.suppressed and figure.value > 0 and id(figure) not in self.fixed

    def hide(self, figure: Figure, depth: int = 0) -> bool:
        """Withhold one more figure in each line that pins `figure` down (or, when a line's
        total is withheld but known, around that total); whether any was added."""
        added = False
        for line in self.containing.get(id(figure), ()):
            if line.total.suppressed and not self.known(line.total):
                continue  # an unknown total: this line alone does not pin it
            candidate = self._smallest(line.cells, figure)
            if candidate is not None:
                candidate.suppressed = "complementary"
                added = True
            elif self.free(line.total):
                line.total.suppressed = "total"
                added = True
            elif line.total.suppressed and depth < 3:
                added |= self.hide(line.total, depth + 1)
        for line in self.totals_of.get(id(figure), ()):
            if all(self.known(c) for c in line.cells):
                candidate = self._smallest(line.cells, figure)
                if candidate is not None:
                    candidate.suppressed = "complementary"
                    added = True
        return added

    def hide_nearby(self, figure: Figure, depth: int = 4) -> bool:
        """When lines pin `figure` only together: withhold the nearest published figure (then
        the smallest) among the lines reached from it through withheld figures."""
        seen, frontier = {id(figure)}, [figure]
        for _ in range(depth):
            candidates: list[Figure] = []
            following: list[Figure] = []
            for current in frontier:
                near = (*self.containing.get(id(current), ()), *self.totals_of.get(id(current), ()))
                for line in near:
                    for other in (line.total, *line.cells):
                        if id(other) in seen:
                            continue
                        seen.add(id(other))
                        if self.free(other):
                            candidates.append(other)
                        elif other.suppressed:
                            following.append(other)
            if candidates:
                min(candidates, key=lambda c: c.value).suppressed = "complementary"
                return True
            frontier = following
        return False

    def _smallest(self, cells: Iterable[Figure], besides: Figure) -> Figure | None:
        """The smallest cell that may be withheld now."""
        candidates = [c for c in cells if c is not besides and self.free(c)]
        return min(candidates, key=lambda c: c.value, default=None)
