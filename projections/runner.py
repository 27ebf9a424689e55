"""Running the projectors over the log: catch up, follow, rebuild, lag, wait for a position.

Written here rather than with `eventsourcing.projection.ProjectionRunner`, which processes one
event per transaction and needs a subscription (SQLite has none): we read the notification log in
pages, apply a page as one batch, and write the projector's position in the same transaction as
its rows. A crash mid-batch rolls the whole batch back; a restart resumes from the last committed
position. Events at or below the position are never applied again.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from threading import Event

from eventsourcing.application import Application
from eventsourcing.domain import DomainEvent
from sqlalchemy import Connection, Engine, bindparam, select, update

from domain.timing import Clock, utc_now
from projections.batch import Batch, insert_new
from projections.catalog import PROJECTORS
from projections.log_reading import event_reader
from projections.projectors import Projector
from projections.rebuild import replay
from projections.tables import projection_tracking

log = logging.getLogger("maillage.projections")

Progress = Callable[[str, int, int], None]  # (projector name, position reached, head)
# (position known, timeout in seconds) -> returns once the log may have grown past that position,
# or when the timeout passes, or when the follower is asked to stop (`follow`).
Waiter = Callable[[int, float], object]


@dataclass(frozen=True)
class Lag:
    name: str
    position: int
    head: int

    @property
    def behind(self) -> int:
        return max(self.head - self.position, 0)


class UnknownProjectionError(ValueError):
    pass


# Built once: building a statement per step cost more CPU than running it (SQLAlchemy's
# coercions), and a step runs on every commit the follower wakes for.
_NAMED = projection_tracking.c.name.in_(bindparam("names", expanding=True))
_POSITIONS = select(projection_tracking.c.name, projection_tracking.c.position).where(_NAMED)
_LOCKED = _POSITIONS.order_by(projection_tracking.c.name).with_for_update()
_TOUCH = update(projection_tracking).where(_NAMED).values(name=projection_tracking.c.name)
_MOVE = (
    update(projection_tracking)
    .where(_NAMED)
    .values(position=bindparam("reached"), updated_at=bindparam("stamp"))
)


class ProjectionRunner:
    def __init__(
        self,
        app: Application,  # type: ignore[type-arg]
        engine: Engine,
        projectors: Sequence[Projector] = PROJECTORS,
        *,
        batch_size: int = 1000,
        clock: Clock = utc_now,
    ) -> None:
        self.app = app
        self.engine = engine
        self.projectors = {p.name: p for p in projectors}
        self.batch_size = batch_size
        self.clock = clock  # stamps `updated_at` on the positions (the service's time policy)

    def select(self, names: Iterable[str] | None) -> list[Projector]:
        if not names:
            return list(self.projectors.values())
        unknown = [n for n in names if n not in self.projectors]
        if unknown:
            raise UnknownProjectionError(
                f"unknown projection(s) {', '.join(unknown)}; known: {', '.join(self.projectors)}"
            )
        return [self.projectors[n] for n in names]

    # --- positions --------------------------------------------------------------------------

    def head(self) -> int:
        return self.app.recorder.max_notification_id() or 0

    def position(self, name: str) -> int:
        with self.engine.connect() as conn:
            found = conn.execute(
                select(projection_tracking.c.position).where(projection_tracking.c.name == name)
            ).scalar()
        return int(found or 0)

    def lag(self) -> list[Lag]:
        head = self.head()
        return [Lag(name, at, head) for name, at in self.positions(self.projectors).items()]

    def wait_for(self, position: int, *, timeout: float = 2.0, interval: float = 0.005) -> bool:
        """Read-your-writes: wait until every projector has reached `position` (bounded)."""
        deadline = time.monotonic() + timeout
        while True:
            if all(at >= position for at in self.positions(self.projectors).values()):
                return True
            if time.monotonic() >= deadline:
                return False
            time.sleep(interval)

    # --- applying ---------------------------------------------------------------------------

    def _locked_position(self, conn: Connection, name: str) -> int:
        query = (
            select(projection_tracking.c.position)
            .where(projection_tracking.c.name == name)
            .with_for_update()
        )
        found = conn.execute(query).scalar()
        if found is None:  # first run: two workers may both get here; one row results
            conn.execute(
                insert_new(conn, projection_tracking).values(
                    name=name, position=0, updated_at=self.clock()
                )
            )
            found = conn.execute(query).scalar()
        return int(found or 0)

    def _page(self, after: int) -> list[tuple[int, DomainEvent]]:
        """The next page of the log after `after`, decoded (personal fields left sealed)."""
        notifications = self.app.recorder.select_notifications(
            start=after + 1, limit=self.batch_size
        )
        read = event_reader(self.app)
        return [(n.id, read(n)) for n in notifications]

    def _advance(
        self,
        conn: Connection,
        projectors: Sequence[Projector],
        positions: dict[str, int],
        page: list[tuple[int, DomainEvent]] | None = None,
    ) -> int:
        """Apply the next page of the log to every projector behind it, in the transaction of
        `conn`: each projector's rows and new position together. The page is read and decoded
        once for all of them — before the transaction, by `_step`, or here. Returns the position
        reached (the lowest one if nothing new)."""
        start = min(positions.values())
        events = self._page(start) if page is None else page
        if not events:
            return start
        reached = events[-1][0]
        moved: list[str] = []
        for projector in projectors:
            after = positions[projector.name]
            if after >= reached:
                continue
            batch = Batch(conn)
            fresh = [(position, e) for position, e in events if position > after]
            projector.prepare(batch, [e for _, e in fresh])
            for position, event in fresh:
                projector.apply(batch, event, position)
            projector.finish(batch)
            batch.flush()
            positions[projector.name] = reached
            moved.append(projector.name)
        if moved:  # every projector's position with its rows, in one statement
            conn.execute(_MOVE, {"names": moved, "reached": reached, "stamp": self.clock()})
        return reached

    def _lock_all(self, conn: Connection, projectors: Sequence[Projector]) -> dict[str, int]:
        if conn.dialect.name == "sqlite":
            # SQLite has no row locks and the driver begins a transaction lazily: write first,
            # so this transaction holds the database's write lock before it reads a position
            # (two followers then take turns instead of applying the same page twice).
            conn.execute(_TOUCH, {"names": [p.name for p in projectors]})
        # Locked in the order of their names, so that two workers never wait on each other
        # crosswise; a projector's first run inserts its row.
        names = sorted(p.name for p in projectors)
        found = dict(conn.execute(_LOCKED, {"names": names}).all())
        for name in names:
            if name not in found:
                found[name] = self._locked_position(conn, name)
        return {p.name: int(found[p.name] or 0) for p in projectors}

    def positions(self, names: Iterable[str]) -> dict[str, int]:
        wanted = list(names)
        with self.engine.connect() as conn:
            found = dict(conn.execute(_POSITIONS, {"names": wanted}).all())
        return {name: int(found.get(name) or 0) for name in wanted}

    def _step(self, projectors: Sequence[Projector]) -> tuple[dict[str, int], dict[str, int]]:
        """One page for the projectors behind, in one transaction: their positions before and
        after it (the same when there was nothing new).

        The page is read before the transaction takes its locks: on SQLite that lock is the
        database's one write lock, and waiting for a connection of the event store's pool
        while holding it deadlocks against writers holding those connections and waiting for
        it. Positions only grow, so the page read after the positions seen then still holds
        everything after the positions locked now (whatever another follower applied meanwhile
        is skipped, event by event)."""
        seen = self.positions(p.name for p in projectors)
        page = self._page(min(seen.values()))
        if not page:
            return seen, seen
        with self.engine.begin() as conn:
            positions = self._lock_all(conn, projectors)
            if min(positions.values()) >= min(seen.values()):
                self._advance(conn, projectors, positions, page)
        return seen, positions

    def run_batch(self, projector: Projector) -> int:
        """One page for one projector, in one transaction; returns the events applied."""
        seen, positions = self._step([projector])
        return max(positions[projector.name] - seen[projector.name], 0)

    def catch_up(self, names: Iterable[str] | None = None, progress: Progress | None = None) -> int:
        """Apply everything recorded since each projector's position, one page per transaction;
        return the positions advanced (summed over projectors)."""
        projectors = sorted(self.select(names), key=lambda p: p.name)
        head = self.head()
        applied = 0
        while True:
            seen, positions = self._step(projectors)
            if positions == seen:
                return applied
            applied += sum(positions[n] - seen[n] for n in positions)
            if progress is not None:
                for name, position in positions.items():
                    progress(name, position, max(head, position))
            if max(positions.values()) - min(seen.values()) < self.batch_size:
                return applied  # a page shorter than a batch: the log's end when it was read

    def follow(self, stop: Event, *, interval: float = 0.05, wake: Waiter | None = None) -> None:
        """Catch up, then wait for the log to grow until `stop` is set (workers and the embedded
        service). With `wake`, a commit wakes the follower at once and `interval` is only the
        slow poll for commits it is not told of; without, it polls every `interval`. Each round
        first asks the log's head (one query): nothing new since the last catch-up, no work."""
        caught_up = -1  # the head the last catch-up started from
        while not stop.is_set():
            try:
                head = self.head()
                if head != caught_up:
                    self.catch_up()
                    caught_up = head
            except Exception:
                log.exception("projection batch failed; retrying")
                stop.wait(1.0)
                continue
            if wake is None:
                stop.wait(interval)
            elif not stop.is_set():
                wake(caught_up, interval)

    def rebuild(self, names: Iterable[str] | None = None, progress: Progress | None = None) -> None:
        """Drop and replay, all selected projectors in one transaction: readers keep seeing the
        previous rows until the new ones are committed (MVCC on PostgreSQL, WAL snapshots on
        SQLite). The log is read once, page by page, its rows written in bulk; memory stays
        bounded (`projections.rebuild`)."""
        projectors = sorted(self.select(names), key=lambda p: p.name)
        reached = replay(self, projectors, progress)
        log.info(
            "projection(s) %s rebuilt up to position %d",
            ", ".join(p.name for p in projectors),
            reached,
        )
