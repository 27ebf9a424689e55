"""Group commit: the commands of a process decide concurrently, then one writer appends what
they decided, a batch at a time, in one transaction.

Why: every command used to wait for its own turn at the store's one writer (SQLite's write lock,
PostgreSQL's lock on the events table, taken so that positions commit in order) and for its own
commit (an fsync). Now a command hands its new events to `GroupCommitter.submit` and waits; the
first waiting thread that finds no batch in progress writes everything queued so far — its own
command and the others' — then wakes them. A command alone is written at once by its own thread
(no hand-off, no timer); under load, one transaction, one lock and one commit serve many.

Inside a batch each command keeps its own fate (`BatchedRecorder`):
- its events, their links in the log's hash chain (`api.store.integrity`) and the mark of its
  idempotency claim (`api.store.outcome`) are written under a SAVEPOINT of their own: a version
  conflict or a claim taken over rolls back that command alone (it then reloads and decides
  again, as before), the others go on;
- the chain's head is read once per batch and extended command after command;
- acknowledged still means committed: a command returns only once the batch's COMMIT returned.
  A failure before the COMMIT was sent leaves every command of the batch not recorded; a failure
  during it leaves them in doubt (`outcome.unknown`), as a single command's was.

Each command's part runs in a copy of the submitting thread's context (`contextvars`), so what
the request set there — its idempotency fence (`api.store.outcome`) — is what its part sees,
whichever thread writes the batch.
"""

from __future__ import annotations

import contextvars
import copy
import logging
import threading
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Any, TypeVar
from uuid import UUID

from eventsourcing.persistence import (
    DatabaseError,
    IntegrityError,
    InterfaceError,
    OperationalError,
    PersistenceError,
    StoredEvent,
)

from api.store import outcome
from api.store.commit_signal import CommitSignal
from api.store.integrity import links
from api.store.keyring import found_dead, sealed_from_cache
from domain.errors import BeneficiaryErasedError, MaillageError

log = logging.getLogger("maillage.store")

T = TypeVar("T")


@dataclass(eq=False)
class Submission:
    """One command's events, waiting for a batch; then its positions or its error."""

    events: Sequence[StoredEvent]
    context: contextvars.Context = field(default_factory=contextvars.copy_context)
    ids: list[int] | None = None
    error: BaseException | None = None
    done: bool = False

    def run(self, fn: Callable[..., T], *args: Any) -> T:
        """Run `fn` as the submitting command would: in (a copy of) its context."""
        return self.context.run(fn, *args)


class GroupCommitter:
    """Takes commands' events and has them written in batches by `write`, one batch at a time.

    `write(batch)` must settle every submission it is given (positions or error). There is no
    writer thread: a waiting command's own thread writes the next batch."""

    def __init__(self, write: Callable[[list[Submission]], None], *, max_batch: int = 256) -> None:
        self._write = write
        self._max_batch = max_batch
        self._queue: list[Submission] = []
        self._writing = False
        self._turn = threading.Condition()

    def submit(self, events: Sequence[StoredEvent]) -> list[int]:
        mine = Submission(events)
        with self._turn:
            self._queue.append(mine)
            while not mine.done:
                if self._writing:
                    self._turn.wait()
                    continue
                batch = self._queue[: self._max_batch]
                del self._queue[: self._max_batch]
                self._writing = True
                self._turn.release()
                try:
                    self._write_settled(batch)
                finally:
                    self._turn.acquire()
                    for submission in batch:
                        submission.done = True
                    self._writing = False
                    self._turn.notify_all()
        if mine.error is not None:
            raise mine.error
        assert mine.ids is not None
        return mine.ids

    def _write_settled(self, batch: list[Submission]) -> None:
        try:
            self._write(batch)
        except BaseException as error:  # each waiting command raises its own copy
            for submission in batch:
                if submission.error is None:
                    submission.error = _own_copy(error)
            if not isinstance(error, Exception):
                raise
        for submission in batch:
            if submission.ids is None and submission.error is None:  # pragma: no cover
                submission.error = RuntimeError("the batch left a command unsettled")


