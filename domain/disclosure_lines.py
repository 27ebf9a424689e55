"""Figures and the lines that tie them, as small-cell protection (`domain.disclosure`) sees
them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

SuppressionReason = Literal["small", "complementary", "total"]
LineKind = Literal["sum", "union", "super", "bound"]


@dataclass(eq=False)
class Figure:
    """One published (or withheld) number, and who is behind it (never published)."""

    label: str
    value: int
    contributors: frozenset[object] = frozenset()
    suppressed: SuppressionReason | None = None

    @property
    def published(self) -> int | None:
        return None if self.suppressed else self.value


@dataclass(eq=False)
class Line:
    """A total and what it is made of.

    - `sum`: the cells add up to the total (a report's breakdown; a quarter and its months for
      a count of acts; a scope and its members when that sum is exact);
    - `union`: the total counts distinct beneficiaries of which each cell counts a part: at most
      the cells' sum, at least each cell (a quarter and its months, counting beneficiaries);
    - `super`: the total is at least the cells' sum (a partnership's acts over a quarter: a
      case its members follow together over the quarter may not be so in any one month);
    - `bound`: the total is at most the cells' sum (a scope and its members' own figures).

    `cascade`: a withheld total withholds the cells (a report's own lines)."""

    name: str
    total: Figure
    cells: list[Figure] = field(default_factory=list)
    kind: LineKind = "sum"
    cascade: bool = True

    def check(self) -> None:
        values = sum(c.value for c in self.cells)
        ok = {
            "sum": values == self.total.value,
            "union": values >= self.total.value >= max((c.value for c in self.cells), default=0),
            "super": self.total.value >= values,
            "bound": values >= self.total.value,
        }[self.kind]
        if not ok:
            raise ValueError(f"line {self.name}: cells do not make up the total ({self.kind})")


def strongest(total: int, cells: Sequence[int]) -> LineKind:
    """The strongest relation `total` and `cells` satisfy — what an attacker who guesses it
    would use."""
    whole, most = sum(cells), max(cells, default=0)
    if total == whole:
        return "sum"
    if most <= total < whole:
        return "union"
    if total > whole:
        return "super"
    return "bound"  # below one of its cells: at most their sum, no more
