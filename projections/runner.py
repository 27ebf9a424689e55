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
from datetime import UTC, datetime
from threading import Event

from eventsourcing.application import Application
from sqlalchemy import Connection, Engine, delete, insert, select, update

from projections.batch import Batch
from projections.projectors import PROJECTORS, Projector
from projections.tables import projection_tracking

log = logging.getLogger("maillage.projections")

Progress = Callable[[str, int, int], None]  # (projector name, position reached, head)


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


class ProjectionRunner:
    def __init__(
        self,
        app: Application,  # type: ignore[type-arg]
        engine: Engine,
        projectors: Sequence[Projector] = PROJECTORS,
        *,
        batch_size: int = 1000,
    ) -> None:
        self.app = app
        self.engine = engine
        self.projectors = {p.name: p for p in projectors}
        self.batch_size = batch_size

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
        return [Lag(name, self.position(name), head) for name in self.projectors]

    def wait_for(self, position: int, *, timeout: float = 2.0, interval: float = 0.005) -> bool:
        """Read-your-writes: wait until every projector has reached `position` (bounded)."""
        deadline = time.monotonic() + timeout
        while True:
            if all(self.position(name) >= position for name in self.projectors):
                return True
            if time.monotonic() >= deadline:
                return False
            time.sleep(interval)

    # --- applying ---------------------------------------------------------------------------

    def _locked_position(self, conn: Connection, name: str) -> int:
        found = conn.execute(
            select(projection_tracking.c.position)
            .where(projection_tracking.c.name == name)
            .with_for_update()
        ).scalar()
        if found is None:
            conn.execute(
                insert(projection_tracking).values(name=name, position=0, updated_at=_now())
            )
            return 0
        return int(found)

    def _apply_page(self, conn: Connection, projector: Projector, after: int) -> int:
        """Apply the page of events after `after`; return the new position (or `after`)."""
        notifications = self.app.recorder.select_notifications(
            start=after + 1, limit=self.batch_size
        )
        if not notifications:
            return after
        batch = Batch(conn)
        for notification in notifications:
            event = self.app.mapper.to_domain_event(notification)
            projector.apply(batch, event, notification.id)
        projector.finish(batch)
        batch.flush()
        reached = notifications[-1].id
        conn.execute(
            update(projection_tracking)
            .where(projection_tracking.c.name == projector.name)
            .values(position=reached, updated_at=_now())
        )
        return reached

    def run_batch(self, projector: Projector) -> int:
        """One page for one projector, in one transaction; returns the events applied."""
        with self.engine.begin() as conn:
            before = self._locked_position(conn, projector.name)
            after = self._apply_page(conn, projector, before)
        return after - before if after > before else 0

    def catch_up(self, names: Iterable[str] | None = None, progress: Progress | None = None) -> int:
        """Apply everything recorded since each projector's position; return positions advanced."""
        applied = 0
        head = self.head()
        for projector in self.select(names):
            while True:
                with self.engine.begin() as conn:
                    before = self._locked_position(conn, projector.name)
                    reached = self._apply_page(conn, projector, before)
                if reached == before:
                    break
                applied += reached - before
                if progress is not None:
                    progress(projector.name, reached, max(head, reached))
        return applied

    def follow(self, stop: Event, *, interval: float = 0.05) -> None:
        """Catch up, then poll the log until `stop` is set (workers and the embedded service)."""
        while not stop.is_set():
            try:
                self.catch_up()
            except Exception:
                log.exception("projection batch failed; retrying")
                stop.wait(1.0)
                continue
            stop.wait(interval)

    def rebuild(self, names: Iterable[str] | None = None, progress: Progress | None = None) -> None:
        """Drop and replay, in one transaction per projector: readers keep seeing the previous
        rows until the new ones are committed (MVCC on PostgreSQL, WAL snapshots on SQLite)."""
        head = self.head()
        for projector in self.select(names):
            with self.engine.begin() as conn:
                self._locked_position(conn, projector.name)
                for table in projector.tables:
                    conn.execute(delete(table))
                position = 0
                while True:
                    reached = self._apply_page(conn, projector, position)
                    if reached == position:
                        break
                    position = reached
                    if progress is not None:
                        progress(projector.name, reached, max(head, reached))
                if position == 0:
                    conn.execute(
                        update(projection_tracking)
                        .where(projection_tracking.c.name == projector.name)
                        .values(position=0, updated_at=_now())
                    )
            log.info("projection %s rebuilt up to position %d", projector.name, position)


def _now() -> datetime:
    return datetime.now(tz=UTC)
