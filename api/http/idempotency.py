"""`Idempotency-Key` on POSTs: a retried request gets the first answer and records nothing twice.

Before the command runs, the key is claimed (a row with no answer yet; the primary key lets one
request claim it); after, the answer is stored with it. A retry with the same key and the same
request replays the stored answer (header `Idempotent-Replayed: true`); with a different request
it is refused (422); while the first is still running it is refused (409). A 5xx answer releases
the claim, so the request may be retried. Keys are scoped by the caller and kept
`idempotency_ttl_hours`.

If a process dies between recording the command and storing its answer, the claim stays open and
retries are refused until it expires: recording twice would be worse. The 409 says so.
"""

from __future__ import annotations

import hashlib
import json
import random
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from anyio import to_thread
from fastapi import FastAPI, Request, Response
from sqlalchemy import Engine, and_, delete, insert, select, update
from sqlalchemy.exc import IntegrityError
from starlette.datastructures import Headers
from starlette.types import Message, Receive, Scope, Send

from api.http.asgi import HttpMiddleware, read_body, state_of
from api.http.auth import TokenVerifier
from api.http.problems import AuthenticationError, problem_response
from projections.tables import as_utc, idempotency_record

HEADER = "idempotency-key"
_VALID_KEY = re.compile(r"^[\x21-\x7e]{1,200}$")
_REPLAYED_HEADERS = ("content-type", "location", "etag", "x-maillage-position")


@dataclass(frozen=True)
class Stored:
    request_hash: str
    status_code: int | None  # None: the first request has not finished
    headers: dict[str, str]
    body: bytes
    created_at: datetime


class IdempotencyStore:
    def __init__(self, engine: Engine, ttl: timedelta) -> None:
        self.engine = engine
        self.ttl = ttl

    def claim(self, scope: str, key: str, request_hash: str) -> Stored | None:
        """Claim the key (None), or return what is already stored under it."""
        t = idempotency_record
        now = datetime.now(UTC)
        where = and_(t.c.scope == scope, t.c.key == key)
        with self.engine.begin() as conn:
            conn.execute(delete(t).where(where, t.c.created_at < now - self.ttl))
            if random.random() < 0.01:  # noqa: S311 - housekeeping now and then, not security
                conn.execute(delete(t).where(t.c.created_at < now - self.ttl))
        try:
            with self.engine.begin() as conn:
                conn.execute(
                    insert(t).values(
                        scope=scope, key=key, request_hash=request_hash, created_at=now
                    )
                )
            return None
        except IntegrityError:
            pass
        with self.engine.connect() as conn:
            row = conn.execute(select(t).where(where)).mappings().first()
        if row is None:  # expired and removed meanwhile: try once more
            return self.claim(scope, key, request_hash)
        return Stored(
            request_hash=row["request_hash"],
            status_code=row["status_code"],
            headers=json.loads(row["response_headers"] or "{}"),
            body=row["response_body"] or b"",
            created_at=as_utc(row["created_at"]),
        )

    def complete(
        self, scope: str, key: str, status_code: int, headers: dict[str, str], body: bytes
    ) -> None:
        t = idempotency_record
        with self.engine.begin() as conn:
            conn.execute(
                update(t)
                .where(t.c.scope == scope, t.c.key == key)
                .values(
                    status_code=status_code,
                    response_headers=json.dumps(headers),
                    response_body=body,
                )
            )

    def release(self, scope: str, key: str) -> None:
        t = idempotency_record
        with self.engine.begin() as conn:
            conn.execute(delete(t).where(t.c.scope == scope, t.c.key == key))


def _scope(request: Request, verifier: TokenVerifier) -> str | None:
    authorization = request.headers.get("authorization", "")
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token:
        return None
    try:
        principal = verifier.verify(token.strip())
    except AuthenticationError:
        return None
    identity = f"{principal.subject}|{principal.role.value}|{principal.institution_id}"
    return hashlib.sha256(identity.encode()).hexdigest()


class Idempotency(HttpMiddleware):
    """Replays a POST's first answer to a retry with the same `Idempotency-Key`."""

    async def http(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["method"] != "POST":
            await self.app(scope, receive, send)
            return
        request = Request(scope, receive)
        key = request.headers.get(HEADER)
        if key is None:
            await self.app(scope, receive, send)
            return
        if not _VALID_KEY.match(key):
            refusal = problem_response(
                422,
                "invalid-idempotency-key",
                "an Idempotency-Key is 1 to 200 visible ASCII characters (a UUID is a good one)",
                request=request,
                field="header.Idempotency-Key",
            )
            await refusal(scope, receive, send)
            return
        caller = _scope(request, request.app.state.verifier)
        if caller is None:  # not authenticated: the route answers 401 and records nothing
            await self.app(scope, receive, send)
            return
        store: IdempotencyStore = request.app.state.idempotency
        body, receive = await read_body(scope, receive)
        digest = hashlib.sha256(
            b"\n".join([scope["method"].encode(), scope["path"].encode(), body])
        ).hexdigest()
        stored = await to_thread.run_sync(store.claim, caller, key, digest)
        if stored is not None:
            await _answer_from(stored, digest, request)(scope, receive, send)
            return
        answer: list[Message] = []

        async def keep(message: Message) -> None:
            answer.append(message)

        try:
            await self.app(scope, receive, keep)
        except BaseException:
            await to_thread.run_sync(store.release, caller, key)
            raise
        status: int = answer[0]["status"]
        if status >= 500:
            if state_of(scope).get("error_rule") != "store-unavailable":
                await to_thread.run_sync(store.release, caller, key)
            # else: the store broke off mid-command and may have recorded it. The key stays
            # claimed, so a retry with it is refused (409) and never records it twice.
        else:
            headers = Headers(raw=answer[0]["headers"])
            kept = {h: v for h, v in headers.items() if h in _REPLAYED_HEADERS}
            content = b"".join(m.get("body", b"") for m in answer[1:])
            await to_thread.run_sync(store.complete, caller, key, status, kept, content)
        for message in answer:
            await send(message)


def install(app: FastAPI) -> None:
    app.add_middleware(Idempotency)


def _answer_from(stored: Stored, digest: str, request: Request) -> Response:
    if stored.request_hash != digest:
        return problem_response(
            422,
            "idempotency-key-reused",
            "this Idempotency-Key was used for a different request; use a new key",
            request=request,
            field="header.Idempotency-Key",
        )
    if stored.status_code is None:
        return problem_response(
            409,
            "idempotency-key-in-progress",
            "a request with this Idempotency-Key has not finished (or its process stopped "
            f"after {stored.created_at.isoformat()}): check whether it was recorded before "
            "retrying with a new key",
            request=request,
            field="header.Idempotency-Key",
            headers={"Retry-After": "1"},
        )
    headers = dict(stored.headers)
    headers["Idempotent-Replayed"] = "true"
    return Response(content=stored.body, status_code=stored.status_code, headers=headers)
