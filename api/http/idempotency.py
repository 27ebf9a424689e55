"""`Idempotency-Key` on POSTs: a retried request gets the first answer and records nothing twice.

Every POST route runs its command through `api.http.commands.CommandDep`, which depends on
`claim` below: so the key is handled on the one path every command takes, with what the request
has already established — the principal (verified once) and the body as parsed for the route —
instead of reading the body and verifying the token again in a middleware.

Before the command runs, the key is claimed (a row with no answer yet, a token and a lease; the
primary key lets one request claim it), scoped by the caller, for a hash of the method, the path
and the canonical body. A retry with the same key and the same request replays the stored answer
(header `Idempotent-Replayed: true`); with a different request it is refused (422). The answer
is stored with the key: a recorded command's result (by `Command.run`), or a refusal (4xx
problem) raised on the way, invalid bodies included.

A request that ends without an answer to keep (a 5xx, the store cut off) leaves its claim
according to what became of its writes (`api.store.outcome`): none can have committed — the
claim is released, and a retry runs and records once; a commit was under way or done — the
claim stays, its lease ended, and the next retry settles it from the claim's row, which the
events' own transaction marks: recorded (409 `idempotency-key-recorded`, with the position), or
not (the retry takes the claim over and records once). While a claim's request may still be
running — its lease, `idempotency_lease_seconds` — a retry is refused (409
`idempotency-key-in-progress`, `Retry-After`); when the store cannot say yet whether a commit
landed, 409 `idempotency-outcome-unknown`. A store that is down when the claim must be released
or ended is retried in the background. Keys are kept `idempotency_ttl_hours`.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated

from anyio import to_thread
from fastapi import Depends, FastAPI, Request, Response

from api.http import problems
from api.http.deps import IdempotencyRecordsDep, PrincipalDep
from api.http.problems import PreconditionError
from api.store.idempotency import IdempotencyStore, Stored
from api.store.outcome import ClaimTakenOverError, CommandWrites, Fence, Outcome
from domain.access import Principal
from domain.wording import N_

HEADER = "Idempotency-Key"
FIELD = "header.Idempotency-Key"
_VALID_KEY = re.compile(r"^[\x21-\x7e]{1,200}$")
# A refusal kept is replayed in the language it was worded in (`content-language`).
_REPLAYED_HEADERS = ("content-type", "content-language", "location", "etag", "x-maillage-position")


@dataclass
class Claim:
    """A claimed key, until the answer is stored with it (`keep`) or it is left to a retry."""

    records: IdempotencyStore
    scope: str
    key: str
    token: str
    settled: bool = False
    writes: CommandWrites | None = None  # what the store did of the command (`Command.run`)

    @property
    def fence(self) -> Fence:
        return Fence(self.scope, self.key, self.token)

    def keep(self, response: Response) -> None:
        """Store the answer, to be replayed to a retry."""
        kept = {h: v for h, v in response.headers.items() if h in _REPLAYED_HEADERS}
        body = bytes(response.body)
        self.records.complete(self.scope, self.key, self.token, response.status_code, kept, body)
        self.settled = True

    def release(self) -> None:
        self.records.release(self.scope, self.key, self.token)
        self.settled = True

    def leave(self, *, store_down: bool) -> None:
        """No answer to keep: release the claim if none of the command's writes can have
        committed, else end its lease so that the next retry settles it from the store.
        With the store down, once it answers again."""
        outcome = self.writes.outcome if self.writes is not None else Outcome.NOT_RECORDED
        settle = self.records.release if outcome is Outcome.NOT_RECORDED else self.records.end_lease
        self.settled = True
        if store_down:
            self.records.when_reachable(lambda: settle(self.scope, self.key, self.token))
        else:
            settle(self.scope, self.key, self.token)


class AlreadyAnsweredError(Exception):
    """The request was answered before: its stored answer is the answer."""

    def __init__(self, status_code: int, headers: dict[str, str], body: bytes) -> None:
        super().__init__("replayed")
        self.status_code, self.headers, self.body = status_code, headers, body


async def idempotency_key(request: Request) -> str | None:
    """The key, checked before the request's parameters and body (after the caller and their
    role: `api.http.guard`). Read from the headers, not declared as a parameter: the OpenAPI
    schema documents it once, in the description."""
    key = request.headers.get(HEADER)
    if key is not None and not _VALID_KEY.match(key):
        raise PreconditionError(
            422,
            "invalid-idempotency-key",
            N_("an Idempotency-Key is 1 to 200 visible ASCII characters (a UUID is a good one)"),
            FIELD,
        )
    return key


def scope_of(principal: Principal) -> str:
    """Keys are per caller: another caller's key never replays someone else's answer."""
    identity = f"{principal.subject}|{principal.role.value}|{principal.institution_id}"
    return hashlib.sha256(identity.encode()).hexdigest()


async def request_hash(request: Request) -> str:
    """Method, path and the body as the route parsed it, in a canonical form (key order and
    spacing do not make two requests different). The body was read once, for the route: these
    calls return what it read."""
    body = await request.body()
    canonical = body
    if body:
        try:
            parsed = await request.json()
        except ValueError:  # not JSON: the route answers that; the raw bytes stand for it
            pass
        else:
            canonical = json.dumps(parsed, sort_keys=True, separators=(",", ":")).encode()
    return hashlib.sha256(
        b"\n".join([request.method.encode(), request.scope["path"].encode(), canonical])
    ).hexdigest()


async def claim(
    request: Request,
    key: Annotated[str | None, Depends(idempotency_key)],
    principal: PrincipalDep,
    records: IdempotencyRecordsDep,
) -> AsyncIterator[Claim | None]:
    """Claim the key for this request (None without a key), replay or refuse a retry, and
    store or release the claim according to how the request ends."""
    if key is None:
        yield None
        return
    digest = await request_hash(request)
    scope = scope_of(principal)
    found = await to_thread.run_sync(records.claim, scope, key, digest)
    if isinstance(found, Stored):
        raise _refusal(found, digest, records.clock())
    claimed = Claim(records, scope, key, found)
    try:
        yield claimed
    except Exception as error:
        if not claimed.settled:
            await to_thread.run_sync(_settle, claimed, error, request)
        raise
    if not claimed.settled:  # answered without running a command: nothing was recorded
        await to_thread.run_sync(claimed.release)


ClaimDep = Annotated[Claim | None, Depends(claim)]


def _settle(claimed: Claim, error: Exception, request: Request) -> None:
    """After a refusal or a failure: keep a refusal; after a failure, leave the claim as what
    became of the command's writes allows (`Claim.leave`). A claim taken over is the retry's."""
    if isinstance(error, ClaimTakenOverError):
        claimed.settled = True
        return
    answer = problems.answer_for(error)
    if answer.status < 500:
        claimed.keep(problems.render(answer, request))
    else:
        claimed.leave(store_down=problems.store_failure(error) is not None)


def _reused() -> PreconditionError:
    return PreconditionError(
        422,
        "idempotency-key-reused",
        N_("this Idempotency-Key was used for a different request; use a new key"),
        FIELD,
    )


def _refusal(stored: Stored, digest: str, now: datetime) -> Exception:
    """Why a request cannot run under a key another request claimed first."""
    if stored.request_hash != digest:
        return _reused()
    if stored.status_code is not None:
        return AlreadyAnsweredError(stored.status_code, stored.headers, stored.body)
    if stored.recorded_without_answer and stored.lease_until <= now:  # its request is over
        return PreconditionError(
            409,
            "idempotency-key-recorded",
            N_(
                "the request with this Idempotency-Key was recorded, but its answer was lost "
                "when the store broke off (log position {position}): do not send it again; "
                "read the record (its version or history)"
            ),
            FIELD,
            details={"position": stored.committed_position},
        )
    if stored.undecided:
        return PreconditionError(
            409,
            "idempotency-outcome-unknown",
            N_(
                "the request with this Idempotency-Key was cut off while committing, and the "
                "store cannot tell yet whether it landed: retry shortly with the same key (it "
                "is then recorded once, or said recorded), or read the record"
            ),
            FIELD,
            headers={"Retry-After": "1"},
        )
    wait = max(1, math.ceil((stored.lease_until - now).total_seconds()))
    return PreconditionError(
        409,
        "idempotency-key-in-progress",
        N_(
            "a request with this Idempotency-Key is still running, or was cut off and its "
            "outcome is not settled yet: retry with the same key after {retry_after} s — it is "
            "then answered, recorded once, or said recorded"
        ),
        FIELD,
        headers={"Retry-After": str(wait)},
        details={"retry_after": wait},
    )


async def replay(request: Request, error: Exception) -> Response:
    assert isinstance(error, AlreadyAnsweredError)
    headers = {**error.headers, "Idempotent-Replayed": "true"}
    return Response(content=error.body, status_code=error.status_code, headers=headers)


def install(app: FastAPI) -> None:
    app.add_exception_handler(AlreadyAnsweredError, replay)
