"""The network map: which institutions work together, on how many shared beneficiaries, and
under which tie — for a period.

- Nodes: the institutions that acted on a case in the period, and those bound by a tie in force
  in it (a partnership or a formal network), with their sector.
- Edges: two institutions that both acted on the same beneficiaries' cases in the period (the
  weight: how many beneficiaries), or that a tie binds. Each edge is styled by the strongest tie
  between them in the period: a convention signed by every party, a charter signed by every
  party, a formal network both take part in, an informal network whose members acted for both,
  or none. An edge with shared beneficiaries and no tie at all is flagged `unbound`: that is the
  incoherence the map is for.
- Small counts: a weight of 1 to `k − 1` beneficiaries is not given (`weight` null, `few`
  true); the edge is still drawn. The map publishes no total (no node counts, no sum), so no
  withheld weight can be recovered by subtraction.

Partnership suspensions are not taken into account: a convention in force at some point of the
period counts for the whole period.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from itertools import combinations
from typing import Protocol
from uuid import UUID

from domain.reports import MonthRange

TIE_STRENGTH = ("convention", "charter", "formal_network", "informal_network", "none")


@dataclass(frozen=True)
class Tie:
    """A partnership or a network, as the read side keeps it."""

    kind: str  # convention | charter | formal_network | informal_network
    id: UUID
    name: str
    institutions: frozenset[UUID]  # parties, or a formal network's institutions
    professionals: frozenset[UUID]  # an informal network's members
    valid_from: date | None
    valid_until: date | None  # the earliest of its end and its termination or dissolution
    complete: bool  # every party signed (always true for networks)

    def in_force_during(self, period: MonthRange) -> bool:
        if not self.complete:
            return False
        start, end = period.first.first_day, period.last.last_day
        if self.valid_from is not None and self.valid_from > end:
            return False
        return self.valid_until is None or self.valid_until >= start


@dataclass(frozen=True)
class Node:
    institution_id: UUID
    name: str
    sector: str


@dataclass(frozen=True)
class Edge:
    source: UUID
    target: UUID
    weight: int | None  # shared beneficiaries; None when fewer than the threshold
    few: bool
    tie: str  # the strongest, from TIE_STRENGTH
    ties: tuple[str, ...]  # names of every tie between them
    unbound: bool  # shared beneficiaries and no tie at all


@dataclass(frozen=True)
class NetworkMap:
    period: str
    first_month: str
    last_month: str
    min_cell: int
    nodes: tuple[Node, ...]
    edges: tuple[Edge, ...]


class Presence(Protocol):
    """Someone acted on a case for an institution (an `ActFact` is one)."""

    @property
    def case_id(self) -> UUID: ...
    @property
    def institution_id(self) -> UUID: ...
    @property
    def professional_id(self) -> UUID: ...


def network_map(
    period: MonthRange,
    acts: Iterable[Presence],
    institutions: dict[UUID, tuple[str, str]],
    ties: Iterable[Tie],
    *,
    min_cell: int,
) -> NetworkMap:
    """`institutions`: id -> (name, sector); `acts`: those of the period (the caller selects
    them), each institution's presence on a case at least once.

    Institutions are numbered as met, so that the per-case pairs are tuples of small ints (it
    is the hot loop: a few hundred thousand pairs for a département)."""
    order: dict[UUID, int] = {}

    def code(institution: UUID) -> int:
        found = order.get(institution)
        if found is None:
            found = order[institution] = len(order)
        return found

    on_case: dict[UUID, set[int]] = defaultdict(set)
    acted_for: dict[UUID, set[int]] = defaultdict(set)  # professional -> institutions
    for act in acts:
        institution = code(act.institution_id)
        on_case[act.case_id].add(institution)
        acted_for[act.professional_id].add(institution)
    shared: Counter[tuple[int, int]] = Counter()
    present: set[int] = set()
    for insts in on_case.values():
        present |= insts
        shared.update(combinations(sorted(insts), 2))

    bound: dict[tuple[int, int], list[tuple[int, str]]] = defaultdict(list)
    for tie in ties:
        if not tie.in_force_during(period):
            continue
        members = {code(i) for i in tie.institutions}
        for professional in tie.professionals:
            members |= acted_for.get(professional, set())
        if tie.kind != "informal_network":
            present |= {code(i) for i in tie.institutions}
        for pair in combinations(sorted(members), 2):
            bound[pair].append((TIE_STRENGTH.index(tie.kind), tie.name))

    ids = list(order)
    known = {i for i in present if ids[i] in institutions}
    nodes = tuple(
        Node(ids[i], *institutions[ids[i]])
        for i in sorted(known, key=lambda i: (*institutions[ids[i]][::-1], str(ids[i])))
    )
    edges = []
    for a, b in set(shared) | set(bound):
        if a not in known or b not in known:
            continue
        count = shared.get((a, b), 0)
        found = sorted(bound.get((a, b), []))
        few = 0 < count < min_cell
        source, target = sorted((ids[a], ids[b]), key=str)
        edges.append(
            Edge(
                source=source,
                target=target,
                weight=None if few else count,
                few=few,
                tie=TIE_STRENGTH[found[0][0]] if found else "none",
                ties=tuple(dict.fromkeys(name for _, name in found)),
                unbound=count > 0 and not found,
            )
        )
    edges.sort(key=lambda e: (str(e.source), str(e.target)))
    return NetworkMap(
        period=str(period),
        first_month=str(period.first),
        last_month=str(period.last),
        min_cell=min_cell,
        nodes=nodes,
        edges=tuple(edges),
    )
