"""Small-cell protection of published figures: no figure lets anyone single out a person.

What is protected, exactly:

- A report is made of *lines*: a total and the cells that add up to it (a breakdown). Every cell
  and every total counts something about beneficiaries (beneficiaries, interventions, actions,
  referrals) and knows its *contributors*: the distinct beneficiaries behind it.
- **Primary suppression**: a total or a cell with 1 to `k − 1` contributors (`k` =
  `MAILLAGE_REPORT_MIN_CELL`, default 5) is not published, whatever it counts. A figure with no
  contributor (0) is published: it singles out nobody.
- **A suppressed total suppresses its whole breakdown** (zeros aside), in every line that
  shares it (the beneficiaries followed are the total of two lines, the interventions of two).
- **Complementary suppression**: in a line whose total is published, more cells are withheld,
  smallest first, until no small cell can be narrowed down to a single value — even by a reader
  who knows which withheld cells are the small ones (the report does not say), hence their bounds:
  at least 1 (published zeros tell that), at most `k − 1` beneficiaries for a small cell, at
  least `k` for a cell withheld to protect another (`_pinned`). The total minus the published
  cells gives only the sum of the withheld ones, which then splits among them in more than one
  way. When no cell is left to add, the total is withheld too (and with it the breakdown).
- Only *that* a figure is withheld is published, never why (small, or protecting another).
- Shares (percentages) and the median are published only with the figures they derive from
  (the median only when at least `k` beneficiaries are behind it).

What it does not protect: differences between *two reports* (two periods that overlap, or a
partnership and one of its institutions). A funder reaches only what it funds, over its funded
period; combining overlapping reports is a residual risk that the threshold bounds but does not
remove.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

SuppressionReason = Literal["small", "complementary", "total"]


@dataclass
class Figure:
    """One published (or withheld) number, and who is behind it (never published)."""

    label: str
    value: int
    contributors: frozenset[object] = frozenset()
    suppressed: SuppressionReason | None = None

    @property
    def published(self) -> int | None:
        return None if self.suppressed else self.value


@dataclass
class Line:
    """A total and its breakdown: `sum(cell.value for cell in cells) == total.value`."""

    name: str
    total: Figure
    cells: list[Figure] = field(default_factory=list)

    def check(self) -> None:
        if sum(c.value for c in self.cells) != self.total.value:
            raise ValueError(f"line {self.name}: cells do not add up to the total")


def protect(lines: Sequence[Line], min_cell: int) -> None:
    """Mark the figures of `lines` to withhold (in place), as the module docstring says.

    Lines may share a total (the same `Figure` object)."""
    every: list[Figure] = [f for line in lines for f in (line.total, *line.cells)]
    for figure in every:
        figure.suppressed = None
    if min_cell <= 1:
        return
    for figure in every:
        if 0 < len(figure.contributors) < min_cell:
            figure.suppressed = "small"
    changed = True
    while changed:
        changed = False
        for line in lines:
            if line.total.suppressed:
                for cell in line.cells:
                    if not cell.suppressed and cell.value > 0:
                        cell.suppressed = "total"
                        changed = True
                continue
            if not _complete(line, min_cell):
                line.total.suppressed = "total"
                changed = True


def _complete(line: Line, min_cell: int) -> bool:
    """Add complementary suppressions to a line with a published total; False if that cannot
    protect its cells (the total must go too)."""
    while any(_pinned(line, primary, min_cell) for primary in line.cells):
        candidates = [c for c in line.cells if not c.suppressed and c.value > 0]
        if not candidates:
            return False
        smallest = min(candidates, key=lambda c: c.value)
        smallest.suppressed = "complementary"
    return True


def _pinned(line: Line, cell: Figure, k: int) -> bool:
    """Whether a reader who knows the published figures, the rule, *and which withheld cells
    are below the threshold* can narrow `cell` (one of those) down to a single value.

    Such a reader knows of every withheld cell a lower bound — 1 (zeros are published), or `k`
    for a cell withheld only to protect another (it has at least `k` beneficiaries behind it,
    each counted at least once) — and, in a line counting beneficiaries, an upper bound `k − 1`
    for a small one. The line's total minus its published cells gives the sum of the withheld
    ones; the cell ranges between that sum minus the others' upper bounds and that sum minus
    their lower bounds, capped by its own bounds."""
    if cell.suppressed != "small":
        return False
    people = all(f.value == len(f.contributors) for f in (line.total, *line.cells))
    hidden = [c for c in line.cells if c.suppressed and c is not cell]
    rest = cell.value + sum(c.value for c in hidden)
    small = [c.suppressed == "small" for c in hidden]
    low = rest - sum(k - 1 if s and people else rest for s in small)
    high = rest - sum(1 if s else k for s in small)
    if people:
        high = min(high, k - 1)
    return high <= max(low, 1)
