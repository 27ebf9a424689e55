"""Rebuild: drop and replay the log, every selected projector in one transaction, fast.

The same projectors and handlers as the incremental path, over the log read once, page by page,
and decoded once per event (`projections.rebuild_decode`) — not at all when every projector
rebuilt ignores its class; their rows are kept in memory between pages and written in bulk
(`projections.rebuild_rows`) by each database's fastest path (`projections.rebuild_sink`:
`executemany` on SQLite, `COPY` into fresh tables swapped in on PostgreSQL). The projectors'
positions are locked first and set, with the rows, to the last event replayed — the head when
the rebuild began (`runner.head()`): a follower waiting on them resumes exactly after it, with
whatever was recorded meanwhile.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Protocol

from eventsourcing.utils import resolve_topic
from sqlalchemy import Connection, Engine, update

from domain.timing import Clock
from projections.log_reading import read_mapper
from projections.projector import Projector
from projections.rebuild_decode import fast_reader
from projections.rebuild_rows import RebuildBatch, RebuildRows
from projections.rebuild_sink import sink_for
from projections.tables import projection_tracking


class Replaying(Protocol):
    """What a rebuild needs of the runner (`projections.runner.ProjectionRunner`)."""

    app: Any
    engine: Engine
    clock: Clock

    def head(self) -> int: ...

    def _lock_all(self, conn: Connection, projectors: Sequence[Projector]) -> dict[str, int]: ...


PAGE = 5000  # events read and decoded at a time: a few megabytes
Progress = Callable[[str, int, int], None]


def _needed_by(projectors: Sequence[Projector]) -> Callable[[str], bool]:
    """Whether events of a topic need decoding: not when every projector ignores their class
    (one a projector does not know is decoded, and refused by its `apply` as ever)."""
    known: dict[str, bool] = {}

    def needed(topic: str) -> bool:
        found = known.get(topic)
        if found is None:
            cls = resolve_topic(topic)
            found = known[topic] = any(
                cls in p.handlers or cls not in p.ignored for p in projectors
            )
        return found

    return needed


def replay(
    runner: Replaying,
    projectors: Sequence[Projector],
    progress: Progress | None = None,
    *,
    page: int = PAGE,
    keyed_limit: int = 20_000,
) -> int:
    """Rebuild these projectors' tables from the log; return the position reached."""
    app = runner.app
    head = runner.head()
    read = fast_reader(read_mapper(app))
    needed = _needed_by(projectors)
    tables = [table for projector in projectors for table in projector.tables]
    with runner.engine.begin() as conn:
        runner._lock_all(conn, projectors)
        sink = sink_for(conn, tables)
        rows = RebuildRows(conn, sink, limit=keyed_limit)
        reached = 0
        while True:
            stored = app.recorder.select_notifications(start=reached + 1, limit=page, stop=head)
            if not stored:
                break
            kept = [n for n in stored if needed(n.topic)]
            events = [read(n) for n in kept]
            positions = [n.id for n in kept]
            for projector in projectors:
                batch = RebuildBatch(conn, rows)
                projector.prepare(batch, events)
                apply = projector.apply
                for position, event in zip(positions, events, strict=True):
                    apply(batch, event, position)
                projector.finish(batch)
            rows.page_done()
            reached = stored[-1].id
            if progress is not None:
                for projector in projectors:
                    progress(projector.name, reached, max(head, reached))
        rows.finish()
        sink.finish()
        conn.execute(
            update(projection_tracking)
            .where(projection_tracking.c.name.in_([p.name for p in projectors]))
            .values(position=reached, updated_at=runner.clock())
        )
    return reached
