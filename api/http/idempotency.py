"""`Idempotency-Key` on POSTs: a retried request gets the first answer and records nothing twice.

Every POST route runs its command through `api.http.commands.CommandDep`, which depends on
`claim` below: so the key is handled on the one path every command takes, with what the request
has already established — the principal (verified once) and the body as parsed for the route —
instead of reading the body and verifying the token again in a middleware.

Before the command runs, the key is claimed (a row with no answer yet; the primary key lets one
request claim it), scoped by the caller, for a hash of the method, the path and the canonical
body. A retry with the same key and the same request replays the stored answer (header
`Idempotent-Replayed: true`); with a different request it is refused (422); while the first is
still running it is refused (409). The answer is stored with the key: a recorded command's result
(by `Command.run`), or a refusal (4xx problem) raised on the way, invalid bodies included. A 5xx
answer releases the claim, so the request may be retried — except when the store could not be
reached (`problems.store_failure`): the command may have been recorded as the connection broke,
so the key stays claimed and a retry is refused rather than recorded twice. Keys are kept
`idempotency_ttl_hours`; if a process dies between recording and storing the answer, the claim
stays open until it expires, and the 409 says so.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Annotated

from anyio import to_thread
from fastapi import Depends, FastAPI, Request, Response

from api.http import problems
from api.http.deps import IdempotencyRecordsDep, PrincipalDep
from api.http.problems import PreconditionError
from api.store.idempotency import IdempotencyStore, Stored
from domain.access import Principal

HEADER = "Idempotency-Key"
FIELD = "header.Idempotency-Key"
_VALID_KEY = re.compile(r"^[\x21-\x7e]{1,200}$")
_REPLAYED_HEADERS = ("content-type", "location", "etag", "x-maillage-position")


@dataclass
class Claim:
    """A claimed key, until the answer is stored with it (`keep`) or it is released."""

    records: IdempotencyStore
    scope: str
    key: str
    settled: bool = False

    def keep(self, response: Response) -> None:
        """Store the answer, to be replayed to a retry."""
        kept = {h: v for h, v in response.headers.items() if h in _REPLAYED_HEADERS}
        body = bytes(response.body)
        self.records.complete(self.scope, self.key, response.status_code, kept, body)
        self.settled = True

    def release(self) -> None:
        self.records.release(self.scope, self.key)
        self.settled = True


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
            "an Idempotency-Key is 1 to 200 visible ASCII characters (a UUID is a good one)",
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
    stored = await to_thread.run_sync(records.claim, scope, key, digest)
    if stored is not None:
        if stored.request_hash != digest:
            raise _reused()
        if stored.status_code is None:
            raise _in_progress(stored)
        raise AlreadyAnsweredError(stored.status_code, stored.headers, stored.body)
    claimed = Claim(records, scope, key)
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
    """After a refusal or a failure: keep a refusal, release after a failure — unless the store
    broke off, when the command may have been recorded: the key then stays claimed."""
    answer = problems.answer_for(error)
    if answer.status < 500:
        claimed.keep(problems.render(answer, request))
    elif problems.store_failure(error) is None:
        claimed.release()


def _reused() -> PreconditionError:
    return PreconditionError(
        422,
        "idempotency-key-reused",
        "this Idempotency-Key was used for a different request; use a new key",
        FIELD,
    )


def _in_progress(stored: Stored) -> PreconditionError:
    return PreconditionError(
        409,
        "idempotency-key-in-progress",
        "a request with this Idempotency-Key has not finished (or its process stopped "
        f"after {stored.created_at.isoformat()}): check whether it was recorded before "
        "retrying with a new key",
        FIELD,
        headers={"Retry-After": "1"},
    )


async def replay(request: Request, error: Exception) -> Response:
    assert isinstance(error, AlreadyAnsweredError)
    headers = {**error.headers, "Idempotent-Replayed": "true"}
    return Response(content=error.body, status_code=error.status_code, headers=headers)


def install(app: FastAPI) -> None:
    app.add_exception_handler(AlreadyAnsweredError, replay)
