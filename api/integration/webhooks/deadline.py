"""A wall-clock deadline for a whole webhook attempt.

`httpx.Timeout(x)` bounds each connect, read or write, not the request: a receiver sending its
answer one byte every half second keeps a 1 s attempt going as long as it likes. So every socket
operation of an attempt gets at most what is left until the attempt's deadline (a monotonic
clock), and none starts once it has passed: `transport.GuardedBackend` wraps each stream it
opens in `BoundedStream`. The deadline is set for the current thread (a context variable) by
`within(seconds)` around one send.
"""

from __future__ import annotations

import time
import typing
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

import httpcore

_deadline: ContextVar[float | None] = ContextVar("webhook_deadline", default=None)


@contextmanager
def within(seconds: float) -> Iterator[None]:
    """Every network operation in this block ends by `seconds` from now."""
    token = _deadline.set(time.monotonic() + seconds)
    try:
        yield
    finally:
        _deadline.reset(token)


def bound(timeout: float | None, late: type[Exception]) -> float | None:
    """`timeout`, cut to what is left of the deadline (`late` raised if nothing is)."""
    deadline = _deadline.get()
    if deadline is None:
        return timeout
    left = deadline - time.monotonic()
    if left <= 0:
        raise late("the attempt's deadline has passed")
    return left if timeout is None else min(timeout, left)


class BoundedStream(httpcore.NetworkStream):
    """A connection whose every read, write and TLS handshake ends by the deadline."""

    def __init__(self, inner: httpcore.NetworkStream) -> None:
        self._inner = inner

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, bound(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, bound(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(
        self,
        ssl_context: typing.Any,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.NetworkStream:
        inner = self._inner.start_tls(
            ssl_context, server_hostname, bound(timeout, httpcore.ConnectTimeout)
        )
        return BoundedStream(inner)

    def get_extra_info(self, info: str) -> typing.Any:
        return self._inner.get_extra_info(info)
