"""What a browser is told about the service's pages: the console's, and the API's documentation.

The console (`/console`: its pages, redirects and refusals, set by `ConsoleRoute`; its assets,
through `Headed`) holds personal data and acts for the person signed in, so each answer says:

- `Content-Security-Policy`: everything from this service only (`default-src 'self'`), no script
  at all (`script-src 'none'`: the pages have none, and need none — their styles are files of
  `console/assets`, no inline `style`), no `<object>`, no `<base>`, forms sent to this service
  only, and never inside another site's frame (`frame-ancestors 'none'`);
- `X-Frame-Options: DENY` (the same, for browsers without CSP frame-ancestors),
  `X-Content-Type-Options: nosniff`;
- `Referrer-Policy: same-origin`: a case's address (its id, the purpose of the reading) never
  leaves for another site, while this site's own requests keep their `Origin` and `Referer` —
  `no-referrer` would make the browser send `Origin: null` with the console's own forms, which
  the form check (`api.http.console.routing`) refuses;
- `Cache-Control: no-store` on the pages (not on the assets: styles hold no one's data).

`/docs` and `/redoc` (Swagger UI and ReDoc, the unchanged distributions: their scripts build
styles inline and ReDoc starts workers) get what cannot break them: no framing, no `<base>`, no
`<object>`, nosniff, the same referrer policy.

Set where the answers are made (the console's route class, the docs' pages, a wrapper around
the mounted assets) rather than by one more middleware around every request of the API.
"""

from __future__ import annotations

from collections.abc import Mapping

from starlette.datastructures import MutableHeaders
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

CONSOLE_POLICY = (
    "default-src 'self'; script-src 'none'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)
DOCS_POLICY = "object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
_COMMON = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
}
CONSOLE_ASSETS = {**_COMMON, "Content-Security-Policy": CONSOLE_POLICY}
CONSOLE_PAGES = {**CONSOLE_ASSETS, "Cache-Control": "no-store"}  # personal data
DOCS = {**_COMMON, "Content-Security-Policy": DOCS_POLICY}


def add(response: Response, headers: Mapping[str, str]) -> Response:
    """`headers` on `response`, those it already has kept."""
    for name, value in headers.items():
        response.headers.setdefault(name, value)
    return response


class Headed:
    """A mounted ASGI app (static files) whose every answer carries `headers`."""

    def __init__(self, app: ASGIApp, headers: Mapping[str, str]) -> None:
        self.app, self.headers = app, headers

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                found = MutableHeaders(scope=message)
                for name, value in self.headers.items():
                    found.setdefault(name, value)
            await send(message)

        await self.app(scope, receive, send_with_headers)
