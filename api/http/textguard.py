"""Refuse text that no store can keep: a NUL character, or half of a UTF-16 surrogate pair.

JSON may spell both (`\\u0000`, `\\ud800`), and so may a percent-encoded query (`%00`). PostgreSQL
refuses a NUL in a text column and neither store can encode a lone surrogate as UTF-8: accepted,
such a value would fail its write with a 500, or — worse — be recorded in the log (stored as
JSON bytes) and then stall every projection that tries to copy it into a table. So they are
refused at the door of every route (`api.http.guard.GuardedRoute`, once the caller is known to be
admitted), with a 422 problem naming where the value is.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qsl

from fastapi import Request

RULE = "invalid-text"


def is_storable(text: str) -> bool:
    if "\x00" in text:
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate
        return False
    return True


def _unstorable(value: Any, where: str) -> Iterator[str]:
    """Where, in a decoded JSON value, a string (or a key) cannot be stored."""
    if isinstance(value, str):
        if not is_storable(value):
            yield where
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _unstorable(item, f"{where}.{index}")
    elif isinstance(value, dict):
        for key, item in value.items():
            if not is_storable(key):
                yield where
            else:
                yield from _unstorable(item, f"{where}.{key}")


async def first_unstorable(request: Request) -> str | None:
    scope = request.scope
    if not is_storable(scope["path"]):
        return "path"
    query = scope.get("query_string", b"").decode("latin-1")
    for name, value in parse_qsl(query, keep_blank_values=True):
        if not is_storable(name) or not is_storable(value):
            return f"query.{name}" if is_storable(name) else "query"
    body = await request.body() if request.method in ("POST", "PUT", "PATCH") else b""
    if b"\\u" in body:  # JSON spells both only as escapes
        try:
            decoded = await request.json()  # kept on the request: the route parses it no more
        except ValueError:
            return None  # not JSON: the route's own parsing answers
        return next(_unstorable(decoded, "body"), None)
    return None
