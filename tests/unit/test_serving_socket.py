"""`maillage serve --workers N`: the listening socket the workers share is TCP_NODELAY, so the
connections it accepts are too (Linux copies the option) — without it every answer waited
~40 ms for the client's delayed ACK between its headers and its body."""

from __future__ import annotations

import socket

from api.cli.serving import NoDelayConfig


def test_the_workers_socket_and_the_connections_it_accepts_send_at_once() -> None:
    config = NoDelayConfig("api.http.app:create_app", factory=True, host="127.0.0.1", port=0)
    listening = config.bind_socket()
    try:
        listening.listen()
        assert listening.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) == 1
        with socket.create_connection(listening.getsockname()[:2]):
            accepted, _ = listening.accept()
            with accepted:
                assert accepted.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) == 1
    finally:
        listening.close()
