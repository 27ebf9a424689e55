"""The machinery every use case shares: loading by id, deciding the basis, saving with retries.

Optimistic concurrency is the store's: a save whose aggregate version was taken meanwhile fails
with an integrity error. The use case then reloads and decides again, a bounded number of times,
and finally reports a `ConcurrentUpdateError`. Nothing is ever half-written: all aggregates of one
command are saved in one transaction.

Retries alone starve a writer when many hit one hot case at once. So writers to a case take turns
on a lock keyed by the case (`AggregateLocks`: across processes on PostgreSQL and on the SQLite
file); other commands are optimistic first and take the lock of the contended aggregate only to
retry. The lock is about fairness and wasted work, never what keeps the log correct: the version
check in the store does that, and a writer that bypassed the lock could only cause a retry.

The parts live apart: the locks (`domain.usecases.locks`), the unit of work saving a batch in one
transaction (`domain.usecases.unit_of_work`), the If-Match version check
(`domain.usecases.preconditions`), the repository (`domain.usecases.repository`).
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar, TypeVar
from uuid import UUID, uuid4

from eventsourcing.application import (
    AggregateNotFoundError,
    Application,
    ProcessingEvent,
    Repository,
)
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import (
    IntegrityError,
    JSONTranscoder,
    Mapper,
    Recording,
    Transcoder,
)

from domain.basis import BasisDecision
from domain.case import Case
from domain.delegation import Delegation
from domain.errors import ConcurrentUpdateError, NotFoundError
from domain.institution import Institution
from domain.months import DEFAULT_TIME_ZONE, Calendar
from domain.network import Network
from domain.partnership import Partnership
from domain.privacy import (
    STATE_FIELDS,
    EventFields,
    InMemoryKeyring,
    Keyring,
    SealingMapper,
    keys_at_hand,
)
from domain.privacy_keys import sealing_record
from domain.professional import Professional
from domain.timing import TimePolicy
from domain.transcodings import MaillageTranscoder, register_domain_transcodings
from domain.usecases.locks import AggregateLocks, LocalLocks
from domain.usecases.preconditions import check_precondition, expecting
from domain.usecases.repository import ConcurrentRepository
from domain.usecases.sources import RegistrySources
from domain.usecases.unit_of_work import (
    IdentityMap,
    UnitOfWork,
    current_map,
    current_unit,
    deciding_on,
    shared_loads,
    unit_in_progress,
)
from domain.values import Actor, Basis, BasisKind
from domain.wording import N_

__all__ = [
    "AggregateLocks",
    "LocalLocks",
    "Recorded",
    "RegistrySources",
    "UnitOfWork",
    "UseCaseBase",
    "new_id",
]

log = logging.getLogger("maillage.domain")

A = TypeVar("A", bound=Aggregate)

KIND_NAMES: dict[type[Aggregate], str] = {
    Institution: "institution",
    Professional: "professional",
    Delegation: "delegation",
    Partnership: "partnership",
    Network: "network",
    Case: "case",
}


@dataclass(frozen=True)
class Recorded:
    """What a command returns: the aggregate changed, its new version, and how far the log now
    reaches (`position`, the notification id of the last event written), so that a reader can
    wait for the read side to catch up. `entity_id` names a thing created inside the aggregate
    (an intervention, a consent, a referral…)."""

    id: UUID
    version: int
    position: int | None
    entity_id: UUID | None = None


class UseCaseBase(Application[UUID]):
    """Common base of the use-case groups; `domain.application.Maillage` assembles them."""

    snapshotting_intervals: ClassVar[dict[type[Aggregate], int]] = {  # type: ignore[assignment]
        Case: 100,
        Network: 100,
        Partnership: 50,
        Professional: 50,
        Institution: 100,
        Delegation: 50,
    }

    def __init__(
        self,
        env: dict[str, str] | None = None,
        *,
        time_policy: TimePolicy | None = None,
        max_attempts: int = 20,
        locks: AggregateLocks | None = None,
        keyring: Keyring | None = None,
        calendar: Calendar | None = None,
    ) -> None:
        # Before the library builds the mapper, which seals personal data with these keys.
        self.keyring: Keyring = keyring or InMemoryKeyring()
        super().__init__(env)
        # The read side's decoder: personal fields stay sealed, no key is ever asked for.
        self.read_mapper = self._sealing_mapper(opens={})
        self.time = time_policy or TimePolicy()
        self.max_attempts = max_attempts
        self.locks: AggregateLocks = locks or LocalLocks()
        self.calendar = calendar or Calendar.of(DEFAULT_TIME_ZONE)

    def construct_transcoder(self) -> Transcoder:
        transcoder = MaillageTranscoder()
        self.register_transcodings(transcoder)
        return transcoder

    def construct_repository(self) -> Repository[UUID]:
        """The library's repository, configured from its settings, made `ConcurrentRepository`."""
        library = super().construct_repository()
        repository = ConcurrentRepository(
            event_store=library.event_store,
            snapshot_store=library.snapshot_store,
            fastforward=library.fastforward,
            fastforward_skipping=library.fastforward_skipping,
            deepcopy_from_cache=library.deepcopy_from_cache,
        )
        repository.cache = library.cache
        return repository

    def close(self) -> None:
        """Close the store, and whatever the keyring and the locks hold open (connections)."""
        super().close()
        for part in (self.keyring, self.locks):
            closing = getattr(part, "close", None)
            if closing is not None:
                closing()

    def construct_mapper(self) -> Mapper[UUID]:
        return self._sealing_mapper(opens=STATE_FIELDS)

    def _sealing_mapper(self, *, opens: EventFields) -> SealingMapper:
        return SealingMapper(
            self.construct_transcoder(),
            keyring=self.keyring,
            opens=opens,
            cipher=self.factory.cipher(),
            compressor=self.factory.compressor(),
        )

    def _record(self, processing_event: ProcessingEvent[UUID]) -> list[Recording[UUID]]:
        """The library's, noting the keys sealed with from the keyring's memory, for the
        recorder to check in its transaction (`domain.privacy_keys.sealed_from_cache`)."""
        with sealing_record():
            return super()._record(processing_event)

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        register_domain_transcodings(transcoder)

    # --- loading ----------------------------------------------------------------------------

    def load(self, cls: type[A], aggregate_id: UUID, *, field: str | None = None) -> A:
        """Load an aggregate of the given class, or refuse with `NotFoundError`."""
        kind = KIND_NAMES.get(cls, cls.__name__.lower())
        known = current_map(self)
        aggregate: object = known.loaded.get(aggregate_id) if known is not None else None
        if aggregate is None:
            try:
                aggregate = self.repository.get(aggregate_id)
            except AggregateNotFoundError:
                raise NotFoundError(kind, aggregate_id, field=field) from None
            if known is not None:
                known.loaded[aggregate_id] = aggregate
        if not isinstance(aggregate, cls):
            raise NotFoundError(kind, aggregate_id, field=field)
        if isinstance(known, UnitOfWork) and isinstance(aggregate, known.changes):
            return known.hand_out(aggregate)
        return aggregate

    def loads_shared(self) -> AbstractContextManager[IdentityMap]:
        """Within the block (a request: its authorisation, then its command), an aggregate is
        loaded once and reused (`domain.usecases.unit_of_work.IdentityMap`); forgotten when a
        decision fails or its save is refused, so a retry decides on fresh state."""
        return shared_loads(self)

    def check_exists(self, cls: type[Aggregate], ids: Iterable[UUID], *, field: str) -> None:
        for aggregate_id in ids:
            self.load(cls, aggregate_id, field=field)

    # --- saving -----------------------------------------------------------------------------

    def execute(
        self,
        decide: Callable[[], Sequence[Aggregate]],
        *,
        entity_id: UUID | None = None,
        lock: UUID | None = None,
    ) -> Recorded:
        """Run `decide` (load and call the aggregates), save what it returns, retry on conflict.

        The first aggregate returned is the one the command is about. With `lock`, every attempt
        holds that aggregate's lock; without, only the retries do.
        """
        unit = self._unit()
        if unit is not None:  # decided now, saved with the rest of the unit (no lock, no
            # retry: the unit's save checks every version at once, and is redone if refused)
            unit.begin()
            try:
                aggregates = decide()
                check_precondition(aggregates)
            except BaseException:
                unit.undo(self._rebuilt)
                raise
            unit.keep(aggregates)
            return Recorded(
                id=aggregates[0].id,
                version=aggregates[0].version,
                position=None,
                entity_id=entity_id,
            )
        with deciding_on(self) as known:
            if lock is not None:
                with self.locks.hold(lock):
                    return self._attempts(decide, entity_id, known, first=1)
            aggregates = self._decided(decide, known)
            recorded = self._try_save(aggregates, entity_id, known)
            if recorded is not None:
                return recorded
            with self.locks.hold(aggregates[0].id):
                return self._attempts(decide, entity_id, known, first=2)

    def _attempts(
        self,
        decide: Callable[[], Sequence[Aggregate]],
        entity_id: UUID | None,
        known: IdentityMap | None,
        *,
        first: int,
    ) -> Recorded:
        for attempt in range(first, self.max_attempts + 1):
            if attempt > 1:
                log.debug("version conflict, attempt %d", attempt)
                time.sleep(random.uniform(0, 0.0005 * attempt))  # noqa: S311 - jitter only
            recorded = self._try_save(self._decided(decide, known), entity_id, known)
            if recorded is not None:
                return recorded
        raise ConcurrentUpdateError(
            N_("gave up after {attempts} attempts: others kept changing the same record"),
            attempts=self.max_attempts,
        )

    @contextmanager
    def unit_of_work(self, changes: tuple[type[Aggregate], ...] = (Case,)) -> Iterator[UnitOfWork]:
        """Within the block, commands are decided but not saved: `save_unit` saves them all in
        one transaction (an import's batch). Loads see what earlier commands of the unit did."""
        with unit_in_progress(self, UnitOfWork(changes)) as unit:
            yield unit

    def _rebuilt(self, aggregate_id: UUID, kept: list[Any]) -> Aggregate:
        """The aggregate as the store has it before `kept` (events not saved yet), with them."""
        first = kept[0].originator_version
        aggregate = None if first == 1 else self.repository.get(aggregate_id, version=first - 1)
        for event in kept:
            aggregate = event.mutate(aggregate)
        if not isinstance(aggregate, Aggregate):
            raise TypeError(f"events of {aggregate_id} rebuilt no aggregate")
        aggregate.__dict__["_pending_events"] = kept
        return aggregate

    def _unit(self) -> UnitOfWork | None:
        return current_unit(self)

    def save_unit(self, unit: UnitOfWork) -> None:
        """Record every event of the unit in one transaction, the cases' keys fetched (and the
        new ones created) at once. `IntegrityError` if another writer changed one of its
        aggregates meanwhile: nothing of the unit is then recorded."""
        changed = list(unit.changed.values())
        cases = [a.id for a in changed if isinstance(a, Case)]
        with sealing_record(), keys_at_hand(self.keyring, cases):
            self.save(*changed)
        unit.clear()

    def precondition(self, aggregate_id: UUID, version: int | None) -> AbstractContextManager[None]:
        """Run commands only if `aggregate_id` is still at `version` (None: no condition).

        Checked on every attempt against the state the command decides on, so a write that
        slips in between the caller's read and its change is refused (`StaleVersionError`),
        never silently overwritten by a retry (`domain.usecases.preconditions`).
        """
        return expecting(aggregate_id, version)

    @staticmethod
    def _decided(
        decide: Callable[[], Sequence[Aggregate]], known: IdentityMap | None
    ) -> Sequence[Aggregate]:
        try:
            return decide()
        except BaseException:
            if known is not None:
                known.forget()  # it may have changed an aggregate before refusing
            raise

    def _try_save(
        self, aggregates: Sequence[Aggregate], entity_id: UUID | None, known: IdentityMap | None
    ) -> Recorded | None:
        try:
            check_precondition(aggregates)
            recordings = self.save(*aggregates)
        except BaseException as error:
            if known is not None:
                known.forget()  # they may be changed, or stale: the next attempt reloads
            if isinstance(error, IntegrityError):  # another writer changed them: retried
                return None
            raise
        primary = aggregates[0]
        positions = [r.notification.id for r in recordings]
        return Recorded(
            id=primary.id,
            version=primary.version,
            position=max(positions) if positions else None,
            entity_id=entity_id,
        )

    # --- time and basis ---------------------------------------------------------------------

    def occurred(self, occurred_at: datetime | None) -> datetime:
        return self.time.check_occurred_at(occurred_at)

    def decide_basis(
        self,
        case: Case,
        actor: Actor,
        action_kind: str,
        at: datetime,
        delegation_id: UUID | None = None,
        professional: Professional | None = None,
    ) -> Basis:
        """The basis of an action on `case`; a named delegation must cover it or is refused."""
        if delegation_id is not None:
            delegation = self.load(Delegation, delegation_id, field="delegation_id")
            delegation.check_covers(
                professional_id=actor.professional_id,
                institution_id=actor.institution_id,
                at=at,
                action_kind=action_kind,
                case_id=case.id,
            )
            return Basis(BasisKind.DELEGATION, delegation.id)
        return BasisDecision(actor, action_kind, at).explained(
            case, RegistrySources(self, professional)
        )

    def acting_professional(self, actor: Actor, at: datetime) -> Professional:
        professional = self.load(Professional, actor.professional_id, field="professional_id")
        professional.check_acts_for(actor.institution_id, at)
        return professional


def new_id() -> UUID:
    return uuid4()
