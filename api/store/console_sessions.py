"""The console's sessions ended on the server (`alembic/versions/0019_console_session_ends.py`).

A console session is a signed cookie (`api.http.console.session`): its signature alone would
keep a copied cookie valid until it expires, whatever its owner did. Two records, in the store
every API process shares (no state of a process), end it earlier:

- `console_session_ended`: one row per session signed out, by the session id its cookie
  carries. A row is kept only while a cookie of that session could still be accepted — its
  sign-in less than `console_session_max_minutes` ago — and deleted at the next sign-out after
  that (`end`, `purge`): the table holds at most the sign-outs of the last session lifetime.
- `console_person_sessions`: per person, a generation counter. A session's cookie carries the
  person's generation when it opened; an operator ending every session of that person
  (`maillage console sessions end`) raises it, and every cookie carrying a lower one is refused.
  A counter, not an instant: it holds whatever the clocks of the processes and of the operator's
  machine say. One row per person ever ended, kept (bounded by the registry): deleting it would
  start the counter again from zero and revive cookies of a later generation.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from uuid import UUID

from sqlalchemy import (
    Column,
    ColumnElement,
    DateTime,
    Engine,
    Integer,
    String,
    Table,
    delete,
    exists,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError

from projections.tables import UUID_LEN, metadata

console_session_ended = Table(
    "console_session_ended",
    metadata,
    Column("session_id", String(64), primary_key=True),
    Column("professional_id", String(UUID_LEN), nullable=False),
    Column("signed_in_at", DateTime(timezone=True), nullable=False, index=True),
    Column("ended_at", DateTime(timezone=True), nullable=False),
)

console_person_sessions = Table(
    "console_person_sessions",
    metadata,
    Column("professional_id", String(UUID_LEN), primary_key=True),
    Column("generation", Integer, nullable=False),
    Column("ended_at", DateTime(timezone=True), nullable=False),
)


class SessionEnds:
    """Reads and records the ends of console sessions in the store of `engine`."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def generation(self, person: UUID) -> int:
        """The generation a session of `person` opened now carries."""
        with self.engine.connect() as conn:
            found = conn.execute(
                select(console_person_sessions.c.generation).where(
                    console_person_sessions.c.professional_id == str(person)
                )
            ).scalar()
        return int(found or 0)

    def ended(self, session_id: str, person: UUID, generation: int) -> bool:
        """Whether the session was signed out, or every session of its person ended since it
        opened (one query)."""
        signed_out = exists().where(console_session_ended.c.session_id == session_id)
        current = (
            select(console_person_sessions.c.generation)
            .where(console_person_sessions.c.professional_id == str(person))
            .scalar_subquery()
        )
        with self.engine.connect() as conn:
            row = conn.execute(select(signed_out, current)).one()
        return bool(row[0]) or int(row[1] or 0) > generation

    def end(
        self, session_id: str, person: UUID, signed_in_at: datetime, now: datetime, lasts: timedelta
    ) -> None:
        """Sign one session out (again: nothing more), and forget the sessions signed out that
        no cookie could reopen any more (signed in longer than `lasts` ago)."""
        with self.engine.begin() as conn:
            conn.execute(delete(console_session_ended).where(_over(now, lasts)))
        try:
            with self.engine.begin() as conn:
                conn.execute(
                    insert(console_session_ended).values(
                        session_id=session_id,
                        professional_id=str(person),
                        signed_in_at=signed_in_at,
                        ended_at=now,
                    )
                )
        except IntegrityError:
            pass  # signed out already (a replayed sign-out): it stays ended

    def end_all(self, person: UUID, now: datetime) -> int:
        """End every session of `person` opened until now; the new generation."""
        c = console_person_sessions.c
        for _ in range(3):  # another process may insert the row between our update and insert
            with self.engine.begin() as conn:
                raised = conn.execute(
                    update(console_person_sessions)
                    .where(c.professional_id == str(person))
                    .values(generation=c.generation + 1, ended_at=now)
                    .returning(c.generation)
                ).scalar()
                if raised is not None:
                    return int(raised)
            try:
                with self.engine.begin() as conn:
                    conn.execute(
                        insert(console_person_sessions).values(
                            professional_id=str(person), generation=1, ended_at=now
                        )
                    )
                return 1
            except IntegrityError:
                continue
        raise RuntimeError(f"the console sessions of {person} could not be ended: try again")

    def purge(self, now: datetime, lasts: timedelta) -> int:
        """Forget the sessions signed out that no cookie could reopen; how many."""
        with self.engine.begin() as conn:
            return conn.execute(delete(console_session_ended).where(_over(now, lasts))).rowcount

    def signed_out(self) -> int:
        """How many signed-out sessions are remembered (the table's size)."""
        with self.engine.connect() as conn:
            counted = select(func.count()).select_from(console_session_ended)
            return int(conn.execute(counted).scalar_one())


def _over(now: datetime, lasts: timedelta) -> ColumnElement[bool]:
    return console_session_ended.c.signed_in_at < now - lasts
