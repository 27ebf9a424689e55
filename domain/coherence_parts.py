"""The parts of a case's coherence facts (`domain.coherence_facts.CaseFacts`): its actors, its
correctable acts, its shares, the acts resting on a dated basis or outside a delegation, the
acknowledgements — plain values the reducers fold and the rules read (`domain.coherence_alerts`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple
from uuid import UUID

from domain.case_values import stands_on_latest
from domain.events import EventRef
from domain.values import Actor, Basis, OutsideDelegation


@dataclass
class ActorFacts:
    """A professional acting on the case for an institution; `basis` is that of their latest act."""

    professional_id: UUID
    institution_id: UUID
    role: str
    basis: Basis
    joined_at: datetime
    joined: EventRef
    last_action_at: datetime
    last_action: EventRef
    left_at: datetime | None = None
    left: EventRef | None = None
    # The latest of their acts no correction can change, their joining included (what their
    # last action falls back on when a later act is annulled or dated earlier).
    settled_at: datetime | None = None
    settled: EventRef | None = None
    settled_basis: Basis | None = None

    @property
    def active(self) -> bool:
        return self.left_at is None

    def settle(self, at: datetime, ref: EventRef, basis: Basis) -> None:
        if self.settled_at is None or stands_on_latest(self.settled_at, at):
            self.settled_at, self.settled, self.settled_basis = at, ref, basis


class ActFacts(NamedTuple):
    """An act that may be corrected or annulled (an intervention, a meeting, a share), by its
    id: its event (version and type, of this case), when it occurred — as corrected —, who did
    it and on what basis. A tuple: a case's document keeps one per act, compact."""

    version: int
    type: str
    occurred_at: datetime
    professional_id: UUID
    institution_id: UUID
    basis: Basis


@dataclass(frozen=True)
class ShareFacts:
    ref: EventRef
    occurred_at: datetime
    from_institution_id: UUID
    to_institution_id: UUID
    categories: tuple[str, ...]
    consent_ids: tuple[UUID, ...]
    on_legal_ground: bool  # the ground claimed is sealed (its statements may name people)
    convention_id: UUID | None
    legal_reference: str | None = None  # the ground's statute, from the catalogue (in clear)


@dataclass(frozen=True)
class BasedAction:
    """An act resting on a dated registry entry (a delegation or a convention), kept so that a
    revocation or suspension recorded later, effective earlier, can be checked against it."""

    ref: EventRef
    occurred_at: datetime
    basis: Basis
    by: Actor | None = None


@dataclass(frozen=True)
class OutsideAct:
    """An act whose professional holds a delegation for the case that did not cover it."""

    ref: EventRef
    occurred_at: datetime
    by: Actor
    basis_kind: str  # what the act rested on instead
    outside: OutsideDelegation


@dataclass(frozen=True)
class Acknowledgement:
    """A recorded acknowledgement of an alert about past acts (its note stays sealed in the
    event: it is opened at reading time, for a reader entitled to the case)."""

    ref: EventRef
    alert_kind: str
    versions: tuple[int, ...]
    by: Actor
    occurred_at: datetime
