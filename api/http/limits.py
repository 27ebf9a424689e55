"""Bodies larger than the service takes are refused with 413 before they are read whole.

A declared `Content-Length` over the limit is refused at once; a body sent without one (chunked)
is counted as it arrives and refused as soon as it passes the limit. Either way nothing is parsed
and nothing is recorded, and the process never holds more than the limit of one request's body.
"""

from __future__ import annotations

import json
from typing import Any

from api.http.problem_document import PROBLEM_JSON, problem_body
from api.i18n import negotiate
from domain.wording import N_

RULE = "body-too-large"


class BodyTooLargeError(Exception):
    pass


def _is_too_large(error: BaseException) -> bool:
    if isinstance(error, BaseExceptionGroup):
        return error.subgroup(BodyTooLargeError) is not None
    return isinstance(error, BodyTooLargeError)


def _problem(limit: int, language: str) -> bytes:
    detail = N_("the request body exceeds {limit} bytes")
    problem = problem_body(413, RULE, detail, language, values={"limit": limit}, field="body")
    return json.dumps(problem).encode()


def _language(scope: dict[str, Any]) -> str:
    for name, value in scope.get("headers") or []:
        if name == b"accept-language":
            return negotiate(value.decode("latin-1"))
    return negotiate(None)


class BodyLimit:
    """Pure ASGI middleware, so the limit holds before any framework code reads the body."""

    def __init__(self, app: Any, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.max_bytes):
            await self._refuse(send, scope)
            return
        received = 0
        answered = False

        async def counting_receive() -> dict[str, Any]:
            nonlocal received
            message: dict[str, Any] = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise BodyTooLargeError
            return message

        async def watching_send(message: dict[str, Any]) -> None:
            nonlocal answered
            answered = answered or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counting_receive, watching_send)
        except Exception as error:
            # Raised while a middleware read the body, it may come wrapped in a task group's
            # ExceptionGroup.
            if answered or not _is_too_large(error):
                raise
            await self._refuse(send, scope)

    async def _refuse(self, send: Any, scope: dict[str, Any]) -> None:
        body = _problem(self.max_bytes, _language(scope))
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", PROBLEM_JSON.encode()),
                    (b"content-length", str(len(body)).encode()),
                    (b"connection", b"close"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})
