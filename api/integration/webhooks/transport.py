"""How the worker reaches a receiver: an httpx transport over httpcore's connection pool, built
with public API only (`httpx.BaseTransport`, `httpcore.ConnectionPool(network_backend=…)`), whose
network backend does two things for every connection it opens:

- **the target's addresses, resolved once and pinned.** The host is resolved once, every
  address is checked (`targets.checked_addresses`: public, unless private targets are allowed),
  and the connection is made to those checked addresses — never to what another resolution would
  answer. A name that answers a public address to a check and 127.0.0.1 to the connection (DNS
  rebinding) cannot slip between the two: there is one resolution. TLS is unchanged: the pool
  still knows the URL's host, so SNI and the certificate's verification are for that name, and
  so is the `Host` header;
- **the attempt's deadline** (`deadline`): connecting, the TLS handshake and every read and write
  end by it.

The backend is httpcore's public extension point; a connection that is not a checked one is not
made (no unix socket either). Redirects are not followed by the client (`worker.http_client`),
and any further connection would go through the same check.
"""

from __future__ import annotations

import ssl
import typing
from collections.abc import Iterator
from contextlib import contextmanager

import httpcore
import httpx

from api.integration.webhooks.deadline import BoundedStream, bound
from api.integration.webhooks.targets import Resolver, checked_addresses, resolve


class GuardedBackend(httpcore.NetworkBackend):
    """Connections to checked addresses only, each operation within the attempt's deadline.
    `network` is the backend that opens sockets (httpcore's own; tests stand in for it)."""

    def __init__(
        self,
        *,
        allow_private: bool,
        resolver: Resolver = resolve,
        network: httpcore.NetworkBackend | None = None,
    ) -> None:
        self.allow_private, self.resolver = allow_private, resolver
        self._network = network or httpcore.SyncBackend()

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: typing.Iterable[typing.Any] | None = None,
    ) -> httpcore.NetworkStream:
        addresses = checked_addresses(
            host, port, allow_private=self.allow_private, resolver=self.resolver
        )
        failure: Exception | None = None
        for address in addresses:  # in the resolver's order, as a browser would
            try:
                stream = self._network.connect_tcp(
                    address,
                    port,
                    bound(timeout, httpcore.ConnectTimeout),
                    local_address,
                    socket_options,
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as error:
                failure = error
                continue
            return BoundedStream(stream)
        assert failure is not None  # checked_addresses never answers an empty list
        raise failure

    def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: typing.Iterable[typing.Any] | None = None,
    ) -> httpcore.NetworkStream:
        raise httpcore.ConnectError("a webhook is never sent to a unix socket")

    def sleep(self, seconds: float) -> None:
        self._network.sleep(seconds)


@contextmanager
def _as_httpx() -> Iterator[None]:
    """httpcore's errors raised as httpx's of the same name (what the client's callers catch);
    anything else (a refused target among them) as it is."""
    try:
        yield
    except httpcore.TimeoutException as error:
        raise _httpx_error(error) from error
    except (httpcore.NetworkError, httpcore.ProtocolError, httpcore.UnsupportedProtocol) as error:
        raise _httpx_error(error) from error


def _httpx_error(error: Exception) -> Exception:
    for kind in type(error).__mro__:
        same = getattr(httpx, kind.__name__, None)
        if isinstance(same, type) and issubclass(same, httpx.TransportError):
            return same(str(error))
    return httpx.TransportError(str(error))


class _Body(httpx.SyncByteStream):
    def __init__(self, inner: typing.Iterable[bytes]) -> None:
        self._inner = inner

    def __iter__(self) -> Iterator[bytes]:
        with _as_httpx():
            yield from self._inner

    def close(self) -> None:
        close = getattr(self._inner, "close", None)
        if close is not None:
            with _as_httpx():
                close()


class GuardedTransport(httpx.BaseTransport):
    """httpx's requests over an httpcore pool whose backend is a `GuardedBackend`."""

    def __init__(self, verify: ssl.SSLContext | bool, backend: GuardedBackend) -> None:
        self._pool = httpcore.ConnectionPool(
            ssl_context=httpx.create_ssl_context(verify=verify, trust_env=False),
            network_backend=backend,
        )

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        assert isinstance(request.stream, httpx.SyncByteStream)
        url = request.url
        core = httpcore.Request(
            method=request.method,
            url=httpcore.URL(
                scheme=url.raw_scheme, host=url.raw_host, port=url.port, target=url.raw_path
            ),
            headers=request.headers.raw,
            content=request.stream,
            extensions=request.extensions,
        )
        with _as_httpx():
            answer = self._pool.handle_request(core)
        assert isinstance(answer.stream, typing.Iterable)
        return httpx.Response(
            status_code=answer.status,
            headers=answer.headers,
            stream=_Body(answer.stream),
            extensions=answer.extensions,
        )

    def close(self) -> None:
        with _as_httpx():
            self._pool.close()
