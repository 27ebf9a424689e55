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
import re

from anyio import to_thread
from fastapi import FastAPI, Request, Response
from starlette.datastructures import Headers
from starlette.types import Message, Receive, Scope, Send

from api.http.asgi import HttpMiddleware, read_body, state_of
from api.http.auth import TokenVerifier
from api.http.problems import AuthenticationError, problem_response
from api.store.idempotency import IdempotencyStore, Stored

HEADER = "idempotency-key"
_VALID_KEY = re.compile(r"^[\x21-\x7e]{1,200}$")
_REPLAYED_HEADERS = ("content-type", "location", "etag", "x-maillage-position")


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
