"""What became of one command's writes, as far as its process can tell, and the fence that ties
them to the command's `Idempotency-Key` claim (`api.store.idempotency`).

An HTTP command runs inside `tracking(fence)`. In the transaction that inserts the command's
events, the recorders (`chained_sqlite`, `chained_postgres`) call the functions below:

- `fence_statement`: with a claim, the claim's row is marked with the log position the events
  reach — on condition that the claim is still this request's (its token). The row and the
  events commit together or not at all; a request whose claim a retry took over (its lease ran
  out) records nothing (`ClaimTakenOverError`, the transaction rolled back).
- `about_to_commit`, then `committed` once the insert returned.

So when the store breaks off in the middle of a command, its outcome is known to be one of:
- `not-recorded`: no transaction of the command reached its commit — nothing of it is stored;
- `unknown`: a commit was sent (or about to be) when the connection broke — it may have landed;
- `recorded`: a transaction committed, what broke came after (the answer was lost).
A retry with the same key settles `unknown` by reading the claim's row (`committed_position`).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from enum import StrEnum


class Outcome(StrEnum):
    NOT_RECORDED = "not-recorded"
    UNKNOWN = "unknown"
    RECORDED = "recorded"


@dataclass(frozen=True)
class Fence:
    """The claim a command runs under: its row, and the token proving it is still ours."""

    scope: str
    key: str
    token: str


@dataclass
class CommandWrites:
    """What the recorders saw of one command's transactions."""

    fence: Fence | None = None
    in_doubt: bool = False  # a commit was sent, or about to be, with no answer yet
    committed: bool = False  # a transaction of the command committed
    position: int | None = None  # the log position its last committed transaction reached

    @property
    def outcome(self) -> Outcome:
        if self.committed:
            return Outcome.RECORDED
        return Outcome.UNKNOWN if self.in_doubt else Outcome.NOT_RECORDED


class ClaimTakenOverError(Exception):
    """The request ran past its claim's lease and a retry with the same key took the claim
    over: this request's writes were rolled back, the retry's answer is the one that counts."""


_current: ContextVar[CommandWrites | None] = ContextVar("maillage_command_writes", default=None)


@contextmanager
def tracking(fence: Fence | None = None) -> Iterator[CommandWrites]:
    """Follow the writes of the command run inside the block (same thread or context)."""
    writes = CommandWrites(fence)
    reset = _current.set(writes)
    try:
        yield writes
    finally:
        _current.reset(reset)


def current() -> CommandWrites | None:
    return _current.get()


FENCE_SQL = (
    "UPDATE {table} SET committed_position = {p} WHERE scope = {p} AND key = {p} AND token = {p}"
)


def fence_statement(position: int) -> tuple[Fence, tuple[int, str, str, str]] | None:
    """The claim to mark in the inserting transaction, with the statement's parameters
    (`FENCE_SQL`), or None when the command runs under no claim."""
    writes = _current.get()
    if writes is None or writes.fence is None:
        return None
    f = writes.fence
    return f, (position, f.scope, f.key, f.token)


def about_to_commit() -> None:
    writes = _current.get()
    if writes is not None:
        writes.in_doubt = True


def committed(ids: Sequence[int] | None) -> None:
    writes = _current.get()
    if writes is not None:
        writes.in_doubt = False
        writes.committed = True
        if ids:
            writes.position = max(ids)


def rolled_back() -> None:
    """The store refused the transaction before committing it (a version conflict)."""
    writes = _current.get()
    if writes is not None:
        writes.in_doubt = False
