"""The language of an answer: French unless `Accept-Language` asks for English (`api.i18n`).

Handlers that word something for people declare `words: WordsDep` (`api.http.deps`: the
language asked, days in the service's time zone); every answer says which
language it speaks (`Content-Language`) and that it varies with `Accept-Language`, so a cache
never serves the French page to an English reader.
"""

from __future__ import annotations

from fastapi import Request
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.i18n import negotiate


def language_of(request: Request) -> str:
    return negotiate(request.headers.get("accept-language"))


class ContentLanguage:
    """Pure ASGI middleware: `Content-Language` and `Vary: Accept-Language` on every answer."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        accept = None
        for name, value in scope.get("headers", []):
            if name == b"accept-language":
                accept = value.decode("latin-1")
        language = negotiate(accept)

        async def send_with_language(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers.setdefault("content-language", language)
                headers.add_vary_header("Accept-Language")
            await send(message)

        await self.app(scope, receive, send_with_language)
