"""A TCP relay between the service and PostgreSQL that can play a restart of the database.

`cut()` drops every open connection and refuses new ones (accepted, then closed at once, as a
server going down does) until `resume()`. `lose_reply_to(port)` plays a connection lost just
after a COMMIT reached the server: on the connection whose client side is `port`, the first
message holding COMMIT goes through, every reply after it is swallowed, and a moment later
everything is cut. Everything stays on the loopback interface.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress


class Relay:
    def __init__(self, upstream: tuple[str, int]) -> None:
        self.upstream = upstream
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port: int = self.listener.getsockname()[1]
        self.down = threading.Event()
        self._lose_after: dict[int, bytes] = {}  # client port -> what, once sent, loses replies
        self._muted: set[int] = set()
        self._open: set[socket.socket] = set()
        self._lock = threading.Lock()
        self._closed = threading.Event()
        threading.Thread(target=self._accept, name="relay-accept", daemon=True).start()

    def _accept(self) -> None:
        while not self._closed.is_set():
            try:
                client, (_, port) = self.listener.accept()
            except OSError:
                return
            if self.down.is_set():
                client.close()
                continue
            try:
                server = socket.create_connection(self.upstream, timeout=5)
            except OSError:
                client.close()
                continue
            server.settimeout(None)
            for s in (client, server):  # forwarded as it comes, as a direct connection would be
                s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            with self._lock:
                self._open.update((client, server))
            for a, b, replies in ((client, server, False), (server, client, True)):
                pump = threading.Thread(target=self._pump, args=(a, b, port, replies), daemon=True)
                pump.start()

    def _pump(self, source: socket.socket, target: socket.socket, port: int, replies: bool) -> None:
        try:
            while True:
                data = source.recv(65536)
                if not data:
                    break
                if replies and port in self._muted:
                    continue
                marker = self._lose_after.get(port)
                if not replies and marker is not None and marker in data:
                    # Muted before the COMMIT is let through: else its reply could slip back
                    # between the two (seen on a loaded machine: the client got its answer).
                    self._muted.add(port)
                    target.sendall(data)
                    # Long enough for a busy server to read the COMMIT: cut sooner, the reset
                    # could discard it unread (a commit meant to land would not).
                    threading.Timer(2.0, self.cut).start()
                    continue
                target.sendall(data)
        except OSError:
            pass
        finally:
            for s in (source, target):
                self._drop(s)

    def _drop(self, s: socket.socket) -> None:
        with self._lock:
            self._open.discard(s)
        with suppress(OSError):
            s.shutdown(socket.SHUT_RDWR)
        s.close()

    def cut(self) -> None:
        self.down.set()
        with self._lock:
            sockets = list(self._open)
        for s in sockets:
            self._drop(s)

    def lose_reply_to(self, port: int, after: bytes = b"COMMIT") -> None:
        self._lose_after[port] = after

    def resume(self) -> None:
        self._lose_after.clear()
        self._muted.clear()
        self.down.clear()

    def close(self) -> None:
        self._closed.set()
        self.cut()
        self.listener.close()


@contextmanager
def relay_to(host: str, port: int) -> Iterator[Relay]:
    relay = Relay((host, port))
    try:
        yield relay
    finally:
        relay.close()