def _own_copy(error: BaseException) -> BaseException:
    try:
        own = copy.copy(error)
    except Exception:  # pragma: no cover - an exception that cannot be copied
        return error
    own.__cause__ = error.__cause__
    return own


class BatchedRecorder:
    """The batch algorithm both chained recorders share; each supplies its dialect's steps."""

    commit_signal: CommitSignal
    _committer: GroupCommitter

    def _start_batching(self) -> None:
        self.commit_signal = CommitSignal()
        self._committer = GroupCommitter(self._write_batch)

    # --- the dialect's steps ----------------------------------------------------------------

    def _batch_connection(self) -> AbstractContextManager[Any]:
        raise NotImplementedError

    def _begin_batch(self, conn: Any) -> Any:
        """Begin the batch's transaction (taking the writers' lock); return a cursor."""
        raise NotImplementedError

    def _chain_head(self, cursor: Any) -> bytes:
        raise NotImplementedError

    def _insert_events(self, cursor: Any, events: Sequence[StoredEvent]) -> list[int]:
        raise NotImplementedError

    def _append_links(self, cursor: Any, rows: list[tuple[int, bytes]]) -> None:
        raise NotImplementedError

    def _mark_claim(self, cursor: Any, position: int) -> None:
        """Mark the command's idempotency claim with `position`, or raise
        `outcome.ClaimTakenOverError` if it is no longer this request's."""
        raise NotImplementedError

    def _savepoint(self, cursor: Any, statement: str) -> None:
        raise NotImplementedError

    def _dead_keys(self, cursor: Any, key_ids: frozenset[UUID]) -> set[UUID]:
        """Those of the beneficiaries' keys the command sealed with from this process's memory
        that are no longer live (`api.store.keyring.dead_sealing_keys`)."""
        raise NotImplementedError

    def _is_conflict(self, error: Exception) -> bool:
        raise NotImplementedError

    def _commit_batch(self, conn: Any) -> None:
        raise NotImplementedError

    def _rollback_batch(self, conn: Any) -> None:
        raise NotImplementedError

    def _check_pooled_connections(self) -> None:
        """Drop the pool's dead connections (after a database restart)."""

    # --- the algorithm ----------------------------------------------------------------------

    def _write_batch(self, batch: list[Submission]) -> None:
        """Write `batch` in one transaction; settle what each command's part became. A pooled
        connection found dead at the batch's first statement (the database restarted since it
        was last used: no pre-ping checks it out) is replaced once — nothing was sent yet."""
        try:
            try:
                written = self._write_batch_once(batch)
            except _DeadOnArrivalError:
                log.info("a pooled connection to the store was dead: the batch takes another")
                self._check_pooled_connections()
                written = self._write_batch_once(batch)
        except _CommitFailedError as failed:  # sent: its commands stay in doubt (`outcome`)
            raise failed.error from failed.__cause__
        except _DeadOnArrivalError as dead:
            self._settle_not_recorded(batch)
            raise dead.error from dead.__cause__
        except BaseException as error:
            self._settle_not_recorded(batch)
            raise library_error(error) from error
        if not written:
            return
        for submission in written:
            submission.run(outcome.committed, submission.ids)
        self.commit_signal.committed(max(max(s.ids or [0]) for s in written))
        if len(batch) > 1:
            log.debug("group commit: %d commands in one transaction", len(batch))

    def _write_batch_once(self, batch: list[Submission]) -> list[Submission]:
        with self._batch_connection() as conn:
            try:
                cursor = self._begin_batch(conn)
            except Exception as error:
                mapped = library_error(error)
                if isinstance(mapped, OperationalError | InterfaceError):
                    raise _DeadOnArrivalError(mapped) from error
                raise
            try:
                written = self._write_commands(cursor, batch)
            except BaseException:
                _quietly(lambda: self._rollback_batch(conn))
                raise
            if not written:
                self._rollback_batch(conn)
                return written
            try:
                self._commit_batch(conn)
            except Exception as error:  # rolled back, in case it did not land: nothing left open
                _quietly(lambda: self._rollback_batch(conn))
                raise _CommitFailedError(library_error(error)) from error
            return written

    @staticmethod
    def _settle_not_recorded(batch: list[Submission]) -> None:
        """No commit was sent: none of the batch is stored (the server rolls back an open
        transaction whose connection is gone)."""
        for submission in batch:
            if submission.error is None:
                submission.run(outcome.rolled_back)

    def _write_commands(self, cursor: Any, batch: list[Submission]) -> list[Submission]:
        """Each command's part under a SAVEPOINT of its own — but for a command alone, whose
        conflict rolls back the whole transaction anyway (two round trips fewer)."""
        previous = self._chain_head(cursor)
        apart = len(batch) > 1
        written = []
        for submission in batch:
            if apart:
                self._savepoint(cursor, "SAVEPOINT maillage_command")
            try:
                ids, head = submission.run(self._write_command, cursor, submission.events, previous)
            except Exception as error:
                if not (self._is_conflict(error) or isinstance(error, ClaimTakenOver | Refused)):
                    raise
                if apart:
                    self._savepoint(cursor, "ROLLBACK TO SAVEPOINT maillage_command")
                    self._savepoint(cursor, "RELEASE SAVEPOINT maillage_command")
                submission.run(outcome.rolled_back)
                submission.error = (
                    error
                    if isinstance(error, ClaimTakenOver | Refused)
                    else IntegrityError(str(error))
                )
                continue
            if apart:
                self._savepoint(cursor, "RELEASE SAVEPOINT maillage_command")
            submission.ids, previous = ids, head
            written.append(submission)
        return written

    def _write_command(
        self, cursor: Any, events: Sequence[StoredEvent], previous: bytes
    ) -> tuple[list[int], bytes]:
        """One command's part of the batch, in its own context: its events, their links, the
        mark on its claim. Returns its positions and the chain's new head."""
        sealed_with = sealed_from_cache()
        if sealed_with:
            dead = self._dead_keys(cursor, sealed_with)
            if dead:  # destroyed by another process since this one read it: erased
                found_dead(dead)
                raise BeneficiaryErasedError.of_case(min(dead))
        ids = self._insert_events(cursor, events)
        rows = links(previous, ids, events)
        self._append_links(cursor, rows)
        if outcome.fence_statement(0) is not None:
            self._mark_claim(cursor, max(ids))
        outcome.about_to_commit()
        return ids, rows[-1][1]


