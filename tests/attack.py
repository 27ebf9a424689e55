"""An attacker on published reports: it gathers every report a reader may obtain and solves, by
linear programming (`scipy.optimize.linprog`), for the smallest and largest value each withheld
figure can take given everything published.

What it knows and uses:
- within a report, each line's cells add up to its total (lines may share a total);
- over time (calendar grid), a quarter's count of acts is the sum of its months', a year's of
  its quarters'; a count of beneficiaries followed is at most the sum of its parts and at least
  each of them; newly opened, at least each part's; already open, at most their sum;
- over scopes, a partnership's or network's figure is at most the sum of its member
  institutions' own figures (members: the institutions its "interventions by institution" line
  names) — and, as a worst case, exactly that sum where it truly is (the attacker guesses it;
  `truth` says where a guess is right);
- a withheld figure is at least 1 (zeros are published).

A figure is *pinned* when one integer value only is left between its bounds.
"""

from __future__ import annotations

import math
import random
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from scipy.optimize import linprog
from scipy.sparse import csr_matrix

# lines sharing a total
GROUP = {
    "beneficiaries": "beneficiaries",
    "institutions_per_beneficiary": "beneficiaries",
    "interventions_by_kind": "interventions",
    "interventions_by_institution": "interventions",
    "actions_by_basis": "actions",
    "referrals": "referrals",
}
ADDITIVE = (
    "interventions_by_kind",
    "interventions_by_institution",
    "actions_by_basis",
    "referrals",
)
MEMBER_SUMMED = ("interventions_by_kind", "actions_by_basis", "referrals")

Key = tuple[str, str, str, str, str]  # scope, first month, last month, line (or group), label


def period_of(report: Mapping[str, Any]) -> tuple[str, str]:
    return report["first_month"], report["last_month"]


def cells_of(report: Mapping[str, Any]) -> dict[Key, int | None]:
    """Every figure of a report by key: a line's total under its group and label `total`."""
    scope = str(report["scope_id"])
    first, last = period_of(report)
    found: dict[Key, int | None] = {}
    for line in report["lines"]:
        found[(scope, first, last, GROUP[line["name"]], "total")] = line["total"]["value"]
        for cell in line["cells"]:
            found[(scope, first, last, line["name"], cell["label"])] = cell["value"]
    return found


@dataclass
class Attack:
    reports: list[Mapping[str, Any]]
    truth: dict[Key, int] = field(default_factory=dict)  # every figure's true value
    equalities: list[tuple[dict[Key, int], int]] = field(default_factory=list)
    inequalities: list[tuple[dict[Key, int], int]] = field(default_factory=list)  # Σ ≤ b

    def __post_init__(self) -> None:
        self.known: dict[Key, int | None] = {}
        for report in self.reports:
            self.known |= cells_of(report)
        self._within()
        self._over_time()
        self._over_members()

    # --- relations --------------------------------------------------------------------------

    def _eq(self, terms: Iterable[tuple[Key, int]], constant: int = 0) -> None:
        self.equalities.append(self._fold(terms, constant))

    def _le(self, terms: Iterable[tuple[Key, int]], constant: int = 0) -> None:
        """Σ coefficient·figure ≤ constant."""
        self.inequalities.append(self._fold(terms, constant))

    def _fold(self, terms: Iterable[tuple[Key, int]], constant: int) -> tuple[dict[Key, int], int]:
        unknown: dict[Key, int] = defaultdict(int)
        for key, coefficient in terms:
            value = self.known.get(key, 0)  # absent from a published report: zero
            if value is None:
                unknown[key] += coefficient
            else:
                constant -= coefficient * value
        return dict(unknown), constant

    def _within(self) -> None:
        for report in self.reports:
            scope = str(report["scope_id"])
            first, last = period_of(report)
            for line in report["lines"]:
                total = (scope, first, last, GROUP[line["name"]], "total")
                cells = [(scope, first, last, line["name"], c["label"]) for c in line["cells"]]
                self._eq([(total, 1), *((c, -1) for c in cells)])

    def _labels(self, scope: str, periods: list[tuple[str, str]], line: str) -> set[str]:
        return {
            k[4] for k in self.known if k[0] == scope and (k[1], k[2]) in periods and k[3] == line
        }

    def _over_time(self) -> None:
        by_scope: dict[str, set[tuple[str, str]]] = defaultdict(set)
        for report in self.reports:
            by_scope[str(report["scope_id"])].add(period_of(report))
        for scope, periods in by_scope.items():
            for whole in periods:
                parts = _parts(whole)
                if not parts or not all(p in periods for p in parts):
                    continue
                keys = {k[3:] for k in self.known if k[0] == scope and (k[1], k[2]) == whole}
                for line, label in keys:
                    self._relate(
                        (scope, *whole, line, label), [(scope, *p, line, label) for p in parts]
                    )

    def _over_members(self) -> None:
        institutions = {  # a partnership's cell by institution is labelled with its id
            str(r["scope_id"]): str(r["scope_id"])
            for r in self.reports
            if r["scope_kind"] == "institution"
        }
        for report in self.reports:
            if report["scope_kind"] == "institution":
                continue
            tie = str(report["scope_id"])
            period = period_of(report)
            named = [c["label"] for c in _line(report, "interventions_by_institution")["cells"]]
            members = [institutions[n] for n in named if n in institutions]
            have = [m for m in members if (m, *period, "interventions", "total") in self.known]
            for name in named:
                member = institutions.get(name)
                if member in have:
                    self._relate(
                        (tie, *period, "interventions_by_institution", name),
                        [(member, *period, "interventions", "total")],  # type: ignore[list-item]
                    )
            if len(have) != len(named):
                continue  # a member's own report is missing: no upper bound
            for line in MEMBER_SUMMED:
                for label in self._labels(tie, [period], line):
                    self._relate(
                        (tie, *period, line, label), [(m, *period, line, label) for m in have]
                    )
            for group in ("interventions", "actions", "referrals"):
                self._relate(
                    (tie, *period, group, "total"), [(m, *period, group, "total") for m in have]
                )

    def _relate(self, whole: Key, parts: list[Key]) -> None:
        """The strongest relation between a figure and its parts that holds in truth — the one
        an attacker who guesses right would use: a sum; at most the sum and at least each part
        (distinct beneficiaries); at least the sum; at least each part; at most the sum."""
        total = self.truth.get(whole, 0)
        values = [self.truth.get(p, 0) for p in parts]
        minus = [(p, -1) for p in parts]
        if total == sum(values):
            self._eq([(whole, 1), *minus])
            return
        if total < sum(values):
            self._le([(whole, 1), *minus])
        else:
            self._le([(whole, -1), *((p, 1) for p in parts)])
        if total >= max(values, default=0):
            for p in parts:
                self._le([(p, 1), (whole, -1)])

    # --- solving ----------------------------------------------------------------------------

    def withheld(self) -> list[Key]:
        return sorted(k for k, v in self.known.items() if v is None)

    def _system(self) -> tuple[dict[Key, int], Any, list[int], Any, list[int]]:
        if not hasattr(self, "_solved"):
            unknowns = self.withheld()
            index = {k: n for n, k in enumerate(unknowns)}

            def matrix(rows: list[tuple[dict[Key, int], int]]) -> tuple[Any, list[int]]:
                data, row_of, column_of, b = [], [], [], []
                for terms, constant in rows:
                    if not terms:
                        continue
                    for key, coefficient in terms.items():
                        data.append(coefficient)
                        row_of.append(len(b))
                        column_of.append(index[key])
                    b.append(constant)
                if not b:
                    return None, []
                shape = (len(b), len(unknowns))
                return csr_matrix((data, (row_of, column_of)), shape=shape), b

            a_eq, b_eq = matrix(self.equalities)
            a_ub, b_ub = matrix(self.inequalities)
            self._solved = (index, a_eq, b_eq, a_ub, b_ub)
        return self._solved

    def bounds(self, target: Key) -> tuple[float, float]:
        index, a_eq, b_eq, a_ub, b_ub = self._system()
        found = []
        for sign in (1, -1):
            c = [0] * len(index)
            c[index[target]] = sign
            for presolve in (True, False):  # HiGHS's presolve may call unbounded infeasible
                result = linprog(
                    c,
                    A_ub=a_ub,
                    b_ub=b_ub or None,
                    A_eq=a_eq,
                    b_eq=b_eq or None,
                    bounds=(1, None),
                    method="highs",
                    options={"presolve": presolve},
                )
                if result.status != 2:
                    break
            if result.status == 3:  # unbounded
                found.append(math.inf)
                continue
            assert result.status == 0, result.message
            found.append(sign * result.fun)
        return found[0], found[1]

    def free(self, draws: int = 40, seed: int = 0) -> set[Key]:
        """Withheld figures shown *not* pinned cheaply: solutions of the system under random
        objectives (in a large box) in which they take values at least 1 apart."""
        index, a_eq, b_eq, a_ub, b_ub = self._system()
        rng = random.Random(seed)
        low = [math.inf] * len(index)
        high = [-math.inf] * len(index)
        for _ in range(draws):
            c = [rng.choice((-1, 1)) * rng.random() for _ in index]
            result = linprog(
                c,
                A_ub=a_ub,
                b_ub=b_ub or None,
                A_eq=a_eq,
                b_eq=b_eq or None,
                bounds=(1, 10**6),
                method="highs",
            )
            if result.status != 0:
                continue
            for n, value in enumerate(result.x):
                low[n], high[n] = min(low[n], value), max(high[n], value)
        return {k for k, n in index.items() if high[n] - low[n] >= 1 - 1e-6}

    def pinned(self, target: Key) -> bool:
        low, high = self.bounds(target)
        if high == math.inf:
            return False
        return math.ceil(low - 1e-6) >= math.floor(high + 1e-6)


def _line(report: Mapping[str, Any], name: str) -> Mapping[str, Any]:
    return next(line for line in report["lines"] if line["name"] == name)


def _parts(period: tuple[str, str]) -> list[tuple[str, str]]:
    first, last = period
    year, start = int(first[:4]), int(first[5:])
    end = int(last[5:])
    if first[:4] != last[:4]:
        return []
    if (start, end) == (1, 12):
        return [(f"{year}-{m:02d}", f"{year}-{m + 2:02d}") for m in (1, 4, 7, 10)]
    if end == start + 2 and start % 3 == 1:
        return [(f"{year}-{m:02d}", f"{year}-{m:02d}") for m in range(start, end + 1)]
    return []