ClaimTakenOver = outcome.ClaimTakenOverError
Refused = MaillageError  # a rule found broken at commit (a key erased meanwhile): the command's own


class _BatchError(Exception):
    def __init__(self, error: BaseException) -> None:
        super().__init__(str(error))
        self.error = error


class _DeadOnArrivalError(_BatchError):
    """The batch's first statement found its pooled connection dead: nothing was sent."""


class _CommitFailedError(_BatchError):
    """The COMMIT was sent and failed: whether it landed is not known."""


_LIBRARY_ERRORS = (
    (IntegrityError, "IntegrityError"),
    (OperationalError, "OperationalError"),
    (InterfaceError, "InterfaceError"),
    (DatabaseError, "DatabaseError"),
)


def library_error(error: BaseException) -> BaseException:
    """A driver's error (sqlite3's, psycopg's: both follow the DB-API's names) as the event
    store library's — what use cases and `api.http.problems` know; any other error as it is."""
    if isinstance(error, PersistenceError) or not isinstance(error, Exception):
        return error
    names = {cls.__name__ for cls in type(error).__mro__}
    if "Error" not in names or type(error).__module__.startswith("api."):
        return error
    for ours, name in _LIBRARY_ERRORS:
        if name in names:
            return ours(str(error))
    return error


def _quietly(step: Callable[[], None]) -> None:
    try:
        step()
    except Exception:  # the connection may be gone: the server then rolls back by itself
        log.debug("rollback after a failed batch did not go through", exc_info=True)
